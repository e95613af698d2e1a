"""The contact book's queries (model/book.py): search, keyset paging, statuses today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from model import book
from model.actions import permissions, records
from model.engine import CampaignSpec, run
from model.errors import InputError
from model.normalise import CHANNELS
from model.store import Store
from tests.ledger_rows import import_rows

TODAY = "2026-11-29"
RECENT = "2026-10-01"


def person(n: int, **extra: str) -> dict[str, str]:
    row = {
        "name": f"Sam {('Smith', 'Jones', 'Patel')[n % 3]} {n:02d}",
        "email": f"sam{n:02d}@example.org",
        "phone": f"07700 900{n:03d}",
        "address": f"{n} Mill Lane",
        "postcode": f"LS{1 + n % 4} {n % 10}AB",
        "date": RECENT,
        "event": "purchase",
        "category": "Bikes/Road",
        "collected_via": "in_store",
        "optout_offered": "yes",
        "optout_how": "asked at the till",
        "staff": "Priya",
    }
    row.update(extra)
    return row


def fill(store: Store, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """Write the rows as a ledger CSV and import it, as a shop fills its store."""
    import_rows(store, tmp_path, rows)


@pytest.fixture
def shop(store: Store, tmp_path: Path) -> Store:
    """24 contacts, some without an email or a phone, with events on different days."""
    rows = []
    for n in range(24):
        extra: dict[str, str] = {"date": f"2026-{1 + n % 9:02d}-{1 + n % 27:02d}"}
        if n % 5 == 0:
            extra["email"] = ""
        if n % 7 == 0:
            extra["phone"] = ""
        rows.append(person(n, **extra))
    fill(store, tmp_path, rows)
    return store


def names(rows: list[book.BookRow]) -> list[str]:
    return [r.name or "" for r in rows]


@pytest.mark.parametrize("sort", book.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("search", ["", "sam", "smith"])
def test_pages_cover_every_match_once_in_order(shop, sort, descending, search):
    """Page after page (keyset), every match comes once, in order, blanks last."""
    seen: list[book.BookRow] = []
    after = None
    while True:
        batch = book.page(shop, search, sort, descending, after, limit=5)
        seen += batch
        if len(batch) < 5:
            break
        after = batch[-1]
    assert len({r.id for r in seen}) == len(seen) == book.count(shop, search)
    key = {
        "name": lambda r: r.name_key,
        "email": lambda r: r.email,
        "phone": lambda r: r.phone,
        "postcode": lambda r: r.postcode,
        "last_event": lambda r: r.last_day,
    }[sort]
    with_value = [r for r in seen if key(r) is not None]
    blanks = [r for r in seen if key(r) is None]
    assert seen == with_value + blanks
    expected = sorted(with_value, key=lambda r: (key(r), r.id), reverse=descending)
    assert with_value == expected
    assert blanks == sorted(blanks, key=lambda r: r.id, reverse=descending)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900012", ["Sam Smith 12"]),  # a phone as people type it
        ("+44 7700 900012", ["Sam Smith 12"]),
        ("0044 7700900012", ["Sam Smith 12"]),
        ("900012", ["Sam Smith 12"]),
        ("SAM17@EXAMPLE", ["Sam Patel 17"]),  # email, any case
        ("ls4 3ab", ["Sam Patel 23", "Sam Smith 03"]),  # postcode, any case, both words
        ("ls43ab", ["Sam Patel 23", "Sam Smith 03"]),  # a whole postcode without its space
        ("patel 17", ["Sam Patel 17"]),  # every word must match
        (
            "samsmith",
            [
                "Sam Smith 00",
                "Sam Smith 03",
                "Sam Smith 06",
                "Sam Smith 09",
                "Sam Smith 12",
                "Sam Smith 15",
                "Sam Smith 18",
                "Sam Smith 21",
            ],
        ),
        ("%", []),  # no wildcards
        ("_", []),
    ],
)
def test_search_matches_name_email_phone_postcode(shop, typed, expected):
    """A search finds contacts however their details are typed."""
    assert names(book.page(shop, typed)) == expected
    assert book.count(shop, typed) == len(expected)


def test_unknown_sort_column_is_refused(shop):
    """Only the book's columns sort (no SQL built from what a caller passes)."""
    with pytest.raises(InputError, match="cannot sort by"):
        book.page(shop, "", "name; DROP TABLE contacts")


def test_status_asks_about_the_latest_purchase(store, tmp_path):
    """The campaign category is the latest sale or negotiation: a later enquiry moves it."""
    rows = [
        person(1, date="2026-01-10"),
        person(
            1,
            date="2026-09-01",
            event="quote_request",
            category="Garden/Tools",
            optout_offered="no",
        ),
        person(2, date="2026-02-10"),
        person(3, event="general_enquiry", category=""),
    ]
    fill(store, tmp_path, rows)
    ids = [r.id for r in book.page(store, "")]
    cats = book.campaign_categories(store, ids, TODAY)
    assert sorted(cats.values(), key=str) == ["Bikes/Road", "Garden/Tools", None]
    status = book.channel_status(store, ids, TODAY)
    by_name = {r.name: status[r.id] for r in book.page(store, "")}
    # the quote request for tools had no opt-out offered: no soft opt-in for tools
    assert by_name["Sam Jones 01"]["email"].reasons == ("no_optout_at_collection",)
    assert by_name["Sam Patel 02"]["email"].basis == "soft_opt_in"
    assert by_name["Sam Smith 03"]["email"].reasons[0] == "no_qualifying_event"
    assert book.status_text(by_name["Sam Patel 02"]["email"], "email") == "✓ soft opt-in"


def test_post_and_phone_do_not_depend_on_the_category(shop):
    """channel_status runs post and phone once for all: the same answers as a run per
    category (the engine's 4.3 and 4.4 rules read no category)."""
    ids = [r.id for r in book.page(shop, "", limit=100)]
    cats = book.campaign_categories(shop, ids, TODAY)
    cats[ids[0]] = "Garden/Tools"  # a second category
    status = book.channel_status(shop, ids, TODAY, categories=cats)
    for channel in CHANNELS:
        for category in {c or book.NO_CATEGORY for c in cats.values()}:
            group = [i for i in ids if (cats[i] or book.NO_CATEGORY) == category]
            spec = CampaignSpec(channel, category, TODAY)
            for d in run(shop, spec, contact_ids=group).decisions:
                assert status[d.contact_id][channel] == d


def test_record_permission_checks_before_writing(shop):
    """A bad opt-out, consent or objection is refused in words and nothing is written."""
    cid = book.page(shop, "")[0].id
    before = shop.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    cases = [
        ({"kind": "opt_out", "channels": ()}, "names no channel"),
        ({"kind": "opt_out", "channels": ";;"}, "names no channel"),
        ({"kind": "opt_out", "channels": ("fax",)}, "unknown channel"),
        ({"kind": "opt_out", "channels": ("email",), "date": "2026-12-01"}, "in the future"),
        ({"kind": "opt_out", "channels": ("email",), "date": "yesterday"}, "not a date"),
        ({"kind": "consent", "channels": ("sms",)}, "--wording"),
        ({"kind": "consent", "channels": ("sms",), "wording": "Yes", "staff": ""}, "--staff"),
        ({"kind": "consent", "wording": "Yes"}, "--channels"),
    ]
    for change, words in cases:
        args = {"date": TODAY, "staff": "Sam", "today": TODAY, **change}
        with pytest.raises(InputError, match=words):
            permissions.record_permission(shop, cid, **args)  # type: ignore[arg-type]
    assert shop.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_opt_out_without_channels_stops_every_channel(shop):
    """An opt-out that names no channels covers all four; an objection without a staff
    member is still recorded (an opt-out is honoured whoever takes it)."""
    cid = book.page(shop, "")[0].id
    recorded = permissions.record_permission(shop, cid, "opt_out", date=TODAY, today=TODAY)
    assert recorded.channels == 15 and recorded.channels_text == "all channels"
    status = book.channel_status(shop, [cid], TODAY)[cid]
    assert {ch: status[ch].reasons[:1] for ch in CHANNELS} == {
        ch: ("opted_out",) for ch in CHANNELS
    }
    permissions.record_permission(shop, cid, "objection", date=TODAY, today=TODAY)
    row = shop.execute(
        "SELECT type, staff FROM events WHERE contact_id = ? ORDER BY id DESC LIMIT 1", (cid,)
    ).fetchone()
    assert tuple(row) == ("objection", None)


def test_record_permission_writes_one_event_with_staff_and_route(shop):
    """An opt-out records its channels, date, how it came in and who recorded it."""
    cid = book.page(shop, "")[0].id
    permissions.record_permission(
        shop,
        cid,
        "opt_out",
        channels=("email", "post"),
        date="2026-11-28",
        via="letter",
        staff="Sam",
        today=TODAY,
    )
    row = shop.execute(
        "SELECT type, date, refused, staff, notes, source FROM events "
        "WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
        (cid,),
    ).fetchone()
    assert tuple(row) == ("opt_out", "2026-11-28", 1 | 4, "Sam", "received via letter", "record")
    assert book.channel_status(shop, [cid], TODAY)[cid]["email"].reasons == ("opted_out",)


def test_record_event_lists_every_problem(shop):
    """A new event with problems names each one, and writes nothing."""
    cid = book.page(shop, "")[0].id
    before = shop.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    with pytest.raises(InputError) as caught:
        book.record_event(
            shop,
            cid,
            {"event": "purchase", "date": "2026-13-01", "collected_via": "fax"},
            staff="Sam",
            today=TODAY,
        )
    text = str(caught.value)
    assert "date" in text and "category" in text and "collected_via" in text
    with pytest.raises(InputError, match="wording"):  # a consent entered by hand has its words
        book.record_event(
            shop,
            cid,
            {"event": "booking", "date": TODAY, "category": "Bikes/Service", "consented": "email"},
            staff="Sam",
            today=TODAY,
        )
    assert shop.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before
    book.record_event(
        shop,
        cid,
        {"event": "booking", "date": TODAY, "category": "Bikes/Service"},
        staff="Sam",
        today=TODAY,
    )
    summary = records.contact_page(shop, cid, TODAY)
    assert summary.events[-1].type == "booking" and summary.events[-1].staff == "Sam"
    assert summary.category == "Bikes/Service"


@pytest.mark.parametrize("offset_days", [0, 1])
def test_statuses_only_count_events_up_to_today(store, tmp_path, offset_days):
    """A purchase dated after today is not yet the question's category."""
    day = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=offset_days)).isoformat()
    fill(
        store,
        tmp_path,
        [person(1, date="2026-05-01"), person(1, date=day, category="Garden/Tools")],
    )
    cid = book.page(store, "")[0].id
    expected = "Garden/Tools" if offset_days == 0 else "Bikes/Road"
    assert book.campaign_categories(store, [cid], TODAY)[cid] == expected
