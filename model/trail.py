"""Tamper evidence that covers content: what each audit entry vouches for, row by row.

Each connection the app opens carries TEMP triggers on every evidence table that note
the (table, rowid) of each row written. When a transaction appends its audit entry
(Store.audit), the current content of every noted row is hashed (SHA-256 of its
columns as SQLite quote()s them; no hash for a row that is gone) and kept, append-only,
in ``audit_rows``; the entry's own hash covers the digest of those rows, and an HMAC of
that hash under a key kept outside the store file (in the user's config folder, one
key per store, named by the store's random id in ``store_info``).

So `audit verify` can recompute everything from the rows: the chain, each entry's rows
digest and key mark, and, for every table, that each row is the one the latest entry
touching it recorded; a row changed, deleted or added by any other program is named.

Tables left out, and why:
- ``audit`` is the chain itself and ``audit_rows`` its row ledger, each checked through
  the entries' hashes;
- ``sqlite_sequence`` is SQLite's own AUTOINCREMENT counter (no trigger may be put on
  it; a changed counter cannot alter evidence);
- TEMP tables are this connection's scratch space, never in the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

GENESIS = "0" * 64
UNTRACKED = frozenset({"audit", "audit_rows", "sqlite_sequence"})

#: schema step 3 (store.MIGRATIONS): the row ledger, the store's id, the key mark
SCHEMA_V3 = """
CREATE TABLE store_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
ALTER TABLE audit ADD COLUMN rows_digest TEXT;
ALTER TABLE audit ADD COLUMN mac TEXT;
CREATE TABLE audit_rows (
    entry_id INTEGER NOT NULL,
    tbl      TEXT NOT NULL,
    -- the rows of tbl the entry recorded, packed: per row, its rowid (8 bytes) and the
    -- SHA-256 of its content (32 bytes; all zero: the row was deleted), in rowid order.
    -- One value per table rather than one row per row: an import of 250,000 rows
    -- writes a few values, not 250,000 rows (measured: seconds saved)
    rows     BLOB NOT NULL
);
CREATE TRIGGER audit_rows_no_update BEFORE UPDATE ON audit_rows
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_rows_no_delete BEFORE DELETE ON audit_rows
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""

_CHANGED = "temp.trail_changed"


def tracked_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table of the store file that holds evidence (all but UNTRACKED)."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name"
        )
        if name not in UNTRACKED and not name.startswith("sqlite_")
    ]


_NOTED = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def install_tracking(conn: sqlite3.Connection) -> None:
    """The TEMP triggers that note every written row (this connection only)."""
    conn.execute("PRAGMA temp_store = MEMORY")  # the noted rows: spilled to a file, +4 s sys
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_CHANGED[5:]} (tbl TEXT, rid INTEGER)")
    for name in tracked_tables(conn):
        for when in _NOTED:
            _install_trigger(conn, name, when)


def _trigger_name(table: str, when: str) -> str:
    return _quote(f"trail_{table}_{when.lower()}")


def _install_trigger(conn: sqlite3.Connection, table: str, when: str) -> None:
    note = f"INSERT INTO trail_changed(tbl, rid) VALUES ('{table}', "
    body = " ".join(f"{note}{r}.rowid);" for r in _NOTED[when])
    conn.execute(
        f"CREATE TEMP TRIGGER IF NOT EXISTS {_trigger_name(table, when)} AFTER {when} "
        f"ON main.{_quote(table)} BEGIN {body} END"
    )


@contextlib.contextmanager
def bulk_insert(conn: sqlite3.Connection, table: str, adding: int) -> Iterator[None]:
    """For a plain INSERT of ``adding`` rows into ``table``, each given a rowid above
    every one the table holds: the new rows are noted in one statement afterwards,
    rather than by the INSERT trigger once a row (measured: 1.2 s of a 250,000-event
    import). Inside the caller's transaction; only that table's INSERT trigger is set
    aside, so any other write is noted as usual.

    Every new row is noted: the rows above the old highest rowid must be exactly the
    ``adding`` rows added, else RuntimeError (and the caller's transaction rolls back).
    """
    if not conn.in_transaction:
        raise RuntimeError("bulk_insert: only inside a transaction")
    q = _quote(table)
    before = conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM main.{q}").fetchone()[0]
    conn.execute(f"DROP TRIGGER IF EXISTS temp.{_trigger_name(table, 'INSERT')}")
    try:
        yield
    finally:
        _install_trigger(conn, table, "INSERT")
    noted = conn.execute(
        f"INSERT INTO {_CHANGED}(tbl, rid) SELECT ?, rowid FROM main.{q} WHERE rowid > ?",
        (table, before),
    ).rowcount
    if noted != adding:
        raise RuntimeError(
            f"bulk_insert: {noted} new rows in {table} above rowid {before}, not {adding}"
        )


def has_pending(conn: sqlite3.Connection) -> bool:
    """Rows written in this transaction that no audit entry has recorded yet."""
    try:
        return conn.execute(f"SELECT 1 FROM {_CHANGED} LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # tracking not installed (a bare connection)
        return False


_RECORD = struct.Struct(">q32s")  # a row's id and its hash, as kept in audit_rows.rows
_GONE = bytes(32)  # the hash recorded for a deleted row


def _row_text_sql(conn: sqlite3.Connection, tbl: str) -> str:
    """SQL giving each row's id and its canonical text: a JSON array of its columns,
    which keeps text, integers, reals and NULL apart (json_array is twice as fast as
    quote()-ing each column: measured on 250,000 events). No evidence table holds a
    BLOB; one put there by another program makes json_array fail (see BLOB_FOUND)."""
    cur = conn.execute(f"SELECT * FROM main.{_quote(tbl)} LIMIT 0")
    cols = ", ".join(_quote(d[0]) for d in cur.description)
    return f"SELECT rowid, json_array({cols}) FROM main.{_quote(tbl)}"


BLOB_FOUND = "JSON cannot hold BLOB values"


def _blob_rows(conn: sqlite3.Connection, tbl: str) -> list[int]:
    cur = conn.execute(f"SELECT * FROM main.{_quote(tbl)} LIMIT 0")
    test = " OR ".join(f"typeof({_quote(d[0])}) = 'blob'" for d in cur.description)
    return [r for (r,) in conn.execute(f"SELECT rowid FROM main.{_quote(tbl)} WHERE {test}")]


def _hashed(cursor: Iterable[tuple[int, str]]) -> dict[int, bytes]:
    sha = hashlib.sha256
    return {rid: sha(text.encode()).digest() for rid, text in cursor}


def pack(hashes: dict[int, bytes | None]) -> bytes:
    """One table's recorded rows as one value: (id, hash) records in id order."""
    pack_ = _RECORD.pack
    return b"".join(pack_(rid, hashes[rid] or _GONE) for rid in sorted(hashes))


def unpack(blob: bytes) -> Iterator[tuple[int, bytes | None]]:
    for rid, digest in _RECORD.iter_unpack(blob):
        yield rid, (None if digest == _GONE else digest)


def rows_digest(tables: Iterable[tuple[str, bytes]]) -> str:
    """One hash over an entry's recorded rows: each table's name and packed records."""
    h = hashlib.sha256()
    for tbl, blob in sorted(tables):
        h.update(f"{tbl}\n{len(blob)}\n".encode())
        h.update(blob)
    return h.hexdigest()


def entry_hash(prev: str, at: str, action: str, body: str, digest: str | None) -> str:
    """An entry's hash; entries written before schema step 3 have no rows digest."""
    text = f"{prev}|{at}|{action}|{body}"
    if digest is not None:
        text += f"|{digest}"
    return hashlib.sha256(text.encode()).hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _changed_rows(conn: sqlite3.Connection) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    tables = [t for (t,) in conn.execute(f"SELECT DISTINCT tbl FROM {_CHANGED}")]
    for tbl in tables:
        present = _hashed(
            conn.execute(
                _row_text_sql(conn, tbl)
                + f" WHERE rowid IN (SELECT rid FROM {_CHANGED} WHERE tbl = ?)",
                (tbl,),
            )
        )
        hashes: dict[int, bytes | None] = dict.fromkeys(
            r for (r,) in conn.execute(f"SELECT rid FROM {_CHANGED} WHERE tbl = ?", (tbl,))
        )
        hashes.update(present)
        out.append((tbl, pack(hashes)))
    return out


def _all_rows(conn: sqlite3.Connection) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for tbl in tracked_tables(conn):
        hashes: dict[int, bytes | None] = dict(_hashed(conn.execute(_row_text_sql(conn, tbl))))
        out.append((tbl, pack(hashes)))
    return out


def append_entry(
    conn: sqlite3.Connection, at: str, action: str, body: str, *, every_row: bool = False
) -> None:
    """Append one entry covering the rows written since the last (or, for a baseline,
    every row of every evidence table); inside the caller's transaction."""
    tables = _all_rows(conn) if every_row else _changed_rows(conn)
    digest = rows_digest(tables)
    last = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = last[0] if last else GENESIS
    own = entry_hash(prev, at, action, body, digest)
    key = load_key(conn)
    mac = _mac(key, own) if key else None
    cur = conn.execute(
        "INSERT INTO audit(at, action, details, prev_hash, hash, rows_digest, mac) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, action, body, prev, own, digest, mac),
    )
    entry = cur.lastrowid
    conn.executemany(
        "INSERT INTO audit_rows(entry_id, tbl, rows) VALUES (?, ?, ?)",
        ((entry, tbl, blob) for tbl, blob in tables),
    )
    if not every_row:
        conn.execute(f"DELETE FROM {_CHANGED}")


# --- the key, kept outside the store file ------------------------------------


def keys_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("opt-in-ledger", appauthor=False)) / "keys"


def store_id(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM main.store_info WHERE key = 'id'").fetchone()
    except sqlite3.OperationalError:  # a store from before schema step 3
        return None
    return row[0] if row else None


def key_path(ident: str) -> Path:
    return keys_folder() / f"{ident}.key"


def load_key(conn: sqlite3.Connection) -> bytes | None:
    """This store's key, when this PC holds it."""
    ident = store_id(conn)
    if ident is None:
        return None
    try:
        return bytes.fromhex(key_path(ident).read_text().strip())
    except (OSError, ValueError):
        return None


def _create_key(ident: str) -> None:
    folder = keys_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
        os.chmod(folder.parent, 0o700)
    path = key_path(ident)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")


def anchor_path(ident: str) -> Path:
    return keys_folder() / f"{ident}.seal"


def write_anchor(conn: sqlite3.Connection, *, newer_only: bool = True) -> None:
    """Keep the newest entry's number and hash beside the key, outside the store file
    (after each commit): a newest entry removed with everything it wrote, which leaves
    nothing in the file to miss, is then found on this PC. Written only where the key
    is (the PC that keeps the store); ``newer_only`` keeps two writers' anchors in order."""
    ident = store_id(conn)
    if ident is None or not key_path(ident).exists():
        return
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return
    path = anchor_path(ident)
    seen = read_anchor(ident)
    if newer_only and seen is not None and seen[0] >= row[0]:
        return
    temp = path.with_suffix(".seal-new")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"{row[0]} {row[1]}\n")
    os.replace(temp, path)


def reset_anchor(store_path: str | os.PathLike[str]) -> None:
    """After a restore: the anchor follows the restored store (an older trail)."""
    conn = sqlite3.connect(store_path)
    try:
        write_anchor(conn, newer_only=False)
    finally:
        conn.close()


def read_anchor(ident: str) -> tuple[int, str] | None:
    try:
        number, digest = anchor_path(ident).read_text().split()
        return int(number), digest
    except (OSError, ValueError):
        return None


def _mac(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


def migrate(conn: sqlite3.Connection, at: str) -> None:
    """Schema step 3: the row ledger and the store's id and key, then one "baseline"
    entry recording every row of every evidence table as it stands, so the check of
    rows holds from here on (what was changed before cannot be told apart now)."""
    ident = secrets.token_hex(16)
    conn.execute("INSERT INTO store_info(key, value) VALUES ('id', ?)", (ident,))
    _create_key(ident)
    append_entry(conn, at, "baseline", '{"schema": 3}', every_row=True)


# --- the check ----------------------------------------------------------------


@dataclass
class Checked:
    """What `audit verify` found: entries checked, and whether the key was there."""

    entries: int
    key_checked: bool
    key_file: str = ""
    problems: list[str] = field(default_factory=list)


def check(
    conn: sqlite3.Connection, sealed: tuple[int, str] | None, *, anchored: bool = False
) -> Checked:
    """Everything recomputed from the rows; ``problems`` names each thing found wrong
    (empty when the trail and every row hold). ``anchored``: also the newest entry this
    PC wrote (the live store; a backup may rightly be older)."""
    keyed = any(r[1] == "rows_digest" for r in conn.execute("PRAGMA main.table_info(audit)"))
    ident = store_id(conn)
    key = load_key(conn)
    result = Checked(0, key is not None, str(key_path(ident)) if ident else "")
    walk = _Walk(key, sealed, _recorded_rows(conn) if keyed else {})
    columns = "id, at, action, details, prev_hash, hash" + (", rows_digest, mac" if keyed else "")
    for row in conn.execute(f"SELECT {columns} FROM audit ORDER BY id"):
        walk.entry(row, keyed)
    result.entries = len(walk.hashes)
    anchor = read_anchor(ident) if anchored and ident and key is not None else None
    walk.ends(anchor)
    if keyed:
        walk.problems.extend(_check_rows(conn, walk.latest))
        if not walk.seen_rows_era:
            walk.problems.append("the audit trail has no baseline entry: it was cut short")
    result.problems = walk.problems
    return result


def _recorded_rows(conn: sqlite3.Connection) -> dict[int, list[tuple[str, bytes]]]:
    """Each entry's packed row records, by entry id."""
    recorded: dict[int, list[tuple[str, bytes]]] = {}
    for entry, tbl, blob in conn.execute(
        "SELECT entry_id, tbl, rows FROM audit_rows ORDER BY entry_id, rowid"
    ):
        recorded.setdefault(entry, []).append((tbl, bytes(blob)))
    return recorded


@dataclass
class _Walk:
    """The trail walked oldest first: each entry checked against the one before, the
    rows it recorded, the key and the seal; what each row's latest record says."""

    key: bytes | None
    sealed: tuple[int, str] | None
    recorded: dict[int, list[tuple[str, bytes]]]
    problems: list[str] = field(default_factory=list)
    prev: str = GENESIS
    seen_rows_era: bool = False
    seen_sealed: bool = False
    latest: dict[tuple[str, int], bytes | None] = field(default_factory=dict)
    hashes: dict[int, str] = field(default_factory=dict)

    def entry(self, row: tuple, keyed: bool) -> None:
        ident, at, action, details, prev_hash, digest = row[:6]
        stored_rows, mac = (row[6], row[7]) if keyed else (None, None)
        name = f"audit entry {ident} ({action}, {at})"
        self.hashes[ident] = digest
        if prev_hash != self.prev:
            self.problems.append(
                f"{name}: the chain is broken (an entry before it was removed or altered)"
            )
        rows = self.recorded.get(ident, [])
        self._rows(name, stored_rows, rows)
        if entry_hash(prev_hash, at, action, details, stored_rows) != digest:
            self.problems.append(f"{name}: altered (its hash does not match)")
        self._key_mark(name, stored_rows, digest, mac)
        if self.sealed is not None and ident == self.sealed[0]:
            if digest != self.sealed[1]:
                self.problems.append(
                    f"audit entry {ident}: its hash is not the sealed one: the trail up to "
                    "the seal was rewritten"
                )
            self.seen_sealed = True
        for tbl, blob in rows:
            if len(blob) % _RECORD.size:
                continue  # its digest no longer matches: named above
            for rid, h in unpack(blob):
                self.latest[(tbl, rid)] = h
        self.prev = digest

    def _rows(self, name: str, stored: bytes | None, rows: list[tuple[str, bytes]]) -> None:
        if stored is None and (self.seen_rows_era or rows):
            self.problems.append(
                f"{name}: it records no rows, unlike every entry since the baseline"
            )
        if stored is not None:
            self.seen_rows_era = True
            if rows_digest(rows) != stored:
                self.problems.append(f"{name}: the rows it recorded were altered")

    def _key_mark(self, name: str, stored: bytes | None, digest: str, mac: str | None) -> None:
        if self.key is None or stored is None:
            return
        if mac is None or not hmac.compare_digest(mac, _mac(self.key, digest)):
            self.problems.append(
                f"{name}: its key mark does not match: the trail was written or rewritten "
                "without this store's key"
            )

    def ends(self, anchor: tuple[int, str] | None) -> None:
        """What the whole walk shows: the newest entry this PC wrote, the seal, and
        row records whose entry is gone."""
        ids = set(self.hashes)
        if anchor is not None:
            if anchor[0] not in ids:
                self.problems.append(
                    f"audit entry {anchor[0]}, the newest this PC wrote, is missing: entries "
                    f"were removed (the trail ends at entry {max(ids, default=0)})"
                )
            elif anchor[1] != self.hashes[anchor[0]]:
                self.problems.append(f"audit entry {anchor[0]}: rewritten since this PC wrote it")
        if self.sealed is not None and not self.seen_sealed:
            self.problems.append(
                f"audit entry {self.sealed[0]} of the seal is missing: entries were removed "
                f"(the trail holds {len(ids)})"
            )
        for entry in sorted(set(self.recorded) - ids):
            self.problems.append(f"audit entry {entry}: missing, though rows it recorded remain")


def _check_rows(conn: sqlite3.Connection, latest: dict[tuple[str, int], bytes | None]) -> list[str]:
    problems: list[str] = []
    seen: set[tuple[str, int]] = set()
    for tbl in tracked_tables(conn):
        try:
            current = _hashed(conn.execute(_row_text_sql(conn, tbl)))
        except sqlite3.OperationalError as exc:
            if BLOB_FOUND not in str(exc):
                raise
            problems.extend(
                f"table {tbl} row {rid}: changed outside the app (it holds binary data, "
                "which the app never writes)"
                for rid in _blob_rows(conn, tbl)
            )
            continue
        for rid, digest in current.items():
            key = (tbl, rid)
            seen.add(key)
            if latest.get(key) is None:
                problems.append(f"table {tbl} row {rid}: added outside the app")
            elif latest[key] != digest:
                problems.append(f"table {tbl} row {rid}: changed outside the app")
    for (tbl, rid), h in sorted(latest.items()):
        if h is not None and (tbl, rid) not in seen:
            problems.append(f"table {tbl} row {rid}: deleted outside the app")
    return problems
