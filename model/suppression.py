"""The suppression list (DOMAIN.md section 6): minimal, one-way hashed entries."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .ledger import read_text
from .normalise import (
    ALL_CHANNELS_MASK,
    identity_hash,
    name_postcode_value,
    normalise_email,
    normalise_phone,
    normalise_postcode,
)
from .store import Store, now_stamp


@dataclass(frozen=True)
class Entry:
    kind: str  # email | phone | name_postcode
    hash: str


def entry_for_line(text: str) -> Entry:
    """One do-not-contact line: an email, a phone number, or "name, postcode"."""
    value = text.strip().strip('"').strip()
    if "@" in value:
        return Entry("email", identity_hash("email", normalise_email(value)))
    if "," in value:
        name, _, postcode = value.rpartition(",")
        if not name.strip():
            raise ValueError('expected "name, postcode"')
        return Entry(
            "name_postcode",
            identity_hash("name_postcode", name_postcode_value(name, normalise_postcode(postcode))),
        )
    phone, _ = normalise_phone(value)
    return Entry("phone", identity_hash("phone", phone))


def entries_for_contact(contact: dict[str, object]) -> list[Entry]:
    """Every identifier of a contact, as suppression entries (kept after erasure)."""
    entries = []
    if contact.get("email_hash"):
        entries.append(Entry("email", str(contact["email_hash"])))
    if contact.get("phone_hash"):
        entries.append(Entry("phone", str(contact["phone_hash"])))
    if contact.get("name_postcode_hash"):
        entries.append(Entry("name_postcode", str(contact["name_postcode_hash"])))
    return entries


def add_entries(
    store: Store, entries: list[Entry], *, channels: int, date: str, reason: str
) -> None:
    """Write suppression entries (inside the caller's transaction)."""
    stamp = now_stamp()
    store.conn.executemany(
        "INSERT INTO suppressions(kind, hash, channels, date, reason, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(e.kind, e.hash, channels, date, reason, stamp) for e in entries],
    )


def import_suppressions(
    store: Store, path: str, *, channels: int = ALL_CHANNELS_MASK, date: str
) -> int:
    """Add a do-not-contact list; every line must be understood, or nothing is added."""
    text, _ = read_text(path)
    entries: list[Entry] = []
    problems = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        try:
            entries.append(entry_for_line(line))
        except ValueError as exc:
            problems.append(f"{path}: line {line_number}: {line.strip()[:60]!r}: {exc}")
    if problems:
        raise InputError(
            f"{path}: {len(problems)} line{'s' if len(problems) != 1 else ''} not understood; "
            "nothing was added",
            problems,
        )
    with store.transaction():
        add_entries(store, entries, channels=channels, date=date, reason=f"imported from {path}")
        store.audit("suppress", {"file": path, "entries": len(entries), "channels": channels})
    return len(entries)
