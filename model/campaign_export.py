"""A frozen campaign's recipients as CSV: for a spreadsheet, or for upload (INTERFACE.md).

Rows come from the campaign's frozen decisions (eligible only, by contact id), never
from a new engine run, so exporting again after a later opt-out writes the same
rows; :func:`changed_since_frozen` finds such recipients so the caller can warn.
A recipient erased since (UK GDPR Art 17) has no details left and is left out.

Two kinds, both UTF-8 with a header row and RFC 4180 quoting:

- ``spreadsheet``: for people. ``contact_id``, the channel's columns, then ``basis``
  and ``evidence``; every cell protected against formula injection (a cell starting
  with ``= + - @``, a tab or a carriage return gets a leading apostrophe, so
  ``+447700900123`` shows as text, as a person reads it).
- ``upload``: for a mailing service. The channel's columns only (what the service
  needs: data minimisation), raw values.

The channel's columns (named as mailing services import them):

- email: ``Email Address, First Name, Last Name, Company``
- sms: ``Phone Number, First Name, Last Name, Company`` (number in +44 form)
- post: ``Name, Address Line 1..4, Postcode`` (extra lines joined into line 4)
- phone: ``Name, Phone Number, Voicemail``: the mark frozen with the campaign
  (DOMAIN.md 4.4; see :func:`model.campaigns.voicemail_decided`): "voicemail allowed"
  or "no voicemail" (also for a campaign frozen before marks were kept)

Names: an individual's last word is the Last Name and the rest the First Name
("Smith, John" is read as last, first; a leading title such as Mr or Dr is
dropped). A company (recorded as corporate, with a company number, or a name
ending Ltd, Limited, PLC, LLP, CIC) keeps its whole name in ``Company``, with
First and Last Name empty: a mailing service then greets it with its default
("Dear customer") rather than "Dear Acme".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import engine
from .campaigns import Campaign, campaign_decisions, get_campaign, voicemail_marks
from .engine import CampaignSpec
from .errors import InputError
from .exports import DETAIL_COLUMNS, contact_details, protect
from .normalise import today
from .store import Store

EXPORT_KINDS = ("spreadsheet", "upload")

CHANNEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("Email Address", "First Name", "Last Name", "Company"),
    "sms": ("Phone Number", "First Name", "Last Name", "Company"),
    "post": (
        "Name",
        "Address Line 1",
        "Address Line 2",
        "Address Line 3",
        "Address Line 4",
        "Postcode",
    ),
    "phone": ("Name", "Phone Number", "Voicemail"),
}
ADDRESS_LINES = 4
VOICEMAIL_ALLOWED, NO_VOICEMAIL = "voicemail allowed", "no voicemail"

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "lady"})
_COMPANY_ENDING = re.compile(
    r"(?:\b(?:ltd|limited|plc|llp|cic|inc)|\bco\.? ltd)\.?$", re.IGNORECASE
)


def export_columns(channel: str, kind: str) -> tuple[str, ...]:
    """The header of an export of this channel and kind."""
    columns = CHANNEL_COLUMNS[channel]
    if kind == "spreadsheet":
        return ("contact_id", *columns, "basis", "evidence")
    return columns


def is_company(name: str | None, contact_type: str | None, company_number: str | None) -> bool:
    """A business name rather than a person's: recorded as such, or named as one."""
    if contact_type == "corporate" or company_number:
        return True
    return bool(name and _COMPANY_ENDING.search(name.strip()))


def split_name(name: str | None, *, company: bool = False) -> tuple[str, str, str]:
    """(First Name, Last Name, Company) of a contact's name."""
    text = " ".join((name or "").split())
    if not text:
        return "", "", ""
    if company:
        return "", "", text
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if first and last:
            return first, last, ""
    words = text.split(" ")
    if len(words) > 1 and words[0].rstrip(".").lower() in _TITLES:
        words = words[1:]
    if len(words) == 1:
        return words[0], "", ""
    return " ".join(words[:-1]), words[-1], ""


def address_lines(address: str | None, postcode: str | None) -> list[str]:
    """The address as ADDRESS_LINES lines (extra lines joined into the last); a
    postcode repeated at the end of the address is left to the Postcode column."""
    parts = [p.strip() for p in re.split(r"[\r\n,]+", address or "")]
    parts = [p for p in parts if p]
    if postcode and parts and parts[-1].replace(" ", "").upper() == postcode.replace(" ", ""):
        parts.pop()
    if len(parts) > ADDRESS_LINES:
        parts[ADDRESS_LINES - 1 :] = [", ".join(parts[ADDRESS_LINES - 1 :])]
    return parts + [""] * (ADDRESS_LINES - len(parts))


@dataclass
class CampaignExport:
    """What an export wrote."""

    campaign: Campaign
    kind: str
    path: str
    written: int = 0
    #: eligible when frozen, erased since: no details left, not written
    erased: list[int] = field(default_factory=list)
    #: eligible when frozen, but opted out, objected or suppressed since (and the
    #: campaign not yet sent): their choice is honoured, so they are not written
    withdrawn: list[int] = field(default_factory=list)


def write_campaign_export(
    store: Store, campaign_id: int, path: str, kind: str = "spreadsheet"
) -> CampaignExport:
    """Write the campaign's recipients (its frozen eligible decisions) to ``path``."""
    if kind not in EXPORT_KINDS:
        raise InputError(f"unknown export kind {kind!r}: expected spreadsheet or upload")
    campaign = get_campaign(store, campaign_id)
    channel = campaign.channel
    decisions = campaign_decisions(store, campaign.id, eligible=True)
    details = contact_details(store, [d.contact_id for d in decisions], DETAIL_COLUMNS)
    voicemail = voicemail_marks(store, campaign.id) if channel == "phone" else {}
    result = CampaignExport(campaign, kind, path)
    # the frozen decisions stay as they were (the record), but a mailing list made from
    # them must honour an opt-out that came in before the campaign went out
    result.withdrawn = changed_since_frozen(store, campaign)
    withdrawn = set(result.withdrawn)
    cell = protect if kind == "spreadsheet" else _raw
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(export_columns(channel, kind))
        for d in decisions:
            if d.contact_id in withdrawn:
                continue
            contact = details.get(d.contact_id)
            if contact is None:
                result.erased.append(d.contact_id)
                continue
            name, email, phone, address, postcode, contact_type, company_number = contact
            first, last, company = split_name(
                name, company=is_company(name, contact_type, company_number)
            )
            values: Sequence[str | None]
            # the spreadsheet kind protects every cell, numbers included (INTERFACE.md:
            # "+447700900123" would start a formula); the upload kind writes them raw
            if channel == "email":
                values = (email, first, last, company)
            elif channel == "sms":
                values = (phone, first, last, company)
            elif channel == "post":
                values = (name, *address_lines(address, postcode), postcode)
            else:
                # frozen with the campaign; None (not recorded) is no voicemail
                allowed = voicemail.get(d.contact_id) is True
                values = (name, phone, VOICEMAIL_ALLOWED if allowed else NO_VOICEMAIL)
            row = [cell(v) for v in values]
            if kind == "spreadsheet":
                row = [str(d.contact_id), *row, cell(d.basis), cell(d.evidence)]
            writer.writerow(row)
            result.written += 1
    return result


def _raw(value: object) -> str:
    return "" if value is None else str(value)


#: the reasons that say the person has refused since: a later opt-out, an objection,
#: or the suppression list (a reason of the campaign's own rules, say a lapsed
#: window on a later date, does not make the frozen decision wrong)
REFUSED_SINCE = frozenset({"opted_out", "objected", "suppressed"})


def changed_since_frozen(store: Store, campaign: Campaign) -> list[int]:
    """Recipients who, decided again now, are excluded as opted out, objected or
    suppressed on the campaign's channel: the frozen list (the evidence of what was
    decided) does not change, but they should not be sent to. The rule book decides,
    as of the send date or today if later (an opt-out dated after a past send date
    still counts before the campaign goes out). Empty once the campaign is marked sent.
    """
    if campaign.is_sent:
        return []
    ids = [d.contact_id for d in campaign_decisions(store, campaign.id, eligible=True)]
    if not ids:
        return []
    spec = CampaignSpec(
        campaign.channel, campaign.category, max(campaign.send_date, today()), campaign.purpose
    )
    result = engine.run(store, spec, contact_ids=ids, campaign_id=campaign.id, with_evidence=False)
    return sorted(
        d.contact_id
        for d in result.decisions
        if not d.eligible and REFUSED_SINCE.intersection(d.reasons)
    )


__all__ = [
    "CHANNEL_COLUMNS",
    "EXPORT_KINDS",
    "CampaignExport",
    "changed_since_frozen",
    "export_columns",
    "split_name",
    "write_campaign_export",
]
