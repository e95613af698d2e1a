"""Row records of the audit trail (model/trail.py) through the app's own writes: an
erasure's deletions, a store migrated from before the row records, the speed path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_runner import run

from model import audit, trail
from model.demo import fill_sample_shop
from model.erasure import erase_contact
from model.store import APP_ID, MIGRATIONS, Store, open_store


def test_an_erasure_verifies_afterwards(store: Store) -> None:
    """An erasure deletes a contact's events, details and screening results and redacts
    their frozen decisions, all recorded: verify passes afterwards."""
    fill_sample_shop(store, today="2026-11-29")
    cid = store.execute(
        "SELECT d.contact_id FROM campaign_decisions d JOIN contacts c ON c.id = d.contact_id "
        "WHERE c.phone IS NOT NULL ORDER BY d.contact_id LIMIT 1"
    ).fetchone()[0]
    erase_contact(store, cid)
    left = store.execute("SELECT COUNT(*) FROM events WHERE contact_id = ?", (cid,))
    assert left.fetchone() == (0,)
    assert audit.verify(store) >= 2
    gone = [
        (t, rid, h)
        for t, blob in store.execute("SELECT tbl, rows FROM audit_rows")
        for rid, h in trail.unpack(blob)
        if t == "contacts" and rid == cid
    ]
    assert gone[-1][2] is None  # the newest record of the contact: deleted


def test_a_store_from_before_the_row_records_gets_a_baseline(tmp_path: Path) -> None:
    """A version-2 store with rows and old-form entries migrates: one baseline entry
    records every row, its old entries still check, and an edit after it is found."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    for step in MIGRATIONS[:2]:
        step(db)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(f"PRAGMA application_id = {APP_ID}")
    prev = trail.GENESIS
    for n in range(2):
        body = f'{{"n": {n}}}'
        digest = trail.entry_hash(prev, "2025-01-01T10:00:00+00:00", "settings", body, None)
        conn.execute(
            "INSERT INTO audit(at, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
            ("2025-01-01T10:00:00+00:00", "settings", body, prev, digest),
        )
        prev = digest
    conn.execute("INSERT INTO settings VALUES ('business_name', 'Cycle Hub')")
    conn.close()
    store = open_store(path)
    try:
        actions = [a for (a,) in store.execute("SELECT action FROM audit ORDER BY id")]
        assert actions == ["settings", "settings", "baseline"]
        assert audit.verify(store) == 3
    finally:
        store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE settings SET value = 'Other' WHERE key = 'business_name'")
    conn.close()
    result = run(path, "audit", "verify")
    assert result.returncode == 1
    assert "table settings row 1: changed outside the app" in result.stderr


def test_rows_written_without_an_entry_get_one(store: Store) -> None:
    """A write that announced no entry of its own is still recorded at the commit."""
    with store.transaction():
        store.execute("INSERT INTO settings VALUES ('business_name', 'Cycle Hub')")
    newest = store.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert newest == "rows"
    assert audit.verify(store) == 2


def test_a_bulk_insert_notes_every_new_row_and_puts_the_trigger_back(store: Store) -> None:
    """trail.bulk_insert: the rows it adds are recorded by the entry, later writes too."""
    with store.transaction():
        with trail.bulk_insert(store.conn, "settings", 2):
            store.conn.executemany(
                "INSERT INTO settings VALUES (?, ?)", [("business_name", "A"), ("x", "1")]
            )
        store.execute("INSERT INTO settings VALUES ('y', '2')")  # the trigger is back
        store.audit("settings", {"note": "test"})
    blob = store.execute(
        "SELECT rows FROM audit_rows WHERE tbl = 'settings' ORDER BY entry_id DESC LIMIT 1"
    ).fetchone()[0]
    assert len([rid for rid, _ in trail.unpack(blob)]) == 3
    assert audit.verify(store) == 2


def test_a_bulk_insert_that_adds_other_rows_than_announced_is_refused(store: Store) -> None:
    """A count that does not match the new rows rolls the whole transaction back."""
    with pytest.raises(RuntimeError, match="not 2"), store.transaction():
        with trail.bulk_insert(store.conn, "settings", 2):
            store.execute("INSERT INTO settings VALUES ('business_name', 'A')")
    assert store.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    assert (
        store.execute(
            "SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'trail_settings_insert'"
        ).fetchone()[0]
        == 1
    )
