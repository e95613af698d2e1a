"""Writers wait for each other (issue 10): two imports, or an import and the till, at once."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_runner import ROOT, run

from model import store as store_module
from model.errors import InputError
from model.store import open_store

COLUMNS = ["name", "email", "date", "event", "category", "optout_offered"]


def _ledger(path: Path, prefix: str, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(rows):
            w.writerow(
                [
                    f"{prefix} {i}",
                    f"{prefix}{i}@example.com",
                    "2026-01-15",
                    "purchase",
                    "Bikes",
                    "yes",
                ]
            )
    return path


def _start(db: Path, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_at_once_both_succeed(tmp_path: Path) -> None:
    """Two imports started together both finish: the second waits, nothing is lost."""
    db = tmp_path / "shop.db"
    assert run(db, "settings").returncode == 0
    a = _ledger(tmp_path / "a.csv", "Ann", 4000)
    b = _ledger(tmp_path / "b.csv", "Bob", 4000)
    first, second = _start(db, "import", a), _start(db, "import", b)
    results = [p.communicate(timeout=300) + (p.returncode,) for p in (first, second)]
    for _out, err, code in results:
        assert code == 0, err
        assert "Traceback" not in err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 8000
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 8000
    finally:
        conn.close()


def test_a_writer_waits_with_a_message_while_another_holds_the_store(tmp_path: Path) -> None:
    """While another program holds the write lock, a command says it waits, then succeeds."""
    db = tmp_path / "shop.db"
    assert run(db, "settings").returncode == 0
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(2.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        proc = _start(db, "category", "add", "Helmets")
        out, err = proc.communicate(timeout=60)
    finally:
        release.join()
        holder.close()
    assert proc.returncode == 0, err
    assert "another program is writing to this store; waiting" in err
    assert "Helmets" in out


def test_a_writer_gives_up_after_the_limit_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the waiting limit the write is refused with a clear message; nothing written."""
    monkeypatch.setattr(store_module, "WRITE_WAIT_SECONDS", 1)
    store = open_store(tmp_path / "shop.db")
    messages: list[str] = []
    store.on_wait = messages.append
    holder = sqlite3.connect(tmp_path / "shop.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(InputError, match="nothing was changed"):
            with store.transaction():
                store.execute("INSERT INTO settings(key, value) VALUES ('staff', 'x')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert messages and "waiting" in messages[0]
    assert store.setting("staff") == ""
    store.close()
