"""The sample shop (INTERFACE.md ``demo``): Pedal & Chain Cycles, a bicycle shop in Leeds.

It fills an empty store with about three years of a small shop's life: a category
tree with a range and two links, some 370 customers who came in every way the rule
book knows (sales at the till, phone orders taken without the opt-out, online
quotes, enquiries, newsletter sign-ups, a bought-in list, a visitor log, lapsed
customers, two companies), later opt-outs, consents and an objection, a
do-not-contact list, a recent TPS screening, and three past campaigns, frozen and
marked sent.

Everything goes in through the model's own functions, replayed in date order as
the shop would have done it: the history is written as ledger CSV files, one per
period, and imported with :func:`model.ledger.import_ledger`; permission changes are
recorded with :func:`model.contacts.record_permission`; each campaign is frozen
(:func:`model.campaigns.freeze_campaign`) when its send date comes, seeing only the
contacts and events of that time. The whole fill is one transaction.

The same ``seed`` and ``today`` give the same contacts and events. Every phone
number is an Ofcom drama number (07700 900xxx, 0113 496 0xxx), every email address
is at a reserved example domain, and the people are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import tempfile
from dataclasses import dataclass, field

from .campaigns import freeze_campaign, get_campaign, mark_sent
from .categories import add_category, link_categories
from .contacts import find_contact, record_permission
from .engine import CampaignSpec
from .errors import InputError
from .ledger import COLUMNS, import_ledger
from .normalise import parse_channels, parse_date
from .normalise import today as today_text
from .screening import screen
from .store import Store
from .suppression import add_entries, entry_for_line

# --- the shop ----------------------------------------------------------------------

BUSINESS_NAME = "Pedal & Chain Cycles"
BUSINESS_ADDRESS = "14 Kirkgate, Leeds LS1 6BY"
SHOP_PHONE = "0113 496 0000"  # drama range; never given to a customer below
STAFF = ("Sam", "Priya", "Tom")

TILL_SCRIPT = (
    "We'd like to send you offers on bikes, kit and servicing by email, text and post. "
    "Would you rather we didn't? You can say no now, or opt out at any time."
)
PHONE_SCRIPT = (
    "Phone script: 'Can we send you offers on similar products by email, text or post? "
    "You can say no now or at any time.'"
)
WEB_TICK = "Tick box on the checkout page: 'Tick if you'd rather not get offers from us'"
QUOTE_TICK = (
    "Tick box on the quote form: 'Tick if you'd rather not hear about offers by email or text'"
)
NEWSLETTER_NOTICE = "Sign-up form: 'Unsubscribe at any time with the link in every email'"
NEWSLETTER_WORDING = "Yes, please email me news and offers from Pedal & Chain Cycles"
PAPER_WORDING = "Tick to get our news and offers by email and post (paper form at the till)"

CATEGORIES: dict[str, tuple[str, ...]] = {
    "Bikes": ("Road", "Mountain", "Hybrid", "Electric", "Kids", "Gravel"),
    "Clothing": ("Jerseys", "Shorts", "Jackets", "Gloves"),
    "Accessories": ("Helmets", "Lights", "Locks", "Bags"),
    "Parts": ("Tyres", "Chains"),
    "Servicing": ("Repairs", "Annual service", "Bike fit"),
}
ONE_RANGES = ("Clothing",)  # all the shop's cycle clothing is one range
LINKS = (
    ("Bikes", "Servicing", "every bike we sell comes with servicing"),
    ("Parts", "Servicing", "the workshop fits the parts we sell"),
)

# (days before today, channel, category, name, staff); the optout text is the settings'
PAST_CAMPAIGNS = (
    (200, "email", "Bikes", "Spring sale: bikes", "Priya"),
    (45, "post", "Servicing", "Winter service offer (leaflet)", "Sam"),
    (20, "sms", "Accessories/Lights", "Dark evenings: lights offer", "Tom"),
)
SUPPRESSION_DAYS_AGO = 100
SCREENING_DAYS_AGO = 6
HISTORY_DAYS = 1100  # about three years

_FIRST_NAMES = (
    "Aisha Alex Amelia Amir Ben Bethany Callum Charlotte Chloe Daniel David Eleanor Ella "
    "Emily Ethan Fatima Finn Freya George Grace Hannah Harry Isla Jack James Jasmine Joe "
    "Kate Liam Lily Lucy Mohammed Noah Olivia Oscar Priyanka Rachel Ravi Rosie Ruby Ryan "
    "Sophie Tariq Thomas Zara"
).split()
_SURNAMES = (
    "Ahmed Ali Atkinson Bailey Barker Begum Bennett Brooks Clarke Cooper Dawson Dixon Ellis "
    "Fletcher Foster Green Hall Harrison Hughes Hussain Jackson Kaur Khan Lambert Lee "
    "Marsden Mitchell Nolan Patel Pearson Robinson Shaw Singh Stephenson Sutcliffe Taylor "
    "Thornton Walker Wilson Wood Wright Young"
).split()
_STREETS = (
    "Otley Road",
    "Kirkstall Lane",
    "Cardigan Road",
    "Harehills Avenue",
    "Roundhay Road",
    "Chapel Lane",
    "Wood Lane",
    "Station Road",
    "Victoria Terrace",
    "Moor Road",
    "Church Street",
    "Park View",
    "Spen Lane",
    "Stainbeck Road",
    "Beckett Street",
)
_AREAS = (
    ("Headingley", "LS6"),
    ("Kirkstall", "LS5"),
    ("Chapel Allerton", "LS7"),
    ("Roundhay", "LS8"),
    ("Armley", "LS12"),
    ("Horsforth", "LS18"),
    ("Meanwood", "LS6"),
    ("Otley", "LS21"),
    ("Pudsey", "LS28"),
    ("Rothwell", "LS26"),
    ("Garforth", "LS25"),
)
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class DemoReport:
    """What the sample shop put in the store."""

    business_name: str
    today: str
    contacts: int = 0
    events: int = 0
    categories: int = 0
    links: int = 0
    ledger_files: int = 0
    permissions: int = 0  # opt-outs, consents and objections recorded after collection
    suppressions: int = 0
    screened: int = 0
    tps_listed: int = 0
    ctps_listed: int = 0
    #: (id, name, channel, send date, eligible) of each past campaign
    campaigns: list[tuple[int, str, str, str, int]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"sample shop: {self.business_name}, as of {self.today}",
            f"categories: {self.categories} ({self.links} similarity links)",
            f"contacts: {self.contacts}",
            f"events: {self.events} (from {self.ledger_files} ledger files, and "
            f"{self.permissions} opt-outs, consents and objections recorded later)",
            f"suppression entries: {self.suppressions}",
            f"TPS and CTPS screening: {self.screened} numbers screened, {self.tps_listed} on "
            f"the TPS, {self.ctps_listed} on the CTPS",
            f"past campaigns: {len(self.campaigns)}",
        ]
        lines += [
            f"  {cid}: {name} ({channel}, sent {date}): {eligible} recipients"
            for cid, name, channel, date, eligible in self.campaigns
        ]
        return "\n".join(lines)


# --- the people ----------------------------------------------------------------------


@dataclass
class _Customer:
    """One invented customer: details, and the ledger rows of their history."""

    details: dict[str, str]
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def first_date(self) -> str:
        return min(r["date"] for r in self.rows)

    def add(self, date: str, event: str, category: str = "", **values: str) -> None:
        row = {**self.details, "date": date, "event": event, "category": category}
        row.update(values)
        self.rows.append(row)


@dataclass
class _Permission:
    """An opt-out, consent or objection that came in after collection."""

    date: str
    customer: _Customer
    kind: str  # opt_out | consent | objection
    channels: str
    via: str
    wording: str | None = None


class _History:
    """The shop's invented past, from one random generator: customers and permissions."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.customers: list[_Customer] = []
        self.permissions: list[_Permission] = []
        rng = self.rng
        names = [f"{f} {s}" for f in _FIRST_NAMES for s in _SURNAMES]
        rng.shuffle(names)
        self._names = iter(names)
        mobiles = [f"07700 900{n:03d}" for n in range(1, 1000)]
        landlines = [f"0113 496 0{n:03d}" for n in range(1, 1000)]  # 0000 is the shop's
        rng.shuffle(mobiles)
        rng.shuffle(landlines)
        self._mobiles = iter(mobiles)
        self._landlines = iter(landlines)
        self._serial = 0

    # dates and small choices

    def day(self, days_ago: int) -> str:
        return (self.today - dt.timedelta(days=max(0, days_ago))).isoformat()

    def later(self, date: str, low: int, high: int) -> str | None:
        """A date ``low``..``high`` days after ``date``, or None if that is after today."""
        when = dt.date.fromisoformat(date) + dt.timedelta(days=self.rng.randint(low, high))
        return when.isoformat() if when <= self.today else None

    def staff(self) -> str:
        return self.rng.choice(STAFF)

    def category(self, *groups: str) -> str:
        group = self.rng.choice(groups)
        return f"{group}/{self.rng.choice(CATEGORIES[group])}"

    def shopping(self) -> str:
        """A category bought at the till, weighted as a bike shop's takings are."""
        group = self.rng.choices(
            ("Bikes", "Accessories", "Clothing", "Parts"), weights=(35, 30, 20, 15)
        )[0]
        return self.category(group)

    # details

    def person(
        self,
        *,
        email: bool | str = True,
        phone: str | None = "mobile",
        address: bool = True,
        name: str | None = None,
        contact_type: str = "",
        company_number: str = "",
    ) -> _Customer:
        rng = self.rng
        self._serial += 1
        name = name or next(self._names)
        if email is True:
            slug = ".".join(part.lower() for part in name.split())
            email = f"{slug}{self._serial}@{rng.choice(_EMAIL_DOMAINS)}"
        details = {
            "name": name,
            "email": email or "",
            "phone": "",
            "address": "",
            "postcode": "",
            "contact_type": contact_type,
            "company_number": company_number,
        }
        if phone == "mobile":
            details["phone"] = next(self._mobiles)
        elif phone == "landline":
            details["phone"] = next(self._landlines)
        if address or not (email or phone):  # something must identify them
            area, district = rng.choice(_AREAS)
            details["address"] = f"{rng.randint(1, 180)} {rng.choice(_STREETS)}, {area}, Leeds"
            details["postcode"] = (
                f"{district} {rng.randint(1, 9)}"
                f"{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
            )
        customer = _Customer(details)
        self.customers.append(customer)
        return customer

    def phone_kind(self) -> str | None:
        return self.rng.choices(("mobile", "landline", None), weights=(70, 18, 12))[0]

    # ways in

    def till_sale(self, c: _Customer, date: str, category: str | None = None) -> None:
        """A sale at the till, the opt-out offered with the shop's script."""
        r = self.rng.random()
        refused = (
            "sms"
            if r < 0.10
            else "post"
            if r < 0.17
            else "sms;post"
            if r < 0.21
            else "email"
            if r < 0.25
            else "all"
            if r < 0.27
            else ""
        )
        c.add(
            date,
            "purchase",
            category or self.shopping(),
            collected_via="in_store",
            optout_offered="yes",
            optout_how=TILL_SCRIPT,
            opted_out=refused,
            staff=self.staff(),
        )

    def regulars(self, count: int) -> None:
        """Customers at the till, some coming back for more."""
        for _ in range(count):
            c = self.person(
                email=self.rng.random() < 0.85,
                phone=self.phone_kind(),
                address=self.rng.random() < 0.9,
            )
            first = self.rng.randint(8, HISTORY_DAYS)
            self.till_sale(c, self.day(first))
            date: str | None = self.day(first)
            for _ in range(self.rng.choices((0, 1, 2, 3), weights=(35, 30, 20, 15))[0]):
                date = self.later(str(date), 20, 400)
                if date is None:
                    break
                self.till_sale(c, date)
            if self.rng.random() < 0.15:  # the e-bike maker's warranty card
                when = self.later(c.first_date, 3, 30)
                if when:
                    c.add(when, "warranty_registration", "Bikes/Electric", collected_via="paper")

    def workshop(self, count: int) -> None:
        """Service bookings, at the counter or by phone; often parts fitted."""
        for _ in range(count):
            c = self.person(phone=self.rng.choice(("mobile", "mobile", "landline")))
            date = self.day(self.rng.randint(8, HISTORY_DAYS))
            by_phone = self.rng.random() < 0.4
            c.add(
                date,
                "booking",
                self.category("Servicing"),
                collected_via="phone" if by_phone else "in_store",
                optout_offered="yes",
                optout_how=PHONE_SCRIPT if by_phone else TILL_SCRIPT,
                staff=self.staff(),
            )
            if self.rng.random() < 0.5:
                when = self.later(date, 1, 7)
                if when:
                    self.till_sale(c, when, self.category("Parts"))

    def phone_orders(self, count: int) -> None:
        """Orders by phone: before the phone script, the opt-out was often not offered."""
        for _ in range(count):
            c = self.person(phone=self.rng.choice(("mobile", "landline")))
            r = self.rng.random()
            offered = "no" if r < 0.5 else "" if r < 0.75 else "yes"
            c.add(
                self.day(self.rng.randint(8, HISTORY_DAYS)),
                "purchase",
                self.shopping(),
                collected_via="phone",
                optout_offered=offered,
                optout_how=PHONE_SCRIPT if offered == "yes" else "",
                staff=self.staff(),
                notes="phone order, paid by card over the phone",
            )

    def online_quotes(self, count: int) -> None:
        """Quote requests on the website (bike fits, e-bikes); the old form had no tick box."""
        for _ in range(count):
            c = self.person(phone=self.rng.choice(("mobile", None)), address=False)
            date = self.day(self.rng.randint(8, HISTORY_DAYS))
            old_form = self.rng.random() < 0.25
            refused = "email;sms" if not old_form and self.rng.random() < 0.2 else ""
            c.add(
                date,
                "quote_request",
                self.rng.choice(("Servicing/Bike fit", "Bikes/Electric", "Bikes/Road")),
                collected_via="online",
                optout_offered="no" if old_form else "yes",
                optout_how="" if old_form else QUOTE_TICK,
                opted_out=refused,
            )
            if self.rng.random() < 0.3:
                when = self.later(date, 3, 40)
                if when:
                    self.till_sale(c, when, "Servicing/Bike fit")

    def enquiries(self, count: int) -> None:
        """People asking about something specific to buy."""
        for _ in range(count):
            c = self.person(phone=self.phone_kind(), address=self.rng.random() < 0.5)
            via = self.rng.choice(("in_store", "phone", "email"))
            c.add(
                self.day(self.rng.randint(8, HISTORY_DAYS)),
                "product_enquiry",
                self.rng.choice(("Bikes/Electric", "Bikes/Road", "Bikes/Kids", "Bikes/Gravel")),
                collected_via=via,
                optout_offered="yes",
                optout_how={"in_store": TILL_SCRIPT, "phone": PHONE_SCRIPT}.get(
                    via, "Reply email: 'Say if you'd rather we didn't send you offers'"
                ),
                staff=self.staff(),
            )

    def baskets(self, count: int) -> None:
        """Online baskets left with details given, not checked out."""
        for _ in range(count):
            c = self.person(phone=None, address=False)
            c.add(
                self.day(self.rng.randint(8, 500)),
                "basket_add",
                self.category("Accessories"),
                collected_via="online",
                optout_offered="yes",
                optout_how=WEB_TICK,
            )

    def general_enquiries(self, count: int) -> None:
        """Opening hours, parking, Saturday jobs: not about buying."""
        for _ in range(count):
            c = self.person(phone=self.phone_kind(), address=False)
            c.add(
                self.day(self.rng.randint(8, HISTORY_DAYS)),
                "general_enquiry",
                collected_via=self.rng.choice(("phone", "email")),
                staff=self.staff(),
                notes=self.rng.choice(
                    ("opening hours", "parking near the shop", "Saturday job", "cycle to work")
                ),
            )

    def newsletter(self, count: int) -> None:
        """Newsletter sign-ups with consent: on the website, or on the paper form at the till."""
        for _ in range(count):
            online = self.rng.random() < 0.7
            c = self.person(phone=self.phone_kind(), address=not online)
            date = self.day(self.rng.randint(8, HISTORY_DAYS))
            c.add(
                date,
                "newsletter_signup",
                collected_via="online" if online else "paper",
                optout_offered="yes",
                optout_how=NEWSLETTER_NOTICE,
                consented="email" if online else "email;post",
                wording=NEWSLETTER_WORDING if online else PAPER_WORDING,
                staff="" if online else self.staff(),
            )
            if self.rng.random() < 0.3:
                when = self.later(date, 10, 300)
                if when:
                    self.till_sale(c, when)

    def lapsed(self, count: int) -> None:
        """Old customers: one sale, more than two years ago."""
        for _ in range(count):
            c = self.person(email=self.rng.random() < 0.8, phone=self.phone_kind())
            self.till_sale(c, self.day(self.rng.randint(760, HISTORY_DAYS + 120)))

    def other_ways_in(self) -> None:
        """A bought-in list, a visitor log, referrals, a show, a competition, an old index."""
        bought = self.day(self.rng.randint(250, 400))
        for _ in range(20):  # the Saga case: consent to "partners" is no consent to us
            c = self.person(phone=None, address=False)
            c.add(
                bought,
                "third_party_list",
                collected_via="other",
                consented="email",
                wording="Entrants agreed to hear from the event's partners",
                notes="Yorkshire Dales Sportive entrants list, bought from the organiser",
            )
            if self.rng.random() < 0.1:  # came in and bought later: now a customer
                when = self.later(bought, 20, 200)
                if when:
                    self.till_sale(c, when)
        for _ in range(6):  # the Tested.me case
            c = self.person(phone="mobile", address=False)
            c.add(
                self.day(self.rng.randint(8, 600)),
                "visitor_log",
                collected_via="paper",
                notes="Saturday café ride sign-in sheet",
            )
        for _ in range(4):
            c = self.person(phone=self.phone_kind(), address=False)
            c.add(
                self.day(self.rng.randint(8, 600)),
                "referral",
                collected_via="other",
                notes="details passed on by a friend who bought a bike",
                staff=self.staff(),
            )
        show = self.day(self.rng.randint(150, 500))
        for _ in range(5):
            c = self.person(phone="mobile", address=False)
            c.add(show, "event_contact", collected_via="other", notes="Leeds Bike Show stand")
        for _ in range(5):
            c = self.person(phone=None, address=False)
            c.add(
                self.day(self.rng.randint(30, 300)),
                "competition_entry",
                collected_via="online",
                notes="win a helmet prize draw",
            )
        for _ in range(6):
            c = self.person(email=False, phone="landline")
            c.add(
                self.day(HISTORY_DAYS),
                "legacy_import",
                collected_via="paper",
                notes="old customer card index",
            )

    def companies(self) -> None:
        """A cycling club and a courier firm (limited companies), and a deli without a number."""
        club = self.person(
            name="Leeds Wheelers Cycling Club Ltd",
            email="secretary@leedswheelers.example.org",
            phone="landline",
            contact_type="corporate",
            company_number="09275114",
        )
        date = self.day(self.rng.randint(300, 600))
        club.add(
            date,
            "purchase",
            "Clothing/Jerseys",
            collected_via="email",
            notes="club kit order: 40 jerseys",
            staff="Priya",
        )
        club.add(
            self.later(date, 100, 250) or date,
            "booking",
            "Servicing/Bike fit",
            collected_via="email",
            staff="Priya",
        )
        couriers = self.person(
            name="Kirkstall Couriers Ltd",
            email="fleet@kirkstallcouriers.example.com",
            phone="landline",
            contact_type="corporate",
            company_number="11638402",
        )
        date = self.day(self.rng.randint(200, 700))
        while date:
            couriers.add(date, "booking", "Servicing/Repairs", collected_via="phone", staff="Tom")
            date = self.later(date, 60, 120) or ""
        deli = self.person(  # corporate only with a company number: treated as individual
            name="Otley Road Deli",
            email="orders@otleyroaddeli.example.com",
            phone="landline",
            contact_type="corporate",
        )
        deli.add(
            self.day(self.rng.randint(60, 300)),
            "purchase",
            "Bikes/Hybrid",
            collected_via="phone",
            optout_offered="no",
            notes="delivery bike",
            staff="Sam",
        )

    def this_week(self, count: int) -> None:
        """New customers in the last few days (after the TPS screening)."""
        for _ in range(count):
            c = self.person(phone=self.rng.choice(("mobile", "landline")))
            self.till_sale(c, self.day(self.rng.randint(0, SCREENING_DAYS_AGO - 1)))

    # later permission changes

    def _pick(self, before: str, need: str = "") -> _Customer:
        """Someone who had come in before ``before``, not picked yet, with what ``need``
        names: an email, a phone, or a mobile."""
        taken = {id(p.customer) for p in self.permissions}
        pool = [
            c
            for c in self.customers
            if (c.details["email"] or c.details["phone"])
            and c.first_date < before
            and id(c) not in taken
            and _has(c, need)
        ]
        return self.rng.choice(pool)

    def _opt_outs_after_campaigns(self) -> None:
        """A few opt-outs in the days after each past campaign, by its channel's route."""
        routes = {
            "email": ("email", "email", "the unsubscribe link"),
            "sms": ("mobile", "sms", "a text reply: STOP"),
        }
        for days_ago, channel, *_ in PAST_CAMPAIGNS:
            sent = self.day(days_ago)
            need, stopped, route = routes.get(channel, ("", "post", "a phone call to the shop"))
            for _ in range(4 if channel == "email" else 3):
                when = self.later(sent, 1, 10)
                if when is None:
                    continue
                c = self._pick(sent, need)
                self.permissions.append(_Permission(when, c, "opt_out", stopped, route))

    def later_permissions(self) -> None:
        """Opt-outs after campaigns and otherwise, consents, and an objection."""
        rng = self.rng
        pick = self._pick
        self._opt_outs_after_campaigns()
        for _ in range(5):
            when = self.day(rng.randint(10, 700))
            c = pick(when)
            channels = rng.choice(("email", "all", "sms;post"))
            self.permissions.append(_Permission(when, c, "opt_out", channels, "an email to us"))
        when = self.day(rng.randint(30, 300))
        self.permissions.append(
            _Permission(when, pick(when), "objection", "all", "a letter objecting to all marketing")
        )
        when = self.day(rng.randint(10, 200))
        self.permissions.append(
            _Permission(
                when,
                pick(when, "mobile"),
                "consent",
                "sms",
                "a conversation at the till",
                "Yes, text me about club rides and offers",
            )
        )
        when = self.day(rng.randint(10, 200))
        self.permissions.append(
            _Permission(
                when,
                pick(when, "phone"),
                "consent",
                "phone",
                "a conversation at the till",
                "Happy for the shop to ring me about e-bike test rides",
            )
        )
        self.permissions.sort(key=lambda p: p.date)


def _has(c: _Customer, need: str) -> bool:
    if need == "mobile":
        return c.details["phone"].startswith("07")
    return not need or bool(c.details[need])


def build_history(seed: int, today: dt.date) -> _History:
    """The shop's invented past (nothing written yet)."""
    h = _History(seed, today)
    h.regulars(150)
    h.workshop(35)
    h.phone_orders(22)
    h.online_quotes(22)
    h.enquiries(20)
    h.baskets(5)
    h.general_enquiries(12)
    h.newsletter(30)
    h.lapsed(20)
    h.other_ways_in()
    h.companies()
    h.this_week(6)
    h.later_permissions()
    return h


# --- writing it through the model ---------------------------------------------------


def fill_sample_shop(store: Store, *, seed: int = 2026, today: str | None = None) -> DemoReport:
    """Fill an empty store with the sample shop as of ``today`` (default: today).

    Refused with InputError when the store already holds contacts or campaigns; the
    shop's settings are overwritten. One transaction: all of it is written, or none.
    """
    try:
        as_of = parse_date(today or today_text(), allow_uk=False)
    except ValueError as exc:
        raise InputError(f"demo: today {today!r}: {exc}") from None
    history = build_history(seed, dt.date.fromisoformat(as_of))
    report = DemoReport(BUSINESS_NAME, as_of)
    with store.transaction(), tempfile.TemporaryDirectory(prefix="optin-demo-") as folder:
        contacts, campaigns = store.execute(
            "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM campaigns)"
        ).fetchone()
        if contacts or campaigns:
            raise InputError(
                "the sample shop goes into an empty store: this store already holds "
                f"{contacts} contacts and {campaigns} campaigns (use a new store file, "
                "e.g. --db demo.db)"
            )
        _set_up_shop(store, report)
        _replay(store, history, folder, report)
        report.contacts = store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
        report.events = store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        report.suppressions = store.execute("SELECT COUNT(*) FROM suppressions").fetchone()[0]
        store.audit("demo", {"seed": seed, "today": as_of, "contacts": report.contacts})
    return report


def _set_up_shop(store: Store, report: DemoReport) -> None:
    for key, value in (
        ("business_name", BUSINESS_NAME),
        ("business_address", BUSINESS_ADDRESS),
        ("organisation_type", "business"),
        ("staff", ";".join(STAFF)),
        ("optout_script", TILL_SCRIPT),
        ("optout_text_phone", f"To stop our calls, tell the caller or ring us on {SHOP_PHONE}."),
    ):
        store.set_setting(key, value)
    for group, leaves in CATEGORIES.items():
        add_category(store, group, one_range=group in ONE_RANGES)
        for leaf in leaves:
            add_category(store, f"{group}/{leaf}")
    for a, b, why in LINKS:
        link_categories(store, a, b, why)
    report.categories = store.execute("SELECT COUNT(*) FROM categories").fetchone()[0]
    report.links = len(LINKS)


def _replay(store: Store, history: _History, folder: str, report: DemoReport) -> None:
    """Write the history in date order, with each campaign, the suppression list and the
    screening done on its own day, seeing only what had happened by then."""
    rows = sorted(
        (r for c in history.customers for r in c.rows), key=lambda r: (r["date"], r["name"])
    )
    permissions = list(history.permissions)
    milestones: list[tuple[str, str, int]] = [
        (history.day(days), "campaign", i) for i, (days, *_) in enumerate(PAST_CAMPAIGNS)
    ]
    milestones.append((history.day(SUPPRESSION_DAYS_AGO), "suppress", 0))
    milestones.append((history.day(SCREENING_DAYS_AGO), "screen", 0))
    milestones.append((history.day(0), "end", 0))
    milestones.sort()
    for date, what, index in milestones:
        due = [r for r in rows if r["date"] <= date]
        rows = rows[len(due) :]
        if due:
            path = os.path.join(folder, f"pedal-and-chain-ledger-to-{date}.csv")
            _write_ledger(path, due)
            import_ledger(store, path)
            report.ledger_files += 1
        while permissions and permissions[0].date <= date:
            _record(store, permissions.pop(0))
            report.permissions += 1
        if what == "campaign":
            _, channel, category, name, staff = PAST_CAMPAIGNS[index]
            spec = CampaignSpec(channel, category, date)
            cid = freeze_campaign(store, name=name, spec=spec, created_by=staff)
            mark_sent(store, cid, date)
            report.campaigns.append((cid, name, channel, date, get_campaign(store, cid).eligible))
        elif what == "suppress":
            _suppress(store, history, date)
        elif what == "screen":
            _screen(store, history, folder, date, report)


def _write_ledger(path: str, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})


def _record(store: Store, p: _Permission) -> None:
    details = p.customer.details
    if details["email"]:
        contact = find_contact(store, email=details["email"])
    else:
        contact = find_contact(store, phone=details["phone"])
    record_permission(
        store,
        contact,
        p.kind,
        channels=parse_channels(p.channels),
        date=p.date,
        via=p.via,
        wording=p.wording,
        staff=_staff_for(p),
    )


def _staff_for(p: _Permission) -> str | None:
    """Who took it: the unsubscribe link and text replies are automatic."""
    if p.via in ("the unsubscribe link", "a text reply: STOP"):
        return None
    return STAFF[len(p.customer.details["name"]) % len(STAFF)]


def _suppress(store: Store, history: _History, date: str) -> None:
    """A do-not-contact list: a customer who asked never to be contacted again, and one
    who wrote in, by "name, postcode" (kept as one-way hashes)."""
    known = [c for c in history.customers if c.first_date <= date and c.details["email"]]
    came_back, wrote_in = known[3], known[17]
    lines = [
        came_back.details["email"],
        f"{wrote_in.details['name']}, {wrote_in.details['postcode']}"
        if wrote_in.details["postcode"]
        else wrote_in.details["email"],
    ]
    entries = [entry_for_line(line) for line in lines]
    with store.transaction():
        add_entries(
            store,
            entries,
            channels=parse_channels("all"),
            date=date,
            reason="asked never to be contacted again (do-not-contact list)",
        )
        store.audit("suppress", {"file": "demo do-not-contact list", "entries": len(entries)})


def _screen(store: Store, history: _History, folder: str, date: str, report: DemoReport) -> None:
    """A TPS screening result (about one number in eight is on the register) and a CTPS
    one the same day."""
    rng = history.rng
    phones = [
        r[0]
        for r in store.execute("SELECT phone FROM contacts WHERE phone IS NOT NULL ORDER BY id")
    ]
    listed = sorted(rng.sample(phones, max(1, len(phones) // 8)))
    lines = ["number"]
    for i, phone in enumerate(listed):  # in the usual mix of formats
        national = "0" + phone[3:]
        lines.append(
            (national, f"{national[:5]} {national[5:]}", f"+44 {phone[3:7]} {phone[7:]}")[i % 3]
        )
    lines.append("07700 900000")  # a number the shop does not hold
    path = os.path.join(folder, f"tps-screening-{date}.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    result = screen(store, "tps", path, date, source="sample shop: TPS screening result")
    report.screened = result.screened
    report.tps_listed = result.listed
    # DOMAIN.md 4.4: a number needs the CTPS screened too, whatever the contact's type;
    # the same day's CTPS result lists a corporate contact's line (no random draw, so
    # the rest of the sample shop stays as it was)
    corporate = [
        r[0]
        for r in store.execute(
            "SELECT phone FROM contacts WHERE phone IS NOT NULL AND contact_type = 'corporate' "
            "ORDER BY id"
        )
    ]
    ctps_lines = ["number", *("0" + phone[3:] for phone in corporate[:1]), "0113 496 0999"]
    ctps_path = os.path.join(folder, f"ctps-screening-{date}.txt")
    with open(ctps_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(ctps_lines) + "\n")
    ctps = screen(store, "ctps", ctps_path, date, source="sample shop: CTPS screening result")
    report.ctps_listed = ctps.listed
