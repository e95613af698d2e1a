"""Staff accounts: roles decided in one place, PINs hashed, sign-in, audit names who."""

from __future__ import annotations

import json
import os
from contextlib import closing
from pathlib import Path

import pytest

from model.actions import permissions, records, safekeeping, setup, staff
from model.actions.staff import Task
from model.errors import InputError
from model.store import open_store
from tests.cli_runner import run

OWNER_PIN, OFFICE_PIN, TILL_PIN = "73915846", "58204617", "40286193"  # unlike any date or hash


@pytest.fixture
def shop(tmp_path: Path):
    """A store with one contact, an owner, an office and a till account, accounts on."""
    s = open_store(tmp_path / "shop.db")
    run(tmp_path / "shop.db", "demo")
    staff.add_member(s, "Olive", "owner", OWNER_PIN)
    staff.add_member(s, "Omar", "office", OFFICE_PIN)
    staff.add_member(s, "Priya", "till", TILL_PIN)
    staff.set_accounts_on(s, True)
    yield s
    s.close()


def last_audit(store) -> tuple[str, dict]:
    action, details = store.execute(
        "SELECT action, details FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return action, json.loads(details)


def with_pin(pin: str, **more: str) -> dict[str, str]:
    return {**os.environ, "OPTIN_LEDGER_PIN": pin, **more}


# --- the action layer -----------------------------------------------------------------


def test_accounts_off_everything_is_allowed(store) -> None:
    """Off by default: nobody signs in and every task is allowed, as before accounts."""
    assert not staff.accounts_on(store)
    for task in Task:
        staff.require(store, task)
    setup.set_setting(store, "business_name", "Corner Shop")


def test_turning_on_needs_an_owner(store) -> None:
    """Accounts cannot be turned on with no owner to manage them (nobody locked out)."""
    staff.add_member(store, "Priya", "till", TILL_PIN)
    with pytest.raises(InputError, match="add an owner account before turning staff accounts on"):
        staff.set_accounts_on(store, True)
    assert not staff.accounts_on(store)


def test_till_may_record_but_not_import_or_change_settings(shop) -> None:
    """The till role records permissions; office and owner tasks are refused in words."""
    staff.sign_in(shop, "Priya", TILL_PIN)
    permissions.record_permission(shop, 1, "opt-out", channels="email")
    with pytest.raises(InputError) as refused:
        setup.set_setting(shop, "business_name", "Mine now")
    assert refused.value.message == (
        "Priya (till) may not change the settings: an owner account is needed"
    )
    with pytest.raises(InputError, match=r"Priya \(till\) may not make backups"):
        safekeeping.backup_store(shop)
    with pytest.raises(InputError, match="an office or owner account is needed"):
        staff.require(shop, Task.IMPORT)


def test_office_may_not_erase_owner_may(shop) -> None:
    """Erasure is an owner's task: refused for office, done for the owner."""
    staff.sign_in(shop, "Omar", OFFICE_PIN)
    staff.require(shop, Task.CAMPAIGNS)
    with pytest.raises(InputError, match=r"Omar \(office\) may not erase a person"):
        records.erase_contact(shop, 1)
    staff.sign_in(shop, "Olive", OWNER_PIN)
    records.erase_contact(shop, 1)


def test_nobody_signed_in_is_refused_when_on(shop) -> None:
    """With accounts on, an action without a signed-in member is refused."""
    with pytest.raises(InputError, match="staff accounts are on: sign in to record"):
        permissions.record_permission(shop, 1, "opt-out", channels="email")


def test_wrong_pin_is_refused_and_locks_after_five(shop) -> None:
    """A wrong PIN signs nobody in; five in a row lock the account, even the right PIN."""
    with pytest.raises(InputError, match="Priya: wrong PIN; not signed in"):
        staff.sign_in(shop, "Priya", "0000")
    assert staff.signed_in(shop) is None
    for _ in range(staff.MAX_WRONG_PINS - 1):
        with pytest.raises(InputError):
            staff.sign_in(shop, "Priya", "0000")
    with pytest.raises(InputError, match="sign-in locked after 5 wrong PINs"):
        staff.sign_in(shop, "Priya", TILL_PIN)
    assert staff.sign_in(shop, "Omar", OFFICE_PIN).name == "Omar"  # others unaffected


def test_lock_lifts_after_its_minutes(shop, monkeypatch) -> None:
    """A locked sign-in opens again with the right PIN once LOCK_MINUTES have passed."""
    import datetime as dt

    for _ in range(staff.MAX_WRONG_PINS):
        with pytest.raises(InputError):
            staff.sign_in(shop, "Priya", "0000")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=staff.LOCK_MINUTES, seconds=1)
    monkeypatch.setattr(staff, "_now", lambda: later)
    assert staff.sign_in(shop, "Priya", TILL_PIN).name == "Priya"
    assert "locked_until" not in shop.setting("staff_accounts")


def test_right_pin_clears_the_count(shop) -> None:
    """Wrong PINs spread over days do not add up to a lock once the right one is given."""
    for _ in range(staff.MAX_WRONG_PINS - 1):
        with pytest.raises(InputError):
            staff.sign_in(shop, "Priya", "0000")
    staff.sign_in(shop, "Priya", TILL_PIN)
    with pytest.raises(InputError, match="wrong PIN; not signed in$"):
        staff.sign_in(shop, "Priya", "0000")


def test_pin_is_stored_only_as_an_argon2_hash(shop, tmp_path: Path) -> None:
    """Neither the store's bytes (file and WAL) nor any audit entry hold a PIN or its hash."""
    shop.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "shop.db").read_bytes()
    for pin in (OWNER_PIN, OFFICE_PIN, TILL_PIN):
        assert pin.encode() not in raw
    stored = json.loads(shop.setting("staff_accounts"))
    assert all(m["pin_hash"].startswith("$argon2id$") for m in stored["members"])
    audit_text = " ".join(r[0] for r in shop.execute("SELECT details FROM audit"))
    assert "argon2" not in audit_text and "pin_hash" not in audit_text


def test_accounts_hidden_from_settings_and_not_settable(shop) -> None:
    """The settings list does not show the accounts, and the settings action cannot write them."""
    staff.sign_in(shop, "Olive", OWNER_PIN)
    assert "staff_accounts" not in setup.settings(shop)
    with pytest.raises(InputError, match="unknown setting 'staff_accounts'"):
        setup.set_setting(shop, "staff_accounts", '{"on": false}')


def test_pin_rules(store) -> None:
    """A PIN is 4 to 8 ASCII digits; anything else is refused and nothing is added."""
    for bad in ("123", "123456789", "12a4", "١٢٣٤", ""):
        with pytest.raises(InputError, match="a PIN is 4 to 8 digits"):
            staff.add_member(store, "Olive", "owner", bad)
    with pytest.raises(InputError, match="role 'boss': expected till, office or owner"):
        staff.add_member(store, "Olive", "boss", "1234")
    assert staff.members(store) == []


def test_last_owner_stays_while_on(shop) -> None:
    """The last owner cannot be removed while accounts are on."""
    staff.sign_in(shop, "Olive", OWNER_PIN)
    with pytest.raises(InputError, match="Olive is the last owner"):
        staff.remove_member(shop, "Olive")
    staff.remove_member(shop, "Priya")
    assert [m.name for m in staff.members(shop)] == ["Olive", "Omar"]


def test_member_may_change_own_pin_only(shop) -> None:
    """A member changes their own PIN; another's is an owner's task."""
    staff.sign_in(shop, "Priya", TILL_PIN)
    staff.change_pin(shop, "Priya", "1357")
    with pytest.raises(InputError, match=r"Priya \(till\) may not manage staff accounts"):
        staff.change_pin(shop, "Omar", "1357")
    staff.sign_in(shop, "Priya", "1357")


def test_audit_entry_names_the_signed_in_member(shop) -> None:
    """Every audit entry made after sign-in carries who did it, inside the hashed details."""
    staff.sign_in(shop, "Priya", TILL_PIN)
    permissions.record_permission(shop, 1, "opt-out", channels="email")
    action, details = last_audit(shop)
    assert action == "record opt_out" and details["by"] == "Priya"
    assert safekeeping.audit.verify(shop, None) > 0  # the chain still checks


def test_event_is_credited_to_the_signed_in_member(shop) -> None:
    """With accounts on, a permission is credited to who signed in, not a name passed in."""
    staff.sign_in(shop, "Priya", TILL_PIN)
    recorded = permissions.record_permission(shop, 1, "opt-out", channels="email", staff="Olive")
    assert recorded.staff == "Priya"
    row = shop.execute("SELECT staff FROM events ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "Priya"


# --- the command line ------------------------------------------------------------------


def test_cli_accounts_off_records_the_os_user(tmp_path: Path) -> None:
    """Accounts off: commands run as today, and the audit entry names the OS user."""
    import getpass

    db = tmp_path / "s.db"
    assert run(db, "demo").returncode == 0
    result = run(db, "record", "opt-out", "--contact", "1", "--channels", "email")
    assert result.returncode == 0, result.stderr
    with closing(open_store(db)) as s:
        assert last_audit(s)[1]["by"] == getpass.getuser()


@pytest.fixture
def cli_shop(tmp_path: Path) -> Path:
    """A demo store with accounts set up and turned on through the command line."""
    db = tmp_path / "s.db"
    assert run(db, "demo").returncode == 0
    for name, role, pin in (
        ("Olive", "owner", OWNER_PIN),
        ("Omar", "office", OFFICE_PIN),
        ("Priya", "till", TILL_PIN),
    ):
        added = run(
            db,
            "staff",
            "add",
            name,
            "--role",
            role,
            env={**os.environ, "OPTIN_LEDGER_NEW_PIN": pin},
        )
        assert added.returncode == 0, added.stderr
    on = run(db, "staff", "accounts", "on")
    assert on.returncode == 0 and "staff accounts are on" in on.stdout
    return db


def test_cli_needs_staff_when_on(cli_shop: Path) -> None:
    """With accounts on, a command without --staff is refused, saying how to sign in."""
    result = run(cli_shop, "campaign", "list")
    assert result.returncode == 1
    assert "staff accounts are on: say who you are with --staff NAME" in result.stderr


def test_cli_no_pin_and_no_terminal_is_refused(cli_shop: Path) -> None:
    """No PIN in the environment and no terminal to ask on: refused, naming the variable."""
    env = {k: v for k, v in os.environ.items() if k != "OPTIN_LEDGER_PIN"}
    result = run(cli_shop, "--staff", "Priya", "settings", env=env)
    assert result.returncode == 1 and "set OPTIN_LEDGER_PIN" in result.stderr


def test_cli_role_refused_with_the_action_words(cli_shop: Path) -> None:
    """The till role may not import: exit 1, the same words as the action's refusal."""
    ledger = cli_shop.parent / "in.csv"
    ledger.write_text("name,email\n")
    result = run(cli_shop, "import", str(ledger), "--staff", "Priya", env=with_pin(TILL_PIN))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: Priya (till) may not import ledger files: an office or owner account is needed"
    )
    erase = run(
        cli_shop, "--staff", "Omar", "contact", "erase", "--contact", "1", env=with_pin(OFFICE_PIN)
    )
    assert erase.returncode == 1
    assert "Omar (office) may not erase a person: an owner account is needed" in erase.stderr


def test_cli_wrong_pin_refused_nothing_written(cli_shop: Path) -> None:
    """A wrong PIN: exit 1, a clear message, and the permission is not recorded."""
    result = run(
        cli_shop,
        "record",
        "opt-out",
        "--contact",
        "1",
        "--channels",
        "email",
        "--staff",
        "Priya",
        env=with_pin("0000"),
    )
    assert result.returncode == 1 and "Priya: wrong PIN; not signed in" in result.stderr
    with closing(open_store(cli_shop)) as s:
        assert last_audit(s) == ("staff", {"change": "wrong PIN", "name": "Priya"})


def test_cli_record_credits_and_audits_the_signed_in_member(cli_shop: Path) -> None:
    """record --staff signs in: the event is credited to, and the audit names, that member."""
    result = run(
        cli_shop,
        "record",
        "opt-out",
        "--contact",
        "1",
        "--channels",
        "email",
        "--staff",
        "priya",
        env=with_pin(TILL_PIN),
    )
    assert result.returncode == 0, result.stderr
    with closing(open_store(cli_shop)) as s:
        assert last_audit(s)[1]["by"] == "Priya"
        staff_col = s.execute("SELECT staff FROM events ORDER BY id DESC LIMIT 1").fetchone()
        assert staff_col[0] == "Priya"
    twice = run(
        cli_shop,
        "--staff",
        "Omar",
        "record",
        "opt-out",
        "--contact",
        "1",
        "--channels",
        "email",
        "--staff",
        "Priya",
        env=with_pin(TILL_PIN),
    )
    assert twice.returncode == 1 and "give one name" in twice.stderr


def test_cli_staff_commands_are_the_owners(cli_shop: Path) -> None:
    """Only an owner manages accounts once they are on; an owner may turn them off."""
    result = run(cli_shop, "staff", "list", "--staff", "Omar", env=with_pin(OFFICE_PIN))
    assert result.returncode == 1
    assert "Omar (office) may not manage staff accounts: an owner account is needed" in (
        result.stderr
    )
    listed = run(cli_shop, "staff", "list", "--staff", "Olive", env=with_pin(OWNER_PIN))
    assert listed.stdout.splitlines() == [
        "staff accounts: on",
        "  Olive  (owner)",
        "  Omar  (office)",
        "  Priya  (till)",
    ]
    off = run(cli_shop, "--staff", "Olive", "staff", "accounts", "off", env=with_pin(OWNER_PIN))
    assert off.returncode == 0, off.stderr
    assert run(cli_shop, "campaign", "list").returncode == 0  # as before accounts


def test_cli_restore_is_the_owners(cli_shop: Path) -> None:
    """Restore (which never opens a damaged store) is refused to the till role."""
    backup = run(
        cli_shop,
        "backup",
        str(cli_shop.parent / "b.db"),
        "--staff",
        "Olive",
        env=with_pin(OWNER_PIN),
    )
    assert backup.returncode == 0, backup.stderr
    refused = run(
        cli_shop,
        "restore",
        str(cli_shop.parent / "b.db"),
        "--staff",
        "Priya",
        env=with_pin(TILL_PIN),
    )
    assert refused.returncode == 1
    assert "Priya (till) may not make backups or restore one" in refused.stderr


def test_cli_new_pins_must_match(tmp_path: Path) -> None:
    """staff add without OPTIN_LEDGER_NEW_PIN and no terminal: refused, nothing added."""
    db = tmp_path / "s.db"
    env = {k: v for k, v in os.environ.items() if k != "OPTIN_LEDGER_NEW_PIN"}
    result = run(db, "staff", "add", "Olive", "--role", "owner", env=env)
    assert result.returncode == 1 and "set OPTIN_LEDGER_NEW_PIN" in result.stderr
    with closing(open_store(db)) as s:
        assert staff.members(s) == []
