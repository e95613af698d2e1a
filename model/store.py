"""The store: one local SQLite file, opened through sqlite-utils.

Design points (issue 2):
- events are append-only, enforced by triggers in the schema;
- the schema carries a version (``PRAGMA user_version``) and migrates forward
  step by step; a store written by a newer version is refused;
- WAL mode, foreign keys on; every command that writes does so inside one
  ``Store.transaction()``, so a refused command leaves the store as it was;
- the audit trail is a hash chain, append-only like the events.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gc
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import trail
from .errors import InputError, StoreDamaged
from .rules import EVENT_CODES, ORGANISATION_TYPES

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 3

APP_ID = 0x4F4C4447  # "OLDG": marks a file as an Opt-in Ledger store

_SCHEMA_V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE categories (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL,            -- as shown: 'Bikes/Road'
    key       TEXT NOT NULL UNIQUE,     -- as compared: 'bikes/road'
    parent_id INTEGER REFERENCES categories(id),
    one_range INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_categories_parent ON categories(parent_id);

CREATE TABLE category_links (
    id         INTEGER PRIMARY KEY,
    a_id       INTEGER NOT NULL REFERENCES categories(id),
    b_id       INTEGER NOT NULL REFERENCES categories(id),
    why        TEXT NOT NULL CHECK (length(trim(why)) > 0),
    created_at TEXT NOT NULL,
    UNIQUE (a_id, b_id)
);

-- AUTOINCREMENT: an erased contact's id is never given to someone else, since
-- frozen campaign decisions keep it
CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT,
    email          TEXT,                -- lower-cased, trimmed
    phone          TEXT,                -- international form, +44...
    phone_mobile   INTEGER NOT NULL DEFAULT 0,
    address        TEXT,
    postcode       TEXT,                -- capitals, one space
    contact_type   TEXT CHECK (contact_type IN ('individual', 'corporate')),
    company_number TEXT,
    name_key       TEXT,                -- name without case or spacing
    email_hash     TEXT,                -- identity hashes, matched against suppressions
    phone_hash     TEXT,
    name_postcode_hash TEXT,
    created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_contacts_email ON contacts(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX idx_contacts_phone ON contacts(phone) WHERE phone IS NOT NULL;
CREATE INDEX idx_contacts_name_postcode ON contacts(name_key, postcode);
CREATE INDEX idx_contacts_postcode ON contacts(postcode);
CREATE INDEX idx_contacts_email_hash ON contacts(email_hash);
CREATE INDEX idx_contacts_phone_hash ON contacts(phone_hash);
CREATE INDEX idx_contacts_np_hash ON contacts(name_postcode_hash);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id),
    date           TEXT NOT NULL,       -- YYYY-MM-DD
    type           TEXT NOT NULL,
    -- derived, stored columns for the engine: the date as a number (20260314),
    -- so events rank by (day, id) in integer arithmetic, and the type's fixed code
    -- (rules.EVENT_CODES), so sets of types are tested with bit masks
    day            INTEGER GENERATED ALWAYS AS (CAST(replace(date, '-', '') AS INTEGER)) STORED,
    type_code      INTEGER GENERATED ALWAYS AS ({type_code_case}) STORED,
    category_id    INTEGER REFERENCES categories(id),
    collected_via  TEXT,
    optout_offered TEXT CHECK (optout_offered IN ('yes', 'no')),
    optout_how     TEXT,
    refused        INTEGER NOT NULL DEFAULT 0,   -- channel bit mask
    consented      INTEGER NOT NULL DEFAULT 0,   -- channel bit mask
    wording        TEXT,
    staff          TEXT,
    notes          TEXT,
    source         TEXT,                -- 'import: file.csv row 12', 'record', 'till'
    recorded_at    TEXT NOT NULL,
    -- a known type: the CASE of type_code has no ELSE (cheaper than a CHECK ... IN)
    CHECK (type_code IS NOT NULL)
);
-- the engine reads each contact's events up to a date in one pass, from the index alone
CREATE INDEX idx_events_engine ON events(
    contact_id, day, type_code, category_id, optout_offered, refused, consented);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: record a correction as a new event');
END;
-- the only deletion allowed is an erasure (UK GDPR Art 17) of that contact,
-- announced first in erasures_pending within the same transaction
CREATE TABLE erasures_pending (contact_id INTEGER PRIMARY KEY);
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM erasures_pending WHERE contact_id = OLD.contact_id)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: they are deleted only by an erasure');
END;

CREATE TABLE screenings (
    id        INTEGER PRIMARY KEY,
    register  TEXT NOT NULL CHECK (register IN ('tps', 'ctps')),
    date      TEXT NOT NULL,
    source    TEXT,
    numbers_listed INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE screening_results (
    screening_id INTEGER NOT NULL REFERENCES screenings(id),
    phone        TEXT NOT NULL,
    register     TEXT NOT NULL,
    date         TEXT NOT NULL,
    listed       INTEGER NOT NULL
);
CREATE INDEX idx_screening_phone ON screening_results(phone, register, date, listed);

CREATE TABLE suppressions (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'name_postcode')),
    hash      TEXT NOT NULL,
    channels  INTEGER NOT NULL,
    date      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX idx_suppressions_hash ON suppressions(hash);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    channel     TEXT NOT NULL,
    category    TEXT NOT NULL,
    send_date   TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    optout_text TEXT,
    settings    TEXT NOT NULL,          -- JSON: the settings in force when frozen
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    sent_date   TEXT,
    fingerprint TEXT
);
CREATE TABLE campaign_decisions (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    contact_id  INTEGER NOT NULL,
    eligible    INTEGER NOT NULL,
    basis       TEXT,
    reasons     TEXT,
    evidence    TEXT,
    event_id    INTEGER,
    PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX idx_campaign_decisions_contact ON campaign_decisions(contact_id, eligible);
-- a finalised campaign is evidence: its decisions never change (only an erasure
-- may strip a deleted event's id and the erased person's name from them), and the
-- campaign itself changes only once, when it is marked sent
CREATE TRIGGER campaign_decisions_no_update BEFORE UPDATE ON campaign_decisions
WHEN NOT EXISTS (SELECT 1 FROM erasures_pending WHERE contact_id = OLD.contact_id)
BEGIN
    SELECT RAISE(ABORT, 'campaign decisions are frozen when the campaign is finalised');
END;
CREATE TRIGGER campaign_decisions_no_delete BEFORE DELETE ON campaign_decisions
BEGIN
    SELECT RAISE(ABORT, 'campaign decisions are frozen when the campaign is finalised');
END;
CREATE TRIGGER campaigns_no_update BEFORE UPDATE ON campaigns
WHEN OLD.sent_date IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name
  OR NEW.channel IS NOT OLD.channel OR NEW.category IS NOT OLD.category
  OR NEW.send_date IS NOT OLD.send_date OR NEW.purpose IS NOT OLD.purpose
  OR NEW.optout_text IS NOT OLD.optout_text OR NEW.settings IS NOT OLD.settings
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
  OR NEW.fingerprint IS NOT OLD.fingerprint
BEGIN
    SELECT RAISE(ABORT, 'a finalised campaign does not change; its sent date is set once');
END;
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns
BEGIN
    SELECT RAISE(ABORT, 'a finalised campaign is kept as evidence');
END;

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""


#: migrations[i] takes a store from version i to i + 1
def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run a schema script statement by statement, inside the caller's transaction.

    (``executescript`` would commit first, breaking the migration's atomicity.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        if not statement and (not line.strip() or line.strip().startswith("--")):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def _type_code_case() -> str:
    whens = " ".join(f"WHEN '{t}' THEN {code}" for t, code in EVENT_CODES.items())
    return f"CASE type {whens} END"


def _tamper_evidence_step(db: sqlite_utils.Database) -> None:
    _run_script(db, trail.SCHEMA_V3)
    trail.migrate(db.conn, now_stamp())


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    lambda db: _run_script(
        db,
        _SCHEMA_V1.replace("{type_code_case}", _type_code_case()),
    ),
    # 2: a phone campaign's voicemail mark (DOMAIN.md 4.4), decided and frozen with its
    # decisions: 1 allowed, 0 not, NULL not recorded. Campaigns frozen before this step
    # keep NULL: deciding it now could read events imported or settings changed since,
    # so the cautious reading is "not recorded", which every reader treats as no voicemail
    lambda db: _run_script(db, "ALTER TABLE campaign_decisions ADD COLUMN voicemail INTEGER;"),
    # 3: tamper evidence that covers content (model/trail.py): each entry records the
    # rows it wrote; a baseline entry records every row as it stands at this step
    lambda db: _tamper_evidence_step(db),
]

#: the rule settings of DOMAIN.md and INTERFACE.md, with their defaults
SETTINGS_DEFAULTS: dict[str, str] = {
    "business_name": "",
    "business_address": "",
    "organisation_type": "business",
    "soft_opt_in_months": "24",
    "post_max_per_30_days": "2",
}


def _check_setting(key: str, value: str) -> str:
    value = value.strip()
    if key == "organisation_type":
        if value.lower() not in ORGANISATION_TYPES:
            raise ValueError("expected business or charity")
        return value.lower()
    if key in ("soft_opt_in_months", "post_max_per_30_days"):
        minimum = 1 if key == "soft_opt_in_months" else 0
        # ASCII digits only, and a sensible size: 9999 months is over 800 years
        if not (value.isascii() and value.isdigit() and len(value) <= 4) or int(value) < minimum:
            raise ValueError(f"expected a whole number of at least {minimum} (at most 9999)")
        return str(int(value))
    if key == "staff":
        names = [n.strip() for n in value.replace("\n", ";").split(";")]
        return ";".join(dict.fromkeys(n for n in names if n))
    if "\n" in value or "\r" in value:
        raise ValueError("one line of text (the settings print as KEY=VALUE lines)")
    return value


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    An engine run or an import makes a few hundred thousand tuples; the collector would rescan them
    all again and again (measured: a third of an engine run's time at 100,000 contacts)
    and can free none of them, since they hold no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # the objects made meanwhile go to the oldest generation as they are (freeze
            # then unfreeze moves lists, it scans nothing): else the first allocation
            # afterwards starts a collection that scans every one of them (measured:
            # 0.45 s after a 250,000-row import). Cycles among them are still collected
            # by the next full collection.
            if not gc.get_freeze_count():  # no objects frozen by anyone else to disturb
                gc.freeze()
                gc.unfreeze()
            gc.enable()


#: how long a write waits for another program's to finish before giving up
WRITE_WAIT_SECONDS = 120
_FIRST_WAIT_MS = 1000
_OPEN_TIMEOUT_S = 10


def damaged(path: str, detail: str) -> StoreDamaged:
    """The refusal for a damaged store: the file, what SQLite found, how to restore."""
    from .backup import backups_folder, list_backups

    found = list_backups(backups_folder(path))
    if found:
        how = f"restore the latest backup: main.py --db {path} restore {found[0][1]}"
    else:
        how = "restore it from a backup (main.py restore FILE); no backup was found beside it"
    what = f"{path}: the store file is damaged ({detail.strip()}); nothing was written to it."
    return StoreDamaged(f"{what} To carry on, {how}", what)


def _check_structure(path: str, head: bytes, size: int) -> None:
    """What the file's header says against its size, in microseconds: a truncated file
    or a torn header is found before SQLite reads a page of it."""
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise damaged(path, "the header is damaged: no valid page size")
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]
    if size % page_size:
        raise damaged(path, f"the file is cut short: {size} bytes is not a whole number of pages")
    if header_valid and pages * page_size > size:
        raise damaged(
            path, f"the file is cut short: {size // page_size} of its {pages} pages are there"
        )


_ROOTS_SQL = "SELECT rootpage FROM sqlite_master WHERE rootpage > 0"
#: the first byte of a b-tree page: interior/leaf index, interior/leaf table
_BTREE_PAGE_TYPES = frozenset({2, 5, 10, 13})


def _check_roots(path: str, roots: list[int]) -> None:
    """The root page of every table and index is a b-tree page: a cheap check at every
    opening (one read per root) that finds a store whose tables' first pages were
    overwritten. Pages still in a write-ahead log are SQLite's to check, so the check
    is left out when a WAL holds pages (SQLite's quick check runs before any write)."""
    wal = f"{path}-wal"
    if not roots or (os.path.exists(wal) and os.path.getsize(wal) > 0):
        return
    with open(path, "rb") as fh:
        head = fh.read(100)
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        for root in sorted(set(roots)):
            fh.seek((root - 1) * page_size + (100 if root == 1 else 0))
            kind = fh.read(1)
            if kind and kind[0] not in _BTREE_PAGE_TYPES:
                raise damaged(path, f"page {root}, the start of a table or index, is not readable")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


def _log_wait(message: str) -> None:
    import logging

    logging.getLogger(__name__).info(message)


def now_stamp() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Store:
    """An open store file. Use :func:`open_store`.

    ``conn`` is the connection, in autocommit mode: nothing is written outside an
    explicit ``transaction()``, and no read leaves a transaction open behind it.
    ``db`` wraps it in sqlite-utils for the writes; it is made on first use, so a
    command that only reads does not pay for importing sqlite-utils.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        #: told once when a write has to wait for another program's (a progress message)
        self.on_wait: Callable[[str], None] = _log_wait
        #: the file passed SQLite's quick check in this session (done before the first write)
        self.checked = False
        #: who is doing it (the signed-in staff member, or the OS user): named on every audit entry
        self.actor = ""

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # --- transactions -----------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic unit of work: all of it is written, or none.

        The outermost transaction takes the write lock first (BEGIN IMMEDIATE), so two
        writers queue instead of failing: a transaction that read first and then tried
        to write would find the file changed under it and fail with "database is
        locked". A nested one is a savepoint.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        if not self.checked:
            self.check_intact()  # a damaged store is never written to
        self._begin_immediate()
        try:
            with self.db.atomic():  # a savepoint inside ours
                yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if trail.has_pending(self.conn):  # rows written after (or without) an entry
            self.audit("rows", {"note": "rows written without an entry of their own"})
        self.conn.execute("COMMIT")
        trail.write_anchor(self.conn)

    def check_intact(self) -> None:
        """SQLite's quick check of the whole file (about 0.4 s at 100,000 contacts):
        StoreDamaged naming what is wrong and how to restore."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, str(exc)) from None
        if found != ["ok"]:
            raise damaged(self.path, "; ".join(found))
        self.checked = True

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, waiting up to WRITE_WAIT_SECONDS for another writer."""
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {_FIRST_WAIT_MS}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
            self.on_wait(
                "another program is writing to this store; waiting for it to finish "
                f"(up to {WRITE_WAIT_SECONDS // 60} minutes)..."
            )
            self.conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_SECONDS * 1000}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                raise InputError(
                    f"{self.path}: another program has been writing to this store for over "
                    f"{WRITE_WAIT_SECONDS // 60} minutes; nothing was changed: try again when "
                    "it has finished"
                ) from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {_OPEN_TIMEOUT_S * 1000}")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def reconnect(self) -> None:
        """Open the same file again on this object (after a restore put another file in
        its place), so everything holding the store carries on with the new one."""
        fresh = open_store(self.path)
        self.conn.close()
        self.conn = fresh.conn
        self.checked = fresh.checked
        self.__dict__.pop("db", None)  # the sqlite-utils wrapper of the old connection

    def fill_temp_ids(self, table: str, ids: Iterable[int]) -> None:
        """A temporary table of ids (this connection only), to join instead of
        running a query per id."""
        conn = self.conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY)")
        conn.execute("SAVEPOINT fill_temp_ids")  # one unit, inside a transaction or not
        conn.execute(f"DELETE FROM temp.{table}")
        # one statement over a JSON array: SQLite reads it in C (executemany pays a
        # Python step per id; measured 3x slower for 50,000 ids)
        conn.execute(
            f"INSERT OR IGNORE INTO temp.{table}(id) SELECT value FROM json_each(?)",
            (json.dumps([int(i) for i in ids]),),
        )
        conn.execute("RELEASE fill_temp_ids")

    @contextlib.contextmanager
    def indexes_rebuilt(self, table: str, *, when: bool = True) -> Iterator[None]:
        """Drop ``table``'s indexes, then build them again from their own definitions.

        For a bulk insert inside a transaction: building an index once, from sorted
        keys, is much cheaper than updating it row by row (measured: a 100,000-contact
        import spends two thirds of its insert time in the indexes). A failure rolls
        the transaction back, indexes included; the schema afterwards is the same.
        """
        if not when:
            yield
            return
        if not self.conn.in_transaction:
            raise RuntimeError("indexes_rebuilt: only inside a transaction")
        indexes = self.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY rowid",
            (table,),
        ).fetchall()
        for name, _ in indexes:
            self.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self.execute(sql)

    # --- settings ---------------------------------------------------------

    def settings(self) -> dict[str, str]:
        values = {**SETTINGS_DEFAULTS, **EXTRA_SETTINGS}
        values.update(dict(self.execute("SELECT key, value FROM settings").fetchall()))
        return values

    def setting(self, key: str) -> str:
        row = self.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else {**SETTINGS_DEFAULTS, **EXTRA_SETTINGS}.get(key, "")

    def int_setting(self, key: str) -> int:
        return int(self.setting(key))

    def set_setting(self, key: str, value: str) -> str:
        """Validate and store one setting; raises InputError naming what is wrong."""
        return self.set_settings({key: value})[key]

    def set_settings(self, values: dict[str, str]) -> dict[str, str]:
        """Validate every value first, then store them all in one transaction.

        Raises InputError listing every problem; nothing is written then.
        """
        clean: dict[str, str] = {}
        problems = []
        for key, value in values.items():
            if key not in SETTINGS_DEFAULTS and key not in EXTRA_SETTINGS:
                known = ", ".join(list(SETTINGS_DEFAULTS) + sorted(EXTRA_SETTINGS))
                problems.append(f"unknown setting {key!r}: the settings are {known}")
                continue
            try:
                clean[key] = _check_setting(key, value)
            except ValueError as exc:
                problems.append(f"setting {key}: {value!r} is not allowed: {exc}")
        if len(problems) == 1:
            raise InputError(problems[0])
        if problems:
            raise InputError(f"{len(problems)} settings are not allowed", problems)
        changed = {k: v for k, v in clean.items() if self.setting(k) != v}
        if changed:
            with self.transaction():
                self.conn.executemany(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    list(changed.items()),
                )
                self.audit("settings", changed)
        return clean

    @property
    def staff(self) -> list[str]:
        """The staff who may be chosen as 'who is serving'."""
        return [n for n in self.setting("staff").split(";") if n]

    @property
    def is_charity(self) -> bool:
        return self.setting("organisation_type") == "charity"

    # --- audit ------------------------------------------------------------

    def audit(self, action: str, details: dict[str, Any]) -> None:
        """Append one entry to the hash-chained audit trail (inside a transaction),
        recording the rows written since the last entry (model/trail.py), and who."""
        details = {**details, "by": self.actor} if self.actor else details
        body = json.dumps(details, sort_keys=True, ensure_ascii=False)
        trail.append_entry(self.conn, now_stamp(), action, body)


#: the product's own settings beside the rule book's: what the till reads out,
#: who may serve, and each channel's default opt-out instructions (DOMAIN.md 4.5)
EXTRA_SETTINGS: dict[str, str] = {
    "optout_script": (
        "We'd like to keep you posted about offers on similar products by email, text "
        "and post. Would you rather we didn't? You can say no now, or opt out at any time."
    ),
    "staff": "",  # names separated by ';'
    # who a permission recorded by hand is credited to when no staff member is named
    "default_staff": "",
    "optout_text_email": "To stop these emails, use the unsubscribe link below or reply STOP.",
    "optout_text_sms": "Reply STOP to opt out (standard rate).",
    "optout_text_post": "To stop post from us, write to us at the address above or call us.",
    "optout_text_phone": "",
}


def _check_file(path: str, create: bool) -> bool:
    """The file before SQLite opens it: its folder, its kind, its header. Whether it exists."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"{path}: the folder {folder} does not exist")
    exists = os.path.exists(path)
    if not exists and not create:
        raise InputError(f"{path}: no such store")
    if exists and os.path.isdir(path):
        raise InputError(f"{path}: is a folder, not a store file")
    if exists and not os.access(path, os.R_OK):
        raise InputError(f"{path}: the store file cannot be read (permission denied)")
    if exists and os.path.getsize(path) > 0:
        with open(path, "rb") as fh:
            head = fh.read(100)
        if head[:16] != b"SQLite format 3\x00":
            raise InputError(f"{path}: not an Opt-in Ledger store (not an SQLite file)")
        _check_structure(path, head, os.path.getsize(path))
    return exists


def open_store(path: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open (and if needed create or migrate) the store at ``path``.

    Raises InputError with a one-line message for a missing folder, a file that
    is not a store, or a store written by a newer version.
    """
    path = os.fspath(path)
    exists = _check_file(path, create)
    make_private(path)
    try:
        conn = sqlite3.connect(path, timeout=_OPEN_TIMEOUT_S, isolation_level=None)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        roots = [r[0] for r in conn.execute(_ROOTS_SQL)]
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if exists and os.path.getsize(path) > 0:
            raise damaged(path, str(exc)) from None
        raise InputError(f"{path}: the store cannot be read: {exc}") from None
    try:
        _check_roots(path, roots)
    except StoreDamaged:
        conn.close()
        raise
    if tables and app_id != APP_ID:
        conn.close()
        raise InputError(f"{path}: not an Opt-in Ledger store (it holds other tables)")
    if version > SCHEMA_VERSION:
        conn.close()
        raise InputError(
            f"{path}: written by a newer version of Opt-in Ledger (store version "
            f"{version}; this version reads up to {SCHEMA_VERSION}): update the app"
        )
    store = Store(conn, path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports keep indexes hot
        if version < SCHEMA_VERSION:
            _migrate(store.db, version)
        trail.install_tracking(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise InputError(f"{path}: the store cannot be opened for writing: {exc}") from None
    return store


def _migrate(db: sqlite_utils.Database, version: int) -> None:
    """Bring the store up to SCHEMA_VERSION, one step per transaction."""
    for step in range(version, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[step](db)
            db.execute(f"PRAGMA user_version = {step + 1}")
            db.execute(f"PRAGMA application_id = {APP_ID}")


def default_store_path() -> Path:
    """``ledger.db`` in the user's data folder for the app (created on first use, 0700)."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("opt-in-ledger", appauthor=False))
    private_folder(folder)
    return folder / "ledger.db"


def private_folder(folder: Path) -> None:
    """A folder for the app's own files, made if missing, its owner's only (0700)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.stat().st_uid == os.getuid():
        os.chmod(folder, 0o700)


def make_private(path: str) -> None:
    """The store file (created empty if missing) and its WAL and shared-memory files
    readable and writable by their owner only (0600): they hold every customer's
    details. SQLite gives the WAL the main file's permissions when it creates it."""
    if os.name != "posix":
        return
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    for name in (path, f"{path}-wal", f"{path}-shm"):
        try:
            info = os.stat(name)
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(name, 0o600)
        except OSError:  # gone, or on a file system that keeps no modes
            continue
