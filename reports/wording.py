"""The rule book (DOMAIN.md section 4) in plain English, with its legal references,
for the compliance record: one entry per basis and reason code a channel can give.

The codes are the rule book's; the sentences say what each means for this campaign
(its category, window and cap), so a reader who has never seen the app can follow
why each person was included or excluded. Where the product takes a cautious
reading of the law, the text says "policy".
"""

from __future__ import annotations

from dataclasses import dataclass

from model.rules import CHARITY_SOFT_OPT_IN_START, SCREENING_VALID_DAYS


@dataclass(frozen=True)
class Rule:
    code: str
    meaning: str
    law: str


@dataclass(frozen=True)
class RuleSet:
    """What the record prints for a channel: an introduction, the bases, the reasons."""

    intro: str
    bases: list[Rule]
    reasons: list[Rule]
    notes: list[str]


_CONTACT_POINT = {
    "email": "We hold no email address for the person.",
    "sms": "We hold no mobile number for the person (a landline cannot receive texts).",
    "post": "We hold no postal address with a postcode for the person.",
    "phone": "We hold no phone number for the person.",
}


def _checks(channel: str) -> list[Rule]:
    """4.1: the checks on every channel (a person failing any is excluded for them alone)."""
    return [
        Rule(
            "no_contact_point",
            _CONTACT_POINT[channel],
            "Practical: there is nowhere to send it.",
        ),
        Rule(
            "suppressed",
            "An email address, phone number or name and postcode of theirs is on the "
            "business's do-not-contact (suppression) list for this channel: people who "
            "asked to be erased, and do-not-contact lists the business imported.",
            "UK GDPR Articles 17 and 21. ICO guidance: keep a suppression list rather "
            "than delete, so that people are not contacted again.",
        ),
        Rule(
            "objected",
            "They objected to direct marketing, and have not since consented to this "
            "channel on a later day. An objection covers every channel.",
            "UK GDPR Article 21(2) and (3): the right to object to direct marketing is absolute.",
        ),
        Rule(
            "opted_out",
            "Their latest choice for this channel is a refusal: they opted out, or "
            "refused this channel when their details were collected. A later purchase "
            "does not undo a refusal; only a later consent does, and on the same day a "
            "refusal wins.",
            "PECR regulations 21 to 23 and UK GDPR Article 21: a refusal must be "
            "honoured. Which choice counts as the latest is policy.",
        ),
    ]


def rules_for(
    channel: str,
    purpose: str,
    *,
    category: str,
    months: int,
    window_start: str,
    post_cap: int,
    send_date: str,
    screening_start: str,
) -> RuleSet:
    """The rules that decided a campaign on ``channel``, in plain English."""
    checks = _checks(channel)
    if channel in ("email", "sms"):
        return _electronic(channel, purpose, checks, category, months, window_start)
    if channel == "post":
        return _post(checks, months, window_start, post_cap)
    return _phone(checks, send_date, screening_start)


def _electronic(
    channel: str, purpose: str, checks: list[Rule], category: str, months: int, start: str
) -> RuleSet:
    what = "Emails" if channel == "email" else "Text messages"
    intro = (
        f"{what} to individuals (private people, sole traders and ordinary partnerships) "
        "need the person's consent or the \u2018soft opt-in\u2019 (the Privacy and "
        "Electronic Communications Regulations 2003, PECR, regulation 22). Companies, "
        "LLPs and public bodies (\u2018corporate subscribers\u2019) are not covered by "
        "regulation 22, but every message must say who it is from and give an address "
        "for opting out (regulation 23). Each person is included on the first basis "
        "below that holds; otherwise they are excluded, with every reason that applies."
    )
    bases = _electronic_bases(channel, purpose, category, months, start)
    reasons = _electronic_reasons(channel, purpose, checks, category, months, start)
    return RuleSet(intro, bases, reasons, [])


def _electronic_bases(
    channel: str, purpose: str, category: str, months: int, start: str
) -> list[Rule]:
    bases = [
        Rule(
            "corporate_subscriber",
            "The contact is recorded as a company, with its company registration "
            "number. For email, an address at a free webmail provider (gmail.com, "
            "hotmail, outlook.com, ...) is treated as an individual's.",
            "PECR regulation 22 protects individual subscribers only; regulation 23 "
            "(sender named, opt-out address). Requiring the company number and the "
            "webmail rule are policy (ICO: if unsure, treat as an individual).",
        ),
        Rule(
            "consent",
            "Their latest choice for this channel is a consent they gave directly to "
            "this business, recorded with when, how and the wording shown. Consent "
            "collected by someone else (a bought or partner list, a referral, a public "
            "source, an old record of unknown origin) is not accepted.",
            "PECR regulation 22(2); UK GDPR Articles 4(11) and 7. Not accepting "
            "consent given to others is policy, following the ICO.",
        ),
    ]
    if purpose == "charitable":
        bases.append(
            Rule(
                "charity_soft_opt_in",
                "The campaign furthers the charity's charitable purposes, and the person "
                "donated, volunteered or asked about the charity's work on or after "
                f"{CHARITY_SOFT_OPT_IN_START}, was offered a simple way to refuse "
                f"marketing then and did not refuse {channel}, on or after {start} (the "
                f"last {months} months).",
                "PECR regulation 22(3A), added by the Data (Use and Access) Act 2025 "
                f"section 114, in force {CHARITY_SOFT_OPT_IN_START}; it does not reach "
                f"back before that date. The {months}-month window is policy.",
            )
        )
    else:
        bases.append(
            Rule(
                "soft_opt_in",
                "They gave their details to this business while buying or negotiating "
                "to buy (a purchase, booking, quote request or product enquiry; adding "
                "to an online basket counts as negotiation, a grey area); the campaign "
                f"({category}) is about something similar; they were offered a simple "
                f"way to refuse marketing at that time and did not refuse {channel}; "
                f"and that was on or after {start} (the last {months} months).",
                "PECR regulation 22(3)(a) to (c). An opt-out that is not recorded as "
                f"offered counts as not offered, and the {months}-month window is "
                "policy (PECR sets no limit; the ICO speaks of recent customers).",
            )
        )
    return bases


def _electronic_reasons(
    channel: str, purpose: str, checks: list[Rule], category: str, months: int, start: str
) -> list[Rule]:
    qualifying = (
        f"a donation, volunteering or charity enquiry on or after {CHARITY_SOFT_OPT_IN_START}"
        if purpose == "charitable"
        else "a purchase, booking, quote request, product enquiry or basket add"
    )
    reasons = checks + [
        Rule(
            "no_qualifying_event",
            f"No event that could support the soft opt-in ({qualifying}): for example "
            "only a general enquiry, a complaint or a competition entry.",
            "PECR regulation 22(3)(a) (or 22(3A) for a charity): the details must have "
            "been collected in the course of a sale or negotiations for a sale.",
        ),
        Rule(
            "third_party_source",
            "As above, and their details came from someone else: a referral, a bought, "
            "rented or partner list, or a public source (website, directory, social "
            "media).",
            "PECR regulation 22(3)(a): details obtained directly from the person. The "
            "ICO: there is no soft opt-in for a bought list.",
        ),
        Rule(
            "other_purpose",
            "As above, and their details came from a visitor book, Wi-Fi sign-in or "
            "contact-tracing check-in: collected for another purpose.",
            "UK GDPR Article 5(1)(b), purpose limitation (the ICO fined Tested.me in "
            "2021 for this).",
        ),
        Rule(
            "charity_rules",
            "Their only possible events are charity events that cannot serve this "
            "campaign: it is not a charitable campaign, or the events are dated before "
            f"{CHARITY_SOFT_OPT_IN_START}.",
            "PECR regulation 22(3A) covers a charity's charitable purposes only, from "
            f"{CHARITY_SOFT_OPT_IN_START}.",
        ),
    ]
    if purpose != "charitable":
        reasons.append(
            Rule(
                "not_similar",
                f"They bought or asked about something, but nothing similar to {category} "
                "(see the similar products below).",
                "PECR regulation 22(3)(b): similar products and services only.",
            )
        )
    return reasons + _collection_reasons(channel, months, start)


def _collection_reasons(channel: str, months: int, start: str) -> list[Rule]:
    """The reasons about the supporting events themselves: no opt-out offered, lapsed."""
    return [
        Rule(
            "no_optout_at_collection",
            "At none of those events (the similar ones, for a commercial campaign) was "
            f"the person offered a way to refuse {channel} marketing, as far as the "
            "record shows.",
            "PECR regulation 22(3)(c): a simple means of refusing at the time the "
            "details were collected (Papa John's and We Buy Any Car, 2021). Not recorded "
            "counts as not offered: policy.",
        ),
        Rule(
            "lapsed",
            f"Every such event with the opt-out offered is dated before {start}, the "
            f"start of the {months}-month window.",
            "Policy: the soft opt-in is for recent customers (ICO guidance; Sports "
            "Direct was fined in 2021 for mailing dormant contacts).",
        ),
    ]


def _post(checks: list[Rule], months: int, start: str, cap: int) -> RuleSet:
    intro = (
        "PECR does not cover post. Addressed marketing post needs a lawful basis under "
        "the UK GDPR, and a person's objection to direct marketing is absolute. Each "
        "person is included on consent, or else on legitimate interests; otherwise they "
        "are excluded, with every reason that applies."
    )
    bases = [
        Rule(
            "consent",
            "Their latest choice for post is a consent they gave directly to this business.",
            "UK GDPR Article 6(1)(a).",
        ),
        Rule(
            "legitimate_interests",
            "They came to this business directly (not through a list, a referral, a "
            "public source, a visitor log, an old import, or by only browsing), were "
            "told at that time that they could opt out and did not refuse post, and "
            f"that was on or after {start} (the last {months} months). Post has no "
            "similar-products test.",
            "UK GDPR Article 6(1)(f) and Recital 47 (direct marketing can be a legitimate "
            f"interest); Article 21 (the right to object). The {months}-month window is "
            "policy.",
        ),
    ]
    cap_text = (
        f"They had already been sent {cap} postal campaigns (marked as sent) in the 30 "
        "days before the send date."
        if cap
        else "The cap was off for this campaign (post_max_per_30_days = 0): nobody was "
        "excluded for it."
    )
    reasons = checks + [
        Rule(
            "no_basis",
            "Neither consent nor legitimate interests as above: for example the details "
            "came from a bought list, or they were last told they could opt out before "
            f"{start}.",
            "UK GDPR Article 6(1): no lawful basis.",
        ),
        Rule(
            "frequency_cap",
            cap_text,
            "Policy: a reasonable rate (UK GDPR Article 5(1)(a), fairness), set by "
            "post_max_per_30_days.",
        ),
    ]
    return RuleSet(intro, bases, reasons, [])


def _phone(checks: list[Rule], send_date: str, screening_start: str) -> RuleSet:
    intro = (
        "Live marketing calls (a person calling, not a recording) must not be made to a "
        "number registered with the Telephone Preference Service (TPS) or the Corporate "
        "TPS (CTPS), unless the person has told this business "
        "that they do not object to its calls (PECR regulation 21). Each person is "
        "included on consent, or else on a recent clear screening of their number; "
        "otherwise they are excluded, with every reason that applies. Automated "
        "(recorded-message) calls are not made."
    )
    bases = [
        Rule(
            "consent",
            "They told this business directly that they do not object to its calls "
            "(their latest choice for phone is a consent). This overrides the TPS.",
            "PECR regulation 21(3) and (4).",
        ),
        Rule(
            "tps_screened",
            "Their number was screened against both the TPS and the CTPS between "
            f"{screening_start} and {send_date} (whatever the contact's type: a business "
            "line can sit behind a contact recorded as an individual), and was on neither "
            "register at the latest screenings.",
            f"PECR regulations 21(1)(b) and 26. A screening counts for {SCREENING_VALID_DAYS} "
            "days (ICO guidance: screen at least every 28 days).",
        ),
    ]
    reasons = checks + [
        Rule(
            "tps_registered",
            "The number was on the TPS or the CTPS at that register's latest screening on "
            f"or before {send_date}, however old, whatever the contact's type.",
            "PECR regulation 21(1)(b) (the ICO fined Amber Windows in 2014 for such calls).",
        ),
        Rule(
            "not_screened",
            "The number was not screened against both the TPS and the CTPS between "
            f"{screening_start} and {send_date}: each register needs a screening in that "
            "time, whatever the contact's type.",
            f"PECR regulation 21; a screening older than {SCREENING_VALID_DAYS} days is "
            "not relied on.",
        ),
    ]
    notes = [
        "Voicemail: a recorded message left on an answering machine is \u2018electronic "
        "mail\u2019 in PECR (regulation 2), not a call. The call sheet allows a voicemail "
        "only for people also eligible for SMS in the same campaign (same category, "
        "date and purpose); everyone else is marked \u2018no voicemail\u2019 (policy)."
    ]
    return RuleSet(intro, bases, reasons, notes)
