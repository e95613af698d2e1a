"""The eligibility engine: DOMAIN.md section 4, one place per rule.

How it runs: one SQL pass gathers, for every contact, the *facts* the rule book
asks about (latest refusal and consent for the channel, the best supporting
event for each basis, ...), using only events dated on or before the send date.
Then :func:`decide` applies the rules to those facts in Python, naming every
basis and reason code as the rule book does. No query runs per contact.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .categories import Similarity, similar_categories
from .errors import InputError
from .normalise import CHANNEL_BIT, CHANNELS, days_back, is_webmail, months_back
from .rules import (
    BASES,
    CHARITY_EVENTS,
    CHARITY_SOFT_OPT_IN_START,
    EVENT_LABELS,
    GREY_AREA,
    NOT_DIRECT,
    POST_CAP_DAYS,
    POST_DIRECT,
    PURPOSES,
    REASON_TEXT,
    REASONS,
    SALE_OR_NEGOTIATION,
    SCREENING_VALID_DAYS,
    VIA_LABELS,
)
from .store import Store

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
    """Refuse a question the rule book does not allow (4.5): raises InputError."""
    if spec.channel not in CHANNELS:
        raise InputError(f"unknown channel {spec.channel!r}: expected email, sms, post or phone")
    if spec.purpose not in PURPOSES:
        raise InputError(f"unknown purpose {spec.purpose!r}: expected commercial or charitable")
    if spec.purpose == "charitable" and not settings.is_charity:
        raise InputError(
            "a charitable campaign needs the business to be a charity "
            "(settings organisation_type charity); this business is not one"
        )


# --- the facts gathered per contact -----------------------------------------

_SALE = ",".join(f"'{t}'" for t in sorted(SALE_OR_NEGOTIATION))
_CHARITY = ",".join(f"'{t}'" for t in sorted(CHARITY_EVENTS))
_NOT_DIRECT = ",".join(f"'{t}'" for t in sorted(NOT_DIRECT))
_POST_DIRECT = ",".join(f"'{t}'" for t in sorted(POST_DIRECT))

# "key" columns are 'YYYY-MM-DD:000000000123': the latest date, then the latest
# id, so one MAX() gives both the date and the event behind it.
_KEY = "e.date || ':' || printf('%012d', e.id)"
_OFFERED = "e.optout_offered = 'yes' AND (e.refused & :bit) = 0"

_FACTS_SQL = f"""
WITH f AS (
  SELECT e.contact_id AS contact_id,
    MAX(CASE WHEN (e.refused & :bit) != 0 THEN e.date END) AS refusal_date,
    MAX(CASE WHEN (e.consented & :bit) != 0 AND e.type NOT IN ({_NOT_DIRECT})
        THEN {_KEY} END) AS consent_key,
    MAX(CASE WHEN e.type = 'objection' THEN e.date END) AS objection_date,
    MAX(e.type IN ({_SALE})) AS has_sale,
    MAX(e.type IN ({_SALE}) AND s.id IS NOT NULL) AS has_similar,
    MAX(CASE WHEN e.type IN ({_SALE}) AND s.id IS NOT NULL AND {_OFFERED}
        THEN {_KEY} END) AS similar_offered_key,
    MAX(CASE WHEN e.type IN ({_SALE}) AND s.id IS NOT NULL AND {_OFFERED}
        AND e.date >= :window THEN {_KEY} END) AS soft_opt_in_key,
    MAX(e.type IN ({_CHARITY})) AS has_charity,
    MAX(e.type IN ({_CHARITY}) AND e.date >= :charity_start) AS has_charity_valid,
    MAX(CASE WHEN e.type IN ({_CHARITY}) AND e.date >= :charity_start AND {_OFFERED}
        THEN {_KEY} END) AS charity_offered_key,
    MAX(CASE WHEN e.type IN ({_CHARITY}) AND e.date >= :charity_start AND {_OFFERED}
        AND e.date >= :window THEN {_KEY} END) AS charity_key,
    MAX(e.type IN ({_NOT_DIRECT})) AS has_third_party,
    MAX(e.type = 'visitor_log') AS has_visitor_log,
    MAX(e.type IN ({_POST_DIRECT})) AS has_direct,
    MAX(CASE WHEN e.type IN ({_POST_DIRECT}) AND {_OFFERED}
        THEN {_KEY} END) AS direct_offered_key,
    MAX(CASE WHEN e.type IN ({_POST_DIRECT}) AND {_OFFERED} AND e.date >= :window
        THEN {_KEY} END) AS legitimate_key
  FROM events e
  LEFT JOIN temp.similar_now s ON s.id = e.category_id
  WHERE e.date <= :send_date {{event_filter}}
  GROUP BY e.contact_id
),
capped AS (
  SELECT d.contact_id AS contact_id, COUNT(*) AS n
  FROM campaign_decisions d JOIN campaigns k ON k.id = d.campaign_id
  WHERE k.channel = 'post' AND d.eligible = 1 AND k.sent_date IS NOT NULL
    AND k.sent_date >= :cap_start AND k.sent_date <= :send_date
    AND k.id != :campaign_id
  GROUP BY d.contact_id
)
SELECT c.id, c.name, c.email, c.phone, c.phone_mobile, c.address, c.postcode,
  c.contact_type, c.company_number,
  EXISTS (SELECT 1 FROM suppressions x
          WHERE x.hash IN (c.email_hash, c.phone_hash, c.name_postcode_hash)
            AND (x.channels & :bit) != 0) AS suppressed,
  (SELECT r.date || ':' || r.listed FROM screening_results r
    WHERE r.phone = c.phone AND r.register = 'tps' AND r.date <= :send_date
    ORDER BY r.date DESC, r.screening_id DESC LIMIT 1) AS tps_latest,
  (SELECT r.date || ':' || r.listed FROM screening_results r
    WHERE r.phone = c.phone AND r.register = 'ctps' AND r.date <= :send_date
    ORDER BY r.date DESC, r.screening_id DESC LIMIT 1) AS ctps_latest,
  COALESCE(capped.n, 0) AS post_sent_30_days,
  f.*
FROM contacts c
LEFT JOIN f ON f.contact_id = c.id
LEFT JOIN capped ON capped.contact_id = c.id
{{contact_filter}}
ORDER BY c.id
"""


# --- the decision ------------------------------------------------------------

#: one contact's row of facts (an sqlite3.Row, or a dict in tests), read by column name
Facts = Any


@dataclass(frozen=True)
class Decision:
    """One contact's answer for one campaign: a basis, or every reason against."""

    contact_id: int
    name: str | None
    eligible: bool
    basis: str | None
    reasons: tuple[str, ...]
    #: the event that supports the basis (None for corporate and TPS bases)
    event_id: int | None
    #: one sentence a person (or the ICO) reads
    evidence: str
    contact: dict[str, object] = field(compare=False, repr=False, default_factory=dict)

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
        bases: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        for d in self.decisions:
            if d.eligible:
                bases[d.basis or ""] += 1
            else:
                reasons.update(d.reasons)
        return bases, reasons

    @property
    def eligible(self) -> list[Decision]:
        return [d for d in self.decisions if d.eligible]

    @property
    def excluded(self) -> list[Decision]:
        return [d for d in self.decisions if not d.eligible]


def _split_key(key: str | None) -> tuple[str | None, int | None]:
    if not key:
        return None, None
    date, _, ident = key.partition(":")
    return date, int(ident)


def _split_screening(value: str | None) -> tuple[str | None, bool]:
    if not value:
        return None, False
    date, _, listed = value.partition(":")
    return date, listed == "1"


def is_corporate(contact_type: object, company_number: object) -> bool:
    """Section 2 policy: corporate only when recorded so, with a company number."""
    return contact_type == "corporate" and bool(company_number)


def decide(
    row: Facts,
    spec: CampaignSpec,
    settings: RuleSettings,
    window_start: str,
) -> tuple[str | None, list[str], int | None, dict[str, object]]:
    """Apply the rule book to one contact's facts.

    Returns (basis, reasons, supporting event id, detail for the sentence).
    Exactly one of basis and reasons is set.
    """
    f = row
    channel = spec.channel
    detail: dict[str, object] = {}

    # 4.1 checks on every channel: every failing one is recorded
    reasons: list[str] = []
    if not _has_contact_point(f, channel):
        reasons.append("no_contact_point")
    if f["suppressed"]:
        reasons.append("suppressed")
    consent_date, consent_id = _split_key(f["consent_key"])  # accepted consents only
    refusal_date = f["refusal_date"]
    objection_date = f["objection_date"]
    # objected: an objection not followed, on a later day, by a consent on this channel
    if objection_date and not (consent_date and consent_date > objection_date):
        reasons.append("objected")
        detail["objection_date"] = objection_date
    # opted_out: the latest choice is a refusal; on the same day a refusal wins
    if refusal_date and not (consent_date and consent_date > refusal_date):
        reasons.append("opted_out")
        detail["refusal_date"] = refusal_date
    if reasons:
        return None, reasons, None, detail

    # a consent is the latest choice here (a refusal would have excluded above)
    has_consent = consent_date is not None

    if channel in ("email", "sms"):
        return _decide_electronic(f, spec, settings, window_start, has_consent, consent_id)
    if channel == "post":
        return _decide_post(f, settings, has_consent, consent_id)
    return _decide_phone(f, spec, has_consent, consent_id)


def _has_contact_point(f: Facts, channel: str) -> bool:
    if channel == "email":
        return bool(f["email"])
    if channel == "sms":
        return bool(f["phone"]) and bool(f["phone_mobile"])  # a landline takes no texts
    if channel == "post":
        return bool(f["address"]) and bool(f["postcode"])
    return bool(f["phone"])


def _decide_electronic(
    f: Facts,
    spec: CampaignSpec,
    settings: RuleSettings,
    window_start: str,
    has_consent: bool,
    consent_id: int | None,
) -> tuple[str | None, list[str], int | None, dict[str, object]]:
    """4.2: email and SMS (PECR reg 22), bases in the rule book's order."""
    detail: dict[str, object] = {}
    # 1. corporate_subscriber (a webmail address is an individual's, for email)
    if is_corporate(f["contact_type"], f["company_number"]) and not (
        spec.channel == "email" and is_webmail(str(f["email"]))
    ):
        return "corporate_subscriber", [], None, detail
    # 2. consent, given directly to this business
    if has_consent:
        return "consent", [], consent_id, detail
    # 3. charity_soft_opt_in (reg 22(3A)): charitable campaign by a charity
    charitable = spec.purpose == "charitable" and settings.is_charity
    if charitable:
        _, event_id = _split_key(f["charity_key"])
        if event_id is not None:
            return "charity_soft_opt_in", [], event_id, detail
    # 4. soft_opt_in (reg 22(3)): commercial campaign, similar, opt-out offered, recent
    if spec.purpose == "commercial":
        _, event_id = _split_key(f["soft_opt_in_key"])
        if event_id is not None:
            return "soft_opt_in", [], event_id, detail

    # otherwise excluded, with every reason that applies
    reasons: list[str] = []
    if spec.purpose == "commercial":
        has_qualifying = bool(f["has_sale"])
    else:
        has_qualifying = bool(f["has_charity_valid"])
    if not has_qualifying:
        reasons.append("no_qualifying_event")
        if f["has_third_party"]:
            reasons.append("third_party_source")
        if f["has_visitor_log"]:
            reasons.append("other_purpose")
        if f["has_charity"]:
            # charity events that cannot serve: a commercial campaign, or all too early
            reasons.append("charity_rules")
        return None, reasons, None, detail
    if spec.purpose == "commercial":
        if not f["has_similar"]:
            return None, ["not_similar"], None, detail
        offered_key = f["similar_offered_key"]
    else:
        offered_key = f["charity_offered_key"]
    if not offered_key:
        return None, ["no_optout_at_collection"], None, detail
    detail["latest_offered"], _ = _split_key(offered_key)
    return None, ["lapsed"], None, detail


def _decide_post(
    f: Facts,
    settings: RuleSettings,
    has_consent: bool,
    consent_id: int | None,
) -> tuple[str | None, list[str], int | None, dict[str, object]]:
    """4.3: post (UK GDPR), consent, then legitimate interests; the rate cap."""
    detail: dict[str, object] = {}
    basis: str | None = None
    event_id: int | None = None
    reasons: list[str] = []
    if has_consent:
        basis, event_id = "consent", consent_id
    else:
        _, event_id = _split_key(f["legitimate_key"])
        if event_id is not None:
            basis = "legitimate_interests"
        else:
            reasons.append("no_basis")
            offered_date, _ = _split_key(f["direct_offered_key"])
            detail["latest_offered"] = offered_date
    cap = settings.post_max_per_30_days
    sent = int(f["post_sent_30_days"] or 0)
    if cap and sent >= cap:
        reasons.append("frequency_cap")
        detail["post_sent_30_days"] = sent
    if reasons:
        return None, reasons, None, detail
    return basis, [], event_id, detail


def _decide_phone(
    f: Facts,
    spec: CampaignSpec,
    has_consent: bool,
    consent_id: int | None,
) -> tuple[str | None, list[str], int | None, dict[str, object]]:
    """4.4: live calls (PECR reg 21): consent overrides TPS, else a fresh clear screening."""
    if has_consent:
        return "consent", [], consent_id, {}
    earliest = days_back(spec.send_date, SCREENING_VALID_DAYS)
    registers = ["tps"]
    if is_corporate(f["contact_type"], f["company_number"]):
        registers.append("ctps")
    detail: dict[str, object] = {}
    registered = False
    unscreened = False
    for register in ("tps", "ctps"):
        date, listed = _split_screening(f[f"{register}_latest"])
        detail[f"{register}_latest"] = (date, listed)
        # policy: a listing on either register at its latest screening excludes,
        # even for a contact not recorded as corporate (the cautious reading)
        if date and listed:
            registered = True
        if register in registers and not (date and date >= earliest):
            unscreened = True
    reasons = []
    if registered:
        reasons.append("tps_registered")
    if unscreened:
        reasons.append("not_screened")
    if reasons:
        return None, reasons, None, detail
    return "tps_screened", [], None, detail


# --- running the engine -------------------------------------------------------


def window_start(send_date: str, settings: RuleSettings) -> str:
    """4.2 (d): the send date moved back soft_opt_in_months calendar months."""
    return months_back(send_date, settings.soft_opt_in_months)


def _prepare_similarity(store: Store, similarity: Similarity) -> None:
    store.execute("CREATE TEMP TABLE IF NOT EXISTS similar_now (id INTEGER PRIMARY KEY)")
    store.execute("DELETE FROM temp.similar_now")
    store.db.conn.executemany(
        "INSERT INTO temp.similar_now(id) VALUES (?)", [(i,) for i in similarity.ids]
    )


def fact_rows(
    store: Store,
    spec: CampaignSpec,
    settings: RuleSettings,
    similarity: Similarity,
    *,
    contact_ids: Iterable[int] | None = None,
    campaign_id: int = 0,
) -> Iterator[sqlite3.Row]:
    """The facts for every contact (or the given ones), in contact order."""
    _prepare_similarity(store, similarity)
    params = {
        "bit": CHANNEL_BIT[spec.channel],
        "send_date": spec.send_date,
        "window": window_start(spec.send_date, settings),
        "charity_start": CHARITY_SOFT_OPT_IN_START,
        "cap_start": days_back(spec.send_date, POST_CAP_DAYS),
        "campaign_id": campaign_id,
    }
    event_filter = contact_filter = ""
    if contact_ids is not None:
        ids = sorted(set(int(i) for i in contact_ids))
        store.execute("CREATE TEMP TABLE IF NOT EXISTS only_contacts (id INTEGER PRIMARY KEY)")
        store.execute("DELETE FROM temp.only_contacts")
        store.db.conn.executemany(
            "INSERT INTO temp.only_contacts(id) VALUES (?)", [(i,) for i in ids]
        )
        event_filter = "AND e.contact_id IN (SELECT id FROM temp.only_contacts)"
        contact_filter = "WHERE c.id IN (SELECT id FROM temp.only_contacts)"
    sql = _FACTS_SQL.format(event_filter=event_filter, contact_filter=contact_filter)
    cur = store.db.conn.cursor()
    cur.row_factory = sqlite3.Row
    cur.execute(sql, params)
    while True:
        batch = cur.fetchmany(2000)
        if not batch:
            break
        yield from batch


def run(
    store: Store,
    spec: CampaignSpec,
    *,
    settings: RuleSettings | None = None,
    contact_ids: Iterable[int] | None = None,
    campaign_id: int = 0,
    with_evidence: bool = True,
) -> DecisionRun:
    """Decide every contact (or the given ones) for a campaign on its send date."""
    settings = settings or RuleSettings.from_store(store)
    check_spec(spec, settings)
    similarity = similar_categories(store, spec.category)
    start = window_start(spec.send_date, settings)
    raw: list[tuple[sqlite3.Row, str | None, list[str], int | None, dict[str, object]]] = []
    for row in fact_rows(
        store, spec, settings, similarity, contact_ids=contact_ids, campaign_id=campaign_id
    ):
        basis, reasons, event_id, detail = decide(row, spec, settings, start)
        raw.append((row, basis, reasons, event_id, detail))
    events = _load_events(store, [r[3] for r in raw if r[3] is not None]) if with_evidence else {}
    decisions = []
    for row, basis, reasons, event_id, detail in raw:
        if with_evidence:
            if basis:
                event = events.get(event_id) if event_id is not None else None
                text = evidence_sentence(row, spec, basis, event, similarity, detail)
            else:
                text = explanation_sentence(row, spec, reasons, detail, start, settings)
        else:
            text = ""
        decisions.append(
            Decision(
                contact_id=row["id"],
                name=row["name"],
                eligible=basis is not None,
                basis=basis,
                reasons=tuple(r for r in REASONS if r in reasons),
                event_id=event_id,
                evidence=text,
                contact={
                    k: row[k]
                    for k in (
                        "name",
                        "email",
                        "phone",
                        "address",
                        "postcode",
                        "contact_type",
                        "company_number",
                    )
                },
            )
        )
    return DecisionRun(spec, settings, similarity, start, decisions)


def decide_contact_all_channels(
    store: Store, contact_id: int, category: str, send_date: str
) -> dict[str, Decision]:
    """The decision for one contact on each channel (the contact page's 'today')."""
    result = {}
    for channel in CHANNELS:
        spec = CampaignSpec(channel, category, send_date)
        result[channel] = run(store, spec, contact_ids=[contact_id]).decisions[0]
    return result


_EVENT_SQL = """
SELECT e.id, e.date, e.type, e.collected_via, e.optout_offered, e.optout_how,
       e.refused, e.consented, e.wording, e.staff, e.category_id, k.path AS category
FROM events e LEFT JOIN categories k ON k.id = e.category_id
WHERE e.id IN (SELECT id FROM temp.wanted_events)
"""


def _load_events(store: Store, ids: list[int]) -> dict[int, sqlite3.Row]:
    store.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_events (id INTEGER PRIMARY KEY)")
    store.execute("DELETE FROM temp.wanted_events")
    store.db.conn.executemany(
        "INSERT OR IGNORE INTO temp.wanted_events(id) VALUES (?)", [(i,) for i in ids]
    )
    cur = store.db.conn.cursor()
    cur.row_factory = sqlite3.Row
    return {r["id"]: r for r in cur.execute(_EVENT_SQL)}


# --- the sentences people read ----------------------------------------------


def describe_event(ev: Facts) -> str:
    """'Purchase on 2026-03-14 of Bikes/Road, collected in store, opt-out offered ("...")'."""
    label = EVENT_LABELS.get(str(ev["type"]), str(ev["type"]))
    parts = [f"{label} on {ev['date']}"]
    if ev["category"]:
        parts[0] += f" ({ev['category']})"
    via = ev["collected_via"]
    parts.append(
        f"collected {VIA_LABELS.get(str(via), str(via))}"
        if via
        else "collection route not recorded"
    )
    offered = ev["optout_offered"]
    how = ev["optout_how"]
    if offered == "yes":
        parts.append(f'opt-out offered: "{how}"' if how else "opt-out offered (how not recorded)")
    elif offered == "no":
        parts.append("opt-out not offered")
    else:
        parts.append("whether an opt-out was offered is not recorded")
    if ev["staff"]:
        parts.append(f"recorded by {ev['staff']}")
    return ", ".join(parts)


def evidence_sentence(
    row: sqlite3.Row,
    spec: CampaignSpec,
    basis: str,
    event: sqlite3.Row | None,
    similarity: Similarity,
    detail: dict[str, object],
) -> str:
    """One sentence naming what supports an inclusion."""
    if basis == "corporate_subscriber":
        return (
            f"Corporate subscriber: {row['name'] or 'this contact'} is recorded as a company "
            f"(company number {row['company_number']}); PECR reg 22 consent rules do not "
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
        label = EVENT_LABELS.get(event["type"], event["type"])
        text = f"Consent to {spec.channel} given on {event['date']}"
        if event["type"] != "consent":
            text += f" at a {label.lower()}"
        via = event["collected_via"]
        if via:
            text += f", {VIA_LABELS.get(via, via)}"
        text += f', wording: "{event["wording"]}"' if event["wording"] else ", wording not recorded"
        if event["staff"]:
            text += f", recorded by {event['staff']}"
        return text + "."
    text = describe_event(event)
    if basis == "soft_opt_in":
        why = similarity.reasons.get(int(event["category_id"] or 0), "")
        if why and why != "same category":
            text += f"; similar to {spec.category}: {why}"
        if event["type"] in GREY_AREA:
            text += "; a basket add is a grey area, taken as negotiation for a sale (policy)"
    return text + "."


def _screening_date(detail: dict[str, object], key: str) -> str | None:
    value = detail.get(key)
    return value[0] if isinstance(value, tuple) else None


def explanation_sentence(
    row: sqlite3.Row,
    spec: CampaignSpec,
    reasons: list[str],
    detail: dict[str, object],
    start: str,
    settings: RuleSettings,
) -> str:
    """One sentence giving every reason for an exclusion."""
    parts = []
    for code in REASONS:
        if code not in reasons:
            continue
        text = REASON_TEXT[code]
        if code == "no_contact_point":
            text = {
                "email": "no email address",
                "sms": "no mobile number (a landline cannot take texts)"
                if row["phone"]
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
