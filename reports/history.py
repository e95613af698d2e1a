"""One person's history (INTERFACE.md ``contact report``): everything held on them,
for a subject access request or an answer to a complaint.

It shows the details held; what else is held about them (suppression entries that
match them, TPS/CTPS screenings of their number); every event, oldest first, with
its evidence (how the details were collected, how the opt-out was offered, the
channels refused or consented to, the wording, who recorded it and where the
record came from), permission changes in bold; and every campaign that included or
excluded them, with the basis and evidence or every reason, as decided then.
"""

from __future__ import annotations

import os
from typing import Any

from model.contacts import find_contact
from model.engine import EventRow, contact_events
from model.normalise import channel_names
from model.rules import EVENT_LABELS, PERMISSION_EVENTS, VIA_LABELS
from model.store import Store, now_stamp

from .common import CHANNEL_LABEL, basis_label, phone_display, plural, stamp_text
from .layout import Cell, Column, Document, ReportInfo, fit_width

_KIND_LABEL = {
    "email": "email address",
    "phone": "phone number",
    "name_postcode": "name and postcode",
}


def write_contact_history(
    store: Store, contact_id: int, path: str | os.PathLike[str], *, produced_by: str = ""
) -> ReportInfo:
    """Write everything held on one contact to ``path`` (PDF).

    InputError when there is no such contact (an erased contact has no history left:
    only a suppression entry, which names no one).
    """
    contact = find_contact(store, contact_id=contact_id)
    ident = int(contact["id"])
    name = str(contact.get("name") or contact.get("email") or contact.get("phone") or "")
    name = name or f"contact {ident}"
    business = store.setting("business_name") or "Opt-in Ledger"
    at = stamp_text(now_stamp())
    by = produced_by.strip() or "(not given)"
    events = contact_events(store, ident)
    campaigns = _campaigns(store, ident)
    suppressions = _suppressions(store, contact)
    screenings = _screenings(store, contact.get("phone"))

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
    included = sum(1 for c in campaigns if c["eligible"])
    permissions = sum(1 for e in events if e.type in PERMISSION_EVENTS)
    doc.paragraph(
        f"This report lists every detail {business} holds on this person, every event "
        "recorded about them (how their details came in, and every opt-out, consent and "
        "objection) with its evidence, and every marketing campaign that included or "
        f"excluded them, with the reasons. In all: {plural(len(events), 'event')} "
        f"({plural(permissions, 'permission change')}), {plural(len(campaigns), 'campaign')} "
        f"({included:,} included them, {len(campaigns) - included:,} excluded them).",
        size=9.5,
        after=8,
    )

    doc.heading("1. The details held")
    doc.fields(_detail_fields(contact))
    doc.space(4)
    doc.paragraph(
        "Also held: one-way hashes (fingerprints) of the email address, the phone number "
        "and the name with the postcode, used only to match the do-not-contact "
        "(suppression) list; they cannot be turned back into the details.",
        size=8.5,
        gray=0.25,
        after=6,
    )
    doc.table(
        [
            Column("Date", 1.0),
            Column("Matches their", 1.4),
            Column("Channels", 1.6),
            Column("Why the entry was made", 4.0),
        ],  # fmt: skip
        suppressions,
        caption=f"On the do-not-contact (suppression) list ({len(suppressions)})",
        keep_together=True,
    )
    doc.table(
        [
            Column("Screened on", 1.0),
            Column("Register", 1.4),
            Column("Result", 1.6),
            Column("Screening file", 4.0),
        ],  # fmt: skip
        screenings,
        caption=f"Screenings of their number against the TPS and CTPS ({len(screenings)})",
        keep_together=True,
    )

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
    pages = doc.close()
    return doc.info("contact history", pages, 1)


def _detail_fields(c: dict[str, Any]) -> list[tuple[str, str]]:
    phone = ""
    if c.get("phone"):
        kind = "mobile" if c.get("phone_mobile") else "landline or other"
        phone = f"{phone_display(c['phone'])} ({kind}; stored as {c['phone']})"
    kind = c.get("contact_type") or "individual"
    if c.get("company_number"):
        kind += f", company number {c['company_number']}"
    return [
        ("Contact ID", str(c["id"])),
        ("Name", str(c.get("name") or "")),
        ("Email", str(c.get("email") or "")),
        ("Phone", phone),
        ("Address", str(c.get("address") or "")),
        ("Postcode", str(c.get("postcode") or "")),
        ("Type", kind),
        ("First recorded", stamp_text(c.get("created_at"))),
    ]


def _channels(mask: int) -> str:
    return ", ".join(channel_names(mask)) if mask else ""


def _event_row(e: EventRow) -> list[str | Cell]:
    parts: list[str] = []
    if e.type == "objection":
        parts.append("objected to direct marketing on every channel")
    elif e.type == "opt_out":
        parts.append(f"opted out of: {_channels(e.refused) or 'no channel given'}")
    elif e.type == "consent":
        parts.append(f"consented to: {_channels(e.consented) or 'no channel given'}")
    else:
        via = e.collected_via
        parts.append(
            f"collected {VIA_LABELS.get(via, via)}" if via else "collection route not recorded"
        )
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
    if e.wording:
        parts.append(f"wording shown: \u201c{e.wording}\u201d")
    if e.notes:
        parts.append(f"notes: {e.notes}")
    parts.append(f"recorded by {e.staff}" if e.staff else "staff member not recorded")
    origin = f"entered {stamp_text(e.recorded_at)}"
    if e.source:
        origin += f" ({e.source})"
    parts.append(origin)
    label = EVENT_LABELS.get(e.type, e.type)
    permission = e.type in PERMISSION_EVENTS
    return [
        str(e.id),
        e.date,
        Cell(label, bold=permission),
        e.category or "",
        "; ".join(parts) + ".",
    ]


def _campaigns(store: Store, contact_id: int) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT k.id, k.name, k.channel, k.category, k.send_date, k.sent_date, "
        "d.eligible, d.basis, d.reasons, d.evidence "
        "FROM campaign_decisions d JOIN campaigns k ON k.id = d.campaign_id "
        "WHERE d.contact_id = ? ORDER BY k.send_date, k.id",
        (contact_id,),
    )
    return [dict(r) for r in rows]


def _campaign_row(c: dict[str, Any]) -> list[str | Cell]:
    if c["eligible"]:
        decision = Cell(f"Included: {basis_label(c['basis'])}", bold=True)
    else:
        codes = str(c["reasons"] or "").split(";")
        decision = Cell("Excluded:\n" + "\n".join(codes))
    if not c["sent_date"]:
        sent = f"{c['send_date']}\nnot sent"
    elif c["sent_date"] == c["send_date"]:
        sent = f"{c['send_date']}\nsent"
    else:
        sent = f"{c['send_date']}\nsent {c['sent_date']}"
    return [
        f"{c['name']} (campaign {c['id']})",
        CHANNEL_LABEL.get(c["channel"], c["channel"]).split(" (")[0],
        c["category"],
        sent,
        decision,
        str(c["evidence"] or ""),
    ]


def _suppressions(store: Store, contact: dict[str, Any]) -> list[list[str | Cell]]:
    rows: list[list[str | Cell]] = []
    for kind, column in (("email", "email_hash"), ("phone", "phone_hash"),
                         ("name_postcode", "name_postcode_hash")):  # fmt: skip
        value = contact.get(column)
        if not value:
            continue
        for date, channels, reason in store.execute(
            "SELECT date, channels, reason FROM suppressions WHERE kind = ? AND hash = ? "
            "ORDER BY date, id",
            (kind, value),
        ):
            rows.append([str(date), _KIND_LABEL[kind], _channels(int(channels)), str(reason)])
    rows.sort(key=lambda r: str(r[0]))
    return rows


def _screenings(store: Store, phone: str | None) -> list[list[str | Cell]]:
    if not phone:
        return []
    rows: list[list[str | Cell]] = []
    for register, date, listed, source in store.execute(
        "SELECT r.register, r.date, r.listed, s.source FROM screening_results r "
        "LEFT JOIN screenings s ON s.id = r.screening_id WHERE r.phone = ? "
        "ORDER BY r.date, r.register",
        (phone,),
    ):
        rows.append(
            [
                str(date),
                "TPS" if register == "tps" else "Corporate TPS (CTPS)",
                Cell("on the register", bold=True) if listed else "not on the register",
                str(source or ""),
            ]
        )
    return rows
