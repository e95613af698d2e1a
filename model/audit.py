"""The audit trail: every write appends a hash-chained entry (see Store.audit).

The *seal* is the newest entry's number and hash, ``"N HASH"``: printed on the
compliance record, the person report and every backup, it lets anyone prove later
that nothing up to entry N was removed or rewritten (:func:`verify` with ``seal``).
"""

from __future__ import annotations

import re
import sqlite3

from . import trail
from .errors import InputError
from .store import Store, damaged

GENESIS = trail.GENESIS
_LISTED = 20  # problems listed one a line; a table rewritten whole is told in a count
_SEAL = re.compile(r"^\s*([0-9]{1,18})\s+([0-9a-f]{64})\s*$")


def check_connection(
    conn: sqlite3.Connection, seal: str | None = None, *, anchored: bool = False
) -> trail.Checked:
    """Check every entry's hash, link, rows and key mark, every row of every evidence
    table against the entry that last recorded it (model/trail.py), and the seal when
    given: InputError naming the first problem (and listing them all)."""
    sealed = parse_seal(seal) if seal is not None else None
    found = trail.check(conn, sealed, anchored=anchored)
    if found.problems:
        more = len(found.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        listed = found.problems[:_LISTED]
        if len(found.problems) > _LISTED:
            listed.append(f"... and {len(found.problems) - _LISTED} more")
        raise InputError(found.problems[0] + tail, listed if more else None)
    return found


def verify_connection(conn: sqlite3.Connection, seal: str | None = None) -> int:
    """:func:`check_connection`, returning the number of entries."""
    return check_connection(conn, seal).entries


def check(store: Store, seal: str | None = None) -> trail.Checked:
    """Check the store file (SQLite's full integrity check), then its audit trail and
    rows (and a seal): InputError naming the first problem."""
    try:
        found = [row[0] for row in store.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise damaged(store.path, str(exc)) from None
    if found != ["ok"]:
        raise damaged(store.path, "; ".join(found))
    return check_connection(store.conn, seal, anchored=True)


def verify(store: Store, seal: str | None = None) -> int:
    """:func:`check`, returning the number of entries."""
    return check(store, seal).entries


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
