"""The eligibility engine: DOMAIN.md section 4, one place per rule.

How it runs: one SQL pass gathers, for every contact, the *facts* the rule book
asks about (latest refusal and consent for the channel, the best supporting
event for each basis, ...), using only events dated on or before the send date.
Then :func:`decide` applies the rules to those facts in Python, naming every
basis and reason code as the rule book does. No query runs per contact.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .categories import Similarity, similar_categories
from .errors import InputError
from .normalise import CHANNEL_BIT, days_back, is_webmail, months_back
from .rules import (
    BASES,
    CHARITY_EVENTS,
    CHARITY_SOFT_OPT_IN_START,
    CONSENT_NOT_ACCEPTED,
    EVENT_CODES,
    EVENT_LABELS,
    GREY_AREA,
    NOT_DIRECT,
    POST_CAP_DAYS,
    POST_DIRECT,
    REASON_TEXT,
    REASONS,
    SALE_OR_NEGOTIATION,
    SCREENING_VALID_DAYS,
    VIA_LABELS,
    type_mask,
)
from .store import Store, no_cyclic_gc
from .vocab import Basis, Reason

# --- the question asked ----------------------------------------------------


@dataclass(frozen=True)
class CampaignSpec:
    """What a campaign is, for deciding: channel, category, send date, purpose."""

    channel: str
    category: str
    send_date: str
    purpose: str = "commercial"


@dataclass(frozen=True)
class RuleSettings:
    """The settings in force (DOMAIN.md: soft_opt_in_months, post cap, charity)."""

    soft_opt_in_months: int = 24
    post_max_per_30_days: int = 2
    is_charity: bool = False

    @classmethod
    def from_store(cls, store: Store) -> RuleSettings:
        return cls(
            soft_opt_in_months=store.int_setting("soft_opt_in_months"),
            post_max_per_30_days=store.int_setting("post_max_per_30_days"),
            is_charity=store.is_charity,
        )


def check_spec(spec: CampaignSpec, settings: RuleSettings) -> None:
    """Refuse a question the rule book does not allow (4.5): raises InputError.

    The checks live in one place, model.campaigns (imported here, not at the top:
    model.campaigns imports this module).
    """
    from .campaigns import spec_problems

    problems = spec_problems(spec, is_charity=settings.is_charity)
    if problems:
        raise InputError(problems[0])


# --- the facts gathered per contact -----------------------------------------

# "key" columns rank events by (day, id) in one integer, day * 10^10 + id, so a
# single MAX() gives both the latest date and the event behind it (the later id
# wins a tie). Days are numbers like 20260314 (events.day). Sets of event types
# are bit masks over events.type_code (rules.EVENT_CODES).
_KEY = "(e.day * 10000000000 + e.id)"
_KEY_SPLIT = 10_000_000_000
_OFFERED = "e.optout_offered = 'yes' AND (e.refused & :bit) = 0"
_IS = "((1 << e.type_code) & :{} != 0)"
_SALE, _CHARITY, _NOT_DIRECT, _POST_DIRECT, _CONSENT_NOT_ACCEPTED = (
    _IS.format(m)
    for m in (
        "sale_mask",
        "charity_mask",
        "not_direct_mask",
        "post_direct_mask",
        "consent_not_accepted_mask",
    )
)
_MASKS = {
    "sale_mask": type_mask(SALE_OR_NEGOTIATION),
    "charity_mask": type_mask(CHARITY_EVENTS),
    "not_direct_mask": type_mask(NOT_DIRECT),
    "post_direct_mask": type_mask(POST_DIRECT),
    "consent_not_accepted_mask": type_mask(CONSENT_NOT_ACCEPTED),
    "objection_code": EVENT_CODES["objection"],
    "visitor_log_code": EVENT_CODES["visitor_log"],
}

# Each fact is one aggregate over the contact's events up to the send date. Only
# the facts a channel's rules read are computed (the others are NULL), since each
# aggregate costs a step per event.
_AGGREGATES = {
    # 4.1: the latest refusal and accepted consent for the channel, and objections
    "refusal_day": "MAX(CASE WHEN (e.refused & :bit) != 0 THEN e.day END)",
    "consent_key": f"MAX(CASE WHEN (e.consented & :bit) != 0 AND NOT {_CONSENT_NOT_ACCEPTED} "
    f"THEN {_KEY} END)",
    "objection_day": "MAX(CASE WHEN e.type_code = :objection_code THEN e.day END)",
    # 4.2: sale/negotiation events: NULL none, 1 some, 2 some similar to the campaign
    "sale_events": f"MAX(CASE WHEN {_SALE} THEN 1 + (s.id IS NOT NULL) END)",
    # ... and the latest similar one with the opt-out offered, this channel not refused
    "similar_offered_key": f"MAX(CASE WHEN {_SALE} AND s.id IS NOT NULL AND {_OFFERED} "
    f"THEN {_KEY} END)",
    # 4.2: the events that explain a missing qualifying event, counted in one SUM
    # as four 16-bit fields (see Facts.origin_count): not collected directly,
    # visitor log, charity events, charity events from 2026-02-05
    "origins": f"SUM(({_NOT_DIRECT}) + ((e.type_code = :visitor_log_code) << 16) "
    f"+ (({_CHARITY}) << 32) + (({_CHARITY} AND e.day >= :charity_start) << 48))",
    "charity_offered_key": f"MAX(CASE WHEN {_CHARITY} AND e.day >= :charity_start "
    f"AND {_OFFERED} THEN {_KEY} END)",
    # 4.3: the latest direct collection at which the opt-out was offered
    "direct_offered_key": f"MAX(CASE WHEN {_POST_DIRECT} AND {_OFFERED} THEN {_KEY} END)",
}
_PERMISSIONS = ("refusal_day", "consent_key", "objection_day")
_ELECTRONIC = ("sale_events", "origins")
_NEEDED = {
    ("email", "commercial"): (*_PERMISSIONS, *_ELECTRONIC, "similar_offered_key"),
    ("email", "charitable"): (*_PERMISSIONS, *_ELECTRONIC, "charity_offered_key"),
    ("post", "commercial"): (*_PERMISSIONS, "direct_offered_key"),
    ("phone", "commercial"): _PERMISSIONS,
}

# 4.1 no_contact_point: an address for the channel (a landline cannot take texts)
_CONTACT_POINT = {
    "email": "c.email IS NOT NULL",
    "sms": "(c.phone IS NOT NULL AND c.phone_mobile = 1)",
    "post": "(c.address IS NOT NULL AND c.postcode IS NOT NULL)",
    "phone": "c.phone IS NOT NULL",
}
# section 2 policy: corporate only when recorded so, with a company number
_CORPORATE = "(c.contact_type = 'corporate' AND COALESCE(c.company_number, '') != '')"


def _facts_sql(channel: str, purpose: str, only_some: bool) -> str:
    """The one query that gathers every contact's facts for a campaign.

    It walks the contacts in id order and, for each, its events up to the send
    date through idx_events_engine (no sort, no temporary index).
    """
    electronic = channel in ("email", "sms")
    needed = _NEEDED[("email" if electronic else channel, purpose if electronic else "commercial")]
    facts = ",\n  ".join(
        f"{_AGGREGATES[n]} AS {n}" if n in needed else f"NULL AS {n}" for n in _AGGREGATES
    )
    similar_join = (
        "LEFT JOIN temp.similar_now s ON s.id = e.category_id" if "sale_events" in needed else ""
    )
    screening = _SCREENING_SQL if channel == "phone" else _NO_SCREENING_SQL
    contact_filter = "WHERE c.id IN (SELECT id FROM temp.only_contacts)" if only_some else ""
    return f"""
SELECT c.id, c.name,
  {_CONTACT_POINT[channel]} AS contact_point,
  c.phone IS NOT NULL AS has_phone,
  CASE WHEN {_CORPORATE} THEN c.company_number END AS corporate_number,
  CASE WHEN {_CORPORATE} THEN c.email END AS corporate_email,
  {screening}
  {facts}
FROM contacts c
LEFT JOIN events e INDEXED BY idx_events_engine
  ON e.contact_id = c.id AND e.day <= :send_day
{similar_join}
{contact_filter}
GROUP BY c.id
ORDER BY c.id
"""


# 4.1 suppressed: the contacts an entry for this channel names (by email, phone, or
# name and postcode, all as one-way hashes): a lookup per entry, not per contact
_SUPPRESSED_SQL = """
SELECT c.id FROM suppressions x JOIN contacts c ON c.email_hash = x.hash
  WHERE x.kind = 'email' AND (x.channels & :bit) != 0
UNION SELECT c.id FROM suppressions x JOIN contacts c ON c.phone_hash = x.hash
  WHERE x.kind = 'phone' AND (x.channels & :bit) != 0
UNION SELECT c.id FROM suppressions x JOIN contacts c ON c.name_postcode_hash = x.hash
  WHERE x.kind = 'name_postcode' AND (x.channels & :bit) != 0
"""

# 4.3 policy: postal campaigns marked sent that included each contact, from 30
# days before the send date up to it (the campaign being decided excluded)
_POST_SENT_SQL = """
SELECT d.contact_id, COUNT(*)
FROM campaign_decisions d JOIN campaigns k ON k.id = d.campaign_id
WHERE k.channel = 'post' AND d.eligible = 1 AND k.sent_date IS NOT NULL
  AND k.sent_date >= :cap_start AND k.sent_date <= :send_date AND k.id != :campaign_id
GROUP BY d.contact_id
"""


# the latest TPS and CTPS screening of the number, up to the send date (phone only)
# (cautious reading: of two screenings on the same day, a listing wins)
_SCREENING_SQL = """(SELECT r.date || ':' || r.listed FROM screening_results r
    WHERE r.phone = c.phone AND r.register = 'tps' AND r.date <= :send_date
    ORDER BY r.date DESC, r.listed DESC LIMIT 1) AS tps_latest,
  (SELECT r.date || ':' || r.listed FROM screening_results r
    WHERE r.phone = c.phone AND r.register = 'ctps' AND r.date <= :send_date
    ORDER BY r.date DESC, r.listed DESC LIMIT 1) AS ctps_latest,"""
_NO_SCREENING_SQL = "NULL AS tps_latest, NULL AS ctps_latest,"


class Facts(NamedTuple):
    """One contact's facts for one campaign, as the SQL pass gathers them."""

    id: int
    name: str | None
    contact_point: int  # 4.1: has an address for this channel
    has_phone: int
    corporate_number: str | None  # section 2: set only for a corporate subscriber
    corporate_email: str | None  # the email of a corporate subscriber (webmail test)
    tps_latest: str | None
    ctps_latest: str | None
    refusal_day: int | None
    consent_key: int | None
    objection_day: int | None
    sale_events: int | None  # NULL none, 1 some, 2 some in a similar category
    similar_offered_key: int | None
    origins: int | None  # four counts, read through the properties below
    charity_offered_key: int | None
    direct_offered_key: int | None

    def origin_count(self, field_number: int) -> int:
        """One of the four 16-bit counts packed into ``origins``."""
        return ((self.origins or 0) >> (16 * field_number)) & 0xFFFF

    @property
    def has_third_party(self) -> bool:
        """A referral, third_party_list or public_source event."""
        return self.origin_count(0) > 0

    @property
    def has_visitor_log(self) -> bool:
        return self.origin_count(1) > 0

    @property
    def has_charity(self) -> bool:
        """Any donation, volunteering or charity_enquiry event."""
        return self.origin_count(2) > 0

    @property
    def has_charity_valid(self) -> bool:
        """Such an event dated on or after 2026-02-05 (DUAA s.114 commencement)."""
        return self.origin_count(3) > 0


# the SELECT list of _facts_sql ends with the aggregates, in _AGGREGATES order
assert Facts._fields[-len(_AGGREGATES) :] == tuple(_AGGREGATES)


def day_number(iso_date: str) -> int:
    """2026-03-14 -> 20260314 (events.day)."""
    return int(iso_date.replace("-", ""))


def day_text(day: int | None) -> str | None:
    """20260314 -> 2026-03-14."""
    if day is None:
        return None
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def _split_key(key: int | None) -> tuple[int | None, int | None]:
    """An event key -> (day, event id)."""
    if key is None:
        return None, None
    day, ident = divmod(key, _KEY_SPLIT)
    return day, ident


# --- the decision ------------------------------------------------------------


class Decision(NamedTuple):
    """One contact's answer for one campaign: a basis, or every reason against."""

    contact_id: int
    name: str | None
    eligible: bool
    basis: Basis | None
    reasons: tuple[Reason, ...]
    #: the event that supports the basis (None for corporate and TPS bases)
    event_id: int | None
    #: one sentence a person (or the ICO) reads: the evidence, or every reason
    evidence: str

    @property
    def reasons_text(self) -> str:
        return ";".join(self.reasons)

    @property
    def explanation(self) -> str:
        """For an exclusion, the sentence giving every reason (empty when eligible)."""
        return "" if self.eligible else self.evidence


@dataclass
class DecisionRun:
    """The decisions for one campaign, with what the evidence needs to name."""

    spec: CampaignSpec
    settings: RuleSettings
    similarity: Similarity
    window_start: str
    decisions: list[Decision]

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Counts by basis (eligible) and by reason (excluded; every reason counted)."""
        bases: Counter[str] = Counter(d.basis or "" for d in self.decisions if d.eligible)
        reasons: Counter[str] = Counter(
            itertools.chain.from_iterable(d.reasons for d in self.decisions if not d.eligible)
        )
        return bases, reasons

    @property
    def eligible(self) -> list[Decision]:
        return [d for d in self.decisions if d.eligible]

    @property
    def excluded(self) -> list[Decision]:
        return [d for d in self.decisions if not d.eligible]


def _split_screening(value: str | None) -> tuple[str | None, bool]:
    if not value:
        return None, False
    date, _, listed = value.partition(":")
    return date, listed == "1"


@dataclass(frozen=True)
class Question:
    """A campaign as the rules read it: the spec, the settings, and its dates as days."""

    spec: CampaignSpec
    settings: RuleSettings
    window_start: str  # 4.2 (d): the send date moved back soft_opt_in_months
    window_day: int
    screening_earliest: str  # 4.4: 28 days before the send date
    #: 4.1: contacts on the suppression list for this channel
    suppressed: frozenset[int] = frozenset()
    #: 4.3: postal campaigns sent to each contact in the 30 days up to the send date
    post_sent: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        spec: CampaignSpec,
        settings: RuleSettings,
        suppressed: frozenset[int] = frozenset(),
        post_sent: Mapping[int, int] | None = None,
    ) -> Question:
        start = months_back(spec.send_date, settings.soft_opt_in_months)
        return cls(
            spec,
            settings,
            start,
            day_number(start),
            days_back(spec.send_date, SCREENING_VALID_DAYS),
            suppressed,
            post_sent or {},
        )

    @classmethod
    def ask(
        cls, store: Store, spec: CampaignSpec, settings: RuleSettings, campaign_id: int = 0
    ) -> Question:
        """The question with what the store says about suppression and the post cap."""
        bit = {"bit": CHANNEL_BIT[spec.channel]}
        suppressed = frozenset(r[0] for r in store.execute(_SUPPRESSED_SQL, bit))
        post_sent: dict[int, int] = {}
        if spec.channel == "post":
            post_sent = dict(
                store.execute(
                    _POST_SENT_SQL,
                    {
                        "cap_start": days_back(spec.send_date, POST_CAP_DAYS),
                        "send_date": spec.send_date,
                        "campaign_id": campaign_id,
                    },
                ).fetchall()
            )
        return cls.of(spec, settings, suppressed, post_sent)


Verdict = tuple[Basis | None, list[Reason], int | None, dict[str, object]]

# The codes decide() hands out, bound once as module names: decide() runs once per
# contact, and looking a member up on its enum class costs about ten times as much.
CORPORATE_SUBSCRIBER = Basis.CORPORATE_SUBSCRIBER
CONSENT = Basis.CONSENT
CHARITY_SOFT_OPT_IN = Basis.CHARITY_SOFT_OPT_IN
SOFT_OPT_IN = Basis.SOFT_OPT_IN
LEGITIMATE_INTERESTS = Basis.LEGITIMATE_INTERESTS
TPS_SCREENED = Basis.TPS_SCREENED
NO_CONTACT_POINT = Reason.NO_CONTACT_POINT
SUPPRESSED = Reason.SUPPRESSED
OBJECTED = Reason.OBJECTED
OPTED_OUT = Reason.OPTED_OUT
NO_QUALIFYING_EVENT = Reason.NO_QUALIFYING_EVENT
THIRD_PARTY_SOURCE = Reason.THIRD_PARTY_SOURCE
OTHER_PURPOSE = Reason.OTHER_PURPOSE
CHARITY_RULES = Reason.CHARITY_RULES
NOT_SIMILAR = Reason.NOT_SIMILAR
NO_OPTOUT_AT_COLLECTION = Reason.NO_OPTOUT_AT_COLLECTION
LAPSED = Reason.LAPSED
NO_BASIS = Reason.NO_BASIS
FREQUENCY_CAP = Reason.FREQUENCY_CAP
TPS_REGISTERED = Reason.TPS_REGISTERED
NOT_SCREENED = Reason.NOT_SCREENED


def decide(f: Facts, q: Question) -> Verdict:
    """Apply the rule book to one contact's facts.

    Returns (basis, reasons, supporting event id, detail for the sentences).
    Exactly one of basis and reasons is set.
    """
    channel = q.spec.channel
    # 4.1 checks on every channel: every failing one is recorded
    reasons: list[Reason] = []
    detail: dict[str, object] = {}
    if not f.contact_point:
        reasons.append(NO_CONTACT_POINT)
    if f.id in q.suppressed:
        reasons.append(SUPPRESSED)
    consent_day, consent_id = _split_key(f.consent_key)  # accepted consents only
    # objected: an objection not followed, on a later day, by a consent on this channel
    if f.objection_day and not (consent_day and consent_day > f.objection_day):
        reasons.append(OBJECTED)
        detail["objection_date"] = day_text(f.objection_day)
    # opted_out: the latest choice is a refusal; on the same day a refusal wins
    if f.refusal_day and not (consent_day and consent_day > f.refusal_day):
        reasons.append(OPTED_OUT)
        detail["refusal_date"] = day_text(f.refusal_day)
    if reasons:
        return None, reasons, None, detail
    # not opted out: any accepted consent is the latest choice for the channel
    if channel in ("email", "sms"):
        return _decide_electronic(f, q, consent_id)
    if channel == "post":
        return _decide_post(f, q, consent_id)
    return _decide_phone(f, q, consent_id)


def _decide_electronic(f: Facts, q: Question, consent_id: int | None) -> Verdict:
    """4.2: email and SMS (PECR reg 22), bases in the rule book's order."""
    spec = q.spec
    # 1. corporate_subscriber (a webmail address is an individual's, for email)
    if f.corporate_number and not (spec.channel == "email" and is_webmail(str(f.corporate_email))):
        return CORPORATE_SUBSCRIBER, [], None, {}
    # 2. consent, given directly to this business
    if consent_id is not None:
        return CONSENT, [], consent_id, {}
    commercial = spec.purpose == "commercial"
    # qualifying events: sale and negotiation (commercial), or charity events
    # dated on or after 2026-02-05 at which the opt-out was offered (charitable)
    if commercial:
        has_qualifying = f.sale_events is not None
        offered_key = f.similar_offered_key  # similar, opt-out offered, channel not refused
    else:
        has_qualifying = f.has_charity_valid
        offered_key = f.charity_offered_key
    offered_day, event_id = _split_key(offered_key)
    # 3. charity_soft_opt_in (reg 22(3A)) and 4. soft_opt_in (reg 22(3)): the latest
    # such event, if it lies within the soft_opt_in_months window
    if offered_day is not None and offered_day >= q.window_day:
        if commercial:
            return SOFT_OPT_IN, [], event_id, {}
        if q.settings.is_charity:
            return CHARITY_SOFT_OPT_IN, [], event_id, {}

    # otherwise excluded, with every reason that applies
    if not has_qualifying:
        reasons = [NO_QUALIFYING_EVENT]
        if f.has_third_party:
            reasons.append(THIRD_PARTY_SOURCE)
        if f.has_visitor_log:
            reasons.append(OTHER_PURPOSE)
        if f.has_charity:
            # charity events that cannot serve: a commercial campaign, or all too early
            reasons.append(CHARITY_RULES)
        return None, reasons, None, {}
    if commercial and f.sale_events != 2:
        return None, [NOT_SIMILAR], None, {}
    if offered_day is None:
        return None, [NO_OPTOUT_AT_COLLECTION], None, {}
    return None, [LAPSED], None, {"latest_offered": day_text(offered_day)}


def _decide_post(f: Facts, q: Question, consent_id: int | None) -> Verdict:
    """4.3: post (UK GDPR): consent, then legitimate interests; the rate cap."""
    detail: dict[str, object] = {}
    basis: Basis | None = None
    event_id: int | None = None
    reasons: list[Reason] = []
    if consent_id is not None:
        basis, event_id = CONSENT, consent_id
    else:
        # came in directly, told they could opt out (post not refused), recently
        offered_day, offered_id = _split_key(f.direct_offered_key)
        if offered_day is not None and offered_day >= q.window_day:
            basis, event_id = LEGITIMATE_INTERESTS, offered_id
        else:
            reasons.append(NO_BASIS)
            detail["latest_offered"] = day_text(offered_day)
    cap = q.settings.post_max_per_30_days
    sent = q.post_sent.get(f.id, 0)
    if cap and sent >= cap:  # policy: a "reasonable rate"
        reasons.append(FREQUENCY_CAP)
        detail["post_sent_30_days"] = sent
    if reasons:
        return None, reasons, None, detail
    return basis, [], event_id, detail


def _decide_phone(f: Facts, q: Question, consent_id: int | None) -> Verdict:
    """4.4: live calls (PECR reg 21): consent overrides TPS, else a fresh clear screening."""
    if consent_id is not None:
        return CONSENT, [], consent_id, {}
    detail: dict[str, object] = {}
    registered = unscreened = False
    for key, latest in (("tps_latest", f.tps_latest), ("ctps_latest", f.ctps_latest)):
        date, listed = _split_screening(latest)
        detail[key] = (date, listed)
        # a listing on either register at its latest screening up to the send date,
        # however old, excludes whatever the contact's type
        if date and listed:
            registered = True
        # both registers must be screened within 28 days, whatever the contact's
        # type (PECR keeps one register of both; a business line can sit behind a
        # contact recorded as an individual)
        if not (date and date >= q.screening_earliest):
            unscreened = True
    reasons: list[Reason] = []
    if registered:
        reasons.append(TPS_REGISTERED)
    if unscreened:
        reasons.append(NOT_SCREENED)
    if reasons:
        return None, reasons, None, detail
    return TPS_SCREENED, [], None, detail


# --- running the engine -------------------------------------------------------


def window_start(send_date: str, settings: RuleSettings) -> str:
    """4.2 (d): the send date moved back soft_opt_in_months calendar months."""
    return months_back(send_date, settings.soft_opt_in_months)


def fact_rows(
    store: Store,
    q: Question,
    similarity: Similarity,
    *,
    contact_ids: Iterable[int] | None = None,
) -> Iterator[Facts]:
    """The facts for every contact (or the given ones), in contact order: one query."""
    spec = q.spec
    store.fill_temp_ids("similar_now", similarity.ids)
    params = {
        **_MASKS,
        "bit": CHANNEL_BIT[spec.channel],
        "send_date": spec.send_date,
        "send_day": day_number(spec.send_date),
        "charity_start": day_number(CHARITY_SOFT_OPT_IN_START),
    }
    if contact_ids is not None:
        store.fill_temp_ids("only_contacts", contact_ids)
    sql = _facts_sql(spec.channel, spec.purpose, contact_ids is not None)
    cur = store.conn.cursor()
    cur.execute(sql, params)
    make = Facts._make
    while True:
        batch = cur.fetchmany(5000)
        if not batch:
            break
        yield from map(make, batch)


def run(
    store: Store,
    spec: CampaignSpec,
    *,
    settings: RuleSettings | None = None,
    contact_ids: Iterable[int] | None = None,
    campaign_id: int = 0,
    with_evidence: bool = True,
) -> DecisionRun:
    """Decide every contact (or the given ones) for a campaign on its send date.

    ``with_evidence=False`` skips the sentences (for counts only).
    """
    with no_cyclic_gc():
        return _run(store, spec, settings, contact_ids, campaign_id, with_evidence)


def _run(
    store: Store,
    spec: CampaignSpec,
    settings: RuleSettings | None,
    contact_ids: Iterable[int] | None,
    campaign_id: int,
    with_evidence: bool,
) -> DecisionRun:
    settings = settings or RuleSettings.from_store(store)
    check_spec(spec, settings)
    similarity = similar_categories(store, spec.category)
    q = Question.ask(store, spec, settings, campaign_id)
    facts = fact_rows(store, q, similarity, contact_ids=contact_ids)
    if not with_evidence:
        decisions: list[Decision] = []
        append = decisions.append
        for f in facts:
            basis, reasons, event_id, _ = decide(f, q)
            append(Decision(f.id, f.name, basis is not None, basis, tuple(reasons), event_id, ""))
        return DecisionRun(spec, settings, similarity, q.window_start, decisions)
    verdicts = [(f, decide(f, q)) for f in facts]
    events = _load_events(store, [v[2] for _, v in verdicts if v[2] is not None])
    explained: dict[tuple[object, ...], str] = {}
    decisions = []
    for f, (basis, reasons, event_id, detail) in verdicts:
        codes = tuple(reasons)
        if basis is TPS_SCREENED:
            # the sentence names the screening dates only, the same for thousands of numbers
            key: tuple[object, ...] = (basis, tuple(detail.items()))
            text = explained.get(key) or explained.setdefault(
                key, evidence_sentence(f, spec, basis, None, similarity, detail)
            )
        elif basis:
            event = events.get(event_id) if event_id is not None else None
            text = evidence_sentence(f, spec, basis, event, similarity, detail)
        else:
            # the same reasons and dates recur across thousands of contacts
            key = (codes, tuple(detail.items()), f.has_phone)
            text = explained.get(key) or explained.setdefault(
                key, explanation_sentence(f, q, reasons, detail)
            )
        decisions.append(Decision(f.id, f.name, basis is not None, basis, codes, event_id, text))
    return DecisionRun(spec, settings, similarity, q.window_start, decisions)


class EventRow(NamedTuple):
    """An event as the evidence sentences read it."""

    id: int
    contact_id: int
    date: str
    type: str
    collected_via: str | None
    optout_offered: str | None
    optout_how: str | None
    refused: int
    consented: int
    wording: str | None
    staff: str | None
    notes: str | None
    source: str | None
    recorded_at: str
    category_id: int | None
    category: str | None


EVENT_SELECT = """
SELECT e.id, e.contact_id, e.date, e.type, e.collected_via, e.optout_offered, e.optout_how,
       e.refused, e.consented, e.wording, e.staff, e.notes, e.source, e.recorded_at,
       e.category_id, k.path AS category
FROM events e LEFT JOIN categories k ON k.id = e.category_id
"""


def _load_events(store: Store, ids: list[int]) -> dict[int, EventRow]:
    store.fill_temp_ids("wanted_events", ids)
    make = EventRow._make
    return {
        row[0]: make(row)
        for row in store.execute(EVENT_SELECT + "WHERE e.id IN (SELECT id FROM temp.wanted_events)")
    }


def contact_events(store: Store, contact_id: int) -> list[EventRow]:
    """A contact's events, oldest first (the timeline)."""
    return [
        EventRow._make(row)
        for row in store.execute(
            EVENT_SELECT + "WHERE e.contact_id = ? ORDER BY e.date, e.id", (contact_id,)
        )
    ]


# --- the sentences people read ----------------------------------------------


def describe_event(ev: EventRow) -> str:
    """'Purchase on 2026-03-14 (Bikes/Road), collected in store, opt-out offered: "..."'."""
    label = EVENT_LABELS.get(ev.type, ev.type)
    head = f"{label} on {ev.date} ({ev.category})" if ev.category else f"{label} on {ev.date}"
    via = ev.collected_via
    parts = [
        head,
        f"collected {VIA_LABELS.get(via, via)}" if via else "collection route not recorded",
    ]
    offered = ev.optout_offered
    if offered == "yes":
        how = ev.optout_how
        parts.append(f'opt-out offered: "{how}"' if how else "opt-out offered (how not recorded)")
    elif offered == "no":
        parts.append("opt-out not offered")
    else:
        parts.append("whether an opt-out was offered is not recorded")
    if ev.staff:
        parts.append(f"recorded by {ev.staff}")
    return ", ".join(parts)


def evidence_sentence(
    row: Facts,
    spec: CampaignSpec,
    basis: str,
    event: EventRow | None,
    similarity: Similarity,
    detail: dict[str, object],
) -> str:
    """One sentence naming what supports an inclusion."""
    if basis == "corporate_subscriber":
        return (
            f"Corporate subscriber: {row.name or 'this contact'} is recorded as a company "
            f"(company number {row.corporate_number}); PECR reg 22 consent rules do not "
            "apply, opt-outs are honoured."
        )
    if basis == "tps_screened":
        tps_date = _screening_date(detail, "tps_latest")
        text = f"Screened against the TPS on {tps_date}: not registered"
        ctps_date = _screening_date(detail, "ctps_latest")
        if ctps_date:
            text += f"; against the CTPS on {ctps_date}: not registered"
        return text + "."
    if event is None:
        return f"{basis}: supporting event not found."
    if basis == "consent":
        label = EVENT_LABELS.get(event.type, event.type)
        text = f"Consent to {spec.channel} given on {event.date}"
        if event.type != "consent":
            text += f" at a {label.lower()}"
        via = event.collected_via
        if via:
            text += f", {VIA_LABELS.get(via, via)}"
        text += f', wording: "{event.wording}"' if event.wording else ", wording not recorded"
        if event.staff:
            text += f", recorded by {event.staff}"
        return text + "."
    text = describe_event(event)
    if basis == "soft_opt_in":
        why = similarity.reasons.get(int(event.category_id or 0), "")
        if why and why != "same category":
            text += f"; similar to {spec.category}: {why}"
        if event.type in GREY_AREA:
            text += "; a basket add is a grey area, taken as negotiation for a sale (policy)"
    return text + "."


def _screening_date(detail: dict[str, object], key: str) -> str | None:
    value = detail.get(key)
    return value[0] if isinstance(value, tuple) else None


def explanation_sentence(
    row: Facts, q: Question, reasons: Sequence[str], detail: dict[str, object]
) -> str:
    """One sentence giving every reason for an exclusion."""
    spec, settings, start = q.spec, q.settings, q.window_start
    parts = []
    for code in REASONS:
        if code not in reasons:
            continue
        text = REASON_TEXT[code]
        if code == "no_contact_point":
            text = {
                "email": "no email address",
                "sms": "no mobile number (a landline cannot take texts)"
                if row.has_phone
                else "no mobile number",
                "post": "no postal address with a postcode",
                "phone": "no phone number",
            }[spec.channel]
        elif code == "objected":
            text = f"objected to direct marketing on {detail.get('objection_date')}"
        elif code == "opted_out":
            text = f"refused {spec.channel} marketing on {detail.get('refusal_date')}"
        elif code == "not_similar":
            text = f"bought or asked about nothing similar to {spec.category}"
        elif code == "lapsed":
            text = (
                f"the latest qualifying event with an opt-out offered was on "
                f"{detail.get('latest_offered')}, before the {settings.soft_opt_in_months}-month "
                f"window that starts on {start}"
            )
        elif code == "no_basis" and detail.get("latest_offered"):
            text = (
                f"no consent, and the latest direct contact with an opt-out offered "
                f"({detail['latest_offered']}) is before the window that starts on {start}"
            )
        elif code == "frequency_cap":
            text = (
                f"already sent {detail.get('post_sent_30_days')} postal campaigns in the 30 days "
                f"before {spec.send_date} (cap {settings.post_max_per_30_days})"
            )
        elif code == "charity_rules":
            text = (
                "charity events cannot serve a commercial campaign"
                if spec.purpose == "commercial"
                else f"charity events dated before {CHARITY_SOFT_OPT_IN_START} do not qualify"
            )
        parts.append(f"{code}: {text}")
    return "Excluded: " + "; ".join(parts) + "."


__all__ = [
    "BASES",
    "CampaignSpec",
    "Decision",
    "DecisionRun",
    "RuleSettings",
    "check_spec",
    "decide",
    "run",
]
