"""One person's history (INTERFACE.md ``contact report``): everything held on them,
for a subject access request or an answer to a complaint.

It shows the details held; what else is held about them (suppression entries that
match them, TPS/CTPS screenings of their number); every event, oldest first, with
its evidence (how the details were collected, how the opt-out was offered, the
channels refused or consented to, the wording, who recorded it and where the
record came from), permission changes in bold; and every campaign that included or
excluded them, with the basis and evidence or every reason, as decided then.

It only draws: the rows come from ``model.actions.records.contact_history``.
"""

from __future__ import annotations

import os

from model.actions.records import (
    ContactHistory,
    EventRow,
    HistoryCampaign,
    HistoryScreening,
    HistorySuppression,
    PersonDetails,
    wording_shown,
)
from model.normalise import channel_names
from model.rules import EVENT_LABELS, PERMISSION_EVENTS, VIA_LABELS
from model.vocab import EventType, Register

from .common import CHANNEL_LABEL, basis_label, phone_display, plural, stamp_text
from .layout import Cell, Column, Document, ReportInfo, fit_width


def draw_contact_history(history: ContactHistory, path: str | os.PathLike[str]) -> ReportInfo:
    """Draw everything held on one person (the rows an action gathered) to ``path`` (PDF)."""
    doc = _document(history, path)
    _introduction(doc, history)
    _seal_note(doc, history)
    _details_section(doc, history)
    _events_section(doc, history.events)
    _campaigns_section(doc, history.campaigns)
    pages = doc.close()
    return doc.info("contact history", pages, 1)


def _document(history: ContactHistory, path: str | os.PathLike[str]) -> Document:
    ident, name, business = history.details.id, history.details.display_name, history.business
    at, by = stamp_text(history.produced_at), history.produced_by or "(not given)"
    doc = Document(
        path,
        title=f"Personal data held: {name}",
        header_left=f"{business} \u00b7 Everything held on one person",
        header_right=f"{name} \u00b7 contact {ident}",
        footer_lines=(
            f"History of contact {ident} ({name}), produced by {by} on {at}.",
            "Events are never edited or deleted: a correction is recorded as a new event.",
        ),
        author=business,
        subject=f"Personal data held on contact {ident}",
    )
    doc.title(
        f"Everything held on {name}",
        f"{business} \u00b7 contact {ident} \u00b7 produced by {by} on {at}",
    )
    return doc


def _introduction(doc: Document, history: ContactHistory) -> None:
    events, campaigns = history.events, history.campaigns
    included = sum(1 for c in campaigns if c.eligible)
    permissions = sum(1 for e in events if e.type in PERMISSION_EVENTS)
    doc.paragraph(
        f"This report lists every detail {history.business} holds on this person, every event "
        "recorded about them (how their details came in, and every opt-out, consent and "
        "objection) with its evidence, and every marketing campaign that included or "
        f"excluded them, with the reasons. In all: {plural(len(events), 'event')} "
        f"({plural(permissions, 'permission change')}), {plural(len(campaigns), 'campaign')} "
        f"({included:,} included them, {len(campaigns) - included:,} excluded them).",
        size=9.5,
        after=8,
    )


def _seal_note(doc: Document, history: ContactHistory) -> None:
    doc.paragraph(
        f"Audit seal when produced: {history.seal or '(none)'}. With it, `audit verify "
        "--seal` proves later that nothing recorded up to then was removed or rewritten.",
        size=8.5,
        gray=0.25,
        after=8,
    )


def _details_section(doc: Document, history: ContactHistory) -> None:
    doc.heading("1. The details held")
    doc.fields(_detail_fields(history.details))
    doc.space(4)
    doc.paragraph(
        "Also held: one-way hashes (fingerprints) of the email address, the phone number "
        "and the name with the postcode, used only to match the do-not-contact "
        "(suppression) list; they cannot be turned back into the details.",
        size=8.5,
        gray=0.25,
        after=6,
    )
    suppressions = [_suppression_row(s) for s in history.suppressions]
    doc.table(
        [
            Column("Date", 1.0),
            Column("Matches their", 1.4),
            Column("Channels", 1.6),
            Column("Why the entry was made", 4.0),
        ],
        suppressions,
        caption=f"On the do-not-contact (suppression) list ({len(suppressions)})",
        keep_together=True,
    )
    screenings = [_screening_row(s) for s in history.screenings]
    doc.table(
        [
            Column("Screened on", 1.0),
            Column("Register", 1.4),
            Column("Result", 1.6),
            Column("Screening file", 4.0),
        ],
        screenings,
        caption=f"Screenings of their number against the TPS and CTPS ({len(screenings)})",
        keep_together=True,
    )


def _events_section(doc: Document, events: list[EventRow]) -> None:
    doc.heading(f"2. Every event ({len(events):,})", keep=80)
    doc.paragraph(
        "Oldest first. Opt-outs, consents and objections (permission changes) are in bold.",
        after=4,
    )
    doc.table(
        [
            Column("ID", 0, align="right", width=fit_width("ID", *(str(e.id) for e in events))),
            Column("Date", 1.05),
            Column("Event", 1.75),
            Column("Category", 1.7),
            Column("Evidence", 4.9),
        ],
        (_event_row(e) for e in events),
        caption=f"Events: {len(events):,}",
    )


def _campaigns_section(doc: Document, campaigns: list[HistoryCampaign]) -> None:
    doc.heading(f"3. Every campaign that included or excluded them ({len(campaigns):,})", keep=80)
    doc.paragraph(
        "As decided when each campaign was created (decisions are stored then and never "
        "recalculated): the basis and its evidence, or every reason for leaving them out.",
        after=4,
    )
    doc.table(
        [
            Column("Campaign", 1.9),
            Column("Channel", 0.9),
            Column("Category", 1.6),
            Column("Send date", 1.15),
            Column("Decision", 1.65),
            Column("Evidence or explanation", 3.7),
        ],
        (_campaign_row(c) for c in campaigns),
        caption=f"Campaigns: {len(campaigns):,}",
    )


def _detail_fields(c: PersonDetails) -> list[tuple[str, str]]:
    phone = ""
    if c.phone:
        kind = "mobile" if c.phone_mobile else "landline or other"
        phone = f"{phone_display(c.phone)} ({kind}; stored as {c.phone})"
    kind = c.contact_type or "individual"
    if c.company_number:
        kind += f", company number {c.company_number}"
    return [
        ("Contact ID", str(c.id)),
        ("Name", c.name or ""),
        ("Email", c.email or ""),
        ("Phone", phone),
        ("Address", c.address or ""),
        ("Postcode", c.postcode or ""),
        ("Type", kind),
        ("First recorded", stamp_text(c.created_at)),
    ]


def _channels(mask: int) -> str:
    return ", ".join(channel_names(mask)) if mask else ""


def _collection_parts(e: EventRow) -> list[str]:
    """How a collection event's details came in, and what was offered and chosen then."""
    via = e.collected_via
    parts = [f"collected {VIA_LABELS.get(via, via)}" if via else "collection route not recorded"]
    if e.optout_offered == "yes":
        parts.append(
            f"opt-out offered: \u201c{e.optout_how}\u201d"
            if e.optout_how
            else "opt-out offered (how not recorded)"
        )
    elif e.optout_offered == "no":
        parts.append("opt-out not offered")
    else:
        parts.append("whether an opt-out was offered is not recorded")
    if e.refused:
        parts.append(f"refused then: {_channels(e.refused)}")
    if e.consented:
        parts.append(f"consented then: {_channels(e.consented)}")
    return parts


def _evidence(e: EventRow) -> str:
    """The event's evidence as one sentence: what, how, the wording, who and when."""
    if e.type == EventType.OBJECTION:
        parts = ["objected to direct marketing on every channel"]
    elif e.type == EventType.OPT_OUT:
        parts = [f"opted out of: {_channels(e.refused) or 'no channel given'}"]
    elif e.type == EventType.CONSENT:
        parts = [f"consented to: {_channels(e.consented) or 'no channel given'}"]
    else:
        parts = _collection_parts(e)
    wording = wording_shown(e)
    if e.wording:
        parts.append(f"wording shown: \u201c{wording}\u201d")
    elif wording:
        parts.append(wording)  # a consent kept without its words says so
    if e.notes:
        parts.append(f"notes: {e.notes}")
    parts.append(f"recorded by {e.staff}" if e.staff else "staff member not recorded")
    origin = f"entered {stamp_text(e.recorded_at)}"
    if e.source:
        origin += f" ({e.source})"
    parts.append(origin)
    return "; ".join(parts) + "."


def _event_row(e: EventRow) -> list[str | Cell]:
    label = EVENT_LABELS.get(e.type, e.type)
    permission = e.type in PERMISSION_EVENTS
    return [str(e.id), e.date, Cell(label, bold=permission), e.category or "", _evidence(e)]


def _campaign_row(c: HistoryCampaign) -> list[str | Cell]:
    if c.eligible:
        decision = Cell(f"Included: {basis_label(c.basis)}", bold=True)
    else:
        decision = Cell("Excluded:\n" + "\n".join(c.reasons))
    if not c.sent_date:
        sent = f"{c.send_date}\nnot sent"
    elif c.sent_date == c.send_date:
        sent = f"{c.send_date}\nsent"
    else:
        sent = f"{c.send_date}\nsent {c.sent_date}"
    return [
        f"{c.name} (campaign {c.id})",
        CHANNEL_LABEL.get(c.channel, c.channel).split(" (")[0],
        c.category,
        sent,
        decision,
        c.evidence,
    ]


_KIND_LABEL = {
    "email": "email address",
    "phone": "phone number",
    "name_postcode": "name and postcode",
}


def _suppression_row(s: HistorySuppression) -> list[str | Cell]:
    return [s.date, _KIND_LABEL.get(s.kind, s.kind), _channels(s.channels), s.reason]


def _screening_row(s: HistoryScreening) -> list[str | Cell]:
    return [
        s.date,
        "TPS" if s.register == Register.TPS else "Corporate TPS (CTPS)",
        Cell("on the register", bold=True) if s.listed else "not on the register",
        s.source,
    ]
