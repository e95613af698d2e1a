"""Contacts and their events: validation at entry, matching, and writing.

One set of checks serves every way in (the ledger import, ``record``, the till
form), so a value refused in one is refused in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .normalise import (
    clean_text,
    format_channels,
    identity_hash,
    name_key,
    name_postcode_value,
    normalise_company_number,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    parse_channels,
    parse_id,
)
from .rules import CATEGORY_REQUIRED, COLLECTED_VIA, EVENT_TYPES, OPTOUT_OFFERED
from .store import Store, now_stamp

CONTACT_FIELDS = ("name", "email", "phone", "address", "postcode", "contact_type", "company_number")


@dataclass
class ContactDetails:
    """A person's details, already normalised (see :func:`check_contact`)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_mobile: bool = False
    address: str | None = None
    postcode: str | None = None
    contact_type: str | None = None
    company_number: str | None = None

    def identifies(self) -> bool:
        """Something to identify the person: an email, a phone, or name and postcode."""
        return bool(self.email or self.phone or (self.name and self.postcode))

    def row(self) -> dict[str, Any]:
        """The contacts-table columns derived from these details (hashes included)."""
        return {
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "phone_mobile": int(self.phone_mobile),
            "address": self.address,
            "postcode": self.postcode,
            "contact_type": self.contact_type,
            "company_number": self.company_number,
            "name_key": name_key(self.name) if self.name else None,
            "email_hash": identity_hash("email", self.email) if self.email else None,
            "phone_hash": identity_hash("phone", self.phone) if self.phone else None,
            "name_postcode_hash": identity_hash(
                "name_postcode", name_postcode_value(self.name, self.postcode)
            )
            if self.name and self.postcode
            else None,
        }


@dataclass
class EventDetails:
    """One event, already checked (see :func:`check_event`)."""

    date: str
    type: str
    category: str | None = None
    collected_via: str | None = None
    optout_offered: str | None = None
    optout_how: str | None = None
    refused: int = 0
    consented: int = 0
    wording: str | None = None
    staff: str | None = None
    notes: str | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Problem = tuple[str, str, str]  # (column, value, what is expected)


def check_contact(values: dict[str, str | None], problems: list[Problem]) -> ContactDetails:
    """Normalise raw contact values; append (column, value, expected) for each bad one."""
    details = ContactDetails()
    details.name = clean_text(values.get("name"))
    details.address = clean_text(values.get("address"))
    raw = clean_text(values.get("email"))
    if raw:
        try:
            details.email = normalise_email(raw)
        except ValueError as exc:
            problems.append(("email", raw, str(exc)))
    raw = clean_text(values.get("phone"))
    if raw:
        try:
            details.phone, details.phone_mobile = normalise_phone(raw)
        except ValueError as exc:
            problems.append(("phone", raw, str(exc)))
    raw = clean_text(values.get("postcode"))
    if raw:
        try:
            details.postcode = normalise_postcode(raw)
        except ValueError as exc:
            problems.append(("postcode", raw, str(exc)))
    raw = clean_text(values.get("contact_type"))
    if raw:
        if raw.lower() in ("individual", "corporate"):
            details.contact_type = raw.lower()
        else:
            problems.append(("contact_type", raw, "expected individual or corporate"))
    raw = clean_text(values.get("company_number"))
    if raw:
        try:
            details.company_number = normalise_company_number(raw)
        except ValueError as exc:
            problems.append(("company_number", raw, str(exc)))
    return details


def check_event(
    values: dict[str, str | None], problems: list[Problem], date: str | None
) -> EventDetails | None:
    """Check an event's values (the date already parsed); None when the type is unknown."""
    raw_type = clean_text(values.get("event"))
    event_type = raw_type.lower() if raw_type else None
    if not event_type:
        problems.append(("event", "", "an event type is required (purchase, quote_request, ...)"))
    elif event_type not in EVENT_TYPES:
        problems.append(
            ("event", raw_type or "", "an event type of the rule book: " + ", ".join(EVENT_TYPES))
        )
        event_type = None
    category = clean_text(values.get("category"))
    if event_type in CATEGORY_REQUIRED and not category:
        problems.append(("category", "", f"a {event_type} needs the category bought or discussed"))
    if category is not None and not category.replace("/", "").strip():
        problems.append(("category", category, "a category path such as Bikes/Road"))
        category = None
    via = clean_text(values.get("collected_via"))
    if via:
        via = via.lower()
        if via not in COLLECTED_VIA:
            problems.append(("collected_via", via, "one of " + ", ".join(COLLECTED_VIA)))
    offered = clean_text(values.get("optout_offered"))
    if offered:
        offered = offered.lower()
        if offered not in OPTOUT_OFFERED:
            problems.append(("optout_offered", offered, "yes, no, or empty for unknown"))
            offered = None
    refused, consented = _check_channels(values, event_type, problems)
    if event_type is None or date is None:
        return None
    return EventDetails(
        date=date,
        type=event_type,
        category=category,
        collected_via=via,
        optout_offered=offered,
        optout_how=clean_text(values.get("optout_how")),
        refused=refused,
        consented=consented,
        wording=clean_text(values.get("wording")),
        staff=clean_text(values.get("staff")),
        notes=clean_text(values.get("notes")),
    )


def _check_channels(
    values: dict[str, str | None], event_type: str | None, problems: list[Problem]
) -> tuple[int, int]:
    """The channels refused and consented to on an event row (0 where none or bad)."""
    refused = consented = 0
    refused = _channel_cell(values, "opted_out", problems)
    consented = _channel_cell(values, "consented", problems)
    if event_type == "opt_out" and not refused and not clean_text(values.get("opted_out")):
        problems.append(("opted_out", "", "an opt_out row names its channels (or all)"))
    if event_type == "consent" and not consented and not clean_text(values.get("consented")):
        problems.append(("consented", "", "a consent row names its channels (or all)"))
    if event_type in ("opt_out", "objection") and consented:
        problems.append(
            ("consented", format_channels(consented), f"no consent on an {event_type} row")
        )
    return refused, consented


def _channel_cell(values: dict[str, str | None], column: str, problems: list[Problem]) -> int:
    """A channel list cell: its mask; a problem when it is bad or names no channel
    (";;" is a mistake, not "none": an opt-out of nothing must not be stored)."""
    raw = values.get(column)
    try:
        mask = parse_channels(raw)
    except ValueError as exc:
        problems.append((column, raw or "", str(exc)))
        return 0
    if not mask and clean_text(raw):
        problems.append((column, raw or "", "names no channel: email, sms, post, phone or all"))
    return mask


EVENT_COLUMNS = (
    "contact_id",
    "date",
    "type",
    "category_id",
    "collected_via",
    "optout_offered",
    "optout_how",
    "refused",
    "consented",
    "wording",
    "staff",
    "notes",
    "source",
    "recorded_at",
)
INSERT_EVENT_SQL = (
    f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})"
)
CONTACT_COLUMNS = (
    "id",
    "name",
    "email",
    "phone",
    "phone_mobile",
    "address",
    "postcode",
    "contact_type",
    "company_number",
    "name_key",
    "email_hash",
    "phone_hash",
    "name_postcode_hash",
    "created_at",
)
INSERT_CONTACT_SQL = (
    f"INSERT INTO contacts({', '.join(CONTACT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in CONTACT_COLUMNS)})"
)


UPDATE_CONTACT_SQL = (
    "UPDATE contacts SET "
    + ", ".join(f"{c} = ?" for c in CONTACT_COLUMNS if c not in ("id", "created_at"))
    + " WHERE id = ?"
)


def update_values(contact_id: int, details: ContactDetails) -> tuple[Any, ...]:
    """Parameters of UPDATE_CONTACT_SQL: every stored column derived from ``details``."""
    row = details.row()
    return (*(row[c] for c in CONTACT_COLUMNS if c not in ("id", "created_at")), contact_id)


def details_of(row: dict[str, Any]) -> ContactDetails:
    """The ContactDetails of a stored contact row."""
    return ContactDetails(
        **{f: row[f] for f in CONTACT_FIELDS}, phone_mobile=bool(row.get("phone_mobile"))
    )


def fill_missing(current: ContactDetails, new: ContactDetails) -> dict[str, Any]:
    """What ``new`` adds to ``current``: the details it lacks (the others stay as they are)."""
    fills = {
        f: getattr(new, f)
        for f in CONTACT_FIELDS
        if getattr(current, f) is None and getattr(new, f) is not None
    }
    if "phone" in fills:
        fills["phone_mobile"] = new.phone_mobile
    return fills


def next_contact_id(store: Store) -> int:
    """The id for the next new contact: above every id ever used (erased ones included)."""
    row = store.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM contacts), 0), "
        "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0))"
    ).fetchone()
    return int(row[0]) + 1


def event_values(
    contact_id: int, event: EventDetails, category_id: int | None, stamp: str
) -> tuple:
    return (
        contact_id,
        event.date,
        event.type,
        category_id,
        event.collected_via,
        event.optout_offered,
        event.optout_how,
        event.refused,
        event.consented,
        event.wording,
        event.staff,
        event.notes,
        event.source,
        stamp,
    )


def contact_values(contact_id: int, details: ContactDetails, stamp: str) -> tuple:
    row = details.row()
    row["id"] = contact_id
    row["created_at"] = stamp
    return tuple(row[c] for c in CONTACT_COLUMNS)


# --- finding a contact --------------------------------------------------------


def find_contact(
    store: Store,
    *,
    email: str | None = None,
    phone: str | None = None,
    contact_id: str | int | None = None,
) -> dict[str, Any]:
    """The contact named by email, phone or id; InputError naming what was not found."""
    if contact_id is not None:
        try:
            ident = parse_id(contact_id, "contact id")
        except ValueError as exc:
            raise InputError(str(exc)) from None
        rows = store.query("SELECT * FROM contacts WHERE id = ?", (ident,))
        what = f"id {ident}"
    elif email is not None:
        try:
            value = normalise_email(email)
        except ValueError as exc:
            raise InputError(f"--email {email!r}: {exc}") from None
        rows = store.query("SELECT * FROM contacts WHERE email = ?", (value,))
        what = f"email {value}"
    elif phone is not None:
        try:
            value, _ = normalise_phone(phone)
        except ValueError as exc:
            raise InputError(f"--phone {phone!r}: {exc}") from None
        rows = store.query("SELECT * FROM contacts WHERE phone = ?", (value,))
        what = f"phone {value}"
    else:
        raise InputError("name the contact with --email, --phone or --contact")
    if not rows:
        raise InputError(f"unknown contact: no contact with {what}")
    return dict(rows[0])


def add_event(store: Store, contact_id: int, event: EventDetails) -> int:
    """Append one event to a contact (inside the caller's transaction)."""
    from .categories import ensure_category

    category_id = ensure_category(store, event.category) if event.category else None
    cur = store.execute(INSERT_EVENT_SQL, event_values(contact_id, event, category_id, now_stamp()))
    return int(cur.lastrowid or 0)


def record_permission(
    store: Store,
    contact: dict[str, Any],
    kind: str,
    *,
    channels: int,
    date: str,
    via: str | None = None,
    wording: str | None = None,
    staff: str | None = None,
    source: str = "record",
) -> int:
    """Record an opt-out, consent or objection for one contact, in one transaction."""
    if kind not in ("opt_out", "consent", "objection"):
        raise InputError(
            f"unknown permission event {kind!r}: expected opt-out, consent or objection"
        )
    if kind != "objection" and not channels:
        raise InputError(
            f"{kind.replace('_', '-')} needs the channels (email, sms, post, phone or all)"
        )
    event = EventDetails(
        date=date,
        type=kind,
        refused=channels if kind == "opt_out" else 0,
        consented=channels if kind == "consent" else 0,
        wording=clean_text(wording),
        staff=clean_text(staff),
        optout_how=None,
        notes=f"received via {via.strip()}" if via and via.strip() else None,
        source=source,
    )
    with store.transaction():
        event_id = add_event(store, int(contact["id"]), event)
        store.audit(
            "record " + kind,
            {"contact_id": contact["id"], "channels": format_channels(channels), "date": date},
        )
    return event_id
