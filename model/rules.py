"""What the rule book (DOMAIN.md) derives from its vocabulary: which events qualify
for what, the fixed numbers of its policies, and the plain-English texts.

The codes themselves are the enums of :mod:`model.vocab`; the tuples here list them
in the rule book's order for code that iterates.
"""

from __future__ import annotations

from .vocab import (
    Basis,
    CollectedVia,
    EventType,
    OptoutOffered,
    OrganisationType,
    Permission,
    Purpose,
    Reason,
)

# --- section 3: how a contact came in --------------------------------------

#: sale or negotiation for a sale: the commercial soft opt-in can rest on these
SALE_OR_NEGOTIATION = frozenset(
    {"purchase", "booking", "quote_request", "product_enquiry", "basket_add"}
)
#: charitable soft opt-in only (PECR reg 22(3A))
CHARITY_EVENTS = frozenset({"donation", "volunteering", "charity_enquiry"})
#: not collected directly (the third_party_source reason)
NOT_DIRECT = frozenset({"referral", "third_party_list", "public_source"})
#: consent carried on these is not accepted: 4.2 policy names the events not
#: collected directly; cautious reading (ours): a legacy_import, "an old record
#: whose origin is unknown", cannot show that the consent was given to this business
CONSENT_NOT_ACCEPTED = NOT_DIRECT | {"legacy_import"}

COLLECTION_EVENTS: tuple[str, ...] = tuple(t for t in EventType if t not in set(Permission))
PERMISSION_EVENTS: tuple[str, ...] = tuple(Permission)
EVENT_TYPES: tuple[str, ...] = tuple(EventType)

#: a fixed number per event type, stored with each event (events.type_code) so the
#: engine tests sets of types with integer masks; never renumber, only append
EVENT_CODES: dict[str, int] = {t: i for i, t in enumerate(EVENT_TYPES)}


def type_mask(types: frozenset[str] | set[str] | tuple[str, ...]) -> int:
    """The bit mask of a set of event types: bit n is the type with code n."""
    return sum(1 << EVENT_CODES[t] for t in types)


#: 4.3: the collection events that can carry legitimate interests for post
POST_DIRECT = frozenset(COLLECTION_EVENTS) - {
    "referral",
    "third_party_list",
    "public_source",
    "visitor_log",
    "legacy_import",
    "browsing",
}

#: events for which the category is required (the commercial qualifying events)
CATEGORY_REQUIRED = SALE_OR_NEGOTIATION

#: grey areas the evidence must say are grey (section 3, policy)
GREY_AREA = frozenset({"basket_add"})

COLLECTED_VIA: tuple[str, ...] = tuple(CollectedVia)
OPTOUT_OFFERED: tuple[str, ...] = tuple(OptoutOffered)

EVENT_LABELS: dict[str, str] = {
    "purchase": "Purchase",
    "booking": "Booking",
    "quote_request": "Quote request",
    "product_enquiry": "Product enquiry",
    "basket_add": "Basket add",
    "general_enquiry": "General enquiry",
    "complaint": "Complaint",
    "browsing": "Browsing",
    "competition_entry": "Competition entry",
    "newsletter_signup": "Newsletter sign-up",
    "loyalty_signup": "Loyalty sign-up",
    "warranty_registration": "Warranty registration",
    "free_trial": "Free trial",
    "event_contact": "Event contact",
    "referral": "Referral",
    "third_party_list": "Third-party list",
    "public_source": "Public source",
    "visitor_log": "Visitor log",
    "legacy_import": "Legacy import",
    "donation": "Donation",
    "volunteering": "Volunteering",
    "charity_enquiry": "Charity enquiry",
    "opt_out": "Opt-out",
    "consent": "Consent",
    "objection": "Objection",
}

VIA_LABELS: dict[str, str] = {
    "in_store": "in store",
    "online": "online",
    "phone": "by phone",
    "paper": "on paper",
    "email": "by email",
    "other": "by other means",
}

# --- section 4: bases and reasons ------------------------------------------

PURPOSES: tuple[str, ...] = tuple(Purpose)

#: DUAA s.114 commencement: the charity soft opt-in does not reach back before this
CHARITY_SOFT_OPT_IN_START = "2026-02-05"

#: 4.4: a TPS/CTPS screening counts for this many days
SCREENING_VALID_DAYS = 28

#: 4.3 policy: the window of the postal frequency cap
POST_CAP_DAYS = 30

BASES: tuple[str, ...] = tuple(Basis)

#: every reason code, in the order they are listed and reported
REASONS: tuple[Reason, ...] = tuple(Reason)

REASON_TEXT: dict[str, str] = {
    "no_contact_point": "no address for this channel",
    "suppressed": "on the suppression list for this channel",
    "objected": "objected to direct marketing",
    "opted_out": "opted out of this channel",
    "no_qualifying_event": "no sale, negotiation or qualifying event",
    "third_party_source": "details came from a third party or a public source",
    "other_purpose": "details were collected for another purpose (visitor log)",
    "charity_rules": "charity events cannot serve this campaign",
    "not_similar": "bought or asked about nothing similar to this campaign's category",
    "no_optout_at_collection": "no opt-out was offered when the details were collected",
    "lapsed": "the qualifying events are older than the soft opt-in window",
    "no_basis": "no consent and no legitimate-interests basis for post",
    "frequency_cap": "already sent the maximum number of postal campaigns in 30 days",
    "tps_registered": "the number is on the TPS or CTPS register",
    "not_screened": "the number was not screened against both the TPS and the CTPS within 28 days",
}

#: a basis as a sentence ends: "email allowed under ..."
BASIS_SHORT: dict[str, str] = {
    "corporate_subscriber": "the corporate-subscriber rule",
    "consent": "consent",
    "charity_soft_opt_in": "the charity soft opt-in",
    "soft_opt_in": "soft opt-in",
    "legitimate_interests": "legitimate interests",
    "tps_screened": "clear TPS and CTPS screenings",
}

BASIS_TEXT: dict[str, str] = {
    "corporate_subscriber": "corporate subscriber (PECR reg 22 does not protect companies)",
    "consent": "consent given directly to this business",
    "charity_soft_opt_in": "charity soft opt-in (PECR reg 22(3A))",
    "soft_opt_in": "soft opt-in (PECR reg 22(3))",
    "legitimate_interests": "legitimate interests (UK GDPR Art 6(1)(f)), opt-out offered",
    "tps_screened": "screened against the TPS and the CTPS within 28 days and on neither",
}

# --- settings ---------------------------------------------------------------

ORGANISATION_TYPES: tuple[str, ...] = tuple(OrganisationType)
