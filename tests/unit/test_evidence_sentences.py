"""The sentences people (and the ICO) read, pinned word for word (DOMAIN.md section 7).

For each included contact the evidence names the basis and the event behind it (type,
date, category, how collected, how the opt-out was offered, who recorded it; for
consent: when, how and the wording); for each excluded contact, every reason. A
fixed small store is built for each test (not once per module: mutation testing runs
only the tests that reach a mutated function, so each test must build what it reads);
each test compares exact strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers_engine import OLD, RECENT, Shop, landline

from model.categories import Similarity, add_category, link_categories, set_one_range
from model.contacts import EventDetails, add_event
from model.engine import CampaignSpec, Decision, EventRow, Facts, describe_event, evidence_sentence
from model.normalise import CHANNEL_BIT
from model.store import open_store

EMAIL, SMS, POST, PHONE = "email", "sms", "post", "phone"


@pytest.fixture
def included(tmp_path: Path) -> dict[str, dict[str, Decision]]:
    """One shop whose customers are each included on a different basis, decided once
    for every channel (campaign: Bikes/Road on 2026-06-30)."""
    folder = tmp_path
    store = open_store(folder / "ledger.db")
    shop = Shop(store, folder)
    p = shop.person
    p("Acme Ltd", contact_type="corporate", company_number="01234567").event(
        RECENT, "event_contact", via="other"
    )
    p("Cara Consent").consent(
        "2026-04-02", "email;post;phone", staff="Priya", wording="Yes, email me offers"
    )
    p("Dev Direct").buy(
        "2026-04-03", "Bikes/Road", consented="email", wording="Tick for our offers", via="phone"
    )
    p("Ed Road").buy("2026-04-04", "Bikes/Road", how="Untick to stop our emails")
    p("Fay Basket").event(
        "2026-04-05", "basket_add", "Bikes/Road", via="online", how="untick box", staff=""
    )
    p("Gil Helmet").buy("2026-04-06", "Helmets", how=None)
    p("Hal Bikes").buy("2026-04-07", "Bikes", via="paper", how="a box on the form")
    p("Ivy Kids").buy("2026-04-08", "Bikes/Road/Kids", via="email", how="reply STOP")
    p("Jo Lights").buy("2026-04-09", "Parts/Lights", via="other", how="said so at the till")
    p("Tim Screened", phone=landline(40)).event(RECENT, "general_enquiry", offered="no")
    kim = p("Kim Bare").event(RECENT, "general_enquiry", offered="no")
    shop.load()
    add_category(store, "Bikes")
    link_categories(store, "Bikes", "Helmets", "riders buy helmets")
    shop.screen("tps", [], "2026-06-20")
    shop.screen("ctps", [], "2026-06-21")
    with store.transaction():  # an imported consent with no wording and no route recorded
        add_event(
            store,
            shop.contact_id(kim),
            EventDetails(date="2026-04-10", type="consent", consented=CHANNEL_BIT[EMAIL]),
        )
    decided = {ch: shop.decide(ch, "Bikes/Road") for ch in (EMAIL, SMS, POST, PHONE)}
    store.close()
    return decided


def test_corporate_subscriber_evidence(included) -> None:
    """The corporate basis names the company number and that opt-outs are honoured."""
    assert included[EMAIL]["Acme Ltd"].evidence == (
        "Corporate subscriber: Acme Ltd is recorded as a company (company number 01234567); "
        "PECR reg 22 consent rules do not apply, opt-outs are honoured."
    )
    assert included[SMS]["Acme Ltd"].evidence == included[EMAIL]["Acme Ltd"].evidence


def test_consent_evidence_keeps_its_date_route_wording_and_staff(included) -> None:
    """Consent evidence says when (the date), how, the wording shown and who recorded it."""
    d = included[EMAIL]["Cara Consent"]
    assert (d.basis, d.evidence) == (
        "consent",
        'Consent to email given on 2026-04-02, online, wording: "Yes, email me offers", '
        "recorded by Priya.",
    )
    assert "2026-04-02" in included[POST]["Cara Consent"].evidence
    assert included[PHONE]["Cara Consent"].evidence == (
        'Consent to phone given on 2026-04-02, online, wording: "Yes, email me offers", '
        "recorded by Priya."
    )


def test_consent_given_at_a_sale_names_the_sale(included) -> None:
    """A consent ticked at a purchase says so ("at a purchase") and how it was collected."""
    d = included[EMAIL]["Dev Direct"]
    assert (d.basis, d.evidence) == (
        "consent",
        'Consent to email given on 2026-04-03 at a purchase, by phone, wording: "Tick for '
        'our offers", recorded by Sam.',
    )


def test_consent_without_wording_or_route_says_so(included) -> None:
    """A consent with no wording and no route recorded says "wording not recorded"."""
    d = included[EMAIL]["Kim Bare"]
    assert (d.basis, d.evidence) == (
        "consent",
        "Consent to email given on 2026-04-10, wording not recorded.",
    )


def test_soft_opt_in_evidence_same_category(included) -> None:
    """Soft opt-in names the event, its category, route, the opt-out wording and staff."""
    d = included[EMAIL]["Ed Road"]
    assert (d.basis, d.evidence) == (
        "soft_opt_in",
        'Purchase on 2026-04-04 (Bikes/Road), collected in store, opt-out offered: "Untick '
        'to stop our emails", recorded by Sam.',
    )


def test_soft_opt_in_evidence_basket_add_is_a_grey_area(included) -> None:
    """A basket add is said to be a grey area taken as negotiation (section 3 policy)."""
    d = included[SMS]["Fay Basket"]
    assert (d.basis, d.evidence) == (
        "soft_opt_in",
        'Basket add on 2026-04-05 (Bikes/Road), collected online, opt-out offered: "untick '
        'box"; a basket add is a grey area, taken as negotiation for a sale (policy).',
    )


def test_soft_opt_in_evidence_names_the_shop_link(included) -> None:
    """Similar through a link: the evidence names the link and the shop's reason."""
    d = included[EMAIL]["Gil Helmet"]
    assert (d.basis, d.evidence) == (
        "soft_opt_in",
        "Purchase on 2026-04-06 (Helmets), collected in store, opt-out offered (how not "
        "recorded), recorded by Sam; similar to Bikes/Road: linked by the shop: Bikes ~ "
        "Helmets: riders buy helmets.",
    )


def test_soft_opt_in_evidence_names_containment(included) -> None:
    """Similar because one category holds the other: the evidence says which way."""
    assert included[EMAIL]["Hal Bikes"].evidence == (
        'Purchase on 2026-04-07 (Bikes), collected on paper, opt-out offered: "a box on the '
        "form\", recorded by Sam; similar to Bikes/Road: Bikes contains the campaign's "
        "category."
    )
    assert included[EMAIL]["Ivy Kids"].evidence == (
        "Purchase on 2026-04-08 (Bikes/Road/Kids), collected by email, opt-out offered: "
        '"reply STOP", recorded by Sam; similar to Bikes/Road: inside the campaign\'s '
        "category."
    )


def test_soft_opt_in_evidence_names_the_range(store, tmp_path: Path) -> None:
    """Similar because both lie in one range: the evidence names the range."""
    shop = Shop(store, tmp_path)
    p = shop.person("Una Range").buy("2026-04-11", "Shop/Fruit", how="untick the box")
    shop.load()
    set_one_range(store, "Shop", True)
    d = shop.one(p, EMAIL, "Shop/Frozen")
    assert (d.basis, d.evidence) == (
        "soft_opt_in",
        'Purchase on 2026-04-11 (Shop/Fruit), collected in store, opt-out offered: "untick '
        'the box", recorded by Sam; similar to Shop/Frozen: same range: Shop is marked one '
        "range.",
    )


def test_dissimilar_sale_gives_no_soft_opt_in(included) -> None:
    """Parts/Lights is not similar to Bikes/Road: no soft opt-in, but post legitimate interests."""
    assert included[EMAIL]["Jo Lights"].reasons == ("not_similar",)
    assert included[POST]["Jo Lights"].evidence == (
        "Purchase on 2026-04-09 (Parts/Lights), collected by other means, opt-out offered: "
        '"said so at the till", recorded by Sam.'
    )


def test_legitimate_interests_evidence(included) -> None:
    """Post on legitimate interests names the direct collection and the opt-out offered."""
    d = included[POST]["Acme Ltd"]
    assert (d.basis, d.evidence) == (
        "legitimate_interests",
        'Event contact on 2026-05-01, collected by other means, opt-out offered: "tick box '
        'on the receipt", recorded by Sam.',
    )
    assert included[POST]["Ed Road"].basis == "legitimate_interests"
    assert included[POST]["Ed Road"].evidence == included[EMAIL]["Ed Road"].evidence


def test_tps_screened_evidence_names_both_screenings(included) -> None:
    """tps_screened names the date of the TPS and of the CTPS screening."""
    d = included[PHONE]["Tim Screened"]
    assert (d.basis, d.evidence) == (
        "tps_screened",
        "Screened against the TPS on 2026-06-20: not registered; against the CTPS on "
        "2026-06-21: not registered.",
    )


def test_charity_soft_opt_in_evidence(store, tmp_path: Path) -> None:
    """The charity soft opt-in names the donation behind it."""
    store.set_setting("organisation_type", "charity")
    shop = Shop(store, tmp_path)
    p = shop.person("Dora Donor").event(
        "2026-03-01", "donation", via="online", how="untick to stop appeals", staff="Lee"
    )
    d = shop.one(p, EMAIL, "Appeals", purpose="charitable")
    assert (d.basis, d.evidence) == (
        "charity_soft_opt_in",
        'Donation on 2026-03-01, collected online, opt-out offered: "untick to stop '
        'appeals", recorded by Lee.',
    )


# --- explanations of exclusions ------------------------------------------------


@pytest.fixture
def excluded(tmp_path: Path) -> dict[str, dict[str, Decision]]:
    """One shop whose customers are each excluded for a different reason, decided once
    for every channel (campaign: Bikes/Road on 2026-06-30)."""
    folder = tmp_path
    store = open_store(folder / "ledger.db")
    shop = Shop(store, folder)
    p = shop.person
    p("No Email", email=None).buy(RECENT, "Bikes/Road")
    p("Land Line", phone=landline(5)).buy(RECENT, "Bikes/Road")
    p("No Phone", phone=None).buy(RECENT, "Bikes/Road")
    p("No Postcode", postcode=None).buy(RECENT, "Bikes/Road")
    p("Sue Suppressed", email="sue@example.co.uk").buy(RECENT, "Bikes/Road")
    p("Olly Objects").buy(RECENT, "Bikes/Road").objection("2026-05-02")
    p("Otto Optout").buy(RECENT, "Bikes/Road").opt_out("2026-05-03", "email;sms;post;phone")
    p("Mixed Origins").event(RECENT, "third_party_list", via="other").event(
        RECENT, "visitor_log", via="paper"
    ).event(RECENT, "donation", via="online")
    p("Ned Notsimilar").buy(RECENT, "Tools")
    p("Nora Nooffer").buy(RECENT, "Bikes/Road", offered="no")
    p("Lars Lapsed").buy(OLD, "Bikes/Road")
    p("Pat Noevent").event(RECENT, "general_enquiry", offered="no")
    cap = p("Cap Reached").buy(RECENT, "Bikes/Road")
    p("Tess Registered", phone=landline(7)).buy(RECENT, "Bikes/Road")
    shop.load()
    shop.suppress(["sue@example.co.uk"])
    shop.sent_post(cap, "2026-06-10")
    shop.sent_post(cap, "2026-06-20")
    shop.screen("tps", [landline(7)], "2026-03-01")
    decided = {ch: shop.decide(ch, "Bikes/Road") for ch in (EMAIL, SMS, POST, PHONE)}
    store.close()
    return decided


NOT_SCREENED = "not_screened: the number was not screened against both the TPS and the CTPS "
NOT_SCREENED += "within 28 days"


@pytest.mark.parametrize(
    ("channel", "name", "expected"),
    [
        (EMAIL, "No Email", "no_contact_point: no email address"),
        (SMS, "Land Line", "no_contact_point: no mobile number (a landline cannot take texts)"),
        (SMS, "No Phone", "no_contact_point: no mobile number"),
        (POST, "No Postcode", "no_contact_point: no postal address with a postcode"),
        (PHONE, "No Phone", "no_contact_point: no phone number"),
        (EMAIL, "Sue Suppressed", "suppressed: on the suppression list for this channel"),
        (PHONE, "Sue Suppressed", "suppressed: on the suppression list for this channel"),
        (SMS, "Olly Objects", "objected: objected to direct marketing on 2026-05-02"),
        (POST, "Olly Objects", "objected: objected to direct marketing on 2026-05-02"),
        (EMAIL, "Otto Optout", "opted_out: refused email marketing on 2026-05-03"),
        (SMS, "Otto Optout", "opted_out: refused sms marketing on 2026-05-03"),
        (POST, "Otto Optout", "opted_out: refused post marketing on 2026-05-03"),
        (PHONE, "Otto Optout", "opted_out: refused phone marketing on 2026-05-03"),
        (
            EMAIL,
            "Mixed Origins",
            "no_qualifying_event: no sale, negotiation or qualifying event; "
            "third_party_source: details came from a third party or a public source; "
            "other_purpose: details were collected for another purpose (visitor log); "
            "charity_rules: charity events cannot serve a commercial campaign",
        ),
        (
            EMAIL,
            "Ned Notsimilar",
            "not_similar: bought or asked about nothing similar to Bikes/Road",
        ),
        (
            SMS,
            "Nora Nooffer",
            "no_optout_at_collection: no opt-out was offered when the details were collected",
        ),
        (
            EMAIL,
            "Lars Lapsed",
            "lapsed: the latest qualifying event with an opt-out offered was on 2023-01-10, "
            "before the 24-month window that starts on 2024-06-30",
        ),
        (EMAIL, "Pat Noevent", "no_qualifying_event: no sale, negotiation or qualifying event"),
        (POST, "Pat Noevent", "no_basis: no consent and no legitimate-interests basis for post"),
        (
            POST,
            "Lars Lapsed",
            "no_basis: no consent, and the latest direct contact with an opt-out offered "
            "(2023-01-10) is before the window that starts on 2024-06-30",
        ),
        (
            POST,
            "Cap Reached",
            "frequency_cap: already sent 2 postal campaigns in the 30 days before 2026-06-30 "
            "(cap 2)",
        ),
        (PHONE, "Pat Noevent", NOT_SCREENED),
        (
            PHONE,
            "Tess Registered",
            "tps_registered: the number is on the TPS or CTPS register; " + NOT_SCREENED,
        ),
    ],
)
def test_explanation_sentence(excluded, channel: str, name: str, expected: str) -> None:
    """An exclusion's sentence gives every reason, in the rule book's order, with its dates."""
    d = excluded[channel][name]
    assert not d.eligible
    assert d.evidence == d.explanation == f"Excluded: {expected}."


def test_charitable_campaign_explains_early_charity_events(store, tmp_path: Path) -> None:
    """For a charitable campaign, charity events before 2026-02-05 are named as too early."""
    store.set_setting("organisation_type", "charity")
    shop = Shop(store, tmp_path)
    p = shop.person("Early Donor").event("2026-01-10", "donation", via="online")
    d = shop.one(p, EMAIL, "Appeals", purpose="charitable")
    assert d.evidence == (
        "Excluded: no_qualifying_event: no sale, negotiation or qualifying event; "
        "charity_rules: charity events dated before 2026-02-05 do not qualify."
    )


def _event(**changes: Any) -> EventRow:
    base = EventRow(
        id=1,
        contact_id=1,
        date="2026-03-14",
        type="purchase",
        collected_via="in_store",
        optout_offered="yes",
        optout_how="ask at the till",
        refused=0,
        consented=0,
        wording=None,
        staff="Sam",
        notes=None,
        source=None,
        recorded_at="2026-03-14T10:00",
        category_id=1,
        category="Bikes/Road",
    )
    return base._replace(**changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {},
            "Purchase on 2026-03-14 (Bikes/Road), collected in store, opt-out offered: "
            '"ask at the till", recorded by Sam',
        ),
        (
            {"category": None, "staff": None, "collected_via": None},
            "Purchase on 2026-03-14, collection route not recorded, opt-out offered: "
            '"ask at the till"',
        ),
        (
            {"optout_offered": "no"},
            "Purchase on 2026-03-14 (Bikes/Road), collected in store, opt-out not offered, "
            "recorded by Sam",
        ),
        (
            {"optout_offered": None, "type": "general_enquiry"},
            "General enquiry on 2026-03-14 (Bikes/Road), collected in store, whether an opt-out "
            "was offered is not recorded, recorded by Sam",
        ),
        (
            {"type": "mystery", "collected_via": "pigeon"},
            "mystery on 2026-03-14 (Bikes/Road), collected pigeon, opt-out offered: "
            '"ask at the till", recorded by Sam',
        ),
        (
            {"optout_how": None},
            "Purchase on 2026-03-14 (Bikes/Road), collected in store, opt-out offered (how not "
            "recorded), recorded by Sam",
        ),
    ],
)
def test_describe_event(changes: dict[str, object], expected: str) -> None:
    """The event line of the timeline and the evidence: every part, or that it is missing."""
    assert describe_event(_event(**changes)) == expected


def test_evidence_sentence_fallbacks() -> None:
    """A corporate contact with no name is "this contact"; an event type or route the
    labels do not know is shown by its code."""
    facts = Facts._make([7, None, 1, 1, "01234567", None] + [None] * 10)
    spec = CampaignSpec("email", "Bikes", "2026-06-30")
    similarity = Similarity("bikes", {}, (), ())
    assert evidence_sentence(facts, spec, "corporate_subscriber", None, similarity, {}) == (
        "Corporate subscriber: this contact is recorded as a company (company number "
        "01234567); PECR reg 22 consent rules do not apply, opt-outs are honoured."
    )
    event = _event(type="mystery", collected_via="pigeon", wording="Yes")
    assert evidence_sentence(facts, spec, "consent", event, similarity, {}) == (
        'Consent to email given on 2026-03-14 at a mystery, pigeon, wording: "Yes", '
        "recorded by Sam."
    )
    assert evidence_sentence(facts, spec, "consent", None, similarity, {}) == (
        "consent: supporting event not found."
    )
