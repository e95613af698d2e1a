"""Private files (issue 10): the store, its WAL, backups, exports and the log are the
owner's only (0600, folders 0700), since they hold every customer's details."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from cli_runner import run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _shop(tmp_path: Path) -> Path:
    db = tmp_path / "shop.db"
    ledger = tmp_path / "in.csv"
    with open(ledger, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "email", "date", "event", "category", "optout_offered"])
        w.writerow(["Jane Smith", "jane@example.com", "2026-01-15", "purchase", "Bikes", "yes"])
    assert run(db, "import", ledger).returncode == 0
    return db


def test_store_and_wal_are_the_owners_only(tmp_path: Path) -> None:
    """A new store, its WAL and shared-memory files are created 0600."""
    db = _shop(tmp_path)
    from model.store import open_store

    store = open_store(db)  # keeps the WAL files in being while open
    try:
        store.set_setting("business_name", "Pedal & Chain")
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert path.exists()
            assert _mode(path) == 0o600, path
    finally:
        store.close()


def test_an_older_world_readable_store_is_made_private_when_opened(tmp_path: Path) -> None:
    """A store left 0644 by an older version is tightened to 0600 on opening."""
    db = _shop(tmp_path)
    os.chmod(db, 0o644)
    assert run(db, "settings").returncode == 0
    assert _mode(db) == 0o600


def test_exports_are_the_owners_only(tmp_path: Path) -> None:
    """The eligible and excluded files are written 0600."""
    db = _shop(tmp_path)
    out, excluded = tmp_path / "out.csv", tmp_path / "excluded.csv"
    result = run(
        db,
        "eligible",
        "--channel",
        "email",
        "--category",
        "Bikes",
        "--date",
        "2026-02-01",
        "--out",
        out,
        "--excluded",
        excluded,
    )
    assert result.returncode == 0, result.stderr
    assert _mode(out) == 0o600 and _mode(excluded) == 0o600


def test_default_data_folder_and_log_are_private(tmp_path: Path) -> None:
    """The user's data folder is 0700; the log file 0600 in a 0700 folder."""
    import platformdirs

    from main import setup_logging
    from model.store import default_store_path

    path = default_store_path()
    assert _mode(path.parent) == 0o700
    log = setup_logging()
    try:
        assert log is not None
        assert _mode(log) == 0o600
        assert _mode(log.parent) == 0o700
        assert Path(platformdirs.user_log_dir("opt-in-ledger", appauthor=False)) == log.parent
    finally:
        import logging

        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(log):
                root.removeHandler(handler)
                handler.close()
