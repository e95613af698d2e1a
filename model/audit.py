"""The audit trail: every write appends a hash-chained entry (see Store.audit)."""

from __future__ import annotations

import hashlib

from .errors import InputError
from .store import Store


def verify(store: Store) -> int:
    """Check every entry's hash and link; InputError naming the first bad entry."""
    prev = "0" * 64
    count = 0
    for ident, at, action, details, prev_hash, digest in store.execute(
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
        prev = digest
        count += 1
    return count
