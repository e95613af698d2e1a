"""Crash tests: a real `main.py import` process killed (SIGKILL) at several points; each
time the store opens, `audit verify` passes, and it holds all of the import or none.

The figure for the issue's note is the number of kills here: "kills survived".
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

#: seconds after the start of the process: before the file is read, while it is
#: checked, while the rows are written, at the commit, after it
KILL_AFTER = (0.1, 0.3, 0.6, 0.9, 1.2, 1.5, 2.0, 2.5, 3.5)
CONTACTS, ROWS = 2000, 5000


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated ledger of a few thousand rows."""
    out = tmp_path_factory.mktemp("ledger")
    return Path(generate(str(out), contacts=CONTACTS, rows=ROWS, seed=7).ledger)


@pytest.fixture(scope="module")
def whole(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """What the import holds when left to finish (which verifies too)."""
    db = tmp_path_factory.mktemp("whole") / "ledger.db"
    result = run(db, "import", str(ledger))
    assert result.returncode == 0, result.stderr
    assert run(db, "audit", "verify").returncode == 0
    return counts(db)


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0],
            conn.execute("SELECT COUNT(*) FROM events").fetchone()[0],
        )
    finally:
        conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
@pytest.mark.parametrize("after", KILL_AFTER)
def test_an_import_killed_leaves_all_or_nothing(
    ledger: Path, whole: tuple[int, int], tmp_path: Path, after: float
) -> None:
    """SIGKILL during an import: the store opens, verifies, and holds none of it or all."""
    db = tmp_path / "ledger.db"
    assert run(db, "settings", "business_name", "Cycle Hub").returncode == 0
    before = counts(db)
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "import", str(ledger)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    shutil.copy(db, tmp_path / "after-kill.db")  # for a look when the test fails
    result = run(db, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert counts(db) in (before, whole)
