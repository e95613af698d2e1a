"""A damaged store is never written to (issue 10): every command refuses it cleanly,
naming the file, what is wrong and how to restore; never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_runner import run, run_subprocess

PAGE = 4096


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop (a few hundred contacts), with one verified backup beside it."""
    db = tmp_path_factory.mktemp("damaged") / "shop.db"
    assert run(db, "demo").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _copy(sample: Path, tmp_path: Path) -> Path:
    db = tmp_path / "shop.db"
    db.write_bytes(sample.read_bytes())
    return db


def _events_root_page(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[
            0
        ]
    finally:
        conn.close()


def _spoil_page(db: Path, page: int) -> None:
    """Overwrite one page in the middle of the file with garbage."""
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(bytes([0x5A]) * PAGE)


@pytest.fixture
def bad_page(sample: Path, tmp_path: Path) -> Path:
    db = _copy(sample, tmp_path)
    _spoil_page(db, _events_root_page(db))
    return db


@pytest.fixture
def truncated(sample: Path, tmp_path: Path) -> Path:
    db = _copy(sample, tmp_path)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    return db


def _refused_as_damaged(db: Path, *args: object) -> str:
    before = db.read_bytes()
    result = run(db, *args)
    assert result.returncode == 1, result.stdout
    assert f"{db}: the store file is damaged" in result.stderr
    assert "restore" in result.stderr
    assert db.read_bytes() == before  # nothing written
    return result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("eligible", "--channel", "email", "--category", "Bikes", "--date", "2026-11-01"),
        ("record", "objection", "--contact", "1"),
        ("category", "add", "Tyres"),
        ("audit", "verify"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_bad_page_in_the_middle_is_refused_cleanly(bad_page: Path, args) -> None:
    """A page of garbage inside the file: reads and writes refused, file untouched."""
    _refused_as_damaged(bad_page, *args)


def test_a_truncated_store_is_refused_on_opening(truncated: Path) -> None:
    """A file cut short is found from its header before anything is read."""
    err = _refused_as_damaged(truncated, "settings")
    assert "cut short" in err


def test_the_message_names_the_latest_backup(bad_page: Path, tmp_path: Path) -> None:
    """With backups beside the store, the message gives the restore command for the newest."""
    from model.backup import backups_folder

    folder = backups_folder(bad_page)
    folder.mkdir()
    newest = folder / "ledger-2026-12-01-090000.db"
    (folder / "ledger-2026-11-30-090000.db").touch()
    newest.touch()
    err = _refused_as_damaged(bad_page, "category", "add", "Tyres")
    assert f"restore {newest}" in err


def test_a_damaged_store_is_refused_in_a_real_process(bad_page: Path) -> None:
    """End to end: exit status 1, the message, no traceback, no "unexpected failure"."""
    result = run_subprocess(bad_page, "import", Path(__file__))  # any write
    assert result.returncode == 1
    assert "the store file is damaged" in result.stderr


def test_restore_brings_a_damaged_store_back(sample: Path, tmp_path: Path) -> None:
    """The way out the message names works: restore a backup over the damaged file."""
    good = tmp_path / "good.db"
    assert run(sample, "backup", good).returncode == 0
    db = _copy(sample, tmp_path)
    _spoil_page(db, _events_root_page(db))
    result = run(db, "restore", good)
    assert result.returncode == 0, result.stderr
    assert run(db, "audit", "verify").returncode == 0


def test_a_bad_leaf_page_is_found_before_any_write(sample: Path, tmp_path: Path) -> None:
    """A damaged page that is no table's first page: SQLite's quick check before the first
    write finds it, so the write is refused and the file left as it was."""
    db = _copy(sample, tmp_path)
    conn = sqlite3.connect(db)
    roots = {r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 0")}
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    leaf = next(p for p in range(pages // 2, pages) if p not in roots)
    _spoil_page(db, leaf)
    _refused_as_damaged(db, "record", "objection", "--contact", "1")
    _refused_as_damaged(db, "audit", "verify")


def test_a_store_whose_header_is_torn_is_refused(sample: Path, tmp_path: Path) -> None:
    """The magic string intact but the page size spoilt: refused before SQLite reads on."""
    db = _copy(sample, tmp_path)
    with open(db, "r+b") as fh:
        fh.seek(16)
        fh.write(b"\x00\x03")  # a page size of 3 bytes
    err = _refused_as_damaged(db, "settings")
    assert "header is damaged" in err
