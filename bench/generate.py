"""A deterministic, realistic ledger CSV for the benchmarks (and a TPS register file).

    python bench/generate.py [--contacts 100000] [--rows 250000] [--seed 2026] [--out DIR]

Writes DIR/ledger.csv (one row per event, every row valid for ``main.py import``)
and DIR/tps.txt (a TPS screening result: one number per line, in the usual mix of
UK formats; about 15% of the store's numbers, plus numbers the store does not hold).

The data is shaped like a real shop's ledger: names, emails (business domains and
webmail), valid UK mobiles and landlines in every usual format, some contacts
reachable only by phone or only by post, multi-line addresses, corporate contacts
with a company number, and every event type of the rule book (DOMAIN.md section 3)
with the sale and negotiation events most common, plus opt-outs, consents and
objections. Dates run from 2022-01-01 to 2026-11-28. Only the standard library is
used, and the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from model.ledger import COLUMNS as LEDGER_COLUMNS  # noqa: E402

# the ledger's own columns, date and event first (any order is allowed)
COLUMNS = ("date", "event", *(c for c in LEDGER_COLUMNS if c not in ("date", "event")))

FIRST = (
    "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Leo "
    "Alfie Henry Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel "
    "Arthur Lucas Mohammed Logan Theo Harrison Benjamin Mason Sebastian Finley Adam Dylan Zachary "
    "Riley Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Jessica Sophie Grace Evie "
    "Sophia Ruby Chloe Freya Daisy Alice Phoebe Florence Evelyn Harriet Matilda Ivy Layla Scarlett "
    "Priya Aisha Fatima Zainab Anil Rajesh Siobhan Niamh Aoife Seán Zoë Chloé Renée José Björn"
).split()
LAST = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson "
    "Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell O'Brien "
    "O'Neill McDonald MacLeod Fitzgerald Ng Chen Nowak Kowalski da Silva Smith-Jones Ó Súilleabháin"
).split(" ")
WEBMAIL = (
    ("gmail.com", 30),
    ("hotmail.co.uk", 12),
    ("hotmail.com", 6),
    ("outlook.com", 8),
    ("yahoo.co.uk", 7),
    ("icloud.com", 6),
    ("btinternet.com", 5),
    ("live.co.uk", 3),
    ("sky.com", 3),
    ("aol.com", 2),
    ("virginmedia.com", 2),
    ("googlemail.com", 2),
    ("protonmail.com", 1),
)
BUSINESS_WORDS = (
    "Acme Apex Northern Pennine Riverside Greenfield Castle Oak Willow Harbour Summit Meridian "
    "Beacon Kestrel Falcon Heron Thistle Granite Copper Ironbridge Millstone Brightwater Fernleigh "
    "Ashdown Holloway Kingsway Redbrick Stonegate Westgate Eastfield"
).split()
BUSINESS_KINDS = (
    "Builders Joinery Plumbing Electrical Cycles Logistics Consulting Design Dental Vets "
    "Accountants Estates Catering Landscapes Print Motors Studio Interiors Roofing Tiling"
).split()
BUSINESS_SUFFIX = ("Ltd", "Limited", "Ltd", "LLP", "& Sons Ltd", "(UK) Ltd", "Group Ltd")
BUSINESS_TLD = (".co.uk", ".co.uk", ".com", ".uk", ".org.uk", ".net")

# UK number ranges that phonenumbers (and so the importer) considers valid.
MOBILE_PREFIXES = (
    "07400 07412 07450 07500 07525 07599 07712 07780 07800 07960 07123 07444 07535 07723 "
    "07725 07736 07747 07752 07766 07775 07801 07810 07828 07841 07852 07866 07875 07887 07890"
).split()
# (area code, first digit choices of the local number, local length)
LANDLINES = (
    ("0113", "2345", 7),
    ("0114", "2", 7),
    ("0115", "9", 7),
    ("0116", "2", 7),
    ("0117", "9", 7),
    ("0121", "4", 7),
    ("0131", "2", 7),
    ("0141", "2", 7),
    ("0161", "24", 7),
    ("0191", "2", 7),
    ("020", "78", 8),
    ("029", "20", 8),
    ("01904", "6", 6),
    ("01273", "7", 6),
)
# outward code -> town
POST_AREAS = (
    ("LS1", "Leeds"),
    ("LS6", "Leeds"),
    ("LS17", "Leeds"),
    ("LS28", "Pudsey"),
    ("BD1", "Bradford"),
    ("HX1", "Halifax"),
    ("HG1", "Harrogate"),
    ("YO1", "York"),
    ("YO24", "York"),
    ("S10", "Sheffield"),
    ("M1", "Manchester"),
    ("M14", "Manchester"),
    ("M20", "Manchester"),
    ("B15", "Birmingham"),
    ("NG7", "Nottingham"),
    ("LE1", "Leicester"),
    ("BS8", "Bristol"),
    ("EC1A", "London"),
    ("SW1A", "London"),
    ("N1", "London"),
    ("SE15", "London"),
    ("W1D", "London"),
    ("BN1", "Brighton"),
    ("CF10", "Cardiff"),
    ("EH1", "Edinburgh"),
    ("G12", "Glasgow"),
    ("NE1", "Newcastle upon Tyne"),
)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = (
    "High Street Station Road Main Street Park Road Church Road Church Street London Road "
    "Victoria Road Green Lane Manor Road Church Lane Park Avenue The Avenue The Crescent "
    "Queens Road New Road Grange Road Kings Road Mill Lane Springfield Road Albert Road "
    "Otley Road Kirkstall Lane Headingley Lane Woodhouse Lane"
).split(" ")
STREETS = tuple(" ".join(STREETS[i : i + 2]) for i in range(0, len(STREETS) - 1, 2))

CATEGORIES = (
    "Bikes/Road",
    "Bikes/Road/Endurance",
    "Bikes/Road/Race",
    "Bikes/Mountain",
    "Bikes/Mountain/Full suspension",
    "Bikes/Mountain/Hardtail",
    "Bikes/Electric",
    "Bikes/Electric/Commuter",
    "Bikes/Kids",
    "Bikes/Gravel",
    "Bikes/Hybrid",
    "Bikes/Folding",
    "Parts/Brakes",
    "Parts/Chains",
    "Parts/Tyres",
    "Parts/Tyres/Tubeless",
    "Parts/Wheels",
    "Parts/Gears",
    "Parts/Saddles",
    "Parts/Pedals",
    "Accessories/Lights",
    "Accessories/Locks",
    "Accessories/Helmets",
    "Accessories/Bags",
    "Accessories/Computers",
    "Accessories/Racks",
    "Clothing/Jerseys",
    "Clothing/Shorts",
    "Clothing/Jackets",
    "Clothing/Gloves",
    "Clothing/Shoes",
    "Clothing/Kids",
    "Servicing/Basic service",
    "Servicing/Full service",
    "Servicing/Repairs",
    "Servicing/Wheel build",
    "Servicing/Bike fit",
    "Hire/Day hire",
    "Hire/Week hire",
    "Hire/E-bike hire",
    "Camping/Tents",
    "Camping/Sleeping bags",
    "Camping/Stoves",
    "Running/Shoes",
    "Running/Watches",
    "Nutrition/Gels",
    "Nutrition/Bottles",
    "Gift cards",
    "Events/Group rides",
    "Events/Workshops",
)
VIA = (("in_store", 40), ("online", 35), ("phone", 12), ("paper", 6), ("email", 5), ("other", 2))
OPTOUT_HOW = {
    "in_store": (
        "Till script: 'We may send you offers; say if you would rather not.'",
        "Receipt notice",
    ),
    "online": ("Unticked box at checkout: 'Don't send me offers'", "Checkout opt-out tick box"),
    "phone": ("Phone script: offered the chance to refuse marketing", "Script v2"),
    "paper": ("Form box: 'Tick if you do not want offers by post, email or text'",),
    "email": ("Reply notice: 'Reply STOP to any message to stop offers'",),
    "other": ("Told in person",),
}
CONSENT_WORDING = (
    "Yes, send me news and offers by email",
    "I agree to receive offers by text message",
    "Tick to hear about events and offers (email, post)",
    "Yes please, keep me posted",
)
STAFF = ("Ann", "Bilal", "Chris", "Dee", "Ewan", "Farah", "web", "import", "")
NOTES = (
    "",
    "",
    "",
    "",
    "",
    "",
    "prefers weekday calls",
    'asked about "Black Friday" deals',
    "repeat customer, see old card file",
    "=ask manager",
    "-",
    "paid deposit, balance on collection",
    "gift for partner",
    "came in via, the open day",
)

# event types and weights: the first event of a contact (how they came in) ...
FIRST_EVENTS = (
    ("purchase", 40),
    ("quote_request", 9),
    ("product_enquiry", 9),
    ("booking", 8),
    ("basket_add", 2),
    ("general_enquiry", 4),
    ("complaint", 1),
    ("browsing", 1),
    ("competition_entry", 2),
    ("newsletter_signup", 6),
    ("loyalty_signup", 1.5),
    ("warranty_registration", 1.5),
    ("free_trial", 1),
    ("event_contact", 2),
    ("referral", 1),
    ("third_party_list", 2.5),
    ("public_source", 1),
    ("visitor_log", 2),
    ("legacy_import", 2.5),
    ("donation", 1),
    ("volunteering", 0.5),
    ("charity_enquiry", 0.5),
)
# ... and the later ones (more purchases, and the permission events)
LATER_EVENTS = (
    ("purchase", 42),
    ("booking", 10),
    ("quote_request", 6),
    ("product_enquiry", 7),
    ("basket_add", 2),
    ("general_enquiry", 4),
    ("complaint", 2),
    ("newsletter_signup", 2),
    ("loyalty_signup", 1.5),
    ("warranty_registration", 2),
    ("free_trial", 0.5),
    ("event_contact", 0.5),
    ("competition_entry", 1),
    ("donation", 0.5),
    ("opt_out", 9),
    ("consent", 5),
    ("objection", 1),
)
QUALIFYING = frozenset({"purchase", "booking", "quote_request", "product_enquiry", "basket_add"})
NOT_DIRECT = frozenset({"referral", "third_party_list", "public_source"})
CHANNELS = ("email", "sms", "post", "phone")

START = dt.date(2022, 1, 1)
END = dt.date(2026, 11, 28)


def _weighted(pairs):  # type: ignore[no-untyped-def]
    items = [p[0] for p in pairs]
    cum = []
    total = 0.0
    for _, w in pairs:
        total += w
        cum.append(total)
    return items, cum


@dataclass
class Person:
    name: str
    email: str | None
    phone: str | None  # as typed in the first row
    phone_digits: str | None
    mobile: bool
    address: str
    postcode: str
    corporate: bool
    company_number: str | None
    rows: int = 1
    later_phone: bool = False  # the phone is given only from the second row on
    dates: list[dt.date] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.used_emails: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_name_postcodes: set[tuple[str, str]] = set()
        self._webmail = _weighted(WEBMAIL)
        self._via = _weighted(VIA)
        self._first = _weighted(FIRST_EVENTS)
        self._later = _weighted(LATER_EVENTS)
        self._days = (END - START).days

    def pick(self, table):  # type: ignore[no-untyped-def]
        items, cum = table
        return self.r.choices(items, cum_weights=cum)[0]

    # --- people ---------------------------------------------------------------

    def phone(self) -> tuple[str, str, bool]:
        """(as typed, digits, is_mobile): a unique valid UK number in a usual format."""
        r = self.r
        while True:
            if r.random() < 0.7:
                prefix = r.choice(MOBILE_PREFIXES)
                local = f"{r.randrange(1_000_000):06d}"
                digits = prefix + local
                mobile = True
                style = r.random()
                if style < 0.45:
                    typed = f"{prefix} {local}"
                elif style < 0.7:
                    typed = digits
                elif style < 0.85:
                    typed = f"+44 {prefix[1:]} {local}"
                elif style < 0.93:
                    typed = f"{prefix} {local[:3]} {local[3:]}"
                else:
                    typed = f"+44 (0){prefix[1:]} {local}"
            else:
                area, firsts, length = r.choice(LANDLINES)
                local = r.choice(firsts) + "".join(
                    r.choice("0123456789") for _ in range(length - 1)
                )
                digits = area + local
                mobile = False
                style = r.random()
                if style < 0.5:
                    half = len(local) - 4
                    typed = f"{area} {local[:half]} {local[half:]}"
                elif style < 0.7:
                    typed = f"({area}) {local}"
                elif style < 0.85:
                    typed = digits
                else:
                    typed = f"+44 {area[1:]} {local}"
            if digits not in self.used_phones:
                self.used_phones.add(digits)
                return typed, digits, mobile

    def postcode(self) -> tuple[str, str]:
        r = self.r
        outward, town = r.choice(POST_AREAS)
        inward = f"{r.randrange(10)}{r.choice(INWARD_LETTERS)}{r.choice(INWARD_LETTERS)}"
        style = r.random()
        if style < 0.85:
            return f"{outward} {inward}", town
        if style < 0.93:
            return f"{outward}{inward}", town
        return f"{outward} {inward}".lower(), town

    def address(self, town: str, company: str | None) -> str:
        r = self.r
        street = f"{r.randint(1, 240)} {r.choice(STREETS)}"
        style = r.random()
        if company:
            return f"{company}\nUnit {r.randint(1, 40)}, {r.choice(STREETS)}\n{town}"
        if style < 0.55:
            return f"{street}, {town}"
        if style < 0.85:
            return f"{street}\n{town}"
        return f"Flat {r.randint(1, 30)}\n{street}\n{town}"

    def email(self, first: str, last: str, company_domain: str | None) -> str:
        r = self.r
        f = "".join(ch for ch in first.lower() if ch.isascii() and ch.isalpha()) or "x"
        s = "".join(ch for ch in last.lower() if ch.isascii() and ch.isalpha()) or "y"
        domain = company_domain or self.pick(self._webmail)
        style = r.random()
        if style < 0.35:
            local = f"{f}.{s}"
        elif style < 0.55:
            local = f"{f[0]}{s}"
        elif style < 0.75:
            local = f"{f}{s}{r.randint(1, 99)}"
        elif style < 0.9:
            local = f"{f}.{s}"
        else:
            local = f"{s}.{f}{r.randint(1950, 2008)}"
        base = local
        n = 1
        while f"{local}@{domain}" in self.used_emails:
            n += 1
            local = f"{base}{n}"
        address = f"{local}@{domain}"
        self.used_emails.add(address)
        # as people type them: sometimes capitals, sometimes stray spaces
        shown = address.title() if r.random() < 0.08 else address
        if r.random() < 0.03:
            shown = f" {shown} "
        return shown

    def person(self) -> Person:
        r = self.r
        first, last = r.choice(FIRST), r.choice(LAST)
        corporate = r.random() < 0.08
        sole_trader = not corporate and r.random() < 0.05
        company = domain = number = None
        if corporate or sole_trader:
            w1, w2 = r.choice(BUSINESS_WORDS), r.choice(BUSINESS_KINDS)
            company = f"{w1} {w2} {r.choice(BUSINESS_SUFFIX)}"
            domain = f"{w1.lower()}{r.choice(('', '-'))}{w2.lower()}{r.choice(BUSINESS_TLD)}"
            if corporate:
                number = (
                    f"SC{r.randrange(1_000_000):06d}"
                    if r.random() < 0.1
                    else f"{r.randrange(1, 15_000_000):08d}"
                )
                if r.random() < 0.1:
                    number = number.lstrip("0")  # as typed, without the leading zeros
        # reach: both (50%), email only (33%), phone only (10%), post only (7%)
        reach = r.random()
        has_email = reach < 0.83
        has_phone = reach < 0.5 or 0.83 <= reach < 0.93
        postcode, town = self.postcode()
        name = company if corporate else f"{first} {last}"
        # name and postcode identify a person: keep them unique, so that the file
        # describes exactly ``contacts`` people
        key = ("".join(name.split()).casefold(), postcode.replace(" ", "").upper())
        while key in self.used_name_postcodes:
            postcode, town = self.postcode()
            key = ("".join(name.split()).casefold(), postcode.replace(" ", "").upper())
        self.used_name_postcodes.add(key)
        email = self.email(first, last, domain) if has_email else None
        typed = digits = None
        mobile = False
        if has_phone:
            typed, digits, mobile = self.phone()
        return Person(
            name=name,
            email=email,
            phone=typed,
            phone_digits=digits,
            mobile=mobile,
            address=self.address(town, company),
            postcode=postcode,
            corporate=corporate,
            company_number=number,
        )

    # --- events ---------------------------------------------------------------

    def date(self) -> dt.date:
        # more recent years are busier (a growing shop)
        return START + dt.timedelta(days=int(self._days * (self.r.random() ** 0.7)))

    def channels(self, person: Person, k: int | None = None) -> str:
        r = self.r
        if r.random() < 0.12:
            return "all"
        k = k or r.choice((1, 1, 1, 2, 2, 3))
        chosen = r.sample(CHANNELS, k)
        return (";" if r.random() < 0.8 else ",").join(chosen)

    def row(self, person: Person, event: str, date: dt.date, first: bool) -> dict[str, str]:
        """One ledger row (the random draws in a fixed order: the same seed, the same bytes)."""
        r = self.r
        via = self.pick(self._via)
        if event in ("visitor_log",):
            via = r.choice(("paper", "other", "online"))
        elif event in NOT_DIRECT or event == "legacy_import":
            via = r.choice(("other", "paper", "online", ""))
        row = dict.fromkeys(COLUMNS, "")
        row["event"] = event
        row["date"] = date.strftime("%d/%m/%Y") if r.random() < 0.1 else date.isoformat()
        self._identity(row, person, first)
        row["staff"] = r.choice(STAFF)
        row["notes"] = r.choice(NOTES)
        if event in ("opt_out", "consent", "objection"):
            self._permission(row, person, event)
            return row
        row["collected_via"] = via
        self._collection(row, person, event, via)
        return row

    def _identity(self, row: dict[str, str], person: Person, first: bool) -> None:
        """Who: the first row carries everything; later ones what the till typed."""
        r = self.r
        if first or r.random() < 0.7:
            row["name"] = person.name
        if person.email:
            row["email"] = person.email
        if person.phone and (not person.later_phone or not first):
            if first or not person.email or r.random() < 0.6:
                row["phone"] = person.phone
        if first or r.random() < 0.4 or not (row["email"] or row["phone"]):
            row["postcode"] = person.postcode
            row["address"] = person.address
            if not row["name"]:
                row["name"] = person.name
        if person.corporate and (first or r.random() < 0.3):
            row["contact_type"] = "corporate"
            row["company_number"] = person.company_number or ""
        elif first and r.random() < 0.1:
            row["contact_type"] = "individual"

    def _permission(self, row: dict[str, str], person: Person, event: str) -> None:
        """An opt-out, consent or objection row."""
        r = self.r
        row["collected_via"] = r.choice(("email", "phone", "in_store", "paper", "online", ""))
        if event == "opt_out":
            row["opted_out"] = self.channels(person)
            row["notes"] = r.choice(("", "replied STOP", "asked at the till", "by letter"))
        elif event == "consent":
            row["consented"] = self.channels(person)
            row["wording"] = r.choice(CONSENT_WORDING)
        else:
            row["notes"] = r.choice(("", "objected to all marketing by phone", "letter"))

    def _collection(self, row: dict[str, str], person: Person, event: str, via: str) -> None:
        """Any other event: its category, the opt-out offered, and consents given with it."""
        r = self.r
        if event in QUALIFYING or r.random() < 0.4:
            row["category"] = r.choice(CATEGORIES)
            style = r.random()
            if style < 0.05:
                row["category"] = row["category"].lower()
            elif style < 0.08:
                row["category"] = row["category"].replace("/", " / ")
        offered = r.random()
        if offered < 0.72:
            row["optout_offered"] = "yes" if r.random() < 0.95 else "Yes"
            row["optout_how"] = r.choice(OPTOUT_HOW.get(via, ("Told in person",)))
        elif offered < 0.87:
            row["optout_offered"] = "no"
        if event == "newsletter_signup":
            row["consented"] = "email" if r.random() < 0.7 else "email;post"
            row["wording"] = r.choice(CONSENT_WORDING)
        elif event in ("competition_entry", "loyalty_signup") and r.random() < 0.4:
            row["consented"] = self.channels(person, 1)
            row["wording"] = r.choice(CONSENT_WORDING)
        elif r.random() < 0.05:
            row["consented"] = self.channels(person, 1)
            row["wording"] = r.choice(CONSENT_WORDING)
        if r.random() < 0.05:
            row["opted_out"] = self.channels(person, 1)


@dataclass
class Generated:
    ledger: str
    tps: str
    contacts: int
    rows: int
    phones: int
    tps_numbers: int
    event_counts: dict[str, int]


def generate(
    out_dir: str, contacts: int = 100_000, rows: int = 250_000, seed: int = 2026
) -> Generated:
    """Write ``ledger.csv`` and ``tps.txt`` into ``out_dir``; deterministic for a seed."""
    if rows < contacts:
        raise ValueError("rows must be at least the number of contacts")
    g = Generator(seed)
    r = g.r
    people = [g.person() for _ in range(contacts)]
    # extra rows go mostly to a few regulars (skewed), the rest to one-off customers
    for _ in range(rows - contacts):
        people[int(contacts * (r.random() ** 2.2))].rows += 1
    r.shuffle(people)
    events: list[tuple[dt.date, int, str, bool]] = []
    for i, p in enumerate(people):
        dates = sorted(g.date() for _ in range(p.rows))
        p.later_phone = p.rows > 1 and p.email is not None and r.random() < 0.1
        events.append((dates[0], i, g.pick(g._first), True))
        for d in dates[1:]:
            events.append((d, i, g.pick(g._later), False))
    events.sort(key=lambda e: (e[0], e[1], not e[3]))
    counts: dict[str, int] = {}
    os.makedirs(out_dir, exist_ok=True)
    ledger = os.path.join(out_dir, "ledger.csv")
    with open(ledger, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for date, i, event, first in events:
            counts[event] = counts.get(event, 0) + 1
            writer.writerow(g.row(people[i], event, date, first))
    # the TPS screening result: ~15% of the store's numbers (more landlines than
    # mobiles, as on the real register) and as many numbers the store does not hold
    tps = os.path.join(out_dir, "tps.txt")
    listed = 0
    with open(tps, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("number\n")
        for p in people:
            if p.phone_digits and r.random() < (0.08 if p.mobile else 0.3):
                fh.write(_tps_format(r, p.phone_digits) + "\n")
                listed += 1
        for _ in range(listed):
            typed, digits, _ = g.phone()
            fh.write(_tps_format(r, digits) + "\n")
        total = 2 * listed
    return Generated(
        ledger=ledger,
        tps=tps,
        contacts=contacts,
        rows=len(events),
        phones=sum(1 for p in people if p.phone_digits),
        tps_numbers=total,
        event_counts=dict(sorted(counts.items(), key=lambda kv: -kv[1])),
    )


def _tps_format(r: random.Random, digits: str) -> str:
    style = r.random()
    if style < 0.5:
        return digits
    if style < 0.8:
        return "+44" + digits[1:]
    return f"{digits[:5]} {digits[5:]}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--contacts", type=int, default=100_000)
    p.add_argument("--rows", type=int, default=250_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    args = p.parse_args(argv)
    result = generate(args.out, args.contacts, args.rows, args.seed)
    print(f"{result.ledger}: {result.rows} rows, {result.contacts} contacts")
    print(f"{result.tps}: {result.tps_numbers} numbers ({result.phones} contacts with a phone)")
    print("events: " + ", ".join(f"{k}={v}" for k, v in result.event_counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
