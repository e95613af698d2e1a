"""The audit trail: every write appends a hash-chained entry (see Store.audit).

The *seal* is the newest entry's number and hash, ``"N HASH"``: printed on the
compliance record, the person report and every backup, it lets anyone prove later
that nothing up to entry N was removed or rewritten (:func:`verify` with ``seal``).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3

from .errors import InputError
from .store import Store, damaged

GENESIS = "0" * 64
_SEAL = re.compile(r"^\s*([0-9]{1,18})\s+([0-9a-f]{64})\s*$")


def verify_connection(conn: sqlite3.Connection, seal: str | None = None) -> int:
    """Check every entry's hash and link (and the seal, when given) on a connection;
    InputError naming the first bad entry. Returns the number of entries."""
    sealed = parse_seal(seal) if seal is not None else None
    prev = GENESIS
    count = 0
    seen_sealed = False
    for ident, at, action, details, prev_hash, digest in conn.execute(
        "SELECT id, at, action, details, prev_hash, hash FROM audit ORDER BY id"
    ):
        if prev_hash != prev:
            raise InputError(
                f"audit entry {ident} ({action}, {at}): the chain is broken "
                "(an entry before it was removed or altered)"
            )
        expected = hashlib.sha256(f"{prev}|{at}|{action}|{details}".encode()).hexdigest()
        if expected != digest:
            raise InputError(
                f"audit entry {ident} ({action}, {at}): altered (its hash does not match)"
            )
        if sealed is not None and ident == sealed[0]:
            if digest != sealed[1]:
                raise InputError(
                    f"audit entry {ident}: its hash is not the sealed one: the trail up to "
                    "the seal was rewritten"
                )
            seen_sealed = True
        prev = digest
        count += 1
    if sealed is not None and not seen_sealed:
        raise InputError(
            f"audit entry {sealed[0]} of the seal is missing: entries were removed "
            f"(the trail holds {count})"
        )
    return count


def verify(store: Store, seal: str | None = None) -> int:
    """Check the store file (SQLite's full integrity check), then its audit trail (and a
    seal): InputError naming the first problem."""
    try:
        found = [row[0] for row in store.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise damaged(store.path, str(exc)) from None
    if found != ["ok"]:
        raise damaged(store.path, "; ".join(found))
    return verify_connection(store.conn, seal)


def parse_seal(text: str) -> tuple[int, str]:
    """``"N HASH"`` as (N, HASH); InputError for anything else."""
    match = _SEAL.match(text.lower())
    if not match:
        raise InputError(
            f"--seal {text!r}: expected the entry number and its 64-character hash, "
            '"N HASH", as `audit seal` prints it'
        )
    return int(match.group(1)), match.group(2)


def seal_of(conn: sqlite3.Connection) -> str:
    """The newest entry's number and hash, ``"N HASH"`` (``"0 000..."`` when empty)."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return f"{row[0]} {row[1]}" if row else f"0 {GENESIS}"


def seal(store: Store) -> str:
    return seal_of(store.conn)
