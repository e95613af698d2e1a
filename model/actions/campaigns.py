"""Campaigns, one function per thing a user does: see the numbers, create (check and
freeze), list, look at one, mark sent, export, and print the recipient list and the
compliance record.

The command line (``main.py campaign ...``) and the Campaigns page call these and
nothing else, so both give the same answer and the same refusal. The printed reports
get their rows from :func:`recipient_list_rows` and :func:`compliance_record_rows`
(the dataclasses below) and only draw them.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from model import audit, engine
from model import campaigns as _campaigns
from model.actions.staff import Task, require
from model.campaign_export import write_campaign_export
from model.campaigns import Campaign
from model.categories import find_category, list_categories
from model.engine import CampaignSpec, Decision, DecisionRun
from model.errors import InputError
from model.exports import check_output_path, output_files
from model.normalise import category_display, clean_text
from model.store import Store, now_stamp
from model.vocab import Basis, Channel

if TYPE_CHECKING:
    from reports.layout import ReportInfo

__all__ = [
    "Campaign",
    "CampaignSpec",
    "CampaignSummary",
    "ComplianceRecord",
    "Created",
    "Decision",
    "DecisionRun",
    "ExportResult",
    "FormDefaults",
    "RecipientList",
    "RecipientRow",
    "RecordRow",
    "SourceRow",
    "check",
    "compliance_record_rows",
    "create",
    "export",
    "form_defaults",
    "get",
    "is_known_category",
    "list_all",
    "mark_sent",
    "preview",
    "recipient_list_rows",
    "summary",
    "write_compliance_record",
    "write_labels",
    "write_recipient_list",
]


# --- before freezing ------------------------------------------------------------------


@dataclass(frozen=True)
class FormDefaults:
    """What a new-campaign form starts from: the category paths, each channel's
    opt-out text from the settings, and whether a charitable purpose may be chosen."""

    categories: list[str]
    optout_texts: dict[str, str]
    is_charity: bool


def form_defaults(store: Store) -> FormDefaults:
    return FormDefaults(
        categories=[c.path for c in list_categories(store)],
        optout_texts={ch: store.setting(f"optout_text_{ch}") for ch in Channel},
        is_charity=store.is_charity,
    )


def is_known_category(store: Store, path: str) -> bool:
    """Whether the category is in the shop's tree (one outside it is compared by path)."""
    try:
        return find_category(store, path) is not None
    except ValueError:
        return False


def _spec(channel: str, category: str, send_date: str, purpose: str) -> CampaignSpec:
    """The question as a user typed it: channel and purpose lower case, the category
    tidied (its capitals kept); an empty category is refused."""
    try:
        path = category_display(category or "")
    except ValueError:
        raise InputError(f"category {category!r}: an empty category path") from None
    return CampaignSpec(
        (channel or "").strip().lower(),
        path,
        (send_date or "").strip(),
        (purpose or "").strip().lower(),
    )


def preview(store: Store, channel: str, category: str, send_date: str, purpose: str) -> DecisionRun:
    """Decide every contact for the campaign as planned ("See the numbers"); nothing is
    stored. InputError when the question cannot be asked."""
    require(store, Task.CAMPAIGNS)
    return engine.run(store, _spec(channel, category, send_date, purpose))


def check(
    store: Store,
    *,
    name: str,
    channel: str,
    category: str,
    send_date: str,
    purpose: str = "commercial",
    optout_text: str | None = None,
) -> list[str]:
    """Every reason the campaign could not be created, in words (empty: it may be)."""
    problems = [] if clean_text(name) else ["the campaign needs a name"]
    try:
        spec = _spec(channel, category, send_date, purpose)
    except InputError as exc:
        return [*problems, exc.message]
    return problems + _campaigns.check_campaign(store, spec, optout_text)


@dataclass(frozen=True)
class Created:
    """A campaign just frozen, and whether its category is in the shop's tree."""

    campaign: Campaign
    known_category: bool


def create(
    store: Store,
    *,
    name: str,
    channel: str,
    category: str,
    send_date: str,
    purpose: str = "commercial",
    optout_text: str | None = None,
    created_by: str | None = None,
) -> Created:
    """Check the campaign (DOMAIN.md 4.5) and freeze its decisions, in one transaction.

    Refused with InputError listing every problem. A phone campaign's voicemail marks
    are decided and frozen with it.
    """
    require(store, Task.CAMPAIGNS)
    spec = _spec(channel, category, send_date, purpose)
    campaign_id = _campaigns.freeze_campaign(
        store, name=name, spec=spec, optout_text=optout_text, created_by=created_by
    )
    known = is_known_category(store, spec.category)
    return Created(_campaigns.get_campaign(store, campaign_id), known)


# --- after freezing -----------------------------------------------------------------


def list_all(store: Store) -> list[Campaign]:
    """Every campaign, oldest first, with its counts."""
    return _campaigns.list_campaigns(store)


def get(store: Store, campaign_id: int | str) -> Campaign:
    """One campaign; InputError when there is none with that id."""
    return _campaigns.get_campaign(store, _id(campaign_id))


def _id(value: int | str) -> int:
    return _campaigns.parse_campaign_id(value)


@dataclass(frozen=True)
class CampaignSummary:
    """A frozen campaign with its counts by basis and by reason (every reason counted)."""

    campaign: Campaign
    bases: Counter[str]
    reasons: Counter[str]
    #: phone: how many may be left a voicemail (the frozen marks); None for other channels
    voicemail_allowed: int | None


def summary(store: Store, campaign_id: int | str) -> CampaignSummary:
    campaign = get(store, campaign_id)
    decisions = _campaigns.campaign_decisions(store, campaign.id)
    bases = Counter(d.basis or "" for d in decisions if d.eligible)
    reasons = Counter[str](r for d in decisions if not d.eligible for r in d.reasons)
    return CampaignSummary(campaign, bases, reasons, _voicemail_count(store, campaign))


def _voicemail_count(store: Store, campaign: Campaign) -> int | None:
    if campaign.channel != Channel.PHONE:
        return None
    return sum(1 for mark in _campaigns.voicemail_marks(store, campaign.id).values() if mark)


def mark_sent(store: Store, campaign_id: int | str, date: str) -> Campaign:
    """Record the day the campaign went out (once); it then counts toward the post cap."""
    require(store, Task.CAMPAIGNS)
    _campaigns.mark_sent(store, _id(campaign_id), date)
    return get(store, campaign_id)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    campaign: Campaign
    kind: str
    path: str
    written: int
    #: eligible when frozen, erased since: no details left, not written
    erased: list[int] = field(default_factory=list)
    #: eligible when frozen, opted out, objected or suppressed since: not written
    withdrawn: list[int] = field(default_factory=list)
    #: phone: rows marked "voicemail allowed" (the frozen marks); None otherwise
    voicemail_allowed: int | None = None


def export(
    store: Store, campaign_id: int | str, path: str, kind: str = "spreadsheet"
) -> ExportResult:
    """Write the campaign's recipients as CSV to ``path``, all or nothing."""
    require(store, Task.EXPORT)
    campaign = get(store, campaign_id)
    check_output_path(path)
    with output_files(path) as (temp,):
        assert temp is not None
        result = write_campaign_export(store, campaign.id, temp, kind)
    withdrawn = set(result.withdrawn)
    voicemail = None
    if campaign.channel == Channel.PHONE:
        gone = withdrawn | set(result.erased)
        marks = _campaigns.voicemail_marks(store, campaign.id)
        voicemail = sum(1 for cid, mark in marks.items() if mark and cid not in gone)
    return ExportResult(
        campaign, kind, path, result.written, result.erased, result.withdrawn, voicemail
    )


# --- the rows the printed reports draw -------------------------------------------------


@dataclass(frozen=True)
class RecipientRow:
    """One recipient as the recipient list or call sheet prints them: the frozen basis
    and voicemail mark, and the contact's details as held now (None once erased)."""

    contact_id: int
    name: str | None
    basis: Basis | str | None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    #: phone: True allowed, False not, None not recorded (no voicemail); else None
    voicemail: bool | None = None


@dataclass(frozen=True)
class RecipientList:
    """Everything the recipient list (or call sheet, or label sheets) prints."""

    campaign: Campaign
    business_name: str
    business_address: str
    recipients: list[RecipientRow]

    @property
    def voicemail_allowed(self) -> int:
        return sum(1 for r in self.recipients if r.voicemail is True)


def _business(store: Store, campaign: Campaign) -> tuple[str, str]:
    """The sender's name and address as recorded when the campaign was frozen."""
    s = campaign.settings
    return (
        str(s.get("business_name") or store.setting("business_name")),
        str(s.get("business_address") or store.setting("business_address")),
    )


_DETAILS_SQL = (
    "SELECT c.id, c.email, c.phone, c.address, c.postcode "
    "FROM campaign_decisions d JOIN contacts c ON c.id = d.contact_id "
    "WHERE d.campaign_id = ? AND d.eligible = 1"
)


def recipient_list_rows(store: Store, campaign_id: int | str) -> RecipientList:
    """The campaign's frozen recipients, by contact id, with their details now."""
    campaign = get(store, campaign_id)
    decisions = _campaigns.campaign_decisions(store, campaign.id, eligible=True)
    details = {r[0]: r[1:] for r in store.execute(_DETAILS_SQL, (campaign.id,))}
    marks = (
        _campaigns.voicemail_marks(store, campaign.id) if campaign.channel == Channel.PHONE else {}
    )
    rows = []
    for d in decisions:
        email, phone, address, postcode = details.get(d.contact_id, (None,) * 4)
        rows.append(
            RecipientRow(
                d.contact_id,
                d.name,
                d.basis,
                email,
                phone,
                address,
                postcode,
                marks.get(d.contact_id),
            )
        )
    name, address = _business(store, campaign)
    return RecipientList(campaign, name, address, rows)


@dataclass(frozen=True)
class RecordRow:
    """One person decided for the campaign, as frozen."""

    contact_id: int
    name: str | None
    eligible: bool
    basis: Basis | str | None
    reasons: tuple[str, ...]
    #: the evidence sentence (included) or the explanation of every reason (excluded)
    evidence: str
    #: included on consent whose wording was not recorded (an imported consent)
    wording_missing: bool = False
    #: phone: the frozen voicemail mark (see RecipientRow)
    voicemail: bool | None = None


@dataclass(frozen=True)
class SourceRow:
    """How many included people's basis rests on an event of this type and collection
    route; ``event_type`` None for bases with no event (corporate, TPS screened)."""

    event_type: str | None
    collected_via: str | None
    people: int
    basis: str | None = None


@dataclass(frozen=True)
class ComplianceRecord:
    """Everything the compliance record prints (DOMAIN.md 7)."""

    campaign: Campaign
    business_name: str
    business_address: str
    organisation_type: str
    soft_opt_in_months: int
    post_max_per_30_days: int
    window_start: str
    people: list[RecordRow]
    sources: list[SourceRow]
    produced_by: str
    produced_at: str
    #: the SHA-256 of the included list as printed (checked against the stored one)
    printed_fingerprint: str
    #: the audit seal when produced ("N HASH", model/audit.py): proves later that
    #: nothing recorded up to entry N was removed or rewritten since (`audit verify --seal`)
    seal: str = ""

    @property
    def included(self) -> list[RecordRow]:
        return [p for p in self.people if p.eligible]

    @property
    def excluded(self) -> list[RecordRow]:
        return [p for p in self.people if not p.eligible]

    @property
    def wording_not_recorded(self) -> int:
        return sum(1 for p in self.people if p.wording_missing)

    @property
    def voicemail_allowed(self) -> int | None:
        if self.campaign.channel != Channel.PHONE:
            return None
        return sum(1 for p in self.people if p.voicemail is True)


_SOURCES_SQL = """
SELECT e.type, e.collected_via, COUNT(*)
FROM campaign_decisions d JOIN events e ON e.id = d.event_id
WHERE d.campaign_id = ? AND d.eligible = 1
GROUP BY e.type, e.collected_via
ORDER BY COUNT(*) DESC, e.type, e.collected_via
"""
# included on consent, the supporting event carrying no wording (imported without it)
_NO_WORDING_SQL = """
SELECT d.contact_id
FROM campaign_decisions d JOIN events e ON e.id = d.event_id
WHERE d.campaign_id = ? AND d.eligible = 1 AND d.basis = 'consent'
  AND COALESCE(TRIM(e.wording), '') = ''
"""


def _sources(store: Store, campaign: Campaign, included: list[Decision]) -> list[SourceRow]:
    rows = [SourceRow(t, via, n) for t, via, n in store.execute(_SOURCES_SQL, (campaign.id,))]
    without = Counter(d.basis for d in included if d.event_id is None)
    for basis, count in sorted(without.items(), key=lambda x: str(x[0])):
        rows.append(SourceRow(None, None, count, basis))
    return rows


def compliance_record_rows(
    store: Store, campaign_id: int | str, *, produced_by: str, produced_at: str | None = None
) -> ComplianceRecord:
    """Everything the compliance record shows, from the frozen decisions and settings."""
    campaign = get(store, campaign_id)
    decisions = _campaigns.campaign_decisions(store, campaign.id)
    no_wording = {r[0] for r in store.execute(_NO_WORDING_SQL, (campaign.id,))}
    marks = _campaigns.voicemail_marks(store, campaign.id) if campaign.channel == "phone" else {}
    people = [
        RecordRow(
            d.contact_id,
            d.name,
            d.eligible,
            d.basis,
            d.reasons,
            d.evidence,
            d.contact_id in no_wording,
            marks.get(d.contact_id),
        )
        for d in decisions
    ]
    included = [d for d in decisions if d.eligible]
    s = campaign.settings
    name, address = _business(store, campaign)
    return ComplianceRecord(
        campaign=campaign,
        business_name=name,
        business_address=address,
        organisation_type=str(s.get("organisation_type") or store.setting("organisation_type")),
        soft_opt_in_months=int(
            s.get("soft_opt_in_months", store.int_setting("soft_opt_in_months"))
        ),
        post_max_per_30_days=int(
            s.get("post_max_per_30_days", store.int_setting("post_max_per_30_days"))
        ),
        window_start=str(s.get("window_start") or ""),
        people=people,
        sources=_sources(store, campaign, included),
        produced_by=produced_by.strip() or "(not given)",
        produced_at=produced_at or now_stamp(),
        printed_fingerprint=_campaigns.recipient_fingerprint(
            (d.contact_id, d.basis or "") for d in included
        ),
        seal=audit.seal(store),
    )


# --- printing: gather the rows, then the reports draw them -------------------------------


def _pdf(path: str | os.PathLike[str]) -> str:
    path = os.fspath(path)
    check_output_path(path)
    return path


def write_recipient_list(
    store: Store, campaign_id: int | str, path: str | os.PathLike[str], *, labels: bool = True
) -> ReportInfo:
    """Print the recipient list (a call sheet for phone; labels follow for post) to
    ``path`` as a PDF, all or nothing."""
    from reports.recipients import draw_recipient_list

    require(store, Task.REPORTS)
    rows = recipient_list_rows(store, campaign_id)
    with output_files(_pdf(path)) as (temp,):
        assert temp is not None
        info = draw_recipient_list(rows, temp, labels=labels)
    return info.moved_to(os.fspath(path))


def write_labels(store: Store, campaign_id: int | str, path: str | os.PathLike[str]) -> ReportInfo:
    """Print only the address-label sheets of a postal campaign."""
    from reports.recipients import draw_labels

    require(store, Task.REPORTS)
    rows = recipient_list_rows(store, campaign_id)
    with output_files(_pdf(path)) as (temp,):
        assert temp is not None
        info = draw_labels(rows, temp)
    return info.moved_to(os.fspath(path))


def write_compliance_record(
    store: Store,
    campaign_id: int | str,
    path: str | os.PathLike[str],
    *,
    produced_by: str,
    produced_at: str | None = None,
) -> ReportInfo:
    """Print the compliance record to ``path`` as a PDF, all or nothing."""
    from reports.record import draw_compliance_record

    require(store, Task.REPORTS)
    rows = compliance_record_rows(
        store, campaign_id, produced_by=produced_by, produced_at=produced_at
    )
    with output_files(_pdf(path)) as (temp,):
        assert temp is not None
        info = draw_compliance_record(rows, temp)
    return info.moved_to(os.fspath(path))
