"""The records of people: the contact book, one person's page, a new event,
erasure, and the rows of one person's history report.

The contact book searches, sorts and pages in SQL (``model.book``); each channel's
status today is decided by the engine for a whole batch at once, never per contact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from model import audit, book
from model.actions.staff import Task, credited, require
from model.book import (
    NO_CATEGORY,
    SORT_COLUMNS,
    BookRow,
    campaign_categories,
    channel_status,
    count,
    page,
    status_explanation,
    status_text,
    status_text_longest,
)
from model.contacts import find_contact as _find_contact_row
from model.engine import Decision, EventRow, contact_events, describe_event
from model.erasure import ErasureReport
from model.erasure import erase_contact as _erase_contact
from model.errors import InputError
from model.normalise import today as today_date
from model.store import Store, now_stamp
from model.vocab import EventType, Register

if TYPE_CHECKING:
    from reports.layout import ReportInfo

__all__ = [
    "NO_CATEGORY",
    "SORT_COLUMNS",
    "WORDING_NOT_RECORDED",
    "BookRow",
    "ContactHistory",
    "ContactRef",
    "ContactSummary",
    "Decision",
    "ErasureReport",
    "EventRow",
    "HistoryCampaign",
    "HistoryScreening",
    "HistorySuppression",
    "PersonDetails",
    "campaign_categories",
    "channel_status",
    "contact_history",
    "contact_name",
    "contact_page",
    "count",
    "describe_event",
    "erase_contact",
    "find_contact",
    "page",
    "record_event",
    "status_explanation",
    "status_text",
    "status_text_longest",
    "wording_shown",
    "write_contact_history",
]

#: what the history and the timeline say of a consent kept without its wording
#: (an imported consent whose file did not give the words shown)
WORDING_NOT_RECORDED = "wording not recorded"


# --- finding a person -------------------------------------------------------------


@dataclass(frozen=True)
class ContactRef:
    """A contact found by email, phone or id."""

    id: int
    name: str


def find_contact(
    store: Store,
    *,
    email: str | None = None,
    phone: str | None = None,
    contact_id: str | int | None = None,
) -> ContactRef:
    """The contact named by email, phone or id; InputError naming what was not found."""
    row = _find_contact_row(store, email=email, phone=phone, contact_id=contact_id)
    return ContactRef(int(row["id"]), str(row.get("name") or ""))


def contact_name(store: Store, contact_id: int) -> str | None:
    """The contact's name (None when there is none, or no such contact)."""
    try:
        return find_contact(store, contact_id=contact_id).name or None
    except InputError:
        return None


# --- one person's page ------------------------------------------------------------


@dataclass(frozen=True)
class PersonDetails:
    """The details held on one person, as stored."""

    id: int
    name: str | None
    email: str | None
    phone: str | None
    phone_mobile: bool
    address: str | None
    postcode: str | None
    contact_type: str | None
    company_number: str | None
    created_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PersonDetails:
        return cls(
            id=int(row["id"]),
            name=row.get("name"),
            email=row.get("email"),
            phone=row.get("phone"),
            phone_mobile=bool(row.get("phone_mobile")),
            address=row.get("address"),
            postcode=row.get("postcode"),
            contact_type=row.get("contact_type"),
            company_number=row.get("company_number"),
            created_at=row.get("created_at"),
        )

    @property
    def display_name(self) -> str:
        return str(self.name or self.email or self.phone or f"contact {self.id}")


@dataclass(frozen=True)
class ContactSummary:
    """Everything the contact page shows."""

    details: PersonDetails
    events: list[EventRow]  # oldest first
    today: str
    category: str | None  # the latest sale or negotiation category (the status question)
    decisions: dict[str, Decision]  # per channel, today

    @property
    def name(self) -> str:
        return self.details.display_name


def contact_page(store: Store, contact_id: int, today: str | None = None) -> ContactSummary:
    """A contact's details, timeline and each channel's decision today."""
    day = today or today_date()
    row = _find_contact_row(store, contact_id=contact_id)
    categories = campaign_categories(store, [contact_id], day)
    decisions = channel_status(store, [contact_id], day, categories)[contact_id]
    return ContactSummary(
        PersonDetails.from_row(row),
        contact_events(store, contact_id),
        day,
        categories.get(contact_id),
        decisions,
    )


def wording_shown(event: EventRow) -> str:
    """The consent wording of an event, or "wording not recorded" for a consent kept
    without it (an event that grants no consent and has no wording: "")."""
    if event.wording:
        return event.wording
    if event.type == EventType.CONSENT or event.consented:
        # a consent is evidence only with its words: say plainly they are missing
        return WORDING_NOT_RECORDED
    return ""


def record_event(
    store: Store,
    contact_id: int,
    values: dict[str, str | None],
    *,
    staff: str | None,
    today: str | None = None,
) -> int:
    """Add a collection event (ledger column names) to a contact; InputError listing
    every problem, and nothing written, if any is wrong."""
    require(store, Task.RECORD)
    staff = credited(store, staff)
    return book.record_event(store, contact_id, values, staff=staff, today=today)


def erase_contact(store: Store, contact_id: int, *, date: str | None = None) -> ErasureReport:
    """Erase one person (UK GDPR Art 17), keeping a suppression entry; all or nothing."""
    require(store, Task.ERASE)
    return _erase_contact(store, int(contact_id), date=date)


# --- one person's history (the report's rows) -----------------------------------------


@dataclass(frozen=True)
class HistoryCampaign:
    """One frozen campaign's decision on the person."""

    id: int
    name: str
    channel: str
    category: str
    send_date: str
    sent_date: str | None
    eligible: bool
    basis: str | None
    reasons: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class HistorySuppression:
    """A do-not-contact entry that matches one of the person's identifiers."""

    date: str
    kind: str  # email, phone or name_postcode
    channels: int
    reason: str


@dataclass(frozen=True)
class HistoryScreening:
    """A TPS or CTPS screening result for the person's number."""

    date: str
    register: Register
    listed: bool
    source: str


@dataclass(frozen=True)
class ContactHistory:
    """Everything held on one person, as the history report prints it."""

    details: PersonDetails
    business: str
    produced_by: str
    produced_at: str  # an ISO time stamp
    events: list[EventRow]  # oldest first
    campaigns: list[HistoryCampaign]
    suppressions: list[HistorySuppression]
    screenings: list[HistoryScreening]
    #: the audit seal when produced ("N HASH", model/audit.py): proves later that
    #: nothing recorded up to entry N was removed or rewritten since (`audit verify --seal`)
    seal: str = ""


def contact_history(store: Store, contact_id: int, *, produced_by: str = "") -> ContactHistory:
    """The rows of one person's history; InputError when there is no such contact (an
    erased contact has no history left: only a suppression entry, which names no one)."""
    row = _find_contact_row(store, contact_id=contact_id)
    ident = int(row["id"])
    return ContactHistory(
        details=PersonDetails.from_row(row),
        business=store.setting("business_name") or "Opt-in Ledger",
        produced_by=produced_by.strip(),
        produced_at=now_stamp(),
        events=contact_events(store, ident),
        campaigns=_campaigns(store, ident),
        suppressions=_suppressions(store, row),
        screenings=_screenings(store, row.get("phone")),
        seal=audit.seal(store),
    )


def write_contact_history(
    store: Store, contact_id: int, path: str | os.PathLike[str], *, produced_by: str = ""
) -> ReportInfo:
    """Gather one person's history and draw it as a PDF at ``path``."""
    require(store, Task.REPORTS)
    from reports.history import draw_contact_history

    return draw_contact_history(contact_history(store, contact_id, produced_by=produced_by), path)


def _campaigns(store: Store, contact_id: int) -> list[HistoryCampaign]:
    rows = store.execute(
        "SELECT k.id, k.name, k.channel, k.category, k.send_date, k.sent_date, "
        "d.eligible, d.basis, d.reasons, d.evidence "
        "FROM campaign_decisions d JOIN campaigns k ON k.id = d.campaign_id "
        "WHERE d.contact_id = ? ORDER BY k.send_date, k.id",
        (contact_id,),
    )
    return [
        HistoryCampaign(
            id=int(r[0]),
            name=str(r[1]),
            channel=str(r[2]),
            category=str(r[3]),
            send_date=str(r[4]),
            sent_date=r[5],
            eligible=bool(r[6]),
            basis=r[7],
            reasons=tuple(c for c in str(r[8] or "").split(";") if c),
            evidence=str(r[9] or ""),
        )
        for r in rows
    ]


def _suppressions(store: Store, contact: dict[str, Any]) -> list[HistorySuppression]:
    found: list[HistorySuppression] = []
    for kind, column in (
        ("email", "email_hash"),
        ("phone", "phone_hash"),
        ("name_postcode", "name_postcode_hash"),
    ):
        value = contact.get(column)
        if not value:
            continue
        for date, channels, reason in store.execute(
            "SELECT date, channels, reason FROM suppressions WHERE kind = ? AND hash = ? "
            "ORDER BY date, id",
            (kind, value),
        ):
            found.append(HistorySuppression(str(date), kind, int(channels), str(reason)))
    found.sort(key=lambda s: s.date)
    return found


def _screenings(store: Store, phone: str | None) -> list[HistoryScreening]:
    if not phone:
        return []
    return [
        HistoryScreening(str(date), Register(register), bool(listed), str(source or ""))
        for register, date, listed, source in store.execute(
            "SELECT r.register, r.date, r.listed, s.source FROM screening_results r "
            "LEFT JOIN screenings s ON s.id = r.screening_id WHERE r.phone = ? "
            "ORDER BY r.date, r.register",
            (phone,),
        )
    ]
