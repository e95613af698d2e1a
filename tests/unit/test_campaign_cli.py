"""The campaign and contact commands, end to end in a subprocess (INTERFACE.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from test_cli import read_csv, run, write_csv

from model.campaigns import verify_fingerprint
from model.store import open_store

SEND = "2026-03-01"
COLUMNS = [
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "contact_type",
    "company_number",
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
    *,
    corporate="",
    date="2026-01-15",
    event="purchase",
    category="Bikes/Road",
    offered="yes",
    opted_out="",
):
    return [
        name,
        email,
        phone,
        address,
        postcode,
        "corporate" if corporate else "",
        corporate,
        date,
        event,
        category,
        "in_store",
        offered,
        "asked at the till" if offered else "",
        opted_out,
    ]


#: ids 1..6 in this order
PEOPLE = [
    _row(
        "Zed Adams", "zed@example.com", "07700 900001", "1 High St\nHeadingley\nLeeds", "ls6 3aa"
    ),  # 1
    _row("@Home Owner", "-dash@example.com", "07700 900002", "=SUM(A1)", "LS1 9ZZ"),  # 2
    _row(
        "Acme Cycles Ltd",
        "buyer@acme-cycles.co.uk",
        corporate="01234567",
        event="general_enquiry",
        category="",
        offered="",
    ),  # 3
    _row("Mr Raj Patel", "raj@example.com", "+44 7700 900004", "2 Low St, Leeds", "LS2 8AA"),  # 4
    _row("Jo Bloggs", "", "", "3 Mill Lane", "LS3 1AB"),  # 5
    _row("Ian Out", "ian@example.com", opted_out="email"),  # 6
]


def ok(db: Path, *args: object) -> str:
    """A command that must succeed, with nothing unexpected on standard error."""
    result = run(db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(db: Path, *args: object) -> str:
    """A command that must be refused (exit 1); its standard error."""
    result = run(db, *args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.strip()
    return result.stderr


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shop with its sender details and six contacts, built once."""
    base = tmp_path_factory.mktemp("campaign_shop")
    env = dict(os.environ, HOME=str(base))
    db = base / "shop.db"
    for args in (
        ("settings", "business_name", "Pedal & Chain Cycles"),
        ("settings", "business_address", "12 Kirkgate, Leeds LS1 9ZZ"),
        ("import", write_csv(base / "shop.csv", COLUMNS, PEOPLE)),
    ):
        result = run(db, *args, env=env)
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def shop(shop_db: Path, tmp_path: Path) -> Path:
    """A private copy of the shop for one test."""
    db = tmp_path / "shop.db"
    shutil.copy(shop_db, db)
    return db


def create(db: Path, *args: object, channel: str = "email", name: str = "Spring") -> int:
    """Create a campaign about Bikes sent on SEND; its id, from the first line of output."""
    out = ok(
        db,
        "campaign",
        "create",
        "--name",
        name,
        "--channel",
        channel,
        "--category",
        "Bikes",
        "--date",
        SEND,
        *args,
    )
    return int(out.splitlines()[0])


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- create ----------------------------------------------------------------------------


def test_create_refused_without_business_name_and_address(tmp_path: Path) -> None:
    """No sender identified: exit 1, both settings named in words, nothing stored."""
    db = tmp_path / "x.db"
    err = refused(
        db,
        "campaign",
        "create",
        "--name",
        "Spring",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        SEND,
    )
    assert "business_name" in err and "business_address" in err
    assert "sender must be identified" in err
    assert ok(db, "campaign", "list").strip() == "no campaigns yet"


@pytest.mark.parametrize(
    ("channel", "optout", "needle"),
    [
        ("phone", None, "caller's number"),
        ("sms", "Unsubscribe on our website", "STOP"),
    ],
)
def test_create_refused_without_proper_optout_text(shop, channel, optout, needle) -> None:
    """A campaign without its opt-out instructions is refused, saying what is needed."""
    extra = ["--optout-text", optout] if optout else []
    err = refused(
        shop,
        "campaign",
        "create",
        "--name",
        "Calls",
        "--channel",
        channel,
        "--category",
        "Bikes",
        "--date",
        SEND,
        *extra,
    )
    assert needle in err
    assert query(shop, "SELECT COUNT(*) FROM campaigns") == [(0,)]


def test_create_charitable_for_a_business_refused(shop) -> None:
    """A charitable campaign needs organisation_type charity (DOMAIN.md 4.5)."""
    err = refused(
        shop,
        "campaign",
        "create",
        "--name",
        "Appeal",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--purpose",
        "charitable",
    )
    assert "charity" in err


def test_create_prints_the_id_alone_then_a_summary(shop) -> None:
    """The first line is the new id; then what was frozen, the counts and the fingerprint."""
    out = ok(
        shop,
        "campaign",
        "create",
        "--name",
        "Spring",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        SEND,
    )
    lines = out.splitlines()
    assert lines[0] == "1"
    assert "email about Bikes, send date 2026-03-01, purpose commercial" in out
    assert "eligible: 4" in lines and "excluded: 2" in lines
    assert "  corporate_subscriber: 1" in lines and "  soft_opt_in: 3" in lines
    assert any(line.startswith("fingerprint: sha256 ") for line in lines)
    assert create(shop, name="Again") == 2


def test_list_shows_every_campaign_with_counts(shop) -> None:
    """`campaign list` shows id, send date, channel, counts, sent state and name."""
    create(shop, name="Spring email")
    create(shop, "--optout-text", "Write to us to stop post", channel="post", name="Leaflet")
    lines = ok(shop, "campaign", "list").splitlines()
    assert lines[0].split()[:3] == ["ID", "SEND", "DATE"]
    assert lines[1].split()[:6] == ["1", SEND, "email", "commercial", "4", "2"]
    assert lines[2].split()[:3] == ["2", SEND, "post"]
    assert "not sent" in lines[1] and lines[2].endswith("Leaflet (Bikes)")


# --- sent --------------------------------------------------------------------------------


def test_sent_feeds_the_post_frequency_cap(shop) -> None:
    """Only a campaign marked sent counts towards post_max_per_30_days."""
    ok(shop, "settings", "post_max_per_30_days", "1")
    cid = create(shop, channel="post", name="Leaflet")
    check = ("eligible", "--channel", "post", "--category", "Bikes", "--date", "2026-03-20")
    assert "frequency_cap" not in ok(shop, *check)
    out = ok(shop, "campaign", "sent", cid, "--date", "2026-03-02")
    assert out.strip() == "campaign 1 (Leaflet) marked sent on 2026-03-02: 4 recipients"
    assert "  frequency_cap: 4" in ok(shop, *check).splitlines()
    assert "2026-03-02" in ok(shop, "campaign", "list").splitlines()[1]


def test_sent_twice_or_before_the_send_date_refused(shop) -> None:
    """A campaign is marked sent once, and not before the date it was decided for."""
    cid = create(shop, channel="post", name="Leaflet")
    assert "cannot have been sent earlier" in refused(
        shop, "campaign", "sent", cid, "--date", "2026-02-01"
    )
    ok(shop, "campaign", "sent", cid, "--date", SEND)
    assert "already marked sent" in refused(shop, "campaign", "sent", cid, "--date", SEND)


# --- export ------------------------------------------------------------------------------


def test_export_email_spreadsheet_protects_cells_with_basis_and_evidence(shop, tmp_path) -> None:
    """The spreadsheet kind (the default): contact_id, the columns, basis, evidence; no
    cell can start a formula."""
    cid = create(shop)
    out = tmp_path / "sheet.csv"
    stdout = ok(shop, "campaign", "export", cid, "--out", out)
    assert "4 recipients written" in stdout and "spreadsheet" in stdout
    rows = read_csv(out)
    assert rows[0] == [
        "contact_id",
        "Email Address",
        "First Name",
        "Last Name",
        "Company",
        "basis",
        "evidence",
    ]
    by_id = {r[0]: r for r in rows[1:]}
    assert list(by_id) == ["1", "2", "3", "4"]
    assert by_id["1"][1:5] == ["zed@example.com", "Zed", "Adams", ""]
    assert by_id["2"][1:4] == ["'-dash@example.com", "'@Home", "Owner"]
    assert by_id["3"][1:5] == ["buyer@acme-cycles.co.uk", "", "", "Acme Cycles Ltd"]
    assert by_id["3"][5] == "corporate_subscriber"
    assert by_id["4"][2:4] == ["Raj", "Patel"]  # the title dropped
    assert by_id["1"][5] == "soft_opt_in" and "Purchase on 2026-01-15" in by_id["1"][6]
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@\t\r" for cell in row)


def test_export_email_upload_is_raw_with_the_mailing_service_header(shop, tmp_path) -> None:
    """The upload kind: "Email Address,First Name,Last Name" first, raw values, no basis."""
    cid = create(shop)
    out = tmp_path / "upload.csv"
    ok(shop, "campaign", "export", cid, "--out", out, "--for", "upload")
    data = out.read_bytes()
    assert data.startswith(b"Email Address,First Name,Last Name,")
    assert data.endswith(b"\r\n") and data.count(b"\r\n") == 5  # RFC 4180 line ends
    rows = read_csv(out)
    assert rows[0] == ["Email Address", "First Name", "Last Name", "Company"]
    assert ["-dash@example.com", "@Home", "Owner", ""] in rows
    assert len(rows) == 5


def test_export_sms_and_post_columns(shop, tmp_path) -> None:
    """SMS: the number in +44 form (raw for upload); post: name, address lines, postcode."""
    sms = create(shop, channel="sms", name="Texts")
    out = tmp_path / "sms.csv"
    ok(shop, "campaign", "export", sms, "--out", out, "--for", "upload")
    rows = read_csv(out)
    assert rows[0] == ["Phone Number", "First Name", "Last Name", "Company"]
    assert ["+447700900001", "Zed", "Adams", ""] in rows
    ok(shop, "campaign", "export", sms, "--out", out)
    # the spreadsheet kind protects every cell that could start a formula (INTERFACE.md)
    assert ["1", "'+447700900001", "Zed", "Adams", ""] == read_csv(out)[1][:5]

    post = create(shop, channel="post", name="Leaflet")
    ok(shop, "campaign", "export", post, "--out", out, "--for", "upload")
    rows = read_csv(out)
    assert rows[0] == [
        "Name",
        "Address Line 1",
        "Address Line 2",
        "Address Line 3",
        "Address Line 4",
        "Postcode",
    ]
    assert ["Zed Adams", "1 High St", "Headingley", "Leeds", "", "LS6 3AA"] in rows
    assert ["@Home Owner", "=SUM(A1)", "", "", "", "LS1 9ZZ"] in rows  # raw for upload
    ok(shop, "campaign", "export", post, "--out", out)
    assert ["2", "'@Home Owner", "'=SUM(A1)"] == read_csv(out)[2][:3]


def test_export_honours_an_opt_out_after_freezing(shop, tmp_path) -> None:
    """A later opt-out leaves the frozen record as it was, but the mailing list made
    before the campaign is sent leaves that person out, and says so."""
    cid = create(shop)
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    ok(shop, "campaign", "export", cid, "--out", first)
    ok(
        shop,
        "record",
        "opt-out",
        "--email",
        "zed@example.com",
        "--channels",
        "email",
        "--date",
        "2026-02-20",
    )
    result = run(shop, "campaign", "export", cid, "--out", again)
    assert result.returncode == 0
    before, after = read_csv(first), read_csv(again)
    assert [r for r in before if r[0] != "1"] == after  # Zed (contact 1) left out
    assert "1 recipient left out: opted out" in result.stderr and "contact 1" in result.stderr
    stored = ok(shop, "campaign", "list")
    assert " 4 " in stored  # the frozen count is unchanged
    live = ok(shop, "eligible", "--channel", "email", "--category", "Bikes", "--date", SEND)
    assert "eligible: 3" in live.splitlines()  # a new decision sees the opt-out


def test_export_after_a_later_suppression_leaves_the_contact_out(shop, tmp_path) -> None:
    """A contact put on the suppression list (`suppress`) after the campaign was frozen is
    not exported, and the export names them; the frozen record is unchanged."""
    cid = create(shop)
    ok(shop, "suppress", write_lines(tmp_path / "dnc.txt", ["zed@example.com"]))
    result = run(shop, "campaign", "export", cid, "--out", tmp_path / "after.csv")
    assert result.returncode == 0, result.stderr
    assert "1" not in [r[0] for r in read_csv(tmp_path / "after.csv")]  # Zed is contact 1
    assert "left out: opted out, objected or suppressed" in result.stderr
    assert "(contact 1)" in result.stderr
    assert query(
        shop,
        "SELECT eligible FROM campaign_decisions WHERE campaign_id = ? AND contact_id = 1",
        (cid,),
    ) == [(1,)]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_export_refused_writes_no_file(shop, tmp_path) -> None:
    """An unknown campaign or a missing folder: exit 1 and no file, not even a part file."""
    out = tmp_path / "x.csv"
    assert "unknown campaign" in refused(shop, "campaign", "export", "7", "--out", out)
    cid = create(shop)
    assert "does not exist" in refused(
        shop, "campaign", "export", cid, "--out", tmp_path / "nope" / "x.csv"
    )
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("shop.db")] == []


# --- erase -------------------------------------------------------------------------------


def test_contact_erase_end_to_end(shop, tmp_path) -> None:
    """Erased: contact and events gone, suppression keeps them out after a re-import, the
    audit trail verifies and the frozen campaign keeps its counts and fingerprint."""
    cid = create(shop)
    before = ok(shop, "campaign", "list").splitlines()[1]
    out = ok(shop, "contact", "erase", "--email", "zed@example.com")
    assert out.startswith("contact 1 erased on ")
    assert "email, phone, name_postcode" in out
    assert query(shop, "SELECT COUNT(*) FROM contacts WHERE id = 1") == [(0,)]
    assert query(shop, "SELECT COUNT(*) FROM events WHERE contact_id = 1") == [(0,)]
    assert query(shop, "SELECT COUNT(*) FROM erasures_pending") == [(0,)]
    assert "audit trail whole" in ok(shop, "audit", "verify")
    assert ok(shop, "campaign", "list").splitlines()[1] == before
    store = open_store(shop)
    try:
        assert verify_fingerprint(store, cid)
    finally:
        store.close()
    export = tmp_path / "after.csv"
    result = run(shop, "campaign", "export", cid, "--out", export, "--for", "upload")
    assert result.returncode == 0 and "1 recipient erased" in result.stderr
    assert "zed@example.com" not in export.read_text(encoding="utf-8")

    # entered again, by the same email only, phone only, and name + postcode only
    again = write_csv(
        tmp_path / "again.csv",
        COLUMNS,
        [
            _row("Z Adams", "zed@example.com", date="2026-02-01"),
            _row("Zed A", "", "+447700900001", "9 Road", "M1 1AA", date="2026-02-01"),
            _row("zed  ADAMS", "zed.new@example.com", "", "1 High St", "LS63AA", date="2026-02-01"),
        ],
    )
    ok(shop, "import", again)
    for channel in ("email", "sms", "post", "phone"):
        excluded = tmp_path / f"{channel}.csv"
        ok(
            shop,
            "eligible",
            "--channel",
            channel,
            "--category",
            "Bikes",
            "--date",
            SEND,
            "--excluded",
            excluded,
        )
        reasons = {r[1]: r[2] for r in read_csv(excluded)[1:]}
        for name in ("Z Adams", "Zed A", "zed  ADAMS"):
            assert "suppressed" in reasons[name].split(";"), (channel, name)


def test_contact_erase_unknown_contact_refused(shop) -> None:
    """Naming no one: exit 1 with the value at fault; nothing erased."""
    assert "unknown contact" in refused(shop, "contact", "erase", "--contact", "99")
    assert "no contact with email" in refused(
        shop, "contact", "erase", "--email", "nobody@example.com"
    )
    assert query(shop, "SELECT COUNT(*) FROM contacts") == [(6,)]


# --- unknown ids, wrong command lines ------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["campaign", "sent", "42", "--date", SEND],
        ["campaign", "export", "42", "--out", "OUT/x.csv"],
        ["campaign", "report", "42", "--record", "OUT/x.pdf"],
        ["campaign", "sent", "abc"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_unknown_campaign_id_exits_1(shop, tmp_path, argv) -> None:
    """A campaign id that names no campaign: exit 1, saying so; no file written."""
    args = [a.replace("OUT", str(tmp_path)) for a in argv]
    err = refused(shop, *args)
    assert "unknown campaign" in err or "not a number" in err
    assert not list(tmp_path.glob("x.*"))


@pytest.mark.parametrize(
    "argv",
    [
        ["campaign"],
        ["campaign", "launch"],
        ["campaign", "create", "--name", "X", "--channel", "email"],
        ["campaign", "export", "1"],
        ["campaign", "export", "1", "--out", "x.csv", "--for", "excel"],
        ["campaign", "report", "1"],
        ["campaign", "sent"],
        ["contact"],
        ["contact", "erase"],
        ["contact", "erase", "--email", "a@example.com", "--phone", "07700900001"],
        ["contact", "report", "--contact", "1"],
    ],
    ids=lambda a: " ".join(a),
)
def test_wrong_command_line_exits_2(tmp_path, argv) -> None:
    """A wrong campaign or contact command line exits 2 with usage, creating no store."""
    result = run(tmp_path / "x.db", *argv)
    assert result.returncode == 2, result.stderr
    assert "usage" in result.stderr.lower()
    assert not (tmp_path / "x.db").exists()


# --- PDF reports (once reports/ provides them) -----------------------------------------


def test_campaign_report_writes_the_list_and_the_record(shop, tmp_path) -> None:
    """Both PDFs are written whole, and no part file is left behind."""
    pytest.importorskip("reports.recipients")
    pytest.importorskip("reports.record")
    cid = create(shop)
    out = ok(
        shop,
        "campaign",
        "report",
        cid,
        "--list",
        tmp_path / "list.pdf",
        "--record",
        tmp_path / "record.pdf",
    )
    assert "recipient list written" in out and "compliance record written" in out
    for name in ("list.pdf", "record.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.part"))


def test_contact_report_writes_a_pdf(shop, tmp_path) -> None:
    """A subject access report for one person, by email."""
    pytest.importorskip("reports.history")
    create(shop)
    out = tmp_path / "zed.pdf"
    assert "report written" in ok(
        shop, "contact", "report", "--email", "zed@example.com", "--out", out
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert "unknown contact" in refused(
        shop, "contact", "report", "--contact", "99", "--out", tmp_path / "x.pdf"
    )
    assert not (tmp_path / "x.pdf").exists()
