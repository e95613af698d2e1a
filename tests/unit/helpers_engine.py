"""Terse builders for engine tests: a shop with people and their events, in a real store.

People are written to a ledger CSV and imported with ``model.ledger.import_ledger``
(the way a shop fills its store), so the tests exercise the real import path.
Every row of a person carries the same identifying details, so rows always match.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.engine import CampaignSpec, Decision, run
from model.ledger import import_ledger
from model.normalise import parse_channels
from model.screening import screen
from model.store import Store, now_stamp
from model.suppression import import_suppressions
from tests.ledger_rows import write_ledger

SEND = "2026-06-30"  # a send date well after the charity soft opt-in start
RECENT = "2026-05-01"  # inside every window used below
OLD = "2023-01-10"  # outside the default 24-month window of SEND

_numbers = itertools.count(100)


def mobile(n: int) -> str:
    """An Ofcom drama mobile number, 07700 900nnn."""
    return f"07700 900{n:03d}"


def landline(n: int) -> str:
    """An Ofcom drama Leeds landline, 0113 496 0nnn."""
    return f"0113 496 0{n:03d}"


@dataclass
class Person:
    """One person's details and the ledger rows that will be written for them."""

    shop: Shop
    details: dict[str, str]
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.details["name"]

    def event(
        self,
        date: str,
        event: str,
        category: str | None = None,
        *,
        via: str = "in_store",
        offered: str | None = "yes",
        how: str | None = "tick box on the receipt",
        refused: str = "",
        consented: str = "",
        wording: str | None = None,
        staff: str = "Sam",
    ) -> Person:
        """Add one collection (or permission) row; returns self for chaining."""
        row = dict(self.details)
        row.update(
            date=date,
            event=event,
            category=category or "",
            collected_via=via or "",
            optout_offered=offered or "",
            optout_how=(how or "") if offered == "yes" else "",
            opted_out=refused,
            consented=consented,
            wording=wording or ("Yes, send me offers" if consented else ""),
            staff=staff,
        )
        self.rows.append(row)
        return self

    def buy(self, date: str, category: str, **kw: Any) -> Person:
        """A purchase (a qualifying sale) in ``category``."""
        return self.event(date, "purchase", category, **kw)

    def opt_out(self, date: str, channels: str) -> Person:
        return self.event(date, "opt_out", via="email", offered=None, refused=channels)

    def consent(self, date: str, channels: str, **kw: Any) -> Person:
        kw.setdefault("via", "online")
        kw.setdefault("offered", None)
        return self.event(date, "consent", consented=channels, **kw)

    def objection(self, date: str) -> Person:
        return self.event(date, "objection", via="email", offered=None)


class Shop:
    """A store plus a folder for the files the tests write (ledgers, registers)."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = Path(folder)
        self.people: list[Person] = []
        self._files = itertools.count(1)

    def person(
        self,
        name: str,
        *,
        email: str | None = "",
        phone: str | None = "",
        address: str | None = "1 High Street, Leeds",
        postcode: str | None = "LS1 9ZZ",
        contact_type: str | None = None,
        company_number: str | None = None,
    ) -> Person:
        """A person with (by default) an email, a mobile and a postal address.

        Pass ``email=None`` / ``phone=None`` / ``address=None`` / ``postcode=None`` to
        leave a detail out; an empty string picks a unique sample value.
        """
        n = next(_numbers) % 1000
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        details = {
            "name": name,
            "email": f"{slug}{n}@example.co.uk" if email == "" else (email or ""),
            "phone": mobile(n) if phone == "" else (phone or ""),
            "address": address or "",
            "postcode": postcode or "",
            "contact_type": contact_type or "",
            "company_number": company_number or "",
        }
        p = Person(self, details)
        self.people.append(p)
        return p

    def write_ledger(self, rows: list[dict[str, str]], name: str | None = None) -> Path:
        return write_ledger(self.folder / (name or f"ledger{next(self._files)}.csv"), rows)

    def load(self) -> None:
        """Import every row not yet imported, as one ledger file."""
        rows = [r for p in self.people for r in p.rows]
        if rows:
            import_ledger(self.store, str(self.write_ledger(rows)))
        for p in self.people:
            p.rows.clear()

    def decide(
        self, channel: str, category: str, send_date: str = SEND, purpose: str = "commercial"
    ) -> dict[str, Decision]:
        """Load pending rows, run the engine, and return decisions by person name."""
        self.load()
        result = run(self.store, CampaignSpec(channel, category, send_date, purpose))
        return {str(d.name): d for d in result.decisions}

    def one(
        self,
        person: Person,
        channel: str,
        category: str = "Bikes/Road",
        send_date: str = SEND,
        purpose: str = "commercial",
    ) -> Decision:
        """The decision for one person."""
        return self.decide(channel, category, send_date, purpose)[person.name]

    # --- other things the engine reads ---------------------------------------

    def screen(self, register: str, listed: list[str], date: str) -> None:
        """Record a TPS/CTPS screening on ``date`` with ``listed`` numbers on the register."""
        self.load()
        path = self.folder / f"{register}{next(self._files)}.txt"
        path.write_text("\n".join(listed) + "\n", encoding="utf-8")
        screen(self.store, register, str(path), date)

    def screen_both(
        self, date: str, *, tps: list[str] | None = None, ctps: list[str] | None = None
    ) -> None:
        """A TPS and a CTPS screening on ``date`` (DOMAIN.md 4.4 needs both)."""
        self.screen("tps", tps or [], date)
        self.screen("ctps", ctps or [], date)

    def suppress(self, lines: list[str], channels: str = "all", date: str = RECENT) -> None:
        """Import a do-not-contact list for the given channels."""
        self.load()
        path = self.folder / f"suppress{next(self._files)}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_suppressions(self.store, str(path), channels=parse_channels(channels), date=date)

    def sent_post(self, person: Person, sent_date: str, *, eligible: bool = True) -> None:
        """A postal campaign, marked sent on ``sent_date``, that included ``person``."""
        self.load()
        cid = self.contact_id(person)
        cur = self.store.execute(
            "INSERT INTO campaigns(name, channel, category, send_date, purpose, settings, "
            "created_at, sent_date) VALUES (?, 'post', 'Bikes', ?, 'commercial', '{}', ?, ?)",
            (f"mailing {sent_date}", sent_date, now_stamp(), sent_date),
        )
        self.store.execute(
            "INSERT INTO campaign_decisions(campaign_id, contact_id, eligible, basis) "
            "VALUES (?, ?, ?, 'legitimate_interests')",
            (cur.lastrowid, cid, int(eligible)),
        )
        self.store.db.conn.commit()

    def unsent_post(self, person: Person, send_date: str) -> None:
        """A postal campaign that included ``person`` but was never marked sent."""
        self.load()
        cur = self.store.execute(
            "INSERT INTO campaigns(name, channel, category, send_date, purpose, settings, "
            "created_at) VALUES ('draft', 'post', 'Bikes', ?, 'commercial', '{}', ?)",
            (send_date, now_stamp()),
        )
        self.store.execute(
            "INSERT INTO campaign_decisions(campaign_id, contact_id, eligible, basis) "
            "VALUES (?, ?, 1, 'legitimate_interests')",
            (cur.lastrowid, self.contact_id(person)),
        )
        self.store.db.conn.commit()

    def contact_id(self, person: Person) -> int:
        self.load()
        row = self.store.execute(
            "SELECT id FROM contacts WHERE name = ?", (person.name,)
        ).fetchone()
        return int(row[0])
