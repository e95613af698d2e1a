"""Recording a customer at the till: check, recognise, save, and say what it means.

The till form gathers a :class:`TillEntry`; this module does the rest, so the
window holds no rules: :func:`check_entry` returns what is wrong per field, in
words; :func:`recognise` finds the returning customer; :func:`save_entry` writes
the contact and the event in one transaction and returns the sentence the
cashier reads ("Jane Smith: email and SMS about Bikes allowed under soft opt-in;
post refused").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import engine
from .contacts import (
    INSERT_CONTACT_SQL,
    UPDATE_CONTACT_SQL,
    ContactDetails,
    add_event,
    check_contact,
    check_event,
    contact_values,
    details_of,
    fill_missing,
    next_contact_id,
    update_values,
)
from .errors import InputError
from .normalise import CHANNELS, format_channels, name_key, normalise_email, normalise_phone
from .normalise import today as _today
from .rules import BASIS_SHORT, EVENT_LABELS, REASON_TEXT
from .store import Store, now_stamp

#: the five the till offers one key away (the rest are in a list)
COMMON_EVENTS = ("purchase", "booking", "quote_request", "product_enquiry", "general_enquiry")

CHANNEL_LABELS = {"email": "email", "sms": "SMS", "post": "post", "phone": "phone calls"}


@dataclass
class TillEntry:
    """What the till form holds, as typed."""

    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    event_type: str = ""
    category: str = ""
    collected_via: str = "in_store"
    #: "yes" or "no": asked every time, no default (a conscious answer)
    optout_offered: str | None = None
    optout_how: str = ""
    refused: set[str] = field(default_factory=set)
    consented: set[str] = field(default_factory=set)
    wording: str = ""
    staff: str = ""
    date: str = ""


@dataclass
class Recognised:
    """A returning customer, as the till shows them."""

    contact_id: int
    name: str
    details: str
    last_events: list[str]


@dataclass
class Saved:
    contact_id: int
    created: bool
    event_id: int
    summary: str
    decisions: dict[str, engine.Decision]


def check_entry(store: Store, entry: TillEntry) -> dict[str, str]:
    """Every problem, by field name, in words. Empty when the entry can be saved."""
    errors: dict[str, str] = {}
    problems: list[tuple[str, str, str]] = []
    details = check_contact(_contact_values(entry), problems)
    event = check_event(_event_values(entry), problems, entry.date or _today())
    for column, _value, expected in problems:
        errors.setdefault(_FIELD_OF_COLUMN.get(column, column), _sentence(expected))
    if not entry.event_type:
        errors["event_type"] = "Choose how they came in (F1–F5, or Other)."
    if not (details.email or details.phone or (details.address and details.postcode)) and not (
        {"email", "phone", "postcode"} & errors.keys()
    ):
        errors["email"] = "Give at least one way to reach them: an email, a phone or an address."
    if entry.address.strip() and not entry.postcode.strip() and "postcode" not in errors:
        errors["postcode"] = "An address needs its postcode."
    if not entry.staff.strip():
        errors["staff"] = (
            "Choose who is serving (top of the till)."
            if store.staff
            else "Add staff names in Settings, then choose who is serving."
        )
    if event is not None and entry.optout_offered not in ("yes", "no"):
        errors["optout_offered"] = "Say whether the opt-out was offered: yes or no."
    both = entry.refused & entry.consented
    if both:
        errors["consented"] = (
            f"Refused and consented to the same channel: {', '.join(sorted(both))}."
        )
    elif entry.consented and not entry.wording.strip():
        errors["wording"] = "Record the consent wording the customer agreed to."
    if not errors:
        try:
            match = _match(store, details)
        except InputError as exc:
            errors["phone"] = exc.message
        else:
            if match is None and not details.name:
                errors["name"] = "A new customer needs a name."
    return errors


_FIELD_OF_COLUMN = {"event": "event_type", "opted_out": "refused", "consented": "consented"}


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _contact_values(entry: TillEntry) -> dict[str, str | None]:
    return {
        "name": entry.name,
        "email": entry.email,
        "phone": entry.phone,
        "address": entry.address,
        "postcode": entry.postcode,
    }


def _event_values(entry: TillEntry) -> dict[str, str | None]:
    return {
        "event": entry.event_type,
        "category": entry.category,
        "collected_via": entry.collected_via,
        "optout_offered": entry.optout_offered or "",
        "optout_how": entry.optout_how,
        "opted_out": ";".join(sorted(entry.refused)),
        "consented": ";".join(sorted(entry.consented)),
        "wording": entry.wording,
        "staff": entry.staff,
    }


def _match(store: Store, details: ContactDetails) -> int | None:
    """The ledger's matching rule: same email, else same phone, else same name and postcode."""
    by_email = by_phone = None
    if details.email:
        row = store.execute("SELECT id FROM contacts WHERE email = ?", (details.email,)).fetchone()
        by_email = row[0] if row else None
    if details.phone:
        row = store.execute("SELECT id FROM contacts WHERE phone = ?", (details.phone,)).fetchone()
        by_phone = row[0] if row else None
    if by_email is not None and by_phone is not None and by_email != by_phone:
        raise InputError(
            "This email belongs to one customer and this phone number to another: "
            "check both, or leave one out."
        )
    if by_email is not None:
        return int(by_email)
    if by_phone is not None:
        return int(by_phone)
    if details.name and details.postcode:
        row = store.execute(
            "SELECT id FROM contacts WHERE name_key = ? AND postcode = ? ORDER BY id LIMIT 1",
            (name_key(details.name), details.postcode),
        ).fetchone()
        return int(row[0]) if row else None
    return None


def recognise(store: Store, *, email: str = "", phone: str = "") -> Recognised | None:
    """The returning customer with this email (else this phone), as typed so far.

    A field not yet a whole email or number is skipped, so the other can still match.
    """
    for column, raw, normalise in (
        ("email", email, normalise_email),
        ("phone", phone, lambda text: normalise_phone(text)[0]),
    ):
        if not raw.strip():
            continue
        try:
            value = normalise(raw)
        except ValueError:
            continue
        row = store.execute(f"SELECT id FROM contacts WHERE {column} = ?", (value,)).fetchone()
        if row:
            return describe_contact(store, int(row[0]))
    return None


def describe_contact(store: Store, contact_id: int) -> Recognised:
    row = store.query("SELECT * FROM contacts WHERE id = ?", (contact_id,))[0]
    reach = [v for v in (row["email"], row["phone"], row["postcode"]) if v]
    events = engine.contact_events(store, contact_id)[-3:]
    lines = []
    for ev in reversed(events):
        label = EVENT_LABELS.get(ev.type, ev.type)
        text = f"{ev.date} {label}"
        if ev.category:
            text += f" ({ev.category})"
        if ev.refused:
            text += f", refused {format_channels(ev.refused).replace(';', ', ')}"
        if ev.consented:
            text += f", consented to {format_channels(ev.consented).replace(';', ', ')}"
        lines.append(text)
    return Recognised(contact_id, row["name"] or "(no name)", " · ".join(reach), lines)


def save_entry(store: Store, entry: TillEntry) -> Saved:
    """Write the customer (new, or the one recognised) and the event, in one transaction."""
    errors = check_entry(store, entry)
    if errors:
        raise InputError("; ".join(errors.values()))
    problems: list[tuple[str, str, str]] = []
    details = check_contact(_contact_values(entry), problems)
    date = entry.date or _today()
    event = check_event(_event_values(entry), problems, date)
    assert event is not None and not problems
    event.source = "till"
    with store.transaction():
        contact_id = _match(store, details)
        created = contact_id is None
        stamp = now_stamp()
        if contact_id is None:
            contact_id = next_contact_id(store)
            store.execute(INSERT_CONTACT_SQL, contact_values(contact_id, details, stamp))
        else:
            current = details_of(
                dict(store.query("SELECT * FROM contacts WHERE id = ?", (contact_id,))[0])
            )
            fills = fill_missing(current, details)
            if fills:
                for name, value in fills.items():
                    setattr(current, name, value)
                store.execute(UPDATE_CONTACT_SQL, update_values(contact_id, current))
        event_id = add_event(store, contact_id, event)
        store.audit("till", {"contact_id": contact_id, "event": event.type, "new": created})
    decisions = decisions_today(store, contact_id, entry.category, date)
    name = details.name or describe_contact(store, contact_id).name
    return Saved(
        contact_id, created, event_id, summarise(name, entry.category, decisions), decisions
    )


def decisions_today(
    store: Store, contact_id: int, category: str, date: str | None = None
) -> dict[str, engine.Decision]:
    """The contact's decision on every channel, for a campaign about ``category``."""
    from .book import channel_status

    about = {contact_id: category.strip() or None}
    return channel_status(store, [contact_id], date or _today(), categories=about)[contact_id]


def summarise(name: str, category: str, decisions: dict[str, engine.Decision]) -> str:
    """'Jane Smith: email and SMS about Bikes allowed under soft opt-in; post refused'."""
    allowed: dict[str, list[str]] = {}
    refused: list[str] = []
    other: list[str] = []
    for channel in CHANNELS:
        d = decisions[channel]
        label = CHANNEL_LABELS[channel]
        if d.eligible and d.basis:
            allowed.setdefault(d.basis, []).append(label)
        elif "opted_out" in d.reasons or "objected" in d.reasons:
            refused.append(label)
        else:
            other.append(f"{label}: {REASON_TEXT[d.reasons[0]]}" if d.reasons else label)
    parts = []
    about = f" about {category}" if category.strip() else ""
    for basis, channels in allowed.items():
        parts.append(f"{_join(channels)}{about} allowed under {BASIS_SHORT[basis]}")
    if refused:
        parts.append(f"{_join(refused)} refused")
    parts.extend(other)
    return f"{name}: " + "; ".join(parts)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def field_error(name: str, value: str) -> str | None:
    """The problem with one contact field as typed (None when fine or empty)."""
    if not value.strip() or name not in ("email", "phone", "postcode"):
        return None
    problems: list[tuple[str, str, str]] = []
    check_contact({name: value}, problems)
    return _sentence(problems[0][2]) if problems else None
