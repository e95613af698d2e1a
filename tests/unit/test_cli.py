"""The command line on a temporary store (INTERFACE.md): in-process for the logic
(``cli_runner.run``), in a real subprocess where the process itself is tested.

Every run checks that standard error never carries a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_runner import run, run_subprocess

ROOT = Path(__file__).resolve().parents[2]

SEND = "2026-03-01"
ELIGIBLE_HEADER = "contact_id,name,email,phone,address,postcode,basis,evidence"
EXCLUDED_HEADER = "contact_id,name,reasons,explanation"

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
QUOTED_NAME = 'Smith, John "Jack"'


def ok(db: Path, *args: object) -> str:
    """Run a command that must succeed; its standard output."""
    result = run(db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def events_of(db: Path, contact_id: int) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT * FROM events WHERE contact_id = ? ORDER BY id", (contact_id,)
        ).fetchall()
        return [dict(r) for r in rows]
    finally:
        conn.close()


SHOP_COLUMNS = [
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "date",
    "event",
    "category",
    "collected_via",
    "optout_offered",
    "optout_how",
    "opted_out",
]


def _row(
    name,
    email="",
    phone="",
    address="",
    postcode="",
    date="2026-01-15",
    event="purchase",
    category="Bikes",
    via="online",
    offered="yes",
    how="tick box",
    opted_out="",
):
    return [
        name,
        email,
        phone,
        address,
        postcode,
        date,
        event,
        category,
        via,
        offered,
        how,
        opted_out,
    ]


#: twelve contacts, ids 1..12 in this order (12 > 9, so sorting must be numeric)
SHOP_ROWS = [
    _row(
        "Zed Adams",
        "zed@example.com",
        "07700 900001",
        "1 High St\nLeeds",
        "ls1 9zz",
        "2026-01-10",
        category="Bikes/Road",
        via="in_store",
        how="asked at the till",
    ),  # 1
    _row(HYPERLINK, "h@example.com"),  # 2
    _row("+cmd", "-dash@example.com", "+44 7700 900003", category="Bikes/Road"),  # 3
    _row(QUOTED_NAME, "jack@example.com"),  # 4
    _row("@home", "home@example.com", event="general_enquiry", category="", offered=""),  # 5
    _row("Eve Stone", "eve@example.com", "", "=SUM(A1:A2)", "m11aa"),  # 6
    _row("Finn", "finn@example.com", "0113 496 0007"),  # 7
    _row("Gus", "gus@example.com"),  # 8
    _row("Hal", "hal@example.com"),  # 9
    _row("Amy", "amy@example.com"),  # 10
    _row("Ian", "ian@example.com"),  # 11
    _row("Jo Bloggs", "", "", "2 Low St", "LS2 8AA", opted_out="email"),  # 12
    _row(
        "Ian",
        "ian@example.com",
        date="2026-02-01",
        event="opt_out",
        category="",
        via="email",
        offered="",
        how="",
        opted_out="email",
    ),  # a later opt-out for 11
]


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once through the command line: categories and the shop's ledger."""
    base = tmp_path_factory.mktemp("shop")
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(base / var.lower())
    env["HOME"] = str(base)
    db = base / "shop.db"
    ledger = write_csv(base / "shop.csv", SHOP_COLUMNS, SHOP_ROWS)
    result = run(db, "category", "add", "Helmets", env=env)
    assert result.returncode == 0, result.stderr
    result = run(db, "import", ledger, env=env)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def shop(shop_db: Path, tmp_path: Path) -> Path:
    """A private copy of the shop store for one test."""
    db = tmp_path / "shop.db"
    shutil.copy(shop_db, db)
    return db


# --- invocation ----------------------------------------------------------------------


def test_db_created_when_missing_in_an_existing_folder(tmp_path):
    """--db names a file that is created if missing (its folder exists)."""
    db = tmp_path / "new.db"
    result = run_subprocess(db, "settings")  # end to end: a real process
    assert result.returncode == 0, result.stderr
    assert db.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["eligible", "--channel", "email"],
        ["eligible", "--category", "Bikes"],
        ["record", "opt-out", "--channels", "email"],
        ["record", "unsubscribe", "--contact", "1"],
        ["import"],
        ["category", "link", "Bikes", "Helmets"],
        ["screen", "dnc", "numbers.txt"],
        ["audit"],
    ],
    ids=lambda a: " ".join(a),
)
def test_wrong_command_line_exits_2(tmp_path, argv):
    """A wrong command line (unknown command, missing required option) exits 2 with usage."""
    result = run_subprocess(tmp_path / "x.db", *argv)  # the exit status as a shell sees it
    assert result.returncode == 2
    assert "usage" in result.stderr.lower() or "error" in result.stderr.lower()
    assert not (tmp_path / "x.db").exists()  # nothing done, not even a store created


# --- settings ------------------------------------------------------------------------


RULE_SETTINGS = (
    "business_name",
    "business_address",
    "organisation_type",
    "soft_opt_in_months",
    "post_max_per_30_days",
)


def test_settings_print_defaults_and_set_each(tmp_path):
    """`settings` prints every setting as KEY=VALUE with its default; `settings K V` sets one."""
    db = tmp_path / "x.db"
    lines = ok(db, "settings").splitlines()
    values = dict(line.split("=", 1) for line in lines)
    assert {k: values[k] for k in RULE_SETTINGS} == {
        "business_name": "",
        "business_address": "",
        "organisation_type": "business",
        "soft_opt_in_months": "24",
        "post_max_per_30_days": "2",
    }
    ok(db, "settings", "business_name", "Spokes & Co")
    ok(db, "settings", "business_address", "1 High St, Leeds LS1 9ZZ")
    ok(db, "settings", "organisation_type", "charity")
    ok(db, "settings", "soft_opt_in_months", "12")
    ok(db, "settings", "post_max_per_30_days", "0")
    values = dict(line.split("=", 1) for line in ok(db, "settings").splitlines())
    assert {k: values[k] for k in RULE_SETTINGS} == {
        "business_name": "Spokes & Co",
        "business_address": "1 High St, Leeds LS1 9ZZ",
        "organisation_type": "charity",
        "soft_opt_in_months": "12",
        "post_max_per_30_days": "0",
    }


# --- refused input: exit 1, a message, the store untouched ------------------------------


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["settings", "soft_opt_in_months", "0"], "soft_opt_in_months"),
        (["settings", "soft_opt_in_months", "six"], "six"),
        (["settings", "post_max_per_30_days", "-1"], "post_max_per_30_days"),
        (["settings", "post_max_per_30_days", "1.5"], "1.5"),
        (["settings", "organisation_type", "club"], "club"),
        (["settings", "colour", "red"], "colour"),
        (
            ["record", "opt-out", "--email", "nobody@example.com", "--channels", "email"],
            "nobody@example.com",
        ),
        (["record", "opt-out", "--phone", "07700 900999", "--channels", "sms"], "+447700900999"),
        (["record", "objection", "--contact", "999"], "999"),
        (
            ["record", "opt-out", "--email", "zed.example.com", "--channels", "email"],
            "zed.example.com",
        ),
        (["record", "opt-out", "--contact", "1", "--channels", "email;fax"], "fax"),
        (["record", "consent", "--contact", "1"], "channels"),
        (
            ["record", "opt-out", "--contact", "1", "--channels", "email", "--date", "2026-02-30"],
            "2026-02-30",
        ),
        (["eligible", "--channel", "fax", "--category", "Bikes"], "fax"),
        (
            ["eligible", "--channel", "email", "--category", "Bikes", "--purpose", "charitable"],
            "charit",
        ),
        (
            ["eligible", "--channel", "email", "--category", "Bikes", "--purpose", "political"],
            "political",
        ),
        (
            ["eligible", "--channel", "email", "--category", "Bikes", "--date", "31/02/2026"],
            "31/02/2026",
        ),
        (["category", "link", "Bikes", "Unicycles", "--why", "both wheels"], "Unicycles"),
        (["category", "link", "Bikes", "Helmets", "--why", "  "], "why"),
        (["import", "no-such-ledger.csv"], "no-such-ledger.csv"),
        (["screen", "tps", "no-such-register.txt"], "no-such-register.txt"),
        (["suppress", "no-such-list.txt"], "no-such-list.txt"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else None,
)
def test_refused_input_exits_1_with_one_line_and_store_untouched(shop, argv, needle):
    """Bad values exit 1 with one line naming the value at fault, and the store is untouched."""
    before = shop.read_bytes()
    result = run(shop, *argv)
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0], lines[0]
    assert shop.read_bytes() == before


def test_charitable_campaign_for_a_non_charity_writes_no_files(shop, tmp_path):
    """`eligible --purpose charitable` for a business exits 1 and writes no CSV."""
    out, excl = tmp_path / "out.csv", tmp_path / "excl.csv"
    result = run(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--purpose",
        "charitable",
        "--out",
        out,
        "--excluded",
        excl,
    )
    assert result.returncode == 1
    assert not out.exists() and not excl.exists()
    ok(shop, "settings", "organisation_type", "charity")
    summary = ok(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--purpose",
        "charitable",
        "--date",
        SEND,
    )
    assert "charitable" in summary


def test_missing_folder_for_db_refused(tmp_path):
    """A --db whose folder does not exist exits 1 naming the path, and creates nothing."""
    db = tmp_path / "nowhere" / "x.db"
    result = run(db, "settings")
    assert result.returncode == 1
    assert str(tmp_path / "nowhere") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is my shopping list\n", b"SQLite format 3\x00" + b"\x07" * 2000],
    ids=["text file", "damaged sqlite"],
)
def test_not_a_store_refused_and_left_alone(tmp_path, content):
    """A --db file that is not a store (or is damaged) is refused in one line and not changed."""
    db = tmp_path / "x.db"
    db.write_bytes(content)
    result = run(db, "settings")
    assert result.returncode == 1
    assert str(db) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == content


def test_db_that_is_a_folder_refused(tmp_path):
    """A --db that names a folder is refused in one line."""
    result = run(tmp_path, "settings")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_store_refused(shop):
    """A store file that cannot be read is refused in one line."""
    shop.chmod(0)
    try:
        result = run(shop, "settings")
    finally:
        shop.chmod(0o600)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_store_from_a_newer_version_refused_untouched(shop):
    """A store written by a newer version is refused in one line, and left as it was."""
    conn = sqlite3.connect(shop)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version + 5}")
    conn.commit()
    conn.close()
    before = shop.read_bytes()
    result = run(shop, "settings")
    assert result.returncode == 1
    assert "newer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert shop.read_bytes() == before


# --- category ------------------------------------------------------------------------


def test_category_add_one_range_link_and_list(tmp_path):
    """category add (with parents, --one-range), link --why and list show the tree as kept."""
    db = tmp_path / "x.db"
    ok(db, "category", "add", "Bikes/Road")
    ok(db, "category", "add", "Food", "--one-range")
    ok(db, "category", "add", "Food/Frozen")
    ok(db, "category", "add", "Helmets")
    ok(db, "category", "link", "bikes", " HELMETS ", "--why", "riders need helmets")
    listing = ok(db, "category", "list")
    for name in ("Bikes", "Road", "Food", "Frozen", "Helmets", "riders need helmets"):
        assert name in listing
    food_line = next(line for line in listing.splitlines() if line.strip().startswith("Food"))
    assert "range" in food_line.lower()
    bikes_line = next(line for line in listing.splitlines() if line.strip().startswith("Bikes"))
    assert "range" not in bikes_line.lower()
    # adding again is not an error, and does not duplicate
    ok(db, "category", "add", "bikes / road")
    assert ok(db, "category", "list").count("Road") == 1


def test_category_link_makes_categories_similar_with_the_reason(shop, tmp_path):
    """A linked category is similar for soft opt-in, and the evidence names the reason."""
    out = tmp_path / "out.csv"
    summary = ok(shop, "eligible", "--channel", "email", "--category", "Helmets", "--date", SEND)
    assert "eligible: 0" in summary.splitlines() and "not_similar: 9" in summary
    ok(shop, "category", "link", "Bikes", "Helmets", "--why", "riders need helmets")
    ok(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Helmets",
        "--date",
        SEND,
        "--out",
        out,
    )
    rows = read_csv(out)[1:]
    assert {int(r[0]) for r in rows} == {1, 2, 3, 4, 6, 7, 8, 9, 10}
    assert all("riders need helmets" in r[7] for r in rows)


# --- import --------------------------------------------------------------------------


def test_import_prints_counts_and_dry_run_writes_nothing(tmp_path):
    """import prints created/matched/events counts; --dry-run reports the same, store unchanged."""
    db = tmp_path / "x.db"
    ok(db, "settings")
    ledger = write_csv(tmp_path / "l.csv", SHOP_COLUMNS, SHOP_ROWS)
    before = db.read_bytes()
    dry = ok(db, "import", ledger, "--dry-run")
    assert db.read_bytes() == before
    real = ok(db, "import", ledger)
    for out in (dry, real):
        assert "contacts created: 12" in out
        assert "contacts matched: 0" in out
        assert "events added: 13" in out
    again = ok(db, "import", ledger, "--dry-run")
    assert "contacts created: 0" in again and "contacts matched: 12" in again


# --- record ----------------------------------------------------------------------------


def test_record_by_email_phone_and_contact(shop, tmp_path):
    """record opt-out/consent/objection find the contact by email, phone or id and take effect."""
    out = ok(
        shop,
        "record",
        "opt-out",
        "--email",
        " ZED@Example.com",
        "--channels",
        "email,sms",
        "--date",
        "2026-02-01",
        "--via",
        "phone call",
        "--staff",
        "Jo",
    )
    assert "1" in out
    ok(
        shop,
        "record",
        "consent",
        "--phone",
        "07700 900003",
        "--channels",
        "sms",
        "--date",
        "2026-02-02",
        "--wording",
        "Yes, text me offers",
        "--staff",
        "Priya",
    )
    ok(shop, "record", "objection", "--contact", "4")

    (opt_out,) = [e for e in events_of(shop, 1) if e["type"] == "opt_out"]
    assert (opt_out["date"], opt_out["refused"], opt_out["staff"]) == ("2026-02-01", 1 | 2, "Jo")
    (consent,) = [e for e in events_of(shop, 3) if e["type"] == "consent"]
    assert (consent["consented"], consent["wording"]) == (2, "Yes, text me offers")
    (objection,) = [e for e in events_of(shop, 4) if e["type"] == "objection"]
    assert objection["date"] == dt.date.today().isoformat()  # a date omitted means today

    excluded = tmp_path / "excl.csv"
    ok(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        dt.date.today().isoformat(),
        "--excluded",
        excluded,
    )
    reasons = {int(r[0]): set(r[2].split(";")) for r in read_csv(excluded)[1:]}
    assert "opted_out" in reasons[1]
    assert "objected" in reasons[4]


def test_record_opt_out_without_channels_stops_all(shop):
    """An opt-out that names no channel stops every channel (the cautious reading);
    a consent must name its channels."""
    ok(shop, "record", "opt-out", "--contact", "2", "--date", "2026-02-01")
    (opt_out,) = [e for e in events_of(shop, 2) if e["type"] == "opt_out"]
    assert opt_out["refused"] == 15
    result = run(shop, "record", "consent", "--contact", "2")
    assert result.returncode == 1 and "--channels" in result.stderr


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--channels", "sms", "--staff", "Priya"], "--wording"),
        (["--channels", "sms", "--wording", "Yes, text me offers"], "--staff"),
        (["--channels", ";;", "--wording", "Yes", "--staff", "Priya"], "--channels"),
        (["--wording", "Yes", "--staff", "Priya"], "--channels"),
    ],
    ids=["no wording", "no staff", "no channel named", "no channels"],
)
def test_record_consent_by_hand_needs_wording_and_staff(shop, argv, option):
    """A consent recorded by hand is refused (exit 1, the store untouched) without its
    wording, its staff member or a channel, naming the missing option."""
    before = shop.read_bytes()
    result = run(shop, "record", "consent", "--contact", "3", *argv)
    assert result.returncode == 1, result.stdout
    assert option in result.stderr.strip().splitlines()[-1]
    assert shop.read_bytes() == before


def test_record_consent_takes_the_default_staff_setting(shop):
    """Without --staff, a consent is credited to the default_staff setting when one is set."""
    ok(shop, "settings", "default_staff", "Priya")
    ok(shop, "record", "consent", "--contact", "3", "--channels", "sms", "--wording", "Yes")
    (consent,) = [e for e in events_of(shop, 3) if e["type"] == "consent"]
    assert consent["staff"] == "Priya"


def test_record_opt_out_naming_no_channel_is_refused(shop):
    """An opt-out whose --channels names no channel (";;") is refused, not taken as all."""
    result = run(shop, "record", "opt-out", "--contact", "2", "--channels", ";;")
    assert result.returncode == 1 and "names no channel" in result.stderr
    assert [e for e in events_of(shop, 2) if e["type"] == "opt_out"] == []


def test_default_staff_must_be_one_of_the_staff(tmp_path):
    """default_staff is refused when the shop has staff and it is not one of them."""
    db = tmp_path / "x.db"
    ok(db, "settings", "staff", "Sam;Priya")
    result = run(db, "settings", "default_staff", "Bob")
    assert result.returncode == 1 and "default_staff" in result.stderr and "Bob" in result.stderr
    assert ok(db, "settings", "default_staff", "Priya").strip() == "default_staff=Priya"


# --- screen ----------------------------------------------------------------------------


def test_screen_tps_decides_phone_calls(shop, tmp_path):
    """screen tps: listed numbers (any UK format) are registered, the rest screened clear on D."""
    register = tmp_path / "tps.txt"
    register.write_text("07700 900001\n+44 113 496 0007\n", encoding="utf-8")
    out = ok(shop, "screen", "tps", register, "--date", "2026-02-20")
    assert "2026-02-20" in out
    clear = tmp_path / "ctps.txt"  # DOMAIN.md 4.4: the CTPS must be screened too
    clear.write_text("number\n", encoding="utf-8")
    ok(shop, "screen", "ctps", clear, "--date", "2026-02-20")
    ok(shop, "settings", "business_name", "Spokes")  # harmless write between

    eligible, excluded = tmp_path / "out.csv", tmp_path / "excl.csv"
    ok(
        shop,
        "eligible",
        "--channel",
        "phone",
        "--category",
        "Bikes",
        "--date",
        SEND,
        "--out",
        eligible,
        "--excluded",
        excluded,
    )
    basis = {int(r[0]): r[6] for r in read_csv(eligible)[1:]}
    reasons = {int(r[0]): set(r[2].split(";")) for r in read_csv(excluded)[1:]}
    assert basis == {3: "tps_screened"}
    assert "tps_registered" in reasons[1] and "tps_registered" in reasons[7]

    # 28 days later the screening no longer counts
    ok(
        shop,
        "eligible",
        "--channel",
        "phone",
        "--category",
        "Bikes",
        "--date",
        "2026-03-25",
        "--excluded",
        excluded,
    )
    reasons = {int(r[0]): set(r[2].split(";")) for r in read_csv(excluded)[1:]}
    assert "not_screened" in reasons[3]


def test_screen_ctps_and_bad_line_refused(shop, tmp_path):
    """screen ctps records a screening; a line that is no number refuses the file, untouched."""
    good = tmp_path / "ctps.txt"
    good.write_text("number\n0113 4960007\n", encoding="utf-8")
    assert "CTPS" in ok(shop, "screen", "ctps", good, "--date", "2026-02-20").upper()
    bad = tmp_path / "bad.txt"
    bad.write_text("07700900001\nnot a number\n", encoding="utf-8")
    before = shop.read_bytes()
    result = run(shop, "screen", "tps", bad, "--date", "2026-02-20")
    assert result.returncode == 1
    assert "bad.txt" in result.stderr and "line 2" in result.stderr
    assert shop.read_bytes() == before


# --- eligible and its files ----------------------------------------------------------


@pytest.fixture
def email_files(shop: Path, tmp_path: Path) -> tuple[str, Path, Path]:
    """The summary, --out and --excluded files of an email campaign about Bikes."""
    out, excl = tmp_path / "eligible.csv", tmp_path / "excluded.csv"
    summary = ok(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        SEND,
        "--out",
        out,
        "--excluded",
        excl,
    )
    return summary, out, excl


def test_eligible_summary_counts_by_basis_and_reason(email_files):
    """The summary gives counts by basis and by reason."""
    summary = email_files[0]
    assert "soft_opt_in: 9" in summary
    assert "no_qualifying_event: 1" in summary
    assert "opted_out: " in summary
    assert "no_contact_point: 1" in summary


def test_eligible_out_columns_order_and_sorting(email_files):
    """--out has the contract's header, one row per eligible contact, sorted numerically by id."""
    _, out, _ = email_files
    text = out.read_bytes().decode("utf-8")
    assert text.split("\r\n", 1)[0] == ELIGIBLE_HEADER
    rows = read_csv(out)
    assert rows[0] == ELIGIBLE_HEADER.split(",")
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == [1, 2, 3, 4, 6, 7, 8, 9, 10]
    assert all(len(r) == 8 for r in rows)
    assert {r[6] for r in rows[1:]} == {"soft_opt_in"}


def test_eligible_out_normalised_values_and_evidence(email_files):
    """Phone in +44 form, postcode in capitals with one space, evidence names the event."""
    _, out, _ = email_files
    by_id = {int(r[0]): r for r in read_csv(out)[1:]}
    zed = by_id[1]
    assert zed[1:6] == [
        "Zed Adams",
        "zed@example.com",
        "+447700900001",
        "1 High St\nLeeds",
        "LS1 9ZZ",
    ]
    assert by_id[6][5] == "M1 1AA"
    assert by_id[7][3] == "+441134960007"
    evidence = zed[7]
    assert "2026-01-10" in evidence and "Bikes/Road" in evidence
    assert "purchase" in evidence.lower() and "asked at the till" in evidence


def test_eligible_out_rfc4180_quoting(email_files):
    """Commas, quotes and line breaks inside values are quoted as RFC 4180 says."""
    _, out, _ = email_files
    raw = out.read_bytes().decode("utf-8")
    assert '"Smith, John ""Jack"""' in raw
    assert '"1 High St\nLeeds"' in raw
    assert raw.endswith("\r\n")
    names = {int(r[0]): r[1] for r in read_csv(out)[1:]}
    assert names[4] == QUOTED_NAME


def test_eligible_out_formula_injection_protected(email_files):
    """Names and addresses that begin with = + - @ get an apostrophe; email and phone stay raw."""
    _, out, _ = email_files
    by_id = {int(r[0]): r for r in read_csv(out)[1:]}
    assert by_id[2][1] == "'" + HYPERLINK
    assert by_id[3][1] == "'+cmd"
    assert by_id[3][2] == "-dash@example.com"  # raw: a valid email cannot carry a formula
    assert by_id[3][3] == "+447700900003"  # raw: must stay a number for upload
    assert by_id[6][4] == "'=SUM(A1:A2)"
    for row in by_id.values():
        for value in (row[1], row[4], row[5], row[6], row[7]):
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_eligible_excluded_file(email_files):
    """--excluded: contract header, sorted by id, every reason code, names protected."""
    _, _, excl = email_files
    assert excl.read_bytes().decode("utf-8").split("\r\n", 1)[0] == EXCLUDED_HEADER
    rows = read_csv(excl)
    assert rows[0] == EXCLUDED_HEADER.split(",")
    by_id = {int(r[0]): r for r in rows[1:]}
    assert [int(r[0]) for r in rows[1:]] == [5, 11, 12]
    assert by_id[5][1] == "'@home"
    assert by_id[5][2] == "no_qualifying_event"
    assert by_id[11][2] == "opted_out"
    assert set(by_id[12][2].split(";")) == {"no_contact_point", "opted_out"}
    assert all(r[3] for r in rows[1:])  # every exclusion is explained


def test_eligible_out_to_a_missing_folder_refused(shop, tmp_path):
    """--out into a folder that does not exist exits 1 naming it."""
    result = run(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--out",
        tmp_path / "nope" / "out.csv",
    )
    assert result.returncode == 1
    assert "nope" in result.stderr


def test_eligible_refused_midway_writes_no_file(shop, tmp_path):
    """Nothing is half done: when --excluded cannot be written, --out is not left behind."""
    out = tmp_path / "out.csv"
    result = run(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--out",
        out,
        "--excluded",
        tmp_path,
    )
    assert result.returncode == 1
    assert not out.exists()


# --- suppress ----------------------------------------------------------------------------


def test_suppress_file_excludes_those_contacts(shop, tmp_path):
    """suppress FILE: emails, phones and "name, postcode" lines exclude those contacts."""
    dnc = tmp_path / "dnc.txt"
    dnc.write_text("ZED@example.com\n07700 900003\neve stone, m11aa\n", encoding="utf-8")
    ok(shop, "suppress", dnc)
    excl = tmp_path / "excl.csv"
    ok(
        shop,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        SEND,
        "--excluded",
        excl,
    )
    reasons = {int(r[0]): r[2].split(";") for r in read_csv(excl)[1:]}
    for cid in (1, 3, 6):
        assert reasons[cid] == ["suppressed"], reasons


def test_suppress_channels_option(shop, tmp_path):
    """suppress --channels limits the entries to those channels."""
    dnc = tmp_path / "dnc.txt"
    dnc.write_text("zed@example.com\n", encoding="utf-8")
    ok(shop, "suppress", dnc, "--channels", "post")
    summary = ok(shop, "eligible", "--channel", "email", "--category", "Bikes", "--date", SEND)
    assert "suppressed" not in summary


def test_suppress_bad_line_refused_untouched(shop, tmp_path):
    """A do-not-contact line that is none of email, phone, name+postcode refuses the whole file."""
    dnc = tmp_path / "dnc.txt"
    dnc.write_text("zed@example.com\nnot-an-email@\n", encoding="utf-8")
    before = shop.read_bytes()
    result = run(shop, "suppress", dnc)
    assert result.returncode == 1
    assert "dnc.txt" in result.stderr and "line 2" in result.stderr
    assert shop.read_bytes() == before


# --- audit -------------------------------------------------------------------------------


def test_audit_verify_whole_then_tampered(shop):
    """audit verify passes on an honest store and exits 1 naming the first altered entry."""
    ok(shop, "audit", "verify")
    conn = sqlite3.connect(shop)
    conn.execute("DROP TRIGGER audit_no_update")
    first = conn.execute("SELECT MIN(id) FROM audit").fetchone()[0]
    conn.execute("UPDATE audit SET details = '{}' WHERE id = ?", (first,))
    conn.commit()
    conn.close()
    result = run(shop, "audit", "verify")
    assert result.returncode == 1
    assert f"entry {first}" in result.stderr
