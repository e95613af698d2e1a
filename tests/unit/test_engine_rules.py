"""The engine against the rule book (DOMAIN.md section 4): every reason code, every basis.

Each test builds a real store from a ledger CSV (helpers_engine.Shop) and runs the
engine for one campaign. Dates: SEND is 2026-06-30; RECENT is inside every window.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_engine import OLD, RECENT, SEND, Shop, landline, mobile

from model.categories import add_category, link_categories
from model.contacts import EventDetails, add_event
from model.engine import (
    CampaignSpec,
    Decision,
    RuleSettings,
    contact_events,
    day_number,
    day_text,
    run,
    window_start,
)
from model.errors import InputError


@pytest.fixture
def shop(store, tmp_path: Path) -> Shop:
    return Shop(store, tmp_path)


def excluded(d: Decision, *reasons: str) -> None:
    assert not d.eligible, f"expected exclusion {reasons}, got basis {d.basis}"
    assert d.basis is None
    assert d.reasons == reasons, d.evidence


def included(d: Decision, basis: str) -> None:
    assert d.eligible, f"expected {basis}, got reasons {d.reasons}: {d.evidence}"
    assert d.basis == basis
    assert d.reasons == ()


def customer(shop: Shop, name: str = "Jane Smith", **details: str | None):
    """A customer who bought a road bike recently, opt-out offered: soft opt-in everywhere."""
    return shop.person(name, **details).buy(RECENT, "Bikes/Road")


# --- 4.1 no_contact_point ------------------------------------------------------


def test_no_email_address_is_no_contact_point_for_email(shop: Shop) -> None:
    """Email needs an email address."""
    p = customer(shop, email=None)
    excluded(shop.one(p, "email"), "no_contact_point")


def test_landline_is_no_contact_point_for_sms(shop: Shop) -> None:
    """A landline cannot take texts: SMS needs a mobile number."""
    p = customer(shop, phone=landline(123))
    excluded(shop.one(p, "sms"), "no_contact_point")


def test_no_phone_is_no_contact_point_for_sms_and_phone(shop: Shop) -> None:
    """SMS and phone need a number."""
    p = customer(shop, phone=None)
    excluded(shop.one(p, "sms"), "no_contact_point")
    excluded(shop.one(p, "phone"), "no_contact_point")


def test_landline_is_a_contact_point_for_phone(shop: Shop) -> None:
    """A landline can take live calls (only SMS needs a mobile)."""
    p = customer(shop, phone=landline(124))
    shop.screen_both("2026-06-20")
    included(shop.one(p, "phone"), "tps_screened")


def test_address_without_postcode_is_no_contact_point_for_post(shop: Shop) -> None:
    """Post needs a postal address with a postcode."""
    p = customer(shop, postcode=None)
    excluded(shop.one(p, "post"), "no_contact_point")


def test_postcode_without_address_is_no_contact_point_for_post(shop: Shop) -> None:
    """A postcode alone is not a postal address."""
    p = customer(shop, address=None)
    excluded(shop.one(p, "post"), "no_contact_point")


# --- 4.1 suppressed -----------------------------------------------------------


def test_suppressed_email_excludes_on_that_channel_only(shop: Shop) -> None:
    """A suppression entry applies to the channels it names."""
    p = customer(shop, email="jane@example.co.uk")
    shop.suppress(["JANE@example.co.uk "], channels="email")
    excluded(shop.one(p, "email"), "suppressed")
    included(shop.one(p, "sms"), "soft_opt_in")


def test_suppressed_phone_number_excludes_sms(shop: Shop) -> None:
    """A suppressed phone number (any usual format) is matched in international form."""
    p = customer(shop, phone=mobile(555))
    shop.suppress(["+44 7700 900555"], channels="sms;phone")
    excluded(shop.one(p, "sms"), "suppressed")
    included(shop.one(p, "email"), "soft_opt_in")


def test_suppressed_name_and_postcode_excludes_post(shop: Shop) -> None:
    """A name+postcode entry, compared without case or spacing, suppresses post."""
    p = customer(shop, "Jane Smith", postcode="LS1 9ZZ")
    shop.suppress(["jane  SMITH, ls19zz"], channels="post")
    excluded(shop.one(p, "post"), "suppressed")


# --- 4.1 objected -------------------------------------------------------------


@pytest.mark.parametrize("channel", ["email", "sms", "post", "phone"])
def test_objection_excludes_on_every_channel(shop: Shop, channel: str) -> None:
    """An Art 21 objection covers all channels."""
    p = customer(shop).objection("2026-05-10")
    excluded(shop.one(p, channel), "objected")


def test_consent_on_a_later_day_lifts_objection_for_that_channel_only(shop: Shop) -> None:
    """A later consent lifts the objection for its own channel, not for the others."""
    p = customer(shop).objection("2026-05-10").consent("2026-05-11", "email")
    included(shop.one(p, "email"), "consent")
    excluded(shop.one(p, "sms"), "objected")
    excluded(shop.one(p, "post"), "objected")


def test_same_day_consent_does_not_lift_objection(shop: Shop) -> None:
    """Only a consent on a later day lifts an objection."""
    p = customer(shop).objection("2026-05-10").consent("2026-05-10", "email")
    excluded(shop.one(p, "email"), "objected")


def test_earlier_consent_does_not_lift_objection(shop: Shop) -> None:
    """An objection after a consent still excludes."""
    p = customer(shop).consent("2026-05-09", "email").objection("2026-05-10")
    excluded(shop.one(p, "email"), "objected")


def test_third_party_consent_does_not_lift_objection(shop: Shop) -> None:
    """A consent that is not accepted (a bought list) is no choice at all."""
    p = customer(shop).objection("2026-05-10")
    p.event("2026-05-20", "third_party_list", via="other", consented="email")
    excluded(shop.one(p, "email"), "objected")


# --- 4.1 opted_out ------------------------------------------------------------


def test_opt_out_excludes_on_its_channel_only(shop: Shop) -> None:
    """An opt_out names its channels; the others are untouched."""
    p = customer(shop).opt_out("2026-05-10", "email")
    excluded(shop.one(p, "email"), "opted_out")
    included(shop.one(p, "sms"), "soft_opt_in")


def test_refusal_ticked_at_collection_is_opted_out(shop: Shop) -> None:
    """A channel refused at the collection itself is a refusal."""
    p = shop.person("Jane Smith").buy(RECENT, "Bikes/Road", refused="sms")
    excluded(shop.one(p, "sms"), "opted_out")
    included(shop.one(p, "email"), "soft_opt_in")


def test_same_day_refusal_beats_consent(shop: Shop) -> None:
    """On the same day a refusal beats a consent (either row order)."""
    a = customer(shop, "Ann").consent("2026-05-10", "email").opt_out("2026-05-10", "email")
    b = customer(shop, "Bob").opt_out("2026-05-10", "email").consent("2026-05-10", "email")
    decisions = shop.decide("email", "Bikes/Road")
    excluded(decisions[a.name], "opted_out")
    excluded(decisions[b.name], "opted_out")


def test_later_sale_does_not_undo_a_refusal(shop: Shop) -> None:
    """Policy: a later sale, even with the opt-out offered, does not undo an opt-out."""
    p = shop.person("Jane Smith").opt_out("2026-01-10", "email").buy(RECENT, "Bikes/Road")
    excluded(shop.one(p, "email"), "opted_out")


def test_the_latest_refusal_counts(shop: Shop) -> None:
    """Refused, consented, then refused again: the latest choice is a refusal."""
    p = customer(shop).opt_out("2026-03-10", "email").consent("2026-04-10", "email")
    p.opt_out("2026-05-10", "email")
    excluded(shop.one(p, "email"), "opted_out")


def test_later_consent_undoes_a_refusal(shop: Shop) -> None:
    """Only a later consent undoes a refusal; the basis is then consent."""
    p = customer(shop).opt_out("2026-05-10", "email").consent("2026-05-11", "email")
    included(shop.one(p, "email"), "consent")


@pytest.mark.parametrize("source", ["third_party_list", "referral", "public_source"])
def test_consent_on_a_third_party_event_is_not_accepted(shop: Shop, source: str) -> None:
    """Policy: consent carried on a bought list, referral or public source is no consent."""
    p = shop.person("Jane Smith").event(RECENT, source, via="other", consented="email;sms")
    excluded(shop.one(p, "email"), "no_qualifying_event", "third_party_source")


@pytest.mark.parametrize("source", ["third_party_list", "referral", "public_source"])
def test_third_party_consent_does_not_override_a_refusal(shop: Shop, source: str) -> None:
    """A refusal followed by a not-accepted consent is still the latest choice."""
    p = customer(shop).opt_out("2026-05-10", "email")
    p.event("2026-05-20", source, via="other", consented="email")
    excluded(shop.one(p, "email"), "opted_out")


def test_refusal_counts_wherever_it_came_from(shop: Shop) -> None:
    """A refusal on a bought-list row still counts (a refusal always counts)."""
    p = shop.person("Jane Smith").event(
        "2026-01-10", "third_party_list", via="other", refused="email"
    )
    p.buy(RECENT, "Bikes/Road")
    excluded(shop.one(p, "email"), "opted_out")


def test_opt_out_of_post_excludes_legitimate_interests(shop: Shop) -> None:
    """Post opt-outs are honoured like any other."""
    p = customer(shop).opt_out("2026-05-10", "post")
    excluded(shop.one(p, "post"), "opted_out")


# --- 4.1: every failing check is recorded, and its reasons stand alone -----------


def test_all_four_channel_checks_are_recorded_together(shop: Shop) -> None:
    """Every failing 4.1 check is named, not just the first."""
    p = customer(shop, email=None, phone=mobile(777)).objection("2026-05-10")
    p.opt_out("2026-05-11", "email")
    shop.suppress(["07700 900777"], channels="all")
    excluded(shop.one(p, "email"), "no_contact_point", "suppressed", "objected", "opted_out")


def test_excluded_by_4_1_has_the_4_1_reasons_alone_for_email(shop: Shop) -> None:
    """A contact excluded by 4.1 does not also get 4.2 reasons (no_qualifying_event...)."""
    p = shop.person("Jane Smith").event(RECENT, "third_party_list", via="other")
    p.opt_out("2026-05-11", "email")
    excluded(shop.one(p, "email"), "opted_out")


def test_excluded_by_4_1_has_the_4_1_reasons_alone_for_post(shop: Shop) -> None:
    """A post contact excluded by 4.1 gets neither no_basis nor frequency_cap."""
    p = shop.person("Jane Smith", postcode=None).event(RECENT, "visitor_log", via="paper")
    shop.sent_post(p, "2026-06-20")
    shop.sent_post(p, "2026-06-25")
    excluded(shop.one(p, "post"), "no_contact_point")


def test_excluded_by_4_1_has_the_4_1_reasons_alone_for_phone(shop: Shop) -> None:
    """A phone contact excluded by 4.1 gets neither tps_registered nor not_screened."""
    p = customer(shop, phone=landline(321)).opt_out("2026-05-10", "phone")
    shop.screen("tps", [landline(321)], "2026-01-01")
    excluded(shop.one(p, "phone"), "opted_out")


def test_corporate_excluded_by_4_1_is_not_corporate_subscriber(shop: Shop) -> None:
    """corporate_subscriber holds only when not excluded by 4.1 (opt-outs are honoured)."""
    p = shop.person("Acme Ltd", contact_type="corporate", company_number="01234567")
    p.event(RECENT, "event_contact", via="other").opt_out("2026-05-10", "email;sms")
    excluded(shop.one(p, "email"), "opted_out")
    excluded(shop.one(p, "sms"), "opted_out")


# --- 4.2 reasons ----------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "general_enquiry",
        "complaint",
        "browsing",
        "competition_entry",
        "newsletter_signup",
        "loyalty_signup",
        "warranty_registration",
        "free_trial",
        "event_contact",
        "legacy_import",
    ],
)
def test_non_qualifying_event_is_no_qualifying_event(shop: Shop, event: str) -> None:
    """Events that are not a sale or negotiation give no soft opt-in."""
    p = shop.person("Jane Smith").event(RECENT, event, "Bikes/Road")
    excluded(shop.one(p, "email"), "no_qualifying_event")
    excluded(shop.one(p, "sms"), "no_qualifying_event")


@pytest.mark.parametrize("source", ["referral", "third_party_list", "public_source"])
def test_third_party_source(shop: Shop, source: str) -> None:
    """Details not collected directly: third_party_source beside no_qualifying_event."""
    p = shop.person("Jane Smith").event(RECENT, source, "Bikes/Road", via="other")
    excluded(shop.one(p, "email"), "no_qualifying_event", "third_party_source")


def test_visitor_log_is_other_purpose(shop: Shop) -> None:
    """Details from a visitor log were collected for another purpose."""
    p = shop.person("Jane Smith").event(RECENT, "visitor_log", via="paper")
    excluded(shop.one(p, "sms"), "no_qualifying_event", "other_purpose")


def test_every_no_qualifying_reason_is_recorded(shop: Shop) -> None:
    """A bought list, a visitor log and a donation: all the reasons, in order."""
    p = shop.person("Jane Smith").event(RECENT, "third_party_list", via="other")
    p.event(RECENT, "visitor_log", via="paper").event(RECENT, "donation", via="online")
    excluded(
        shop.one(p, "email"),
        "no_qualifying_event",
        "third_party_source",
        "other_purpose",
        "charity_rules",
    )


def test_third_party_source_not_given_when_a_qualifying_event_exists(shop: Shop) -> None:
    """third_party_source applies only when there is no qualifying event."""
    p = shop.person("Jane Smith").buy(RECENT, "Garden/Tools")
    p.event(RECENT, "referral", via="other")
    excluded(shop.one(p, "email"), "not_similar")


def test_charity_event_cannot_serve_a_commercial_campaign(shop: Shop) -> None:
    """A donation is charitable soft opt-in only: charity_rules for commercial."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").event(RECENT, "donation", via="online")
    excluded(shop.one(p, "email"), "no_qualifying_event", "charity_rules")


def test_charity_events_before_start_date_are_charity_rules(shop: Shop) -> None:
    """Charity events dated before 2026-02-05 cannot serve a charitable campaign."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").event("2026-02-04", "donation", via="online")
    d = shop.one(p, "email", "Appeals", purpose="charitable")
    excluded(d, "no_qualifying_event", "charity_rules")


def test_not_similar(shop: Shop) -> None:
    """A sale in an unrelated category gives no soft opt-in for this category."""
    p = shop.person("Jane Smith").buy(RECENT, "Garden/Tools")
    excluded(shop.one(p, "email", "Bikes/Road"), "not_similar")


def test_cousin_categories_are_not_similar(shop: Shop) -> None:
    """Cousins under a common parent are not similar unless linked."""
    p = shop.person("Jane Smith").event(RECENT, "product_enquiry", "Sales/Birmingham/3-bed houses")
    excluded(shop.one(p, "email", "Sales/Manchester/1-bed apartments"), "not_similar")


def test_event_with_no_category_is_similar_to_nothing(shop: Shop) -> None:
    """A purchase recorded without a category supports no soft opt-in."""
    p = shop.person("Jane Smith").event("2026-04-01", "general_enquiry")
    shop.load()
    with shop.store.transaction():
        add_event(
            shop.store,
            shop.contact_id(p),
            EventDetails(date=RECENT, type="purchase", optout_offered="yes"),
        )
    excluded(shop.one(p, "email"), "not_similar")


def test_no_optout_offered(shop: Shop) -> None:
    """A similar sale without the opt-out offered gives no soft opt-in."""
    p = shop.person("Jane Smith").buy(RECENT, "Bikes/Road", offered="no")
    excluded(shop.one(p, "email"), "no_optout_at_collection")


def test_unknown_optout_offered_counts_as_not_offered(shop: Shop) -> None:
    """Policy: an empty (unknown) optout_offered is treated as not offered."""
    p = shop.person("Jane Smith").buy(RECENT, "Bikes/Road", offered=None)
    excluded(shop.one(p, "email"), "no_optout_at_collection")


def test_optout_offered_only_at_a_dissimilar_sale_does_not_count(shop: Shop) -> None:
    """The opt-out must be offered at a similar qualifying event."""
    p = shop.person("Jane Smith").buy(RECENT, "Bikes/Road", offered="no")
    p.buy(RECENT, "Garden/Tools", offered="yes")
    excluded(shop.one(p, "email", "Bikes/Road"), "no_optout_at_collection")


def test_lapsed(shop: Shop) -> None:
    """A similar sale with the opt-out offered, but older than 24 months, has lapsed."""
    p = shop.person("Jane Smith").buy(OLD, "Bikes/Road")
    excluded(shop.one(p, "email"), "lapsed")


def test_lapsed_wins_over_a_recent_sale_without_optout(shop: Shop) -> None:
    """An old offered sale plus a recent unoffered one: lapsed (offered events exist)."""
    p = shop.person("Jane Smith").buy(OLD, "Bikes/Road").buy(RECENT, "Bikes/Road", offered="no")
    excluded(shop.one(p, "email"), "lapsed")


def test_window_clamps_to_month_end(shop: Shop) -> None:
    """2026-08-31 back 6 months is 2026-02-28: that day is in, the day before is out."""
    shop.store.set_setting("soft_opt_in_months", "6")
    a = shop.person("On The Day").buy("2026-02-28", "Bikes/Road")
    b = shop.person("Day Before").buy("2026-02-27", "Bikes/Road")
    decisions = shop.decide("email", "Bikes/Road", "2026-08-31")
    included(decisions[a.name], "soft_opt_in")
    excluded(decisions[b.name], "lapsed")


def test_window_start_day_is_eligible_with_default_months(shop: Shop) -> None:
    """An event exactly on the window start (send date back 24 months) is eligible."""
    a = shop.person("On The Day").buy("2024-06-30", "Bikes/Road")
    b = shop.person("Day Before").buy("2024-06-29", "Bikes/Road")
    decisions = shop.decide("sms", "Bikes/Road", "2026-06-30")
    included(decisions[a.name], "soft_opt_in")
    excluded(decisions[b.name], "lapsed")


def test_post_window_start_day_is_legitimate_interests(shop: Shop) -> None:
    """Post: a direct collection exactly on the window start counts; the day before does not."""
    a = shop.person("On The Day").buy("2024-06-30", "Bikes/Road")
    b = shop.person("Day Before").buy("2024-06-29", "Bikes/Road")
    decisions = shop.decide("post", "Bikes/Road", "2026-06-30")
    included(decisions[a.name], "legitimate_interests")
    excluded(decisions[b.name], "no_basis")


def test_soft_opt_in_months_setting_is_applied(shop: Shop) -> None:
    """A shorter window set by the shop makes a sale inside 24 months lapse."""
    shop.store.set_setting("soft_opt_in_months", "3")
    p = shop.person("Jane Smith").buy("2026-01-15", "Bikes/Road")
    excluded(shop.one(p, "email"), "lapsed")


# --- 4.2 bases ------------------------------------------------------------------


def test_corporate_subscriber_for_email_and_sms(shop: Shop) -> None:
    """A company (with a company number) may be sent email and SMS without a soft opt-in."""
    p = shop.person(
        "Acme Ltd", email="buyer@acme.co.uk", contact_type="corporate", company_number="01234567"
    ).event(RECENT, "event_contact", via="other")
    included(shop.one(p, "email"), "corporate_subscriber")
    included(shop.one(p, "sms"), "corporate_subscriber")


def test_corporate_without_company_number_is_individual(shop: Shop) -> None:
    """Policy: corporate only when a company registration number is recorded."""
    p = shop.person("Acme Ltd", contact_type="corporate").event(
        RECENT, "event_contact", via="other"
    )
    excluded(shop.one(p, "email"), "no_qualifying_event")
    excluded(shop.one(p, "sms"), "no_qualifying_event")


def test_company_number_without_corporate_type_is_individual(shop: Shop) -> None:
    """A contact is individual unless recorded as corporate."""
    p = shop.person("Acme Ltd", company_number="01234567").event(
        RECENT, "event_contact", via="other"
    )
    excluded(shop.one(p, "email"), "no_qualifying_event")


@pytest.mark.parametrize(
    "address",
    [
        "acme@gmail.com",
        "acme@hotmail.co.uk",
        "acme@yahoo.co.uk",
        "acme@btinternet.com",
        "acme@outlook.com",
        "acme@proton.me",
    ],
)
def test_webmail_address_is_individual_for_email_but_corporate_for_sms(
    shop: Shop, address: str
) -> None:
    """Policy: a webmail address is an individual's for email; SMS stays corporate."""
    p = shop.person(
        "Acme Ltd", email=address, contact_type="corporate", company_number="SC123456"
    ).event(RECENT, "event_contact", via="other")
    excluded(shop.one(p, "email"), "no_qualifying_event")
    included(shop.one(p, "sms"), "corporate_subscriber")


def test_corporate_is_not_a_basis_for_post_or_phone(shop: Shop) -> None:
    """corporate_subscriber is a PECR reg 22 basis: email and SMS only."""
    p = shop.person(
        "Acme Ltd", phone=landline(400), contact_type="corporate", company_number="01234567"
    ).event(RECENT, "third_party_list", via="other")
    excluded(shop.one(p, "post"), "no_basis")
    excluded(shop.one(p, "phone"), "not_screened")


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_consent_given_directly(shop: Shop, channel: str) -> None:
    """A direct consent for the channel is a basis; other channels are not consented."""
    p = shop.person("Jane Smith").event(
        RECENT, "newsletter_signup", via="online", consented=channel
    )
    included(shop.one(p, channel), "consent")
    other = "sms" if channel == "email" else "email"
    excluded(shop.one(p, other), "no_qualifying_event")


def test_consent_needs_no_similar_category(shop: Shop) -> None:
    """Consent is not tied to a category."""
    p = shop.person("Jane Smith").buy(RECENT, "Garden/Tools", consented="email")
    included(shop.one(p, "email", "Bikes/Road"), "consent")


def test_charity_soft_opt_in(shop: Shop) -> None:
    """A charity's charitable campaign to a recent donor offered the opt-out."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").event("2026-03-01", "donation", via="online")
    included(shop.one(p, "email", "Appeals/Winter", purpose="charitable"), "charity_soft_opt_in")


@pytest.mark.parametrize("event", ["donation", "volunteering", "charity_enquiry"])
def test_charity_soft_opt_in_starts_on_2026_02_05(shop: Shop, event: str) -> None:
    """Reg 22(3A) does not reach back: 2026-02-05 qualifies, 2026-02-04 does not."""
    shop.store.set_setting("organisation_type", "charity")
    a = shop.person("On The Day").event("2026-02-05", event, via="online")
    b = shop.person("Day Before").event("2026-02-04", event, via="online")
    decisions = shop.decide("sms", "Appeals", SEND, "charitable")
    included(decisions[a.name], "charity_soft_opt_in")
    excluded(decisions[b.name], "no_qualifying_event", "charity_rules")


def test_charity_soft_opt_in_needs_optout_offered(shop: Shop) -> None:
    """The charity event must have offered the opt-out."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").event("2026-03-01", "donation", via="online", offered=None)
    excluded(shop.one(p, "email", "Appeals", purpose="charitable"), "no_optout_at_collection")


def test_charity_soft_opt_in_lapses_with_the_window(shop: Shop) -> None:
    """The charity soft opt-in uses the same soft_opt_in_months window."""
    shop.store.set_setting("organisation_type", "charity")
    shop.store.set_setting("soft_opt_in_months", "3")
    p = shop.person("Jane Smith").event("2026-02-10", "donation", via="online")
    excluded(shop.one(p, "email", "Appeals", purpose="charitable"), "lapsed")


def test_charitable_campaign_refused_when_not_a_charity(shop: Shop) -> None:
    """4.5: a charitable campaign by a business that is not a charity is refused."""
    shop.person("Jane Smith").event("2026-03-01", "donation", via="online")
    shop.load()
    with pytest.raises(InputError):
        run(shop.store, CampaignSpec("email", "Appeals", SEND, "charitable"))


def test_sale_cannot_serve_a_charitable_campaign(shop: Shop) -> None:
    """A purchase is not a qualifying event for a charitable campaign."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").buy(RECENT, "Shop/Mugs")
    excluded(shop.one(p, "email", "Shop/Mugs", purpose="charitable"), "no_qualifying_event")


@pytest.mark.parametrize(
    "event", ["purchase", "booking", "quote_request", "product_enquiry", "basket_add"]
)
def test_every_sale_or_negotiation_event_gives_soft_opt_in(shop: Shop, event: str) -> None:
    """Section 3: these event types qualify for the commercial soft opt-in."""
    p = shop.person("Jane Smith").event(RECENT, event, "Bikes/Road", via="online")
    included(shop.one(p, "email"), "soft_opt_in")


@pytest.mark.parametrize(
    ("bought", "campaign"),
    [
        ("Bikes/Road", "Bikes/Road"),  # the same
        ("Bikes", "Bikes/Road"),  # the campaign's category inside the event's
        ("Bikes/Road/Carbon", "Bikes"),  # the event's category inside the campaign's
        ("bikes / ROAD", "  Bikes/road "),  # case and spaces around '/'
        ("Bikes/Road", "BIKES /  Road / Carbon frames"),  # campaign not in the tree
    ],
)
def test_similar_by_same_or_inside(shop: Shop, bought: str, campaign: str) -> None:
    """Section 5: same category, or one inside the other (either way), ignoring case/spaces."""
    p = shop.person("Jane Smith").buy(RECENT, bought)
    included(shop.one(p, "email", campaign), "soft_opt_in")


def test_similar_by_a_link(shop: Shop) -> None:
    """Two categories the shop linked, with a reason, are similar (both ways round)."""
    a = shop.person("Ann").buy(RECENT, "Bikes/Road")
    b = shop.person("Bob").buy(RECENT, "Clothing/Cycling jerseys")
    shop.load()
    link_categories(shop.store, "Bikes/Road", "Clothing/Cycling jerseys", "road cyclists wear them")
    included(shop.decide("email", "Clothing/Cycling jerseys")[a.name], "soft_opt_in")
    included(shop.decide("email", "Bikes/Road")[b.name], "soft_opt_in")


def test_similar_by_a_link_between_categories_above_each(shop: Shop) -> None:
    """A link between a category above C and one above I makes C and I similar."""
    p = shop.person("Jane Smith").buy(RECENT, "Clothing/Cycling/Jerseys")
    shop.load()
    add_category(shop.store, "Bikes")
    link_categories(shop.store, "Bikes", "Clothing/Cycling", "cycling kit")
    d = shop.one(p, "email", "Bikes/Road")
    included(d, "soft_opt_in")
    assert "cycling kit" in d.evidence  # the written reason is shown


def test_link_does_not_reach_a_sibling(shop: Shop) -> None:
    """A link to Clothing/Cycling does not make Clothing/Hats similar."""
    p = shop.person("Jane Smith").buy(RECENT, "Clothing/Hats")
    shop.load()
    add_category(shop.store, "Bikes")
    add_category(shop.store, "Clothing/Cycling")
    link_categories(shop.store, "Bikes", "Clothing/Cycling", "cycling kit")
    excluded(shop.one(p, "email", "Bikes/Road"), "not_similar")


def test_similar_within_one_range(shop: Shop) -> None:
    """Both inside a category marked one range: similar (a supermarket)."""
    p = shop.person("Jane Smith").buy(RECENT, "Store/Fruit")
    shop.load()
    add_category(shop.store, "Store", one_range=True)
    included(shop.one(p, "email", "Store/Toiletries/Soap"), "soft_opt_in")


def test_range_does_not_cover_outside_categories(shop: Shop) -> None:
    """A one-range mark covers only categories inside it."""
    p = shop.person("Jane Smith").buy(RECENT, "Petrol")
    shop.load()
    add_category(shop.store, "Store", one_range=True)
    excluded(shop.one(p, "email", "Store/Fruit"), "not_similar")


def test_refused_channel_at_the_similar_sale_is_not_a_soft_opt_in(shop: Shop) -> None:
    """(c): the channel must not have been refused at the collection (it is opted_out)."""
    p = shop.person("Jane Smith").buy(RECENT, "Bikes/Road", refused="email")
    excluded(shop.one(p, "email"), "opted_out")


# --- 4.3 post -------------------------------------------------------------------


def test_post_consent(shop: Shop) -> None:
    """A direct consent to post is a basis for post."""
    p = shop.person("Jane Smith").consent(RECENT, "post")
    included(shop.one(p, "post"), "consent")


def test_post_legitimate_interests_needs_no_similarity(shop: Shop) -> None:
    """Post: a direct, recent collection with the opt-out offered; no similarity test."""
    p = shop.person("Jane Smith").buy(RECENT, "Garden/Tools")
    included(shop.one(p, "post", "Bikes/Road"), "legitimate_interests")


def test_post_legitimate_interests_from_a_non_sale_direct_event(shop: Shop) -> None:
    """Any direct event of the first table (here a general enquiry) can serve for post."""
    p = shop.person("Jane Smith").event(RECENT, "general_enquiry")
    included(shop.one(p, "post"), "legitimate_interests")


@pytest.mark.parametrize(
    "event",
    ["referral", "third_party_list", "public_source", "visitor_log", "legacy_import", "browsing"],
)
def test_post_no_basis_from_excluded_event_types(shop: Shop, event: str) -> None:
    """These events cannot carry legitimate interests for post."""
    p = shop.person("Jane Smith").event(RECENT, event, via="other")
    excluded(shop.one(p, "post"), "no_basis")


def test_post_no_basis_without_optout_offered(shop: Shop) -> None:
    """Post needs the opt-out offered at the collection (unknown is not offered)."""
    a = shop.person("Ann").buy(RECENT, "Bikes", offered=None)
    b = shop.person("Bob").buy(RECENT, "Bikes", offered="no")
    decisions = shop.decide("post", "Bikes")
    excluded(decisions[a.name], "no_basis")
    excluded(decisions[b.name], "no_basis")


def test_post_no_basis_when_lapsed(shop: Shop) -> None:
    """Post legitimate interests needs the event within soft_opt_in_months."""
    p = shop.person("Jane Smith").buy(OLD, "Bikes")
    excluded(shop.one(p, "post"), "no_basis")


# --- 4.3 frequency cap ----------------------------------------------------------


def test_frequency_cap_reached(shop: Shop) -> None:
    """Two postal campaigns sent in the last 30 days reach the default cap of 2."""
    p = customer(shop)
    shop.sent_post(p, "2026-06-10")
    shop.sent_post(p, "2026-06-20")
    excluded(shop.one(p, "post"), "frequency_cap")


def test_frequency_cap_not_reached_with_one(shop: Shop) -> None:
    """One postal campaign in the last 30 days is under the cap of 2."""
    p = customer(shop)
    shop.sent_post(p, "2026-06-20")
    included(shop.one(p, "post"), "legitimate_interests")


# The boundary of "in the 30 days before the send date" (4.3): the reading kept is the
# one the engine has always applied, from the send date moved back 30 days (2026-05-31
# for 2026-06-30) up to and including the send date. A campaign sent exactly 30 days
# before is "30 days before" and counts; 31 days before does not. This is also the
# cautious reading (it counts more mailings, so it excludes sooner), and it matches
# the 28-day screening window, which also includes its first day.


def test_frequency_cap_counts_only_the_last_30_days(shop: Shop) -> None:
    """A campaign sent 31 days before the send date does not count."""
    p = customer(shop)
    shop.sent_post(p, "2026-05-30")  # 31 days before 2026-06-30
    shop.sent_post(p, "2026-06-20")
    included(shop.one(p, "post"), "legitimate_interests")


def test_frequency_cap_counts_a_campaign_sent_exactly_30_days_before(shop: Shop) -> None:
    """A campaign sent exactly 30 days before the send date still counts toward the cap."""
    p = customer(shop)
    shop.sent_post(p, "2026-05-31")  # 30 days before 2026-06-30
    shop.sent_post(p, "2026-06-20")
    excluded(shop.one(p, "post"), "frequency_cap")


def test_frequency_cap_counts_a_campaign_sent_on_the_send_date(shop: Shop) -> None:
    """Cautious reading: another postal campaign sent on the send date itself counts."""
    p = customer(shop)
    shop.sent_post(p, "2026-06-20")
    shop.sent_post(p, SEND)
    excluded(shop.one(p, "post"), "frequency_cap")


def test_frequency_cap_ignores_campaigns_sent_after_the_send_date(shop: Shop) -> None:
    """Campaigns sent after the send date are not "before" it and do not count."""
    p = customer(shop)
    shop.sent_post(p, "2026-06-20")
    shop.sent_post(p, "2026-07-01")
    included(shop.one(p, "post"), "legitimate_interests")


def test_frequency_cap_ignores_the_campaign_being_decided(shop: Shop) -> None:
    """Re-deciding a sent postal campaign does not count that campaign against itself."""
    p = customer(shop)
    shop.sent_post(p, "2026-06-20")
    shop.sent_post(p, SEND)
    own = shop.store.execute("SELECT MAX(id) FROM campaigns").fetchone()[0]
    d = run(shop.store, CampaignSpec("post", "Bikes", SEND), campaign_id=own).decisions[0]
    included(d, "legitimate_interests")


def test_frequency_cap_counts_only_sent_campaigns(shop: Shop) -> None:
    """Only campaigns marked as sent count, and only where the contact was included."""
    p = customer(shop)
    shop.unsent_post(p, "2026-06-10")
    shop.sent_post(p, "2026-06-15", eligible=False)
    shop.sent_post(p, "2026-06-20")
    included(shop.one(p, "post"), "legitimate_interests")


def test_frequency_cap_zero_turns_it_off(shop: Shop) -> None:
    """post_max_per_30_days = 0 means no cap."""
    shop.store.set_setting("post_max_per_30_days", "0")
    p = customer(shop)
    for day in ("2026-06-05", "2026-06-10", "2026-06-20"):
        shop.sent_post(p, day)
    included(shop.one(p, "post"), "legitimate_interests")


def test_frequency_cap_of_one_needs_a_mailing_to_exclude(shop: Shop) -> None:
    """With a cap of 1, a contact never mailed is included; one mailed once is not."""
    shop.store.set_setting("post_max_per_30_days", "1")
    a = customer(shop, "Ann")
    b = customer(shop, "Bob")
    shop.sent_post(b, "2026-06-20")
    decisions = shop.decide("post", "Bikes")
    included(decisions[a.name], "legitimate_interests")
    excluded(decisions[b.name], "frequency_cap")


def test_frequency_cap_setting_is_applied(shop: Shop) -> None:
    """A cap of 1 excludes after one postal campaign."""
    shop.store.set_setting("post_max_per_30_days", "1")
    p = customer(shop)
    shop.sent_post(p, "2026-06-20")
    excluded(shop.one(p, "post"), "frequency_cap")


def test_frequency_cap_applies_to_consent_too_and_beside_no_basis(shop: Shop) -> None:
    """The cap is reported with no_basis, and also excludes a consented contact."""
    a = shop.person("Ann").consent(RECENT, "post")
    b = shop.person("Bob").event(RECENT, "third_party_list", via="other")
    for person in (a, b):
        shop.sent_post(person, "2026-06-10")
        shop.sent_post(person, "2026-06-20")
    decisions = shop.decide("post", "Bikes")
    excluded(decisions[a.name], "frequency_cap")
    excluded(decisions[b.name], "no_basis", "frequency_cap")


def test_consent_on_a_legacy_import_is_not_accepted(shop: Shop) -> None:
    """Cautious reading: a record of unknown origin cannot show a consent given to us."""
    p = shop.person("Jane Smith").event(RECENT, "legacy_import", via="other", consented="email")
    excluded(shop.one(p, "email"), "no_qualifying_event")
    q = customer(shop, "Bob").opt_out("2026-05-10", "sms")
    q.event("2026-05-20", "legacy_import", via="other", consented="sms")
    excluded(shop.one(q, "sms"), "opted_out")


# --- 4.4 phone --------------------------------------------------------------------
# A number needs BOTH a TPS and a CTPS screening within 28 days before the send date,
# whatever the contact's type; a listing at either register's latest screening (however
# old) is tps_registered, whatever the type.


def test_a_listed_number_is_known_when_its_owner_comes_in_later(shop: Shop) -> None:
    """A number listed in a screening is on the register from that day, even for a
    customer recorded after the screening; an unlisted newcomer is not screened (and
    neither newcomer was screened against the CTPS, which listed neither number)."""
    shop.screen_both("2026-06-20", tps=["0113 4960018"])
    listed = customer(shop, "Lee", phone=landline(18))
    newcomer = customer(shop, "Nia", phone=landline(19))
    decisions = shop.decide("phone", "Bikes")
    excluded(decisions[listed.name], "tps_registered", "not_screened")
    excluded(decisions[newcomer.name], "not_screened")


def test_same_day_screenings_a_listing_wins(shop: Shop) -> None:
    """Cautious reading: listed and clear on the same day (either order) is listed."""
    a = customer(shop, "Ann", phone=landline(16))
    b = customer(shop, "Ben", phone=landline(17))
    shop.screen("ctps", [], "2026-06-20")
    shop.screen("tps", ["0113 4960016"], "2026-06-20")
    shop.screen("tps", [], "2026-06-20")
    shop.screen("tps", [], "2026-06-20")
    shop.screen("tps", ["0113 4960017"], "2026-06-20")
    decisions = shop.decide("phone", "Bikes")
    excluded(decisions[a.name], "tps_registered")
    excluded(decisions[b.name], "tps_registered")


def test_same_day_ctps_screenings_a_listing_wins(shop: Shop) -> None:
    """The same cautious reading on the CTPS: listed and clear on one day is listed."""
    a = customer(shop, "Ann", phone=landline(26))
    shop.screen("tps", [], "2026-06-20")
    shop.screen("ctps", [landline(26)], "2026-06-20")
    shop.screen("ctps", [], "2026-06-20")
    excluded(shop.one(a, "phone"), "tps_registered")


def test_tps_screened(shop: Shop) -> None:
    """A number screened clear on both registers within 28 days may be called."""
    p = shop.person("Jane Smith", phone=landline(10)).event(RECENT, "general_enquiry")
    shop.screen_both("2026-06-20")
    included(shop.one(p, "phone"), "tps_screened")


def test_tps_registered(shop: Shop) -> None:
    """A number on the TPS at the latest screening cannot be called."""
    p = customer(shop, phone=landline(11))
    shop.screen_both("2026-06-20", tps=["0113 4960011"])
    excluded(shop.one(p, "phone"), "tps_registered")


def test_not_screened(shop: Shop) -> None:
    """No screening at all: not_screened."""
    p = customer(shop, phone=landline(12))
    excluded(shop.one(p, "phone"), "not_screened")


def test_individual_screened_tps_clear_only_is_not_screened(shop: Shop) -> None:
    """The 4.4 rule change: an individual screened TPS-clear but never against the
    CTPS is not_screened (a business line can sit behind a contact recorded as one)."""
    p = customer(shop, phone=landline(21))
    shop.screen("tps", [], "2026-06-20")
    excluded(shop.one(p, "phone"), "not_screened")
    shop.screen("ctps", [], "2026-06-20")
    included(shop.one(p, "phone"), "tps_screened")


def test_ctps_screened_only_is_not_screened(shop: Shop) -> None:
    """A CTPS screening alone is not enough either: the TPS must be screened too."""
    p = customer(shop, phone=landline(22))
    shop.screen("ctps", [], "2026-06-20")
    excluded(shop.one(p, "phone"), "not_screened")


@pytest.mark.parametrize("stale", ["tps", "ctps"])
def test_either_register_stale_is_not_screened(shop: Shop, stale: str) -> None:
    """Both screenings must be within 28 days: one fresh and one 29 days old is not_screened."""
    p = customer(shop, phone=landline(23))
    fresh = "ctps" if stale == "tps" else "tps"
    shop.screen(stale, [], "2026-06-01")  # 29 days before 2026-06-30
    shop.screen(fresh, [], "2026-06-20")
    excluded(shop.one(p, "phone"), "not_screened")


def test_screening_window_is_28_days(shop: Shop) -> None:
    """Screenings 28 days before count; 29 days before they do not."""
    a = customer(shop, "Ann", phone=landline(13))
    shop.screen_both("2026-06-02")  # 28 days before 2026-06-30
    included(shop.one(a, "phone"), "tps_screened")
    excluded(shop.decide("phone", "Bikes", "2026-07-01")[a.name], "not_screened")


@pytest.mark.parametrize("register", ["tps", "ctps"])
def test_screening_after_the_send_date_does_not_count(shop: Shop, register: str) -> None:
    """A screening dated after the send date is ignored (for either register)."""
    p = customer(shop, phone=landline(14))
    shop.screen_both("2026-06-20")
    shop.screen(register, [landline(14)], "2026-07-01")  # a later listing changes nothing
    included(shop.one(p, "phone"), "tps_screened")
    q = customer(shop, "Bob", phone=landline(24))
    shop.load()
    other = "ctps" if register == "tps" else "tps"
    shop.screen(other, [], "2026-06-20")
    shop.screen(register, [], "2026-07-01")  # ... and a later clear one screens nothing
    excluded(shop.one(q, "phone"), "not_screened")


def test_screening_on_the_send_date_counts(shop: Shop) -> None:
    """Screenings dated on the send date itself are within the 28 days."""
    p = customer(shop, phone=landline(25))
    shop.screen_both(SEND)
    included(shop.one(p, "phone"), "tps_screened")


def test_tps_registered_and_not_screened_together(shop: Shop) -> None:
    """Listed at an old screening, none since: both reasons."""
    p = customer(shop, phone=landline(15))
    shop.screen_both("2026-03-01", tps=[landline(15)])
    excluded(shop.one(p, "phone"), "tps_registered", "not_screened")


def test_old_ctps_listing_is_tps_registered_for_an_individual(shop: Shop) -> None:
    """tps_registered comes from a register's latest screening however old, CTPS
    included, for any contact: an individual on the CTPS at an old screening and
    clear on a fresh TPS one is tps_registered and not_screened."""
    p = customer(shop, phone=landline(27))
    shop.screen("ctps", [landline(27)], "2025-01-10")
    shop.screen("tps", [], "2026-06-20")
    excluded(shop.one(p, "phone"), "tps_registered", "not_screened")


def test_latest_screening_decides(shop: Shop) -> None:
    """Only the latest screening counts: listed then clear is clear, and the reverse."""
    a = customer(shop, "Ann", phone=landline(16))
    b = customer(shop, "Bob", phone=landline(17))
    shop.screen_both("2026-06-05", tps=[landline(16)], ctps=[landline(17)])
    shop.screen_both("2026-06-20", tps=[landline(17)], ctps=[landline(16)])
    shop.screen_both("2026-06-25", ctps=[landline(17)])
    decisions = shop.decide("phone", "Bikes")
    included(decisions[a.name], "tps_screened")
    excluded(decisions[b.name], "tps_registered")


def test_phone_consent_overrides_tps(shop: Shop) -> None:
    """A direct phone consent overrides a TPS or CTPS registration (and needs no screening)."""
    a = shop.person("Ann", phone=landline(18)).consent(RECENT, "phone")
    b = shop.person("Bob", phone=landline(19)).consent(RECENT, "phone")
    shop.screen_both("2026-06-20", tps=[landline(18)], ctps=[landline(18)])
    decisions = shop.decide("phone", "Bikes")
    included(decisions[a.name], "consent")
    included(decisions[b.name], "consent")


def test_corporate_needs_both_screenings_too(shop: Shop) -> None:
    """A corporate contact needs the TPS and the CTPS screened, like anyone else."""
    p = shop.person(
        "Acme Ltd", phone=landline(20), contact_type="corporate", company_number="01234567"
    ).event(RECENT, "event_contact", via="other")
    shop.screen("tps", [], "2026-06-20")
    excluded(shop.one(p, "phone"), "not_screened")
    shop.screen("ctps", [], "2026-06-21")
    included(shop.one(p, "phone"), "tps_screened")
    shop.screen("ctps", [landline(20)], "2026-06-22")
    excluded(shop.one(p, "phone"), "tps_registered")


def test_individual_on_the_ctps_is_tps_registered(shop: Shop) -> None:
    """A contact recorded as an individual whose number is on the CTPS cannot be called."""
    p = customer(shop, phone=landline(28))
    shop.screen_both("2026-06-20", ctps=[landline(28)])
    excluded(shop.one(p, "phone"), "tps_registered")


# --- basis order -----------------------------------------------------------------


def test_corporate_comes_before_consent(shop: Shop) -> None:
    """The first basis that holds is named: corporate_subscriber before consent."""
    p = shop.person("Acme Ltd", contact_type="corporate", company_number="01234567")
    p.buy(RECENT, "Bikes/Road", consented="email;sms")
    included(shop.one(p, "email"), "corporate_subscriber")
    included(shop.one(p, "sms"), "corporate_subscriber")


def test_consent_comes_before_soft_opt_in(shop: Shop) -> None:
    """A consented customer with a qualifying sale is included on consent."""
    p = customer(shop).consent("2026-05-10", "email;sms")
    included(shop.one(p, "email"), "consent")
    included(shop.one(p, "sms"), "consent")


def test_consent_comes_before_charity_soft_opt_in(shop: Shop) -> None:
    """For a charity, consent is named before the charity soft opt-in."""
    shop.store.set_setting("organisation_type", "charity")
    p = shop.person("Jane Smith").event("2026-03-01", "donation", via="online", consented="email")
    included(shop.one(p, "email", "Appeals", purpose="charitable"), "consent")


def test_consent_comes_before_legitimate_interests(shop: Shop) -> None:
    """Post: consent is named before legitimate interests."""
    p = customer(shop).consent("2026-05-10", "post")
    included(shop.one(p, "post"), "consent")


def test_consent_comes_before_tps_screened(shop: Shop) -> None:
    """Phone: consent is named before tps_screened."""
    p = customer(shop, phone=landline(30)).consent("2026-05-10", "phone")
    shop.screen_both("2026-06-20")
    included(shop.one(p, "phone"), "consent")


# --- only events on or before the send date count ------------------------------


def test_sale_after_the_send_date_is_ignored(shop: Shop) -> None:
    """A purchase dated after the send date gives no soft opt-in for that send date."""
    p = shop.person("Jane Smith").event("2026-05-01", "general_enquiry")
    p.buy("2026-07-01", "Bikes/Road")
    excluded(shop.one(p, "email"), "no_qualifying_event")


def test_opt_out_after_the_send_date_is_ignored(shop: Shop) -> None:
    """An opt-out dated after the send date does not exclude for that send date."""
    p = customer(shop).opt_out("2026-07-01", "email")
    included(shop.one(p, "email"), "soft_opt_in")


def test_objection_after_the_send_date_is_ignored(shop: Shop) -> None:
    """An objection dated after the send date does not exclude for that send date."""
    p = customer(shop).objection("2026-07-01")
    included(shop.one(p, "sms"), "soft_opt_in")


def test_consent_after_the_send_date_does_not_lift_a_refusal(shop: Shop) -> None:
    """A consent dated after the send date cannot undo an earlier refusal."""
    p = customer(shop).opt_out("2026-05-10", "email").consent("2026-07-01", "email")
    excluded(shop.one(p, "email"), "opted_out")


def test_send_date_itself_counts(shop: Shop) -> None:
    """An event dated on the send date counts."""
    p = shop.person("Jane Smith").buy(SEND, "Bikes/Road")
    included(shop.one(p, "email"), "soft_opt_in")


# --- running the engine ------------------------------------------------------------


def _mixed_shop(shop: Shop) -> None:
    """Four people: soft opt-in, consent, excluded twice over, and a corporate subscriber."""
    customer(shop, "Ann")
    shop.person("Bob").event(RECENT, "general_enquiry").consent("2026-05-10", "email")
    shop.person("Cy", email=None).event(RECENT, "third_party_list", via="other")
    shop.person("Dee Ltd", contact_type="corporate", company_number="01234567").event(
        RECENT, "event_contact", via="other"
    )
    shop.load()


def test_counts_by_basis_and_by_every_reason(shop: Shop) -> None:
    """DecisionRun.counts counts included people by basis and every reason of the excluded."""
    _mixed_shop(shop)
    result = run(shop.store, CampaignSpec("email", "Bikes", SEND))
    bases, reasons = result.counts()
    assert dict(bases) == {"soft_opt_in": 1, "consent": 1, "corporate_subscriber": 1}
    assert dict(reasons) == {"no_contact_point": 1}
    result = run(shop.store, CampaignSpec("sms", "Bikes", SEND))
    bases, reasons = result.counts()
    assert dict(bases) == {"soft_opt_in": 1, "corporate_subscriber": 1}
    assert dict(reasons) == {"no_qualifying_event": 2, "third_party_source": 1}
    assert [d.name for d in result.eligible] == ["Ann", "Dee Ltd"]
    assert [d.name for d in result.excluded] == ["Bob", "Cy"]
    assert [d.reasons_text for d in result.excluded] == [
        "no_qualifying_event",
        "no_qualifying_event;third_party_source",
    ]
    assert result.window_start == "2024-06-30"
    assert (result.spec.channel, result.settings.post_max_per_30_days) == ("sms", 2)
    assert result.similarity.campaign_key == "bikes"


def test_counts_only_run_decides_the_same(shop: Shop) -> None:
    """with_evidence=False (counts only) gives the same decisions, without the sentences."""
    _mixed_shop(shop)
    for channel in ("email", "sms", "post", "phone"):
        spec = CampaignSpec(channel, "Bikes", SEND)
        full = run(shop.store, spec)
        quick = run(shop.store, spec, with_evidence=False)
        assert [d._replace(evidence="") for d in full.decisions] == quick.decisions
        assert all(d.evidence == "" for d in quick.decisions)
        assert all(d.evidence for d in full.decisions)
        assert (quick.spec, quick.settings, quick.window_start) == (
            full.spec,
            full.settings,
            full.window_start,
        )
        assert quick.similarity == full.similarity
        assert quick.counts() == full.counts()


def test_run_for_some_contacts_only(shop: Shop) -> None:
    """contact_ids limits the run to those contacts, deciding them as a full run does."""
    _mixed_shop(shop)
    spec = CampaignSpec("email", "Bikes", SEND)
    full = {d.contact_id: d for d in run(shop.store, spec).decisions}
    some = run(shop.store, spec, contact_ids=[2, 4]).decisions
    assert some == [full[2], full[4]]
    assert run(shop.store, spec, contact_ids=[3], with_evidence=False).decisions == [
        full[3]._replace(evidence="")
    ]


def test_run_with_given_settings(shop: Shop) -> None:
    """Settings passed in are used instead of the store's (a frozen campaign's settings)."""
    p = shop.person("Jane Smith").buy("2025-01-10", "Bikes/Road")
    shop.load()
    spec = CampaignSpec("email", "Bikes", SEND)
    short = RuleSettings(soft_opt_in_months=6)
    excluded(run(shop.store, spec, settings=short).decisions[0], "lapsed")
    included(run(shop.store, spec).decisions[0], "soft_opt_in")
    assert run(shop.store, spec, settings=short).window_start == "2025-12-30"
    assert p.name == "Jane Smith"


def test_decision_names_its_supporting_event(shop: Shop) -> None:
    """The decision carries the id of the event behind its basis (None for corporate)."""
    _mixed_shop(shop)
    decisions = {d.name: d for d in run(shop.store, CampaignSpec("email", "Bikes", SEND)).decisions}
    ann = contact_events(shop.store, decisions["Ann"].contact_id)
    bob = contact_events(shop.store, decisions["Bob"].contact_id)
    assert decisions["Ann"].event_id == ann[0].id
    assert decisions["Bob"].event_id == bob[1].id and bob[1].type == "consent"
    assert decisions["Dee Ltd"].event_id is None
    assert decisions["Cy"].event_id is None


def test_contact_events_are_the_timeline_oldest_first(shop: Shop) -> None:
    """contact_events lists one contact's events, oldest first, with their categories."""
    shop.person("Other").buy("2026-01-01", "Tools")
    p = (
        shop.person("Jane Smith")
        .buy("2026-05-01", "Bikes/Road")
        .event("2026-03-01", "general_enquiry", via="phone")
    )
    p.opt_out("2026-05-01", "sms")
    events = contact_events(shop.store, shop.contact_id(p))
    assert [(e.date, e.type, e.category, e.collected_via) for e in events] == [
        ("2026-03-01", "general_enquiry", None, "phone"),
        ("2026-05-01", "purchase", "Bikes/Road", "in_store"),
        ("2026-05-01", "opt_out", None, "email"),
    ]
    assert events[2].refused == 2 and events[1].staff == "Sam"
    assert contact_events(shop.store, 999) == []


def test_day_numbers_and_texts() -> None:
    """Days are stored as numbers like 20260314 and read back as ISO dates."""
    assert day_number("2026-03-14") == 20260314
    assert day_text(20260314) == "2026-03-14"
    assert day_text(19991231) == "1999-12-31"
    assert day_text(None) is None
    assert window_start("2026-08-31", RuleSettings(soft_opt_in_months=6)) == "2026-02-28"
    assert window_start(SEND, RuleSettings()) == "2024-06-30"
