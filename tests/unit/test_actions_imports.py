"""model.actions.imports and .recipients, called directly and through the command line.

Each action is asked the same question twice, once as a function and once as the
command that calls it, and must give the same answer or the same refusal.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from cli_runner import run
from ledger_rows import write_ledger

from model.actions import imports, recipients
from model.actions.safekeeping import audit_verify
from model.errors import InputError
from model.normalise import CHANNEL_BIT
from model.store import Store, open_store
from model.vocab import Basis, Channel, Reason, Register

SEND = "2026-03-01"

ROWS = [
    # 1: bought a road bike online, opt-out offered: soft opt-in for email
    {
        "name": "Ann Lee",
        "email": "ann@example.com",
        "phone": "07700 900001",
        "date": "2026-01-10",
        "event": "purchase",
        "category": "Bikes/Road",
        "collected_via": "online",
        "optout_offered": "yes",
        "optout_how": "tick box",
    },
    # 2: the same purchase, but the opt-out was not offered
    {
        "name": "Bob Hill",
        "email": "bob@example.com",
        "phone": "0113 496 0002",
        "date": "2026-01-11",
        "event": "purchase",
        "category": "Bikes/Road",
        "collected_via": "in_store",
        "optout_offered": "no",
    },
    # 3: consent to email, with its wording
    {
        "name": "Cat Moss",
        "email": "cat@example.com",
        "date": "2026-01-12",
        "event": "consent",
        "consented": "email",
        "collected_via": "paper",
        "wording": "Yes, email me offers",
        "staff": "Dee",
    },
    # 4: no email address at all
    {
        "name": "Dan Ray",
        "phone": "07700 900004",
        "date": "2026-01-13",
        "event": "purchase",
        "category": "Bikes",
        "collected_via": "in_store",
        "optout_offered": "yes",
    },
]

BAD_ROWS = [
    {
        "name": "Eve",
        "email": "not-an-email",
        "date": "2026-01-10",
        "event": "purchase",
        "category": "Bikes",
    },
    {
        "name": "Fay",
        "email": "fay@example.com",
        "date": "31/02/2026",
        "event": "purchase",
        "category": "Bikes",
    },
    {"name": "Gil", "email": "gil@example.com", "date": "2026-01-10", "event": "sale"},
]


def _dump(path: Path) -> list[tuple]:
    """Every row of every table that an import or a list writes, for before/after checks."""
    conn = sqlite3.connect(path)
    try:
        rows = []
        for table in ("contacts", "events", "categories", "screenings", "suppressions"):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
        return rows
    finally:
        conn.close()


def _content(path: Path) -> list[tuple]:
    """The contacts and events an import wrote, without its timestamps."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT c.id, c.name, c.email, c.phone, c.phone_mobile, e.date, e.type, e.source "
            "FROM contacts c JOIN events e ON e.contact_id = c.id ORDER BY e.id"
        ).fetchall()
    finally:
        conn.close()


def _problems(action) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        action()
    return caught.value.message, list(caught.value.problems)


def _stderr_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    return result.stderr.splitlines()


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A store file holding the four contacts of ROWS, imported through the action."""
    db = tmp_path / "shop.db"
    store = open_store(db)
    try:
        imports.import_ledger_file(store, str(write_ledger(tmp_path / "ledger.csv", ROWS)))
    finally:
        store.close()
    return db


def _open(db: Path) -> Store:
    return open_store(db)


# --- import -----------------------------------------------------------------------------


def test_import_action_and_command_report_the_same_counts(tmp_path: Path) -> None:
    """The import action's report is what `import` prints, for a dry run and a real one."""
    ledger = str(write_ledger(tmp_path / "ledger.csv", ROWS))
    db = tmp_path / "a.db"
    store = open_store(db)
    try:
        dry = imports.import_ledger_file(store, ledger, dry_run=True)
        assert _dump(db) == []  # a dry run writes nothing
        real = imports.import_ledger_file(store, ledger)
    finally:
        store.close()
    assert (real.contacts_created, real.events_added) == (4, 4)
    assert (dry.contacts_created, dry.events_added) == (4, 4)
    other = tmp_path / "b.db"
    assert run(other, "import", ledger, "--dry-run").stdout.strip() == dry.summary()
    assert run(other, "import", ledger).stdout.strip() == real.summary()
    assert _content(other) == _content(db)


def test_import_bad_rows_same_problems_from_action_and_command(tmp_path: Path) -> None:
    """A file with bad rows: the action and `import` refuse it with the same problem list."""
    ledger = str(write_ledger(tmp_path / "bad.csv", [*ROWS, *BAD_ROWS]))
    db = tmp_path / "a.db"
    store = open_store(db)
    try:
        message, problems = _problems(lambda: imports.import_ledger_file(store, ledger))
    finally:
        store.close()
    assert len(problems) == 3
    assert "row 6, column email" in problems[0] and "row 7, column date" in problems[1]
    assert "row 8, column event" in problems[2]
    assert _dump(db) == []  # nothing imported, not even the good rows
    result = run(tmp_path / "b.db", "import", ledger)
    assert result.returncode == 1
    assert _stderr_lines(result) == [*problems, f"error: {message}"]


def test_import_keeps_the_mobile_flag_of_a_contact_filled_in_later(store: Store, tmp_path) -> None:
    """A contact created with a mobile and given an email by a later row can still be texted."""
    rows = [
        {
            "name": "Ann Lee",
            "phone": "07700 900123",
            "date": "2026-01-05",
            "event": "purchase",
            "category": "Bikes",
            "collected_via": "online",
            "optout_offered": "yes",
        },
        {
            "name": "Ann Lee",
            "phone": "07700 900123",
            "email": "ann@example.com",
            "date": "2026-01-06",
            "event": "purchase",
            "category": "Bikes",
            "collected_via": "online",
            "optout_offered": "yes",
        },
    ]
    report = imports.import_ledger_file(store, str(write_ledger(tmp_path / "l.csv", rows)))
    assert (report.contacts_created, report.events_added) == (1, 2)
    result = recipients.decide(store, Channel.SMS, "Bikes", SEND)
    assert result.bases == ((Basis.SOFT_OPT_IN, 1),)


def test_bulk_import_rebuilds_indexes_to_the_same_schema(tmp_path: Path, monkeypatch) -> None:
    """An import big enough to rebuild the indexes leaves the same indexes, in use and whole."""
    from model import ledger

    rows = [
        {
            "name": f"Person {n}",
            "email": f"p{n}@example.com",
            "date": "2026-01-10",
            "event": "purchase",
            "category": "Bikes",
            "collected_via": "online",
            "optout_offered": "yes",
        }
        for n in range(30)
    ]
    monkeypatch.setattr(ledger, "BULK_ROWS", 10)  # a small file takes the bulk path
    store = open_store(tmp_path / "a.db")
    try:
        before = store.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        imports.import_ledger_file(store, str(write_ledger(tmp_path / "l.csv", rows)))
        after = store.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        assert after == before
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # the unique email index is back: a second contact with the same email is refused
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.execute(
                "INSERT INTO contacts(name, email, created_at) "
                "VALUES ('X', 'p1@example.com', 'now')"
            )
    finally:
        store.close()


# --- screen -----------------------------------------------------------------------------


def test_screen_action_and_command_agree(filled: Path, tmp_path: Path) -> None:
    """The screen action and `screen tps` record the same counts and print the same summary."""
    register = tmp_path / "tps.txt"
    register.write_text("number\n07700 900001\n+44 20 7946 0000\n", encoding="utf-8")
    copy = tmp_path / "copy.db"
    copy.write_bytes(filled.read_bytes())
    store = _open(filled)
    try:
        report = imports.screen(store, Register.TPS, str(register), "2026-02-20")
    finally:
        store.close()
    assert (report.numbers_in_file, report.screened, report.listed) == (2, 3, 1)
    result = run(copy, "screen", "tps", register, "--date", "2026-02-20")
    assert result.returncode == 0 and result.stdout.strip() == report.summary()


def test_screen_bad_line_and_bad_register_refused_the_same_way(filled: Path, tmp_path) -> None:
    """A line that is no number refuses the file (nothing recorded), by action and command."""
    register = tmp_path / "tps.txt"
    register.write_text("07700 900001\ncall me maybe\n", encoding="utf-8")
    store = _open(filled)
    try:
        message, problems = _problems(
            lambda: imports.screen(store, "tps", str(register), "2026-02-20")
        )
        with pytest.raises(InputError, match="unknown register 'dnc'"):
            imports.screen(store, "dnc", str(register), "2026-02-20")
        with pytest.raises(InputError, match="--date '20/02/2026'"):
            imports.screen(store, "ctps", str(register), "20/02/2026")
    finally:
        store.close()
    assert len(problems) == 1 and "line 2" in problems[0]
    result = run(filled, "screen", "tps", register, "--date", "2026-02-20")
    assert result.returncode == 1
    assert _stderr_lines(result) == [*problems, f"error: {message}"]
    assert [r for r in _dump(filled) if r[0] == "screenings"] == []


# --- suppress ---------------------------------------------------------------------------


def test_suppress_action_and_command_agree_and_suppress(filled: Path, tmp_path: Path) -> None:
    """A list for email only suppresses for email; action and `suppress` say the same."""
    names = tmp_path / "dnc.txt"
    names.write_text("ann@example.com\n", encoding="utf-8")
    copy = tmp_path / "copy.db"
    copy.write_bytes(filled.read_bytes())
    store = _open(filled)
    try:
        report = imports.suppress(store, str(names), "email", "2026-02-01")
        email = recipients.decide(store, "email", "Bikes/Road", SEND)
        sms = recipients.decide(store, "sms", "Bikes/Road", SEND)
    finally:
        store.close()
    assert (report.entries, report.channels) == (1, CHANNEL_BIT["email"])
    assert dict(email.reasons)[Reason.SUPPRESSED] == 1
    assert Reason.SUPPRESSED not in dict(sms.reasons)
    result = run(copy, "suppress", names, "--channels", "email")
    assert result.returncode == 0 and result.stdout.strip() == report.summary()


@pytest.mark.parametrize("channels", [";", " , ", ""])
def test_suppress_list_naming_no_channel_refused_alike(filled, tmp_path, channels) -> None:
    """A channel list naming no channel is refused by the action and by `suppress`, exit 1."""
    names = tmp_path / "dnc.txt"
    names.write_text("ann@example.com\n", encoding="utf-8")
    store = _open(filled)
    try:
        message, _ = _problems(lambda: imports.suppress(store, str(names), channels))
        with pytest.raises(InputError, match="no channel"):
            imports.suppress(store, str(names), 0)
    finally:
        store.close()
    assert message == "--channels names no channel"
    result = run(filled, "suppress", names, "--channels", channels)
    assert result.returncode == 1 and _stderr_lines(result) == [f"error: {message}"]
    assert [r for r in _dump(filled) if r[0] == "suppressions"] == []


# --- eligible ---------------------------------------------------------------------------


def test_decide_counts_by_basis_and_reason_in_the_rule_books_order(filled: Path) -> None:
    """decide() counts each basis and every reason, ordered as the rule book lists them."""
    store = _open(filled)
    try:
        result = recipients.decide(store, "email", "Bikes/Road", SEND)
    finally:
        store.close()
    assert result.bases == ((Basis.CONSENT, 1), (Basis.SOFT_OPT_IN, 1))
    reasons = dict(result.reasons)
    assert reasons[Reason.NO_CONTACT_POINT] == 1  # Dan has no email
    assert reasons[Reason.NO_OPTOUT_AT_COLLECTION] == 1  # Bob was not offered it
    order = [r for r, _ in result.reasons]
    assert order == [r for r in Reason if r in reasons]
    assert (result.total, result.eligible_count, result.excluded_count) == (4, 2, 2)
    assert result.category_known is True


def test_eligible_command_prints_the_actions_counts(filled: Path, tmp_path: Path) -> None:
    """`eligible` prints the counts decide() gives, and writes its decisions to the files."""
    store = _open(filled)
    try:
        result = recipients.decide(store, "email", "Bikes/Road", SEND, with_evidence=True)
    finally:
        store.close()
    out, excluded = tmp_path / "out.csv", tmp_path / "excluded.csv"
    printed = run(
        filled,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes/Road",
        "--date",
        SEND,
        "--out",
        out,
        "--excluded",
        excluded,
    )
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert f"eligible: {result.eligible_count}" in lines
    for code, n in (*result.bases, *result.reasons):
        assert f"  {code}: {n}" in lines
    with open(out, encoding="utf-8", newline="") as fh:
        written = [(int(r[0]), r[6], r[7]) for r in list(csv.reader(fh))[1:]]
    assert written == [(d.contact_id, d.basis, d.evidence) for d in result.decisions if d.eligible]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("fax", "Bikes", SEND, "commercial"), "unknown channel 'fax'"),
        (("email", "  /  ", SEND, "commercial"), "an empty category path"),
        (("email", "Bikes", "31/02/2026", "commercial"), "--date '31/02/2026'"),
        (("email", "Bikes", SEND, "charitable"), "needs the business to be a charity"),
    ],
)
def test_decide_refusals_match_the_command(filled: Path, tmp_path, args, expected) -> None:
    """A question the rule book refuses is refused alike by decide() and `eligible`, exit 1."""
    store = _open(filled)
    try:
        message, _ = _problems(lambda: recipients.decide(store, *args))
    finally:
        store.close()
    assert expected in message
    channel, category, date, purpose = args
    out = tmp_path / "out.csv"
    result = run(
        filled,
        "eligible",
        "--channel",
        channel,
        "--category",
        category,
        "--date",
        date,
        "--purpose",
        purpose,
        "--out",
        out,
    )
    assert result.returncode == 1 and _stderr_lines(result)[-1] == f"error: {message}"
    assert not out.exists()


def test_decide_and_write_refuses_a_bad_path_before_deciding(filled: Path, tmp_path) -> None:
    """An --out path in a missing folder is refused before any work, and no file appears."""
    store = _open(filled)
    try:
        with pytest.raises(InputError, match="does not exist"):
            recipients.decide_and_write(
                store,
                "email",
                "Bikes",
                SEND,
                out=str(tmp_path / "nope" / "o.csv"),
                excluded=str(tmp_path / "x.csv"),
            )
    finally:
        store.close()
    assert not (tmp_path / "x.csv").exists()


# --- audit ------------------------------------------------------------------------------


def test_audit_action_and_command_agree_and_find_an_altered_entry(filled: Path) -> None:
    """The audit check counts the entries `audit verify` prints, and both name an alteration."""
    store = _open(filled)
    try:
        entries = audit_verify(store).entries
    finally:
        store.close()
    assert entries >= 1
    result = run(filled, "audit", "verify")
    expected = f"audit trail whole: {entries} entries, every hash and row checks"
    assert result.returncode == 0 and result.stdout.strip() == expected
    conn = sqlite3.connect(filled)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET details = '{}' WHERE id = 1")
    conn.commit()
    conn.close()
    store = _open(filled)
    try:
        message, _ = _problems(lambda: audit_verify(store))
    finally:
        store.close()
    assert message.startswith("audit entry 1 ") and "altered" in message
    result = run(filled, "audit", "verify")
    assert result.returncode == 1 and _stderr_lines(result) == [f"error: {message}"]
