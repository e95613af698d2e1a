"""The store's guarantees: append-only events, versions, transactions, the audit trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from model import audit
from model.contacts import EventDetails, add_event
from model.errors import InputError
from model.rules import EVENT_CODES
from model.store import MIGRATIONS, SCHEMA_VERSION, Store, open_store


def _contact(store: Store) -> int:
    with store.transaction():
        cur = store.execute(
            "INSERT INTO contacts(name, email, created_at) VALUES ('Jane', 'j@example.com', 'x')"
        )
        return int(cur.lastrowid or 0)


def test_events_cannot_be_updated_or_deleted(store: Store) -> None:
    """The schema itself refuses to change or remove an event (a correction is a new event)."""
    cid = _contact(store)
    with store.transaction():
        add_event(store, cid, EventDetails(date="2026-01-02", type="purchase", category="Bikes"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.execute("UPDATE events SET type = 'consent'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.execute("DELETE FROM events")
    assert store.execute("SELECT type FROM events").fetchall() == [("purchase",)]


def test_erasure_may_delete_the_events_it_announces(store: Store) -> None:
    """Only a contact announced in erasures_pending can lose its events."""
    cid = _contact(store)
    with store.transaction():
        add_event(store, cid, EventDetails(date="2026-01-02", type="complaint"))
        store.execute("INSERT INTO erasures_pending(contact_id) VALUES (?)", (cid,))
        store.execute("DELETE FROM events WHERE contact_id = ?", (cid,))
        store.execute("DELETE FROM erasures_pending")
    assert store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_derived_event_columns(store: Store) -> None:
    """events.day and events.type_code are derived by the schema from date and type."""
    cid = _contact(store)
    with store.transaction():
        add_event(store, cid, EventDetails(date="2026-03-14", type="quote_request", category="X"))
    day, code = store.execute("SELECT day, type_code FROM events").fetchone()
    assert (day, code) == (20260314, EVENT_CODES["quote_request"])
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            add_event(store, cid, EventDetails(date="2026-03-14", type="made_up"))


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    """Everything inside a transaction that fails is rolled back."""
    before = store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.execute("INSERT INTO contacts(name, created_at) VALUES ('X', 'x')")
            raise RuntimeError("stop")
    assert store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == before


def test_store_settings(store: Store) -> None:
    """WAL mode, foreign keys and the schema version are set on every open."""
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert len(MIGRATIONS) == SCHEMA_VERSION


def test_newer_store_is_refused(tmp_path: Path) -> None:
    """A store written by a newer version is refused with a message, not opened."""
    path = tmp_path / "new.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer version"):
        open_store(path)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    """An SQLite file that is some other program's database is not taken over."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.close()
    with pytest.raises(InputError, match="not an Opt-in Ledger store"):
        open_store(path)


def test_settings_validation(store: Store) -> None:
    """Settings are validated and stored; a bad value changes nothing."""
    assert store.set_setting("soft_opt_in_months", " 12 ") == "12"
    with pytest.raises(InputError, match="whole number"):
        store.set_setting("soft_opt_in_months", "0")
    with pytest.raises(InputError, match="unknown setting"):
        store.set_setting("colour", "red")
    assert store.settings()["soft_opt_in_months"] == "12"


def test_audit_chain_detects_tampering(store: Store) -> None:
    """Every write is chained (after the store's baseline entry); an altered entry is
    named by audit verify."""
    store.set_setting("business_name", "Cycle Hub")
    store.set_setting("soft_opt_in_months", "18")
    assert audit.verify(store) == 3
    store.execute("DROP TRIGGER audit_no_update")
    store.execute("UPDATE audit SET details = '{}' WHERE id = 1")
    with pytest.raises(InputError, match="audit entry 1"):
        audit.verify(store)


def test_engine_query_uses_its_index(store: Store) -> None:
    """The decision query walks events through idx_events_engine (no per-contact query)."""
    from model import engine

    spec = engine.CampaignSpec("email", "Bikes", "2026-11-29")
    store.fill_temp_ids("similar_now", [])
    plan = " ".join(
        str(row[3])
        for row in store.execute(
            "EXPLAIN QUERY PLAN " + engine._facts_sql(spec.channel, spec.purpose, False),
            {
                **engine._MASKS,
                "bit": 1,
                "send_day": 20261129,
                "send_date": "2026-11-29",
                "charity_start": 20260205,
            },
        )
    )
    assert "idx_events_engine" in plan
    assert "AUTOMATIC" not in plan


def test_finalised_campaigns_are_frozen_in_the_schema(store: Store) -> None:
    """Decisions and campaigns cannot be changed or deleted; only the sent date, once."""
    cid = _contact(store)
    with store.transaction():
        store.execute(
            "INSERT INTO campaigns(id, name, channel, category, send_date, purpose, settings, "
            "created_at) VALUES (1, 'c', 'email', 'Bikes', '2026-01-01', 'commercial', '{}', 'x')"
        )
        store.execute(
            "INSERT INTO campaign_decisions(campaign_id, contact_id, eligible, basis) "
            "VALUES (1, ?, 1, 'consent')",
            (cid,),
        )
    for sql in (
        "UPDATE campaign_decisions SET eligible = 0",
        "DELETE FROM campaign_decisions",
        "UPDATE campaigns SET name = 'other'",
        "DELETE FROM campaigns",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="frozen|does not change|evidence"):
            store.execute(sql)
    store.execute("UPDATE campaigns SET sent_date = '2026-01-02'")
    with pytest.raises(sqlite3.IntegrityError, match="sent date is set once"):
        store.execute("UPDATE campaigns SET sent_date = '2026-01-03'")


def _indexes(store: Store, table: str) -> list[tuple[str, str]]:
    return store.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (table,),
    ).fetchall()


def test_indexes_rebuilt_only_inside_a_transaction_and_restored_on_failure(store: Store) -> None:
    """A bulk insert's index rebuild needs a transaction; a failure inside it keeps the indexes."""
    before = _indexes(store, "contacts")
    assert len(before) >= 5
    with pytest.raises(RuntimeError, match="inside a transaction"):
        with store.indexes_rebuilt("contacts"):
            pass
    with pytest.raises(ValueError, match="half way"):
        with store.transaction(), store.indexes_rebuilt("contacts"):
            assert _indexes(store, "contacts") == []  # dropped while the rows go in
            raise ValueError("half way")
    assert _indexes(store, "contacts") == before


def test_indexes_rebuilt_builds_the_same_indexes_over_the_new_rows(store: Store) -> None:
    """After the rebuild the same indexes exist and answer for the rows inserted meanwhile."""
    before = _indexes(store, "contacts")
    with store.transaction(), store.indexes_rebuilt("contacts"):
        store.execute(
            "INSERT INTO contacts(name, email, created_at) VALUES ('Jane', 'j@example.com', 'x')"
        )
    assert _indexes(store, "contacts") == before
    plan = " ".join(
        r[3]
        for r in store.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE email = 'j@example.com'"
        )
    )
    assert "idx_contacts_email" in plan
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
