"""Erasure on request (UK GDPR Art 17; DOMAIN.md section 6).

The contact's details and events are deleted, and a suppression entry for every
channel is kept for each of their identifiers (one-way hashes of the email, the
phone number, and name+postcode), so that if they are entered again later they are
not marketed again (ICO: suppress rather than delete). All of it in one
transaction: the store's trigger lets a contact's events be deleted only while the
contact is announced in ``erasures_pending`` within that same transaction.

Frozen campaigns stay provable. Their decision rows are kept: they hold the contact
id, the decision (eligible, basis, reasons) and the evidence sentence, not the
person's name, email, phone or address, so the campaign's counts and its recipient
fingerprint (``contact_id,basis`` lines) are unchanged. Two fields of those rows are
touched, neither covered by the fingerprint: the pointer to the supporting event is
cleared (the event is gone, and its id could be given to someone else's event),
and where the evidence sentence quotes the contact's name or company number (a
corporate subscriber's sentence does) that is replaced with "an erased contact".
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .normalise import ALL_CHANNELS_MASK, today
from .store import Store
from .suppression import add_entries, entries_for_contact

log = logging.getLogger(__name__)

ERASED_REASON = "erased on request"
ERASED_LABEL = "an erased contact"


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure did (no personal data: ids, counts and kinds only)."""

    contact_id: int
    date: str
    events_deleted: int
    #: the kinds of identifier kept as suppression entries: email, phone, name_postcode
    suppressed: tuple[str, ...]
    screening_results_deleted: int
    campaign_decisions_kept: int
    evidence_redacted: int

    def summary(self) -> str:
        kept = ", ".join(self.suppressed) if self.suppressed else "none (no identifier held)"
        return (
            f"contact {self.contact_id} erased on {self.date}: "
            f"{self.events_deleted} event{'s' if self.events_deleted != 1 else ''} deleted\n"
            f"suppression entries kept, for all channels: {kept}\n"
            f"campaign decisions kept (no personal details): {self.campaign_decisions_kept}"
        )


def erase_contact(
    store: Store, contact: dict[str, Any] | int, *, date: str | None = None
) -> ErasureReport:
    """Erase one contact, keeping a suppression entry; all or nothing.

    ``contact`` is a contact row (as :func:`model.contacts.find_contact` returns) or
    its id. InputError when there is no such contact.
    """
    contact_id = int(contact["id"] if isinstance(contact, dict) else contact)
    day = date or today()
    # overwrite deleted content in the file rather than leave it in free pages
    secure = store.execute("PRAGMA secure_delete").fetchone()[0]
    store.execute("PRAGMA secure_delete = ON")
    try:
        report = _erase(store, contact_id, day)
    finally:
        store.execute(f"PRAGMA secure_delete = {int(secure)}")
    _checkpoint(store)
    return report


def _erase(store: Store, contact_id: int, day: str) -> ErasureReport:
    with store.transaction():
        rows = store.query("SELECT * FROM contacts WHERE id = ?", (contact_id,))
        if not rows:
            raise InputError(f"unknown contact: no contact with id {contact_id}")
        row = dict(rows[0])
        entries = entries_for_contact(row)
        add_entries(store, entries, channels=ALL_CHANNELS_MASK, date=day, reason=ERASED_REASON)

        store.execute("INSERT INTO erasures_pending(contact_id) VALUES (?)", (contact_id,))
        events = store.execute("DELETE FROM events WHERE contact_id = ?", (contact_id,)).rowcount
        screened = 0
        if row.get("phone"):
            # the screening results name the number; the phone index keeps it unique to them
            screened = store.execute(
                "DELETE FROM screening_results WHERE phone = ?", (row["phone"],)
            ).rowcount
        kept, redacted = _keep_decisions(store, contact_id, row)
        store.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))
        store.execute("DELETE FROM erasures_pending WHERE contact_id = ?", (contact_id,))

        report = ErasureReport(
            contact_id=contact_id,
            date=day,
            events_deleted=events,
            suppressed=tuple(e.kind for e in entries),
            screening_results_deleted=screened,
            campaign_decisions_kept=kept,
            evidence_redacted=redacted,
        )
        store.audit(
            "contact erase",
            {
                "contact_id": contact_id,
                "date": day,
                "events_deleted": events,
                "suppressed": list(report.suppressed),
                "screening_results_deleted": screened,
                "campaign_decisions_kept": kept,
                "evidence_redacted": redacted,
            },
        )
    return report


def _keep_decisions(store: Store, contact_id: int, row: dict[str, Any]) -> tuple[int, int]:
    """Keep the contact's frozen decisions, with no pointer to a deleted event and no
    quoted name or company number; returns (rows kept, evidence sentences changed)."""
    decisions = store.execute(
        "SELECT campaign_id, evidence FROM campaign_decisions WHERE contact_id = ?",
        (contact_id,),
    ).fetchall()
    values = sorted(
        (str(row[k]) for k in ("name", "company_number") if row.get(k)), key=len, reverse=True
    )  # a longer value first, in case one contains the other
    # the whole value only, not the same letters inside another word
    quoted = [re.compile(rf"(?<!\w){re.escape(v)}(?!\w)") for v in values]
    redacted = 0
    for campaign_id, evidence in decisions:
        text = evidence or ""
        for pattern in quoted:
            text = pattern.sub(ERASED_LABEL, text)
        changed = text != (evidence or "")
        redacted += changed
        store.execute(
            "UPDATE campaign_decisions SET event_id = NULL, evidence = ? "
            "WHERE campaign_id = ? AND contact_id = ?",
            (text if changed else evidence, campaign_id, contact_id),
        )
    return len(decisions), redacted


def _checkpoint(store: Store) -> None:
    """Move the write-ahead log into the file, so the erased pages are overwritten
    there too (best effort: another open connection may hold the log)."""
    try:
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:  # pragma: no cover - a busy store
        log.info("checkpoint after erasure deferred: %s", exc)


__all__ = ["ERASED_REASON", "ErasureReport", "erase_contact"]
