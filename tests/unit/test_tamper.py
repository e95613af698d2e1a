"""The tamper suite: every evidence table edited with plain sqlite3 outside the app
(triggers dropped first), and the audit trail itself cut, forged and re-chained;
each time `audit verify` exits 1 naming the table and row, or the entry.

The figure for the issue's note is the number of cases collected here that pass:
"tamper cases detected: N of M" (every case is one edit that must be found).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from cli_runner import run

from model import trail

#: every table that holds evidence, and for each: a change to one row (SET clause) and
#: the column overrides that make a copy of its newest row insertable (unique columns)
EDITS: dict[str, tuple[str, dict[str, str]]] = {
    "events": ("notes = coalesce(notes, '') || ' (edited)'", {}),
    "contacts": ("name = 'Someone Else'", {"email": "NULL", "phone": "NULL"}),
    "campaigns": ("name = name || ' (edited)'", {}),
    "campaign_decisions": ("eligible = 1 - eligible", {"contact_id": "999999"}),
    "suppressions": ("channels = channels + 1", {}),
    "screenings": ("numbers_listed = numbers_listed + 1", {}),
    "screening_results": ("listed = 1 - listed", {}),
    "settings": ("value = value || ' (edited)'", {"key": "'forged_setting'"}),
    "categories": ("path = path || ' (edited)'", {"key": "'forged'", "path": "'Forged'"}),
    "category_links": ("why = why || ' (edited)'", {"a_id": "b_id", "b_id": "a_id"}),
    "store_info": ("value = value || '0'", {"key": "'forged'"}),
}
#: announced and emptied within an erasure's transaction: empty at rest, so only an
#: added row can be tried
INSERT_ONLY = {"erasures_pending": {"contact_id": "(SELECT MAX(id) FROM contacts)"}}


def test_every_evidence_table_is_in_the_suite(tmp_path: Path) -> None:
    """A table added to the schema later is tracked and must join the suite."""
    from model.store import open_store

    store = open_store(tmp_path / "fresh.db")
    try:
        assert set(trail.tracked_tables(store.conn)) == set(EDITS) | set(INSERT_ONLY)
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop (every table filled), made once; its key in its own folder."""
    folder = tmp_path_factory.mktemp("demo")
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    try:
        result = run(folder / "shop.db", "demo")
        assert result.returncode == 0, result.stderr
    finally:
        if old is None:
            del os.environ["XDG_CONFIG_HOME"]
        else:
            os.environ["XDG_CONFIG_HOME"] = old
    return folder


@pytest.fixture
def shop(demo_shop: Path, tmp_path: Path) -> Path:
    """A copy of the sample shop, its key copied into this test's config folder."""
    db = tmp_path / "shop.db"
    shutil.copy(demo_shop / "shop.db", db)
    shutil.copytree(demo_shop / "config", trail.keys_folder().parent.parent, dirs_exist_ok=True)
    assert run(db, "audit", "verify").returncode == 0
    return db


def outside(db: Path) -> sqlite3.Connection:
    """Another program's connection, with every trigger of the store dropped."""
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def refused(db: Path, *names: str) -> str:
    """audit verify exits 1, and its message names each of ``names``."""
    result = run(db, "audit", "verify")
    assert result.returncode == 1, result.stdout
    for name in names:
        assert name in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def _copy_sql(conn: sqlite3.Connection, table: str, overrides: dict[str, str], rid: int) -> str:
    cols = [
        (name, kind, pk)
        for _cid, name, kind, _nn, _default, pk, hidden in conn.execute(
            f"PRAGMA table_xinfo({table})"
        )
        if hidden == 0
    ]
    alias = [n for n, kind, pk in cols if pk] == ["id"] and dict((n, k) for n, k, _ in cols)[
        "id"
    ].upper() == "INTEGER"
    keep = [n for n, _kind, _pk in cols if not (alias and n == "id")]
    values = [overrides.get(n, n) for n in keep]
    return (
        f"INSERT INTO {table}({', '.join(keep)}) SELECT {', '.join(values)} "
        f"FROM {table} WHERE rowid = {rid}"
    )


@pytest.mark.parametrize("table", sorted(EDITS))
@pytest.mark.parametrize("how", ["update", "delete newest", "delete middle", "insert"])
def test_an_edited_table_is_found_and_named(shop: Path, table: str, how: str) -> None:
    """Each evidence table changed outside the app: verify names the table and row."""
    conn = outside(shop)
    rowids = [r for (r,) in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
    assert rowids, f"the sample shop has no {table}"
    change, overrides = EDITS[table]
    if how == "update":
        rid = rowids[0]
        conn.execute(f"UPDATE {table} SET {change} WHERE rowid = ?", (rid,))
    elif how == "delete newest":
        rid = rowids[-1]
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rid,))
    elif how == "delete middle":
        rid = rowids[len(rowids) // 2]
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rid,))
    else:
        rid = conn.execute(_copy_sql(conn, table, overrides, rowids[-1])).lastrowid
    conn.close()
    refused(shop, f"table {table} row {rid}")


def test_a_row_added_to_the_erasure_announcements_is_found(shop: Path) -> None:
    """An announcement of an erasure (which would let events be deleted) is found."""
    conn = outside(shop)
    rid = conn.execute(
        _copy_sql_values("erasures_pending", INSERT_ONLY["erasures_pending"])
    ).lastrowid
    conn.close()
    refused(shop, f"table erasures_pending row {rid}")


def _copy_sql_values(table: str, values: dict[str, str]) -> str:
    return f"INSERT INTO {table}({', '.join(values)}) VALUES ({', '.join(values.values())})"


def test_a_new_table_is_found(shop: Path) -> None:
    """A table another program added to the file is named, with its rows."""
    conn = outside(shop)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('hidden')")
    conn.close()
    refused(shop, "table notes row 1")


def test_binary_data_in_a_row_is_found(shop: Path) -> None:
    """A value turned into binary data (which the app never writes) is named."""
    conn = outside(shop)
    conn.execute("UPDATE contacts SET name = X'00ff' WHERE id = (SELECT MIN(id) FROM contacts)")
    first = conn.execute("SELECT MIN(id) FROM contacts").fetchone()[0]
    conn.close()
    refused(shop, f"table contacts row {first}")


# --- the trail itself ------------------------------------------------------------------


def newest_entry(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT MAX(id) FROM audit").fetchone()[0]


def test_deleting_the_newest_entry_is_found(shop: Path) -> None:
    """The newest entry removed: the rows it recorded still name it."""
    conn = outside(shop)
    newest = newest_entry(conn)
    conn.execute("DELETE FROM audit WHERE id = ?", (newest,))
    conn.close()
    refused(shop, f"audit entry {newest}")


def test_deleting_the_newest_entry_and_its_row_records_is_found(shop: Path) -> None:
    """The newest entry and its row records removed (it wrote no rows, so nothing in the
    file is missed): the anchor this PC keeps beside the key names it."""
    conn = outside(shop)
    newest = newest_entry(conn)
    conn.execute("DELETE FROM audit WHERE id = ?", (newest,))
    conn.execute("DELETE FROM audit_rows WHERE entry_id = ?", (newest,))
    conn.close()
    refused(shop, f"audit entry {newest}", "the newest this PC wrote, is missing")


def test_deleting_a_middle_entry_is_found(shop: Path) -> None:
    """An entry in the middle removed: the chain breaks at the next one."""
    conn = outside(shop)
    middle = newest_entry(conn) // 2
    conn.execute("DELETE FROM audit WHERE id = ?", (middle,))
    conn.close()
    refused(shop, f"audit entry {middle + 1}")


def test_altered_row_records_are_found(shop: Path) -> None:
    """An entry's row records edited: the entry's rows digest no longer matches."""
    conn = outside(shop)
    entry, tbl = conn.execute(
        "SELECT entry_id, tbl FROM audit_rows WHERE tbl = 'events' ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM audit_rows WHERE entry_id = ? AND tbl = ?", (entry, tbl))
    conn.close()
    refused(shop, f"audit entry {entry}", "rows it recorded were altered")


def _forge(conn: sqlite3.Connection, mac: str | None) -> int:
    """Append an entry with a correct plain hash, recording no rows."""
    prev = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    at, action, body = "2026-12-01T10:00:00+00:00", "settings", '{"business_name": "X"}'
    digest = trail.rows_digest([])
    own = trail.entry_hash(prev, at, action, body, digest)
    return conn.execute(
        "INSERT INTO audit(at, action, details, prev_hash, hash, rows_digest, mac) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, action, body, prev, own, digest, mac),
    ).lastrowid


def test_a_forged_entry_with_a_correct_hash_and_no_key_mark_is_found(shop: Path) -> None:
    """An entry appended with a correct hash but no key mark: named."""
    conn = outside(shop)
    forged = _forge(conn, None)
    conn.close()
    refused(shop, f"audit entry {forged}", "key mark")


def test_a_forged_entry_with_a_made_up_key_mark_is_found(shop: Path) -> None:
    """An entry appended with a correct hash and a key mark made with another key."""
    conn = outside(shop)
    forged = _forge(conn, "ab" * 32)
    conn.close()
    refused(shop, f"audit entry {forged}", "key mark")


def _rechain(db: Path, tmp_path: Path, edit: str) -> None:
    """The whole trail rebuilt after an edit, with the app's own code but not this
    store's key (on another PC, or with a key of the forger's own)."""
    conn = outside(db)
    conn.execute(edit)
    conn.execute("DELETE FROM audit")
    conn.execute("DELETE FROM audit_rows")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path / "forger")
    ident = trail.store_id(conn)
    assert ident is not None
    folder = trail.keys_folder()
    folder.mkdir(parents=True)
    (folder / f"{ident}.key").write_text("cd" * 32)
    conn.execute("BEGIN")
    trail.append_entry(conn, "2026-12-01T10:00:00+00:00", "baseline", "{}", every_row=True)
    conn.execute("COMMIT")
    conn.close()


def test_a_trail_rechained_after_an_edit_without_the_key_is_found(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited contact and a trail rebuilt to match, without the store's key: found."""
    config = os.environ["XDG_CONFIG_HOME"]
    monkeypatch.setenv("XDG_CONFIG_HOME", config)  # restored after _rechain's change
    _rechain(shop, tmp_path, "UPDATE contacts SET name = 'Someone Else' WHERE id = 1")
    os.environ["XDG_CONFIG_HOME"] = config
    refused(shop, "audit entry 1", "key mark")


def test_an_entry_turned_into_the_old_form_is_found(shop: Path) -> None:
    """The newest entry rewritten as an entry from before row records: found."""
    conn = outside(shop)
    ident, at, action, body, prev = conn.execute(
        "SELECT id, at, action, details, prev_hash FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM audit_rows WHERE entry_id = ?", (ident,))
    conn.execute(
        "UPDATE audit SET rows_digest = NULL, mac = NULL, hash = ? WHERE id = ?",
        (trail.entry_hash(prev, at, action, body, None), ident),
    )
    conn.close()
    refused(shop, f"audit entry {ident}")


# --- the key -------------------------------------------------------------------------


def test_without_the_key_verify_checks_the_rest_and_says_so(shop: Path) -> None:
    """On a PC without the store's key (the regulator's): exit 0 with a plain note,
    and an edited row is still found."""
    shutil.rmtree(trail.keys_folder())
    result = run(shop, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "key check was not possible" in result.stdout
    assert len(result.stdout.splitlines()) == 1
    conn = outside(shop)
    conn.execute("UPDATE events SET notes = 'x' WHERE id = 1")
    conn.close()
    refused(shop, "table events row 1")


def test_the_key_is_private_and_outside_the_store(tmp_path: Path) -> None:
    """The key file is its owner's only (0600, folder 0700), in the config folder,
    named by the store's id, and the store's entries carry its mark."""
    from model.store import open_store

    store = open_store(tmp_path / "ledger.db")
    try:
        ident = trail.store_id(store.conn)
        assert ident is not None
        key = trail.key_path(ident)
        assert key.exists() and tmp_path not in key.parents
        if os.name == "posix":
            assert stat.S_IMODE(key.stat().st_mode) == 0o600
            assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
        marks = store.execute("SELECT mac FROM audit").fetchall()
        assert marks and all(m for (m,) in marks)
    finally:
        store.close()


def test_a_second_store_gets_its_own_key(tmp_path: Path) -> None:
    """Two stores, two ids, two keys."""
    from model.store import open_store

    one, two = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    try:
        assert trail.store_id(one.conn) != trail.store_id(two.conn)
        assert len(list(trail.keys_folder().iterdir())) == 2
    finally:
        one.close()
        two.close()
