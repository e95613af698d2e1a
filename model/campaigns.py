"""Campaigns: the rule book's checks (DOMAIN.md 4.5), freezing, and marking sent.

A campaign is *frozen* when it is created: the engine decides every contact as of
the send date, and those decisions are stored in ``campaign_decisions`` with the
settings in force. They are never recomputed: a later opt-out changes the next
campaign, not a list already produced (the evidence must show what was decided
then). Marking a campaign sent feeds the postal frequency cap (4.3). A phone
campaign's voicemail marks (4.4) are decided at the same moment and frozen with the
decisions (``campaign_decisions.voicemail``: 1 allowed, 0 not, NULL not recorded,
read as no voicemail), so the call sheet, the export and the record agree.

The checks of 4.5 live here only: :func:`spec_problems` (the question itself; the
engine refuses through it) and :func:`check_campaign` (everything a campaign needs).

The fingerprint (DOMAIN.md 7) is the SHA-256, as hex, of the recipient list
written as UTF-8 text: one line ``contact_id,basis`` plus a newline per eligible
contact, sorted by contact id (see :func:`recipient_fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import engine
from .engine import CampaignSpec, Decision
from .errors import InputError
from .normalise import CHANNELS, category_key, clean_text, parse_date, parse_id
from .rules import PURPOSES
from .store import Store, now_stamp

#: 4.5: what each channel's opt-out instructions must give, in words
OPTOUT_NEEDS: dict[str, str] = {
    "email": "an unsubscribe link or reply address",
    "sms": '"reply STOP" (free or standard rate)',
    "post": "how to object to further post",
    "phone": "the caller's number",
}


# --- the checks on the campaign itself (4.5) ------------------------------------

# policy: the words or forms that show an opt-out route is given; a text without any
# of them ("bye") is refused, since the message would not say how to stop
_EMAIL_OPTOUT = re.compile(r"https?://|www\.|\S+@\S+|unsubscribe|reply", re.IGNORECASE)
_POST_OPTOUT = re.compile(
    r"https?://|www\.|\S+@\S+|\bwrit|\bcall|\bphone|\bring\b|\bemail|\bunsubscribe|"
    r"\bopt.?out|\bstop|\d{3}[\s\d]{6,}",
    re.IGNORECASE,
)


def optout_text_for(store: Store, channel: str, optout_text: str | None) -> str:
    """The campaign's opt-out instructions: the caller's text, else the setting's default."""
    text = clean_text(optout_text)
    if text is None and channel in CHANNELS:
        text = clean_text(store.setting(f"optout_text_{channel}"))
    return text or ""


def spec_problems(spec: CampaignSpec, *, is_charity: bool) -> list[str]:
    """What makes the question itself one the rule book does not allow (4.5): an unknown
    channel or purpose, or a charitable campaign by a business that is not a charity.
    The engine refuses such a question through this (``engine.check_spec``)."""
    problems: list[str] = []
    if spec.channel not in CHANNELS:
        problems.append(f"unknown channel {spec.channel!r}: expected email, sms, post or phone")
    if spec.purpose not in PURPOSES:
        problems.append(f"unknown purpose {spec.purpose!r}: expected commercial or charitable")
    if spec.purpose == "charitable" and not is_charity:
        problems.append(
            "a charitable campaign needs the business to be a charity "
            "(settings organisation_type charity); this business is not one"
        )
    return problems


def optout_problem(channel: str, text: str) -> str | None:
    """Why the opt-out instructions will not do for the channel (4.5), or None."""
    needs = OPTOUT_NEEDS[channel]
    if not text:
        return (
            f"no opt-out instructions for {channel}: give {needs} "
            f"(the campaign's opt-out text, or settings optout_text_{channel})"
        )
    if channel == "sms" and "stop" not in text.lower():
        return f"the opt-out instructions for sms must say {needs}: {text!r}"
    if channel == "email" and not _EMAIL_OPTOUT.search(text):
        return (
            f"the opt-out instructions for email must give {needs} (a link, an address, "
            f"or say to unsubscribe or reply): {text!r}"
        )
    if channel == "post" and not _POST_OPTOUT.search(text):
        return (
            f"the opt-out instructions for post must say {needs} (write, call, email or "
            f"a web address): {text!r}"
        )
    if channel == "phone" and sum(ch.isdigit() for ch in text) < 10:
        return f"the opt-out instructions for phone must give {needs}: {text!r}"
    return None


def check_campaign(store: Store, spec: CampaignSpec, optout_text: str | None) -> list[str]:
    """Every reason the campaign cannot be finalised, in words (empty: it may go ahead).

    The one place of the checks of DOMAIN.md 4.5; the engine asks :func:`spec_problems`.
    """
    problems = spec_problems(spec, is_charity=store.is_charity)
    try:
        category_key(spec.category)
    except ValueError:
        problems.append(f"category {spec.category!r}: a category path such as Bikes/Road")
    try:
        parse_date(spec.send_date, allow_uk=False)
    except ValueError as exc:
        problems.append(f"send date: {exc}")
    # PECR reg 23: the sender must be identified and give an address
    if not store.setting("business_name").strip():
        problems.append(
            "the business's name is not set (settings business_name): the sender must be identified"
        )
    if not store.setting("business_address").strip():
        problems.append(
            "the business's contact address is not set (settings business_address): "
            "the sender must give an address"
        )
    if spec.channel in CHANNELS:
        problem = optout_problem(spec.channel, optout_text_for(store, spec.channel, optout_text))
        if problem:
            problems.append(problem)
    return problems


# --- freezing --------------------------------------------------------------------


def recipient_fingerprint(recipients: Iterable[tuple[int, str]]) -> str:
    """SHA-256 (hex) of the recipient list: ``contact_id,basis`` lines, sorted by contact id."""
    digest = hashlib.sha256()
    for contact_id, basis in sorted(recipients):
        digest.update(f"{int(contact_id)},{basis}\n".encode())
    return digest.hexdigest()


_INSERT_CAMPAIGN = (
    "INSERT INTO campaigns(name, channel, category, send_date, purpose, optout_text, "
    "settings, created_at, created_by, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_DECISION = (
    "INSERT INTO campaign_decisions(campaign_id, contact_id, eligible, basis, reasons, "
    "evidence, event_id, voicemail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def settings_in_force(store: Store, result: engine.DecisionRun) -> dict[str, Any]:
    """What the compliance record shows of the settings a campaign was decided under."""
    sim = result.similarity
    return {
        "soft_opt_in_months": result.settings.soft_opt_in_months,
        "post_max_per_30_days": result.settings.post_max_per_30_days,
        "organisation_type": store.setting("organisation_type"),
        "business_name": store.setting("business_name"),
        "business_address": store.setting("business_address"),
        "window_start": result.window_start,
        "similarity_links": [{"a": k.a, "b": k.b, "why": k.why} for k in sim.links_used],
        "one_ranges": list(sim.ranges_used),
    }


def voicemail_decided(store: Store, result: engine.DecisionRun) -> set[int]:
    """Of a phone campaign's eligible contacts, those who may be left a voicemail.

    DOMAIN.md 4.4 (policy): a recorded message is electronic mail, so it is allowed only
    where the same contact is eligible for SMS for the same category, send date and
    purpose, under the same settings. One engine run over the call list, made when the
    campaign is frozen; the answer is frozen with the decisions and never asked again.
    """
    spec = result.spec
    ids = [d.contact_id for d in result.decisions if d.eligible]
    if spec.channel != "phone" or not ids:
        return set()
    sms = CampaignSpec("sms", spec.category, spec.send_date, spec.purpose)
    run = engine.run(store, sms, settings=result.settings, contact_ids=ids, with_evidence=False)
    return {d.contact_id for d in run.decisions if d.eligible}


def _voicemail_mark(channel: str, decision: Decision, allowed: set[int]) -> int | None:
    """The stored mark: 1 allowed, 0 not; None where it does not apply (not a phone
    campaign, or the contact is excluded)."""
    if channel != "phone" or not decision.eligible:
        return None
    return int(decision.contact_id in allowed)


def freeze_campaign(
    store: Store,
    *,
    name: str,
    spec: CampaignSpec,
    optout_text: str | None = None,
    created_by: str | None = None,
) -> int:
    """Decide every contact for the campaign and store the decisions for good.

    Refused with InputError (listing every problem) when the checks of 4.5 fail.
    Returns the new campaign's id.
    """
    clean_name = clean_text(name)
    problems = [] if clean_name else ["the campaign needs a name"]
    problems += check_campaign(store, spec, optout_text)
    if problems:
        raise InputError(
            f"campaign {name!r} refused: {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''} with the campaign",
            problems,
        )
    with store.transaction():
        # decided inside the transaction, so no write can slip between deciding and storing
        result = engine.run(store, spec)
        campaign_id, fingerprint = _store_campaign(
            store,
            clean_name or "",
            result,
            optout_text_for(store, spec.channel, optout_text),
            clean_text(created_by),
        )
        n_eligible = sum(1 for d in result.decisions if d.eligible)
        store.audit(
            "campaign create",
            {
                "id": campaign_id,
                "name": clean_name,
                "channel": spec.channel,
                "category": spec.category,
                "send_date": spec.send_date,
                "purpose": spec.purpose,
                "eligible": n_eligible,
                "excluded": len(result.decisions) - n_eligible,
                "fingerprint": fingerprint,
                "created_by": clean_text(created_by),
            },
        )
    return campaign_id


def _store_campaign(
    store: Store, name: str, result: engine.DecisionRun, optout: str, created_by: str | None
) -> tuple[int, str]:
    """Write the campaign, its settings and every decision (with the voicemail marks);
    (its id, its fingerprint). Inside the caller's transaction."""
    spec, decisions = result.spec, result.decisions
    voicemail = voicemail_decided(store, result)
    fingerprint = recipient_fingerprint(
        (d.contact_id, d.basis or "") for d in decisions if d.eligible
    )
    settings = json.dumps(settings_in_force(store, result), sort_keys=True, ensure_ascii=False)
    cur = store.execute(
        _INSERT_CAMPAIGN,
        (
            name,
            spec.channel,
            spec.category,
            spec.send_date,
            spec.purpose,
            optout,
            settings,
            now_stamp(),
            created_by,
            fingerprint,
        ),
    )
    campaign_id = int(cur.lastrowid or 0)
    store.conn.executemany(
        _INSERT_DECISION,
        (
            (
                campaign_id,
                d.contact_id,
                int(d.eligible),
                d.basis,
                d.reasons_text or None,
                d.evidence,
                d.event_id,
                _voicemail_mark(spec.channel, d, voicemail),
            )
            for d in decisions
        ),
    )
    return campaign_id, fingerprint


# --- after freezing ----------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    """A frozen campaign, with its counts."""

    id: int
    name: str
    channel: str
    category: str
    send_date: str
    purpose: str
    optout_text: str | None
    created_at: str
    created_by: str | None
    sent_date: str | None
    fingerprint: str | None
    eligible: int
    excluded: int
    #: the settings in force when it was frozen (see :func:`settings_in_force`)
    settings: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def spec(self) -> CampaignSpec:
        return CampaignSpec(self.channel, self.category, self.send_date, self.purpose)

    @property
    def is_sent(self) -> bool:
        return self.sent_date is not None


_CAMPAIGN_SELECT = """
SELECT k.id, k.name, k.channel, k.category, k.send_date, k.purpose, k.optout_text,
       k.created_at, k.created_by, k.sent_date, k.fingerprint,
       COALESCE(SUM(d.eligible), 0), COUNT(d.contact_id) - COALESCE(SUM(d.eligible), 0),
       k.settings
FROM campaigns k LEFT JOIN campaign_decisions d ON d.campaign_id = k.id
"""


def _campaign(row: tuple[Any, ...]) -> Campaign:
    try:
        parsed = json.loads(row[13]) if row[13] else {}
    except ValueError:
        parsed = {}
    return Campaign(
        id=row[0],
        name=row[1],
        channel=row[2],
        category=row[3],
        send_date=row[4],
        purpose=row[5],
        optout_text=row[6],
        created_at=row[7],
        created_by=row[8],
        sent_date=row[9],
        fingerprint=row[10],
        eligible=int(row[11]),
        excluded=int(row[12]),
        settings=parsed if isinstance(parsed, dict) else {},
    )


def list_campaigns(store: Store) -> list[Campaign]:
    """Every campaign, oldest first, with its eligible and excluded counts."""
    rows = store.execute(_CAMPAIGN_SELECT + "GROUP BY k.id ORDER BY k.id").fetchall()
    return [_campaign(r) for r in rows]


def get_campaign(store: Store, campaign_id: int) -> Campaign:
    """One campaign; InputError when there is no such campaign."""
    row = store.execute(
        _CAMPAIGN_SELECT + "WHERE k.id = ? GROUP BY k.id", (parse_campaign_id(campaign_id),)
    ).fetchone()
    if row is None:
        raise InputError(f"unknown campaign: no campaign with id {campaign_id}")
    return _campaign(row)


def parse_campaign_id(value: int | str) -> int:
    try:
        return parse_id(value, "campaign id")
    except ValueError as exc:
        raise InputError(str(exc)) from None


def campaign_decisions(
    store: Store, campaign_id: int, *, eligible: bool | None = None
) -> list[Decision]:
    """The frozen decisions of a campaign, by contact id (only eligible/excluded if asked).

    ``name`` is the contact's name now (None once the contact is erased); the rest is
    as decided when the campaign was frozen.
    """
    campaign = get_campaign(store, campaign_id)
    sql = (
        "SELECT d.contact_id, c.name, d.eligible, d.basis, d.reasons, d.event_id, d.evidence "
        "FROM campaign_decisions d LEFT JOIN contacts c ON c.id = d.contact_id "
        "WHERE d.campaign_id = ?"
    )
    params: list[Any] = [campaign.id]
    if eligible is not None:
        sql += " AND d.eligible = ?"
        params.append(int(eligible))
    rows = store.execute(sql + " ORDER BY d.contact_id", params).fetchall()
    return [
        Decision(
            cid,
            name,
            bool(ok),
            basis,
            tuple(reasons.split(";")) if reasons else (),
            event_id,
            evidence or "",
        )
        for cid, name, ok, basis, reasons, event_id, evidence in rows
    ]


def voicemail_marks(store: Store, campaign_id: int) -> dict[int, bool | None]:
    """A phone campaign's frozen voicemail marks, by eligible contact id: True allowed,
    False not, None not recorded (frozen before marks were kept: no voicemail)."""
    rows = store.execute(
        "SELECT contact_id, voicemail FROM campaign_decisions "
        "WHERE campaign_id = ? AND eligible = 1",
        (parse_campaign_id(campaign_id),),
    ).fetchall()
    return {cid: None if mark is None else bool(mark) for cid, mark in rows}


def verify_fingerprint(store: Store, campaign_id: int) -> bool:
    """True when the stored recipient list still matches the campaign's fingerprint."""
    campaign = get_campaign(store, campaign_id)
    rows = store.execute(
        "SELECT contact_id, COALESCE(basis, '') FROM campaign_decisions "
        "WHERE campaign_id = ? AND eligible = 1",
        (campaign.id,),
    ).fetchall()
    return recipient_fingerprint(rows) == campaign.fingerprint


def mark_sent(store: Store, campaign_id: int, date: str) -> None:
    """Record that the campaign went out on ``date`` (once; this feeds the post cap)."""
    campaign = get_campaign(store, campaign_id)
    try:
        sent = parse_date(date, allow_uk=False)
    except ValueError as exc:
        raise InputError(f"sent date: {exc}") from None
    if campaign.sent_date is not None:
        raise InputError(
            f"campaign {campaign.id} ({campaign.name}) was already marked sent "
            f"on {campaign.sent_date}"
        )
    if sent < campaign.send_date:
        # its decisions hold for its send date (windows, screenings), not before it
        raise InputError(
            f"campaign {campaign.id} ({campaign.name}) was decided for its send date "
            f"{campaign.send_date}; it cannot have been sent earlier, on {sent} "
            "(create a new campaign for the earlier date)"
        )
    with store.transaction():
        cur = store.execute(
            "UPDATE campaigns SET sent_date = ? WHERE id = ? AND sent_date IS NULL",
            (sent, campaign.id),
        )
        if cur.rowcount != 1:
            raise InputError(f"campaign {campaign.id} was already marked sent")
        store.audit("campaign sent", {"id": campaign.id, "name": campaign.name, "date": sent})


__all__ = [
    "Campaign",
    "campaign_decisions",
    "check_campaign",
    "freeze_campaign",
    "get_campaign",
    "list_campaigns",
    "mark_sent",
    "recipient_fingerprint",
    "spec_problems",
    "verify_fingerprint",
    "voicemail_marks",
]
