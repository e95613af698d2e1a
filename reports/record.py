"""The compliance record of a frozen campaign (DOMAIN.md section 7; INTERFACE.md
``campaign report --record``): everything the ICO asks for, readable by someone who
has never seen the app.

It shows the sender and the campaign; how the decisions were made; the rules applied
with their legal references in plain English; the settings in force; the similarity
links and ranges used, with their reasons; the counts (and where the recipients'
details came from); every included person with the basis and its evidence; every
excluded person with every reason; the SHA-256 fingerprint of the recipient list,
checked against the list printed; and who produced it and when. Every page carries
'Page x of y', the producer and the fingerprint, so a loose page can be matched to
its record and to the campaign's file.

Everything comes from the campaign's frozen decisions and the settings stored with
them: a later opt-out or a changed setting does not change this record.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter

from model.actions.campaigns import Campaign, ComplianceRecord, RecordRow, SourceRow
from model.normalise import days_back
from model.rules import (
    BASES,
    EVENT_LABELS,
    REASON_TEXT,
    REASONS,
    SCREENING_VALID_DAYS,
    VIA_LABELS,
)

from .common import CHANNEL_LABEL, campaign_fields, display_name, plural, stamp_text
from .layout import Cell, Column, Document, ReportInfo, fit_width
from .wording import Rule, RuleSet, rules_for

WORDING_NOT_RECORDED = "wording not recorded"


def draw_compliance_record(record: ComplianceRecord, path: str | os.PathLike[str]) -> ReportInfo:
    """Draw the compliance record of a frozen campaign to ``path`` (PDF)."""
    campaign = record.campaign
    doc = _document(record, path)
    _introduction(doc, record)
    _campaign_section(doc, record)
    _how_section(doc, campaign)
    rules = _rules_section(doc, record)
    _settings_section(doc, record)
    _similarity_section(doc, campaign)
    _counts_section(doc, record, rules)
    _included_section(doc, record)
    _excluded_section(doc, record)
    _fingerprint_section(doc, record)
    pages = doc.close()
    fingerprint = campaign.fingerprint or None
    return doc.info("compliance record", pages, len(record.people), fingerprint=fingerprint)


def _produced(record: ComplianceRecord) -> tuple[str, str]:
    """(by whom, when) the record was produced, as printed."""
    return record.produced_by, stamp_text(record.produced_at)


def _matches(record: ComplianceRecord) -> bool:
    stored = record.campaign.fingerprint or ""
    return bool(stored) and record.printed_fingerprint == stored


def _document(record: ComplianceRecord, path: str | os.PathLike[str]) -> Document:
    campaign = record.campaign
    by, at = _produced(record)
    business = record.business_name
    return Document(
        path,
        title=f"Compliance record: {campaign.name}",
        header_left=f"{business} \u00b7 Compliance record",
        header_right=f"{campaign.name} \u00b7 {campaign.channel} \u00b7 {campaign.send_date}",
        footer_lines=(
            f"Compliance record of campaign {campaign.id} ({campaign.name}), produced by "
            f"{by} on {at}.",
            f"Recipient list SHA-256 fingerprint: {campaign.fingerprint or '(none)'}",
        ),
        author=business,
        subject=f"Compliance record of campaign {campaign.id}",
    )


def _introduction(doc: Document, record: ComplianceRecord) -> None:
    campaign = record.campaign
    doc.title(
        f"Compliance record: {campaign.name}",
        f"{record.business_name} \u00b7 {CHANNEL_LABEL.get(campaign.channel, campaign.channel)}"
        f" \u00b7 {campaign.category} \u00b7 send date {campaign.send_date}",
    )
    doc.paragraph(
        "This record shows who this marketing campaign was to go to, and why each person "
        "held by the business was included or left out, under the rules set out below. "
        "It is produced from the decisions stored when the campaign was created; they "
        "are never recalculated, so it shows what was decided then, even if people have "
        "changed their choices since. The product records evidence and applies stated "
        "rules; it does not give legal advice.",
        size=9.5,
        after=8,
    )


def _count_fields(record: ComplianceRecord) -> list[tuple[str, str]]:
    """People decided, included, excluded, messages; consents without wording; voicemail."""
    included = len(record.included)
    fields = [
        ("People decided", f"{len(record.people):,}"),
        ("Included", f"{included:,}"),
        ("Excluded", f"{len(record.excluded):,}"),
        ("Messages", _messages(record.campaign, included)),
    ]
    if record.wording_not_recorded:
        people = plural(record.wording_not_recorded, "person", "people")
        fields.append(
            (
                "Consent wording",
                f"{WORDING_NOT_RECORDED} for {people} "
                "included on consent (imported without the wording shown); their evidence "
                "in section 7 says so",
            )
        )
    allowed = record.voicemail_allowed
    if allowed is not None:
        fields.append(
            (
                "Voicemail",
                f"allowed for {allowed:,} of {included:,} (decided when the campaign was "
                "frozen: only where the same person was eligible for SMS)",
            )
        )
    return fields


def _campaign_section(doc: Document, record: ComplianceRecord) -> None:
    campaign = record.campaign
    by, at = _produced(record)
    fingerprint = campaign.fingerprint or ""
    doc.heading("1. The campaign")
    fields = campaign_fields(campaign, record.business_name, record.business_address)
    fields += _count_fields(record)
    fields += [
        ("Fingerprint (SHA-256)", fingerprint or "(none)"),
        ("Record produced", f"by {by} on {at}"),
        ("Audit seal", record.seal or "(none)"),
    ]
    doc.fields(fields)
    doc.space(4)
    if _matches(record):
        doc.note(
            "Checked when this record was produced: the list of included people printed "
            "in section 7 gives exactly the fingerprint above, so it is the list that was "
            "decided when the campaign was created (see section 9)."
        )
    else:
        doc.note(
            "WARNING: the list of included people printed in section 7 does NOT give the "
            "fingerprint stored with the campaign (it gives "
            f"{record.printed_fingerprint}). The stored decisions may have been altered "
            "since the campaign was created.",
            bold=True,
            shade=0.82,
        )


def _how_section(doc: Document, campaign: Campaign) -> None:
    doc.heading("2. How the decisions were made")
    doc.bullets(
        [
            f"Every contact held on {campaign.created_at[:10]} was decided for this "
            f"campaign as of its send date, {campaign.send_date}, using only what had "
            "happened (purchases, enquiries, opt-outs, consents, objections) on or before "
            "that date.",
            "Each contact's events are kept as a history that is never edited or deleted; "
            "a correction is a new event. Their permissions on the send date follow from "
            "that history.",
            "A person is included on the first basis (section 3) that holds, and the "
            "event that supports it is named as evidence: what happened, when, the "
            "product category, how the details were collected, how the opt-out was "
            "offered, and who recorded it; for a consent, when, how and the wording shown.",
            "A person who is left out has every reason that applies listed, not just the "
            "first, so that each exclusion can be fully explained.",
            "The decisions were stored when the campaign was created and are never "
            "recalculated; the fingerprint (section 9) lets anyone check that the "
            "recipient list has not changed since.",
        ]
    )


def _rules_section(doc: Document, record: ComplianceRecord) -> RuleSet:
    campaign = record.campaign
    rules = rules_for(
        campaign.channel,
        campaign.purpose,
        category=campaign.category,
        months=record.soft_opt_in_months,
        window_start=record.window_start or "the start of the window",
        post_cap=record.post_max_per_30_days,
        send_date=campaign.send_date,
        screening_start=days_back(campaign.send_date, SCREENING_VALID_DAYS),
    )
    doc.heading(f"3. The rules applied: {CHANNEL_LABEL.get(campaign.channel, campaign.channel)}")
    doc.paragraph(rules.intro, after=6)
    rule_columns = [
        Column("Code", 1.45, bold=True),
        Column("What it means", 3.6),
        Column("The law, or policy", 2.45),
    ]
    doc.table(
        rule_columns,
        _rule_rows(rules.bases),
        caption="Bases for including a person",
        keep_together=True,
    )
    doc.paragraph(
        "The checks in the first four rows below apply on every channel. A person who "
        "fails any of them is excluded for those reasons alone, whatever basis they "
        "might otherwise have had.",
        after=4,
    )
    doc.table(
        rule_columns,
        _rule_rows(rules.reasons),
        caption="Reasons for leaving a person out",
        keep_together=True,
    )
    for note in rules.notes:
        doc.note(note)
    return rules


def _settings_section(doc: Document, record: ComplianceRecord) -> None:
    campaign = record.campaign
    months, cap = record.soft_opt_in_months, record.post_max_per_30_days
    doc.heading("4. The settings in force when the campaign was decided")
    doc.fields(
        [
            ("Sender's name", record.business_name),
            ("Sender's address", record.business_address),
            ("Organisation type", f"{record.organisation_type} (organisation_type)"),
            (
                "Soft opt-in window",
                f"{months} months (soft_opt_in_months): events dated on or after "
                f"{record.window_start or '?'} count for the soft opt-in and legitimate "
                "interests",
            ),
            (
                "Postal frequency cap",
                (
                    f"{cap} postal campaigns in 30 days (post_max_per_30_days); only "
                    "campaigns marked sent count"
                    if cap
                    else "off (post_max_per_30_days = 0)"
                )
                + ("" if campaign.channel == "post" else "; applies to post only"),
            ),
            (
                "TPS and CTPS screenings",
                f"counts for {SCREENING_VALID_DAYS} days"
                + ("" if campaign.channel == "phone" else "; applies to phone only"),
            ),
        ]
    )


def _similarity_section(doc: Document, campaign: Campaign) -> None:
    settings = campaign.settings
    doc.heading("5. Similar products: the links and ranges used")
    links = [x for x in settings.get("similarity_links") or [] if isinstance(x, dict)]
    ranges = [str(r) for r in settings.get("one_ranges") or []]
    if campaign.channel in ("email", "sms") and campaign.purpose == "commercial":
        doc.paragraph(
            f"The soft opt-in needs the campaign's category ({campaign.category}) to be "
            "similar to what the person bought or asked about: the same category, one "
            "inside the other, both inside a category the business marked as one range, "
            "or categories the business linked as similar, with a written reason. The "
            "links and ranges that made anything similar to this campaign's category:",
            after=4,
        )
    else:
        doc.paragraph(
            "Similarity is a test of the email and SMS soft opt-in only; it played no "
            "part in this campaign's decisions. For completeness, the links and ranges "
            f"that touch its category ({campaign.category}):",
            after=4,
        )
    doc.table(
        [
            Column("Campaign's category (or one above it)", 2.0),
            Column("Linked, as similar, to", 2.0),
            Column("The business's reason", 3.5),
        ],
        ([str(x.get("a", "")), str(x.get("b", "")), str(x.get("why", ""))] for x in links),
        caption=f"Similarity links ({len(links)})",
        keep_together=True,
    )
    if ranges:
        doc.paragraph(
            "Marked as one range (everything inside each is similar to everything else "
            "inside it): " + "; ".join(ranges) + ".",
            after=6,
        )
    else:
        doc.paragraph("No category marked as one range applied to this campaign.", after=6)


def _counts_section(doc: Document, record: ComplianceRecord, rules: RuleSet) -> None:
    doc.heading("6. The counts")
    doc.fields(_count_fields(record))
    doc.space(6)
    bases = Counter(p.basis or "" for p in record.included)
    basis_order = [b for b in BASES if b in bases] + sorted(set(bases) - set(BASES))
    count_columns = [Column("People", 0.8, align="right"), Column("Meaning", 5.0)]
    doc.table(
        [Column("Basis", 2.0, bold=True), *count_columns],
        ([b, f"{bases[b]:,}", _rule_meaning(rules.bases, b)] for b in basis_order),
        caption="Included, by basis",
        keep_together=True,
    )
    reasons = Counter(itertools.chain.from_iterable(p.reasons for p in record.excluded))
    reason_order = [r for r in REASONS if r in reasons] + sorted(set(reasons) - set(REASONS))
    doc.table(
        [Column("Reason", 2.0, bold=True), *count_columns],
        ([r, f"{reasons[r]:,}", REASON_TEXT.get(r, r)] for r in reason_order),
        caption="Excluded, by reason (a person can have more than one reason, so these "
        "can add up to more than the number excluded)",
        keep_together=True,
    )
    doc.table(
        [
            Column("Supporting event", 2.0),
            Column("How the details were collected", 2.0),
            Column("People", 0.8, align="right"),
        ],
        _source_rows(record.sources),
        caption="Where the included people's details came from (the event behind each basis)",
        keep_together=True,
    )


def _top_id(record: ComplianceRecord) -> int:
    return max((p.contact_id for p in record.people), default=0)


def _evidence(person: RecordRow) -> str:
    """The frozen evidence; a consent whose wording was not recorded says so."""
    if person.wording_missing and WORDING_NOT_RECORDED not in person.evidence:
        return f"{person.evidence} ({WORDING_NOT_RECORDED})"
    return person.evidence


def _included_section(doc: Document, record: ComplianceRecord) -> None:
    included = record.included
    doc.heading(f"7. Everyone included ({len(included):,})", keep=80)
    doc.paragraph(
        "Sorted by contact ID. The evidence names the event that supports the basis: "
        "what happened and when, the product category, how the details were collected, "
        "how the opt-out was offered, and who recorded it.",
        after=4,
    )
    doc.table(
        [
            Column("#", 0, align="right", width=fit_width("#", str(len(included)))),
            Column("ID", 0, align="right", width=fit_width("ID", str(_top_id(record)))),
            Column("Name", 1.9),
            Column("Basis", 0, width=fit_width("Basis", *BASES, bold=False)),
            Column("Evidence", 5.4),
        ],
        (
            [str(n), str(p.contact_id), display_name(p.name), p.basis or "", _evidence(p)]
            for n, p in enumerate(included, 1)
        ),
        caption=f"Included: {plural(len(included), 'person', 'people')}",
    )


def _excluded_section(doc: Document, record: ComplianceRecord) -> None:
    excluded = record.excluded
    doc.heading(f"8. Everyone excluded ({len(excluded):,})", keep=80)
    doc.paragraph(
        "Sorted by contact ID. Every reason that applies is listed (the codes are "
        "explained in section 3), with the explanation recorded at the time.",
        after=4,
    )
    doc.table(
        [
            Column("#", 0, align="right", width=fit_width("#", str(len(excluded)))),
            Column("ID", 0, align="right", width=fit_width("ID", str(_top_id(record)))),
            Column("Name", 1.9),
            Column("Reasons", 0, width=fit_width("Reasons", *REASONS, bold=False)),
            Column("Explanation", 5.25),
        ],
        (
            [str(n), str(p.contact_id), display_name(p.name), "\n".join(p.reasons), p.evidence]
            for n, p in enumerate(excluded, 1)
        ),
        caption=f"Excluded: {plural(len(excluded), 'person', 'people')}",
    )


def _fingerprint_section(doc: Document, record: ComplianceRecord) -> None:
    by, at = _produced(record)
    fingerprint = record.campaign.fingerprint or ""
    doc.heading("9. The fingerprint of the recipient list")
    doc.paragraph(
        "The fingerprint is the SHA-256 hash of the recipient list written as text: one "
        "line \u2018contact ID,basis\u2019 for each included person, sorted by contact "
        "ID, each line ending with a line break, in UTF-8. Any change to the list (a "
        "person added, removed, or given another basis) gives a different fingerprint. "
        "It was computed when the campaign was created and stored with it; it is printed "
        "at the foot of every page of this record and of the recipient list.",
        after=6,
    )
    check = (
        "matches: the list in section 7 gives this fingerprint"
        if _matches(record)
        else f"DOES NOT MATCH: the list in section 7 gives {record.printed_fingerprint}"
    )
    doc.fields(
        [
            ("SHA-256", fingerprint or "(none)"),
            ("Lines in the list", f"{len(record.included):,}"),
            ("Checked", check),
            ("Produced by", by),
            ("Produced on", at),
        ]
    )


def _messages(campaign: Campaign, n: int) -> str:
    if campaign.sent_date:
        return f"marked sent on {campaign.sent_date}, to {plural(n, 'recipient')}"
    return f"not marked sent (when sent, to {plural(n, 'recipient')})"


def _rule_rows(rules: list[Rule]) -> list[list[str | Cell]]:
    return [[r.code, r.meaning, r.law] for r in rules]


def _rule_meaning(rules: list[Rule], code: str) -> str:
    for r in rules:
        if r.code == code:
            return r.meaning
    return code


def _source_rows(sources: list[SourceRow]) -> list[list[str | Cell]]:
    rows: list[list[str | Cell]] = []
    for source in sources:
        if source.event_type is None:
            what = {
                "corporate_subscriber": "none: a corporate subscriber (company number recorded)",
                "tps_screened": "none: clear TPS and CTPS screenings of the number",
            }.get(str(source.basis), f"none ({source.basis})")
            rows.append([what, "", f"{source.people:,}"])
            continue
        kind, via = source.event_type, source.collected_via
        if via:
            how = VIA_LABELS.get(via, via)
        elif kind == "consent":
            how = "not applicable (a consent recorded on its own)"
        else:
            how = "not recorded"
        rows.append([EVENT_LABELS.get(kind, kind), how, f"{source.people:,}"])
    return rows
