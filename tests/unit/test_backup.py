"""Backups, restore and the audit seal (issue 10): verified copies, nothing lost."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from cli_runner import run

from model import backup
from model.store import open_store


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A store with a few writes in its audit trail."""
    db = tmp_path / "shop.db"
    for args in (
        ("settings", "business_name", "Pedal & Chain"),
        ("category", "add", "Bikes/Road"),
        ("category", "add", "Helmets"),
    ):
        assert run(db, *args).returncode == 0
    return db


def _seal(db: Path) -> str:
    result = run(db, "audit", "seal")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_seal_is_the_newest_entry_and_verify_holds_to_it(shop: Path) -> None:
    """`audit seal` prints "N HASH" of the newest entry; verify --seal accepts it."""
    seal = _seal(shop)
    number, digest = seal.split()
    conn = sqlite3.connect(shop)
    newest = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert (int(number), digest) == newest
    result = run(shop, "audit", "verify", "--seal", seal)
    assert result.returncode == 0, result.stderr
    assert f"nothing up to entry {number}" in result.stdout


def test_verify_with_seal_refuses_a_trail_whose_sealed_entry_is_gone(shop: Path) -> None:
    """A seal whose entry no longer exists (entries removed) is refused, naming the entry."""
    number, digest = _seal(shop).split()
    result = run(shop, "audit", "verify", "--seal", f"{int(number) + 5} {digest}")
    assert result.returncode == 1
    assert f"audit entry {int(number) + 5} of the seal is missing" in result.stderr


def test_verify_with_seal_refuses_a_different_hash(shop: Path) -> None:
    """A seal whose hash differs from the entry's (trail rewritten) is refused."""
    number, _ = _seal(shop).split()
    result = run(shop, "audit", "verify", "--seal", f"{number} {'a' * 64}")
    assert result.returncode == 1
    assert "not the sealed one" in result.stderr


@pytest.mark.parametrize("seal", ["", "12", "x " + "a" * 64, "3 " + "a" * 63, "3 " + "g" * 64])
def test_malformed_seal_refused(shop: Path, seal: str) -> None:
    """A seal not of the form "N HASH" is refused with exit 1 naming --seal."""
    result = run(shop, "audit", "verify", "--seal", seal)
    assert result.returncode == 1
    assert "--seal" in result.stderr


def test_backup_to_the_folder_beside_the_store_is_private_and_verified(shop: Path) -> None:
    """`backup` writes into backups/ beside the store, 0600 in a 0700 folder, with the seal."""
    result = run(shop, "backup")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.splitlines()[0].split(": ", 1)[1])
    assert path.parent == shop.parent / "backups"
    assert f"seal: {_seal(shop)}" in result.stdout
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    info = backup.check_file(path)
    assert info.counts["audit"] == int(_seal(shop).split()[0])


def test_backup_to_a_file_refuses_to_overwrite(shop: Path, tmp_path: Path) -> None:
    """`backup FILE` never overwrites an existing file, and names it."""
    target = tmp_path / "copy.db"
    target.write_text("precious")
    result = run(shop, "backup", target)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_text() == "precious"


def test_restore_puts_the_backup_back_and_keeps_the_current_store_aside(
    shop: Path, tmp_path: Path
) -> None:
    """Restore: the backup's content returns, the replaced store is kept beside it."""
    copy = tmp_path / "copy.db"
    assert run(shop, "backup", copy).returncode == 0
    seal_then = _seal(shop)
    assert run(shop, "category", "add", "Clothing").returncode == 0
    result = run(shop, "restore", copy)
    assert result.returncode == 0, result.stderr
    assert f"seal {seal_then}" in result.stdout
    assert "contacts" in result.stdout and "audit" in result.stdout
    assert _seal(shop) == seal_then
    listed = run(shop, "category", "list").stdout
    assert "Clothing" not in listed and "Helmets" in listed
    aside = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name and p.suffix != ""]
    kept = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1
    store = open_store(kept[0])
    try:
        assert any(c[0] == "Clothing" for c in store.execute("SELECT path FROM categories"))
    finally:
        store.close()


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200],
    ids=["empty", "text", "bad-header"],
)
def test_restore_refuses_a_bad_backup_and_leaves_the_store(shop: Path, tmp_path: Path, content):
    """A backup that is not a whole store is refused (exit 1); the store is untouched."""
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = shop.read_bytes()
    result = run(shop, "restore", bad)
    assert result.returncode == 1
    assert str(bad) in result.stderr
    assert shop.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_restore_refuses_a_backup_whose_audit_trail_was_altered(shop: Path, tmp_path: Path):
    """A backup edited outside the app (its audit trail no longer verifies) is refused."""
    copy = tmp_path / "copy.db"
    assert run(shop, "backup", copy).returncode == 0
    conn = sqlite3.connect(copy)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET details = '{}' WHERE id = 1")
    conn.commit()
    conn.close()
    result = run(shop, "restore", copy)
    assert result.returncode == 1
    assert "audit" in result.stderr


def _stamps(*texts: str) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(t) for t in texts]


def test_pruning_keeps_seven_days_and_four_weeks() -> None:
    """The newest backup of each of the last 7 days with one, then of 4 earlier weeks."""
    start = dt.datetime(2026, 12, 2, 18, 0)
    made = [start - dt.timedelta(days=d, hours=h) for d in range(60) for h in (0, 5)]
    keep = backup.to_keep(made)
    days = sorted({k.date() for k in keep}, reverse=True)
    assert len(keep) == 11
    assert days[:7] == [(start - dt.timedelta(days=d)).date() for d in range(7)]
    assert all(k.hour == 18 for k in keep)  # the newest of each day
    weeks = [tuple(d.isocalendar())[:2] for d in days[7:]]
    assert len(set(weeks)) == 4
    week_of_days = {tuple(d.isocalendar())[:2] for d in days[:7]}
    assert not set(weeks) & week_of_days


def test_prune_deletes_only_what_it_does_not_keep(tmp_path: Path) -> None:
    """prune() removes old automatic backups and leaves other files alone."""
    start = dt.datetime(2026, 12, 2, 9, 0)
    for d in range(40):
        (
            tmp_path / f"ledger-{(start - dt.timedelta(days=d)).strftime('%Y-%m-%d-%H%M%S')}.db"
        ).touch()
    (tmp_path / "my-own-copy.db").touch()
    removed = backup.prune(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(removed) == 40 - 11
    assert "my-own-copy.db" in left
    assert len(left) == 12


def test_daily_backup_due_once_a_day(shop: Path) -> None:
    """A daily backup is due until one is made today."""
    assert backup.daily_backup_due(shop)
    assert run(shop, "backup").returncode == 0
    assert not backup.daily_backup_due(shop)
    assert backup.daily_backup_due(shop, today=dt.date.today() + dt.timedelta(days=1))
