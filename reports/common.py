"""What the campaign reports share: words for channels and bases, dates, phone
numbers and addresses as people read them, and the campaign's own header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.actions.campaigns import Campaign

CHANNEL_LABEL: dict[str, str] = {
    "email": "Email",
    "sms": "Text message (SMS)",
    "post": "Post",
    "phone": "Phone (live calls by a person)",
}

#: a basis as a table cell shows it (the codes are explained in the compliance record)
BASIS_LABEL: dict[str, str] = {
    "corporate_subscriber": "corporate subscriber",
    "consent": "consent",
    "charity_soft_opt_in": "charity soft opt-in",
    "soft_opt_in": "soft opt-in",
    "legitimate_interests": "legitimate interests",
    "tps_screened": "TPS screened",
}

PURPOSE_LABEL: dict[str, str] = {
    "commercial": "commercial (selling the business's own goods or services)",
    "charitable": "charitable (furthering the charity's charitable purposes)",
}

ERASED = "(erased since)"


def basis_label(basis: str | None) -> str:
    return BASIS_LABEL.get(basis or "", basis or "")


def display_name(name: str | None) -> str:
    """The contact's name; a contact erased after the campaign has none left."""
    return name if name else ERASED


def long_date(iso: str | None) -> str:
    """'2026-11-20 (Friday 20 November 2026)'; the ISO date alone if it is not one."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{iso[:10]} ({day.strftime('%A')} {day.day} {day.strftime('%B %Y')})"


def stamp_text(stamp: str | None) -> str:
    """An ISO time stamp as people read it: '2026-11-29 12:58 (UTC+00:00)'."""
    if not stamp:
        return ""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    text = when.strftime("%Y-%m-%d %H:%M")
    if when.utcoffset() is not None:
        text += f" (UTC{when.strftime('%z')[:3]}:{when.strftime('%z')[3:]})"
    return text


def phone_display(phone: str | None) -> str:
    """+447700900123 -> '07700 900123' (the way it is dialled here); others international."""
    if not phone:
        return ""
    try:
        import phonenumbers

        number = phonenumbers.parse(phone, "GB")
        if number.country_code == 44:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except Exception:  # an odd stored value is shown as stored
        return phone


def address_lines(address: str | None, postcode: str | None) -> list[str]:
    """A postal address as label lines: one per line or comma-separated part, then the
    postcode (unless the address already ends with it)."""
    parts: list[str] = []
    for line in (address or "").replace("\r", "\n").split("\n"):
        parts.extend(p.strip() for p in line.split(",") if p.strip())
    if postcode and (not parts or parts[-1].replace(" ", "").upper() != postcode.replace(" ", "")):
        parts.append(postcode)
    return parts


def campaign_fields(
    campaign: Campaign, business_name: str, business_address: str
) -> list[tuple[str, str]]:
    """The campaign's header: who sends what, to whom, when, and how people opt out."""
    name, address = business_name, business_address
    sent = f"marked sent on {campaign.sent_date}" if campaign.sent_date else "not yet marked sent"
    frozen = stamp_text(campaign.created_at)
    if campaign.created_by:
        frozen += f" by {campaign.created_by}"
    return [
        ("Sender", f"{name}, {address}" if address else name),
        ("Campaign", f"{campaign.name} (campaign {campaign.id})"),
        ("Channel", CHANNEL_LABEL.get(campaign.channel, campaign.channel)),
        ("Product category", campaign.category),
        ("Send date", f"{long_date(campaign.send_date)}; {sent}"),
        ("Purpose", PURPOSE_LABEL.get(campaign.purpose, campaign.purpose)),
        ("Opt-out instructions", campaign.optout_text or "(none recorded)"),
        ("Decided (frozen)", frozen),
    ]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_words(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
