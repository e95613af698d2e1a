"""Bad input that used to slip through (issue 10): channel lists naming nothing, events
dated ahead, ids that are not plain numbers, files with stray bytes or NULs; and
generated import files that must end in a clean refusal or a complete import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from cli_runner import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

COLUMNS = ["name", "email", "date", "event", "category", "optout_offered", "opted_out"]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _counts(db: Path) -> tuple[int, int, str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        contacts = conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        newest = conn.execute("SELECT COALESCE(MAX(hash), '') FROM audit").fetchone()[0]
        return contacts, events, newest
    finally:
        conn.close()


def _refused(db: Path, *args: object) -> str:
    before = _counts(db) if db.exists() else None
    result = run(db, *args)
    assert result.returncode == 1, result.stdout
    if before is not None:
        assert _counts(db) == before  # nothing written
    return result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    rows = [["Jane Smith", "jane@example.com", "2026-01-15", "purchase", "Bikes", "yes", ""]]
    assert run(path, "import", _csv(tmp_path / "first.csv", rows)).returncode == 0
    return path


@pytest.mark.parametrize("event", ["opt_out", "purchase"])
def test_a_channel_list_naming_no_channel_is_refused(db: Path, tmp_path: Path, event: str):
    """opted_out ";;" is a mistake, not an opt-out of nothing: refused naming row and column."""
    rows = [["Jane Smith", "jane@example.com", "2026-02-01", event, "Bikes", "yes", ";;"]]
    err = _refused(db, "import", _csv(tmp_path / "bad.csv", rows))
    assert "row 2" in err and "opted_out" in err and "names no channel" in err


@pytest.mark.parametrize("date", ["2062-01-01", "9999-12-31", "tomorrow"])
def test_events_dated_after_today_are_refused(db: Path, tmp_path: Path, date: str) -> None:
    """An event dated ahead would outrank every real choice: refused, naming the date."""
    if date == "tomorrow":
        date = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    rows = [["Jane Smith", "jane@example.com", date, "opt_out", "", "", "email"]]
    err = _refused(db, "import", _csv(tmp_path / "ahead.csv", rows))
    assert "row 2" in err and date in err and "after today" in err


def test_an_event_dated_today_is_accepted(db: Path, tmp_path: Path) -> None:
    """Today itself is not in the future."""
    today = dt.date.today().isoformat()
    rows = [["Jane Smith", "jane@example.com", today, "opt_out", "", "", "email"]]
    assert run(db, "import", _csv(tmp_path / "today.csv", rows)).returncode == 0


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("12345678901234567890123456", "out of range"),
        ("\u0663", "not a number"),  # Arabic-Indic three
        ("1_000", "not a number"),
        ("0", "out of range"),
        ("-4", "not a number"),
    ],
)
def test_ids_are_ascii_digits_in_range(db: Path, tmp_path: Path, value: str, words: str):
    """--contact and campaign ids: plain digits within SQLite's range, or a clear refusal."""
    err = _refused(db, "contact", "report", "--contact", value, "--out", tmp_path / "x.pdf")
    assert "contact id" in err and words in err
    err = _refused(db, "campaign", "sent", value)
    assert "campaign id" in err and words in err


def test_a_utf8_file_with_a_stray_byte_is_refused_naming_row_and_column(db: Path, tmp_path):
    """UTF-8 but for one byte: refused naming the cell, rather than garbling every name."""
    good = "Llŷr Jones,llyr@example.com,2026-02-01,purchase,Bikes,yes,\r\n"
    bad = "Zo\xeb Stray,zoe@example.com,2026-02-01,purchase,Bikes,yes,\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (",".join(COLUMNS) + "\r\n").encode() + good.encode("utf-8") + bad.encode("latin-1")
    )
    err = _refused(db, "import", path)
    assert "row 3, column name" in err
    assert "UTF-8 except for 1 cell" in err


def test_a_whole_windows_1252_file_still_reads(db: Path, tmp_path: Path) -> None:
    """A file saved by Excel in Windows-1252 throughout is read, names intact."""
    rows = [["Zoë Renée", "zoe@example.com", "2026-02-01", "purchase", "Bikes", "yes", ""]]
    path = _csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    result = run(db, "import", path)
    assert result.returncode == 0, result.stderr
    assert "Windows-1252" in result.stdout + result.stderr
    import sqlite3

    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM contacts ORDER BY id")]
    conn.close()
    assert names[-1] == "Zoë Renée"


def test_a_nul_byte_anywhere_is_refused(db: Path, tmp_path: Path) -> None:
    """A NUL after the first 4 KB no longer ends up inside a name: the file is refused."""
    rows = [
        [f"Person {i}", f"p{i}@example.com", "2026-02-01", "purchase", "Bikes", "yes", ""]
        for i in range(200)
    ]
    path = _csv(tmp_path / "nul.csv", rows)
    data = path.read_bytes()
    assert len(data) > 4096
    path.write_bytes(data[:6000] + b"\x00" + data[6000:])
    err = _refused(db, "import", path)
    assert "NUL" in err and "line" in err


@pytest.mark.parametrize("value", ["\u0663", "²", "99999", "12a"])
def test_whole_number_settings_take_ascii_digits_only(db: Path, value: str) -> None:
    """soft_opt_in_months: plain digits of a sensible size, or a clear refusal."""
    err = _refused(db, "settings", "soft_opt_in_months", value)
    assert "soft_opt_in_months" in err or "whole number" in err


# --- generated files: a clean refusal or a complete import, never a traceback -------------

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "Jane Smith",
            "jane@example.com",
            "not-an-email",
            "2026-01-15",
            "15/01/2026",
            "2026-02-30",
            "2099-01-01",
            "purchase",
            "opt_out",
            "consent",
            "objection",
            "sale",
            "Bikes",
            "Bikes/Road",
            "yes",
            "no",
            "maybe",
            "email",
            "email;sms",
            ";;",
            "all",
            "=HYPERLINK(1)",
            "+44 7700 900123",
            "\u202e",
            "Zoë",
            "\t",
        ]
    ),
    st.text(max_size=12),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=1, max_size=6))
def test_generated_import_files_end_cleanly(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    """Any file of these cells: exit 0 with every row imported, or exit 1 with nothing written."""
    base = tmp_path_factory.mktemp("fuzz")
    db = base / "shop.db"
    assert run(db, "settings").returncode == 0
    before = _counts(db)
    path = _csv(base / "gen.csv", rows)
    result = run(db, "import", path)
    assert result.returncode in (0, 1), result.stderr
    after = _counts(db)
    if result.returncode == 1:
        assert after == before
        assert result.stderr.strip()
    else:
        written = [r for r in rows if "".join(r).strip()]  # blank rows are skipped
        assert after[1] == before[1] + len(written)
