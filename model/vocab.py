"""The rule book's vocabulary as enums: channels, purposes, event types, bases and
reason codes (DOMAIN.md sections 1, 3 and 4).

``StrEnum`` keeps the rule book's spelling on disk, in files and on screen: a member
*is* its code (``Channel.SMS == "sms"``), so the store, the CSV files and the
reports carry the same words, and a misspelt code fails where it is written rather
than where it is read. Everything derived from these (which events qualify, the
plain-English texts) lives in :mod:`model.rules`.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How a message reaches someone (DOMAIN.md section 1)."""

    EMAIL = "email"
    SMS = "sms"
    POST = "post"
    PHONE = "phone"

    @property
    def bit(self) -> int:
        """The channel's bit in a channel mask (events.refused, events.consented, ...)."""
        return 1 << list(Channel).index(self)


class Purpose(StrEnum):
    """What a campaign is for (DOMAIN.md section 1)."""

    COMMERCIAL = "commercial"
    CHARITABLE = "charitable"


class OrganisationType(StrEnum):
    BUSINESS = "business"
    CHARITY = "charity"


class EventType(StrEnum):
    """How a contact came in (DOMAIN.md section 3), then the permission events.

    The order is fixed: ``events.type_code`` stores each type's position, so new
    types are only ever appended.
    """

    PURCHASE = "purchase"
    BOOKING = "booking"
    QUOTE_REQUEST = "quote_request"
    PRODUCT_ENQUIRY = "product_enquiry"
    BASKET_ADD = "basket_add"
    GENERAL_ENQUIRY = "general_enquiry"
    COMPLAINT = "complaint"
    BROWSING = "browsing"
    COMPETITION_ENTRY = "competition_entry"
    NEWSLETTER_SIGNUP = "newsletter_signup"
    LOYALTY_SIGNUP = "loyalty_signup"
    WARRANTY_REGISTRATION = "warranty_registration"
    FREE_TRIAL = "free_trial"
    EVENT_CONTACT = "event_contact"
    REFERRAL = "referral"
    THIRD_PARTY_LIST = "third_party_list"
    PUBLIC_SOURCE = "public_source"
    VISITOR_LOG = "visitor_log"
    LEGACY_IMPORT = "legacy_import"
    DONATION = "donation"
    VOLUNTEERING = "volunteering"
    CHARITY_ENQUIRY = "charity_enquiry"
    OPT_OUT = "opt_out"
    CONSENT = "consent"
    OBJECTION = "objection"


class Permission(StrEnum):
    """The permission events (DOMAIN.md section 3, second table)."""

    OPT_OUT = "opt_out"
    CONSENT = "consent"
    OBJECTION = "objection"


class CollectedVia(StrEnum):
    IN_STORE = "in_store"
    ONLINE = "online"
    PHONE = "phone"
    PAPER = "paper"
    EMAIL = "email"
    OTHER = "other"


class OptoutOffered(StrEnum):
    """Whether the opt-out was offered at collection; unknown is stored as NULL."""

    YES = "yes"
    NO = "no"


class Basis(StrEnum):
    """Why a contact may be sent the campaign (DOMAIN.md 4.2-4.4), in the rule book's order."""

    CORPORATE_SUBSCRIBER = "corporate_subscriber"
    CONSENT = "consent"
    CHARITY_SOFT_OPT_IN = "charity_soft_opt_in"
    SOFT_OPT_IN = "soft_opt_in"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    TPS_SCREENED = "tps_screened"


class Reason(StrEnum):
    """Why a contact is excluded (DOMAIN.md 4.1-4.4), in the order they are reported."""

    NO_CONTACT_POINT = "no_contact_point"
    SUPPRESSED = "suppressed"
    OBJECTED = "objected"
    OPTED_OUT = "opted_out"
    NO_QUALIFYING_EVENT = "no_qualifying_event"
    THIRD_PARTY_SOURCE = "third_party_source"
    OTHER_PURPOSE = "other_purpose"
    CHARITY_RULES = "charity_rules"
    NOT_SIMILAR = "not_similar"
    NO_OPTOUT_AT_COLLECTION = "no_optout_at_collection"
    LAPSED = "lapsed"
    NO_BASIS = "no_basis"
    FREQUENCY_CAP = "frequency_cap"
    TPS_REGISTERED = "tps_registered"
    NOT_SCREENED = "not_screened"


class Register(StrEnum):
    """The telephone preference registers (DOMAIN.md 4.4 and section 6)."""

    TPS = "tps"
    CTPS = "ctps"
