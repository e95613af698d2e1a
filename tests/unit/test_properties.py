"""Property tests (hypothesis) for the engine and the ledger import.

1. The order of rows in a ledger file does not change any decision.
2. Recording an opt-out never makes anyone eligible on that channel.
3. Events dated after the send date never change a decision.
4. A refused import leaves the store file byte-for-byte unchanged.

Each example builds real stores in a temporary folder (hypothesis does not mix
with pytest's function-scoped tmp_path).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers_engine import landline, mobile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.contacts import find_contact, record_permission
from model.engine import CampaignSpec, run
from model.errors import InputError
from model.ledger import COLUMNS, import_ledger
from model.normalise import CHANNEL_BIT, CHANNELS
from model.rules import EVENT_TYPES, SALE_OR_NEGOTIATION
from model.screening import screen
from model.store import Store, open_store

SEND = "2026-06-30"
BEFORE = [
    "2023-05-01",  # outside the 24-month window
    "2024-06-29",
    "2024-06-30",  # the window's first day
    "2025-11-15",
    "2026-02-04",  # the day before the charity soft opt-in
    "2026-02-05",
    "2026-05-01",
    "2026-05-01",
    "2026-06-30",  # the send date itself
]
AFTER = ["2026-07-01", "2026-08-15", "2026-11-30"]  # after the send date, not after today
CATEGORIES = ["Bikes", "Bikes/Road", "bikes / ROAD / Carbon", "Garden/Tools", "Store/Fruit"]
CAMPAIGNS = [
    CampaignSpec("email", "Bikes/Road", SEND),
    CampaignSpec("sms", "Bikes", SEND),
    CampaignSpec("post", "Garden", SEND),
    CampaignSpec("phone", "Bikes/Road", SEND),
]
CHARITY_CAMPAIGN = CampaignSpec("email", "Appeals", SEND, "charitable")

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

channel_sets = st.sets(st.sampled_from(CHANNELS)).map(lambda s: ";".join(sorted(s)))
nonempty_channel_sets = st.sets(st.sampled_from(CHANNELS), min_size=1).map(
    lambda s: ";".join(sorted(s))
)


def seldom(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly empty: refusals and consents on collection rows are the exception."""
    return st.one_of(st.just(""), st.just(""), st.just(""), strategy)


@st.composite
def events(draw: st.DrawFn, dates: list[str]) -> dict[str, str]:
    """One event row's own columns (no person details)."""
    # half the events are sales or negotiations, so that soft opt-ins occur
    kind = draw(
        st.one_of(st.sampled_from(sorted(SALE_OR_NEGOTIATION)), st.sampled_from(EVENT_TYPES))
    )
    if kind in SALE_OR_NEGOTIATION:
        category = draw(st.sampled_from(CATEGORIES))
    else:
        category = draw(st.sampled_from([*CATEGORIES, ""]))
    refused = draw(nonempty_channel_sets if kind == "opt_out" else seldom(channel_sets))
    if kind == "consent":
        consented = draw(nonempty_channel_sets)
    elif kind in ("opt_out", "objection"):
        consented = ""
    else:
        consented = draw(seldom(channel_sets))
    offered = draw(st.sampled_from(["yes", "yes", "no", ""]))
    return {
        "date": draw(st.sampled_from(dates)),
        "event": kind,
        "category": category,
        "collected_via": draw(st.sampled_from(["in_store", "online", "phone", "paper", ""])),
        "optout_offered": offered,
        "optout_how": "tick box" if offered == "yes" else "",
        "opted_out": refused,
        "consented": consented,
        "wording": "Yes please" if consented else "",
        "staff": "Sam",
    }


@st.composite
def person_details(draw: st.DrawFn, n: int) -> dict[str, str]:
    """Identifying details for person n, the same on every row (so matching is stable)."""
    phone_kind = draw(st.sampled_from(["mobile", "landline", "none"]))
    phone = {"mobile": mobile(n), "landline": landline(n), "none": ""}[phone_kind]
    mostly = st.sampled_from([True, True, True, False])
    has_email = draw(mostly) or phone_kind == "none"
    domain = draw(st.sampled_from(["example.co.uk", "gmail.com"]))
    corporate = draw(st.booleans())
    return {
        "name": f"Person {n}",
        "email": f"person{n}@{domain}" if has_email else "",
        "phone": phone,
        "address": f"{n} High Street" if draw(mostly) else "",
        "postcode": "LS1 9ZZ" if draw(mostly) else "",
        "contact_type": "corporate" if corporate else draw(st.sampled_from(["", "individual"])),
        "company_number": f"{n:08d}" if corporate and draw(st.booleans()) else "",
    }


@st.composite
def ledgers(
    draw: st.DrawFn, dates: list[str] = BEFORE, max_people: int = 5
) -> list[dict[str, str]]:
    """Rows for a few people, each with one to four events."""
    rows = []
    for n in range(draw(st.integers(1, max_people))):
        details = draw(person_details(n))
        for ev in draw(st.lists(events(dates), min_size=1, max_size=4)):
            rows.append({**details, **ev})
    return rows


def write_ledger(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> str:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return str(path)


@contextmanager
def fresh_store(*, charity: bool = False) -> Iterator[tuple[Store, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        s = open_store(Path(folder) / "ledger.db")
        if charity:
            s.set_setting("organisation_type", "charity")
        try:
            yield s, Path(folder)
        finally:
            s.close()


def decisions_by_name(store: Store, specs: list[CampaignSpec]) -> dict:
    """Every decision for the campaigns, keyed by (campaign, person name)."""
    out = {}
    for spec in specs:
        for d in run(store, spec).decisions:
            out[(spec, d.name)] = (d.eligible, d.basis, d.reasons)
    return out


# --- 1. row order -------------------------------------------------------------


@PROPERTY_SETTINGS
@given(rows=ledgers(dates=BEFORE + AFTER), data=st.data(), charity=st.booleans())
def test_row_order_does_not_change_any_decision(rows, data, charity) -> None:
    """The order of rows in an imported ledger file does not change any decision."""
    shuffled = data.draw(st.permutations(rows))
    specs = CAMPAIGNS + ([CHARITY_CAMPAIGN] if charity else [])
    results = []
    for order in (rows, shuffled):
        with fresh_store(charity=charity) as (store, folder):
            import_ledger(store, write_ledger(folder / "ledger.csv", order))
            results.append(decisions_by_name(store, specs))
    assert results[0] == results[1]


# --- 2. opt-outs ------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    rows=ledgers(dates=BEFORE + AFTER),
    data=st.data(),
    channels=st.sets(st.sampled_from(CHANNELS), min_size=1),
    opt_out_date=st.sampled_from(BEFORE + AFTER),
)
def test_recording_an_opt_out_never_makes_anyone_eligible(
    rows, data, channels, opt_out_date
) -> None:
    """An opt-out makes no one eligible on its channels and changes no other channel."""
    mask = sum(CHANNEL_BIT[c] for c in channels)
    with fresh_store() as (store, folder):
        import_ledger(store, write_ledger(folder / "ledger.csv", rows))
        people = sorted({r["name"] for r in rows})
        who = data.draw(st.sampled_from(people))
        before = decisions_by_name(store, CAMPAIGNS)
        contact = store.query("SELECT id FROM contacts WHERE name = ?", (who,))[0]
        record_permission(
            store,
            find_contact(store, contact_id=contact["id"]),
            "opt_out",
            channels=mask,
            date=opt_out_date,
        )
        after = decisions_by_name(store, CAMPAIGNS)
    for spec in CAMPAIGNS:
        for name in people:
            was, now = before[(spec, name)], after[(spec, name)]
            if spec.channel in channels:
                assert now[0] <= was[0], f"{name} became eligible on {spec.channel}"
                if name == who and opt_out_date == SEND:
                    # on the send date the refusal is the latest choice (it beats a consent)
                    assert not now[0] and "opted_out" in now[2]
            else:
                assert now == was, f"{name}: {spec.channel} changed by an opt-out of {channels}"


# --- 3. events after the send date ---------------------------------------------------


@PROPERTY_SETTINGS
@given(
    rows=ledgers(dates=BEFORE),
    data=st.data(),
    charity=st.booleans(),
    later_screening=st.booleans(),
)
def test_events_after_the_send_date_never_change_a_decision(
    rows, data, charity, later_screening
) -> None:
    """Adding events (and a screening) dated after the send date changes no decision."""
    specs = CAMPAIGNS + ([CHARITY_CAMPAIGN] if charity else [])
    people = {r["name"]: {k: r[k] for k in COLUMNS[:7]} for r in rows}
    later = []
    for name in data.draw(st.lists(st.sampled_from(sorted(people)), min_size=1, max_size=6)):
        later.append({**people[name], **data.draw(events(AFTER))})
    with fresh_store(charity=charity) as (store, folder):
        import_ledger(store, write_ledger(folder / "ledger.csv", rows))
        screen_file = folder / "clear.txt"
        screen_file.write_text("", encoding="utf-8")
        screen(store, "tps", str(screen_file), "2026-06-20")
        screen(store, "ctps", str(screen_file), "2026-06-20")

        def snapshot() -> dict:
            out = {}
            for spec in specs:
                for d in run(store, spec).decisions:
                    out[(spec, d.name)] = (d.eligible, d.basis, d.reasons, d.event_id, d.evidence)
            return out

        before = snapshot()
        import_ledger(store, write_ledger(folder / "later.csv", later))
        if later_screening:
            listed = folder / "listed.txt"
            phones = [r["phone"] for r in rows if r["phone"]]
            listed.write_text("\n".join(phones) + "\n", encoding="utf-8")
            screen(store, "tps", str(listed), "2026-07-01")
            screen(store, "ctps", str(listed), "2026-07-01")
        assert snapshot() == before


# --- 4. a refused import changes nothing --------------------------------------------

BAD_ROWS = {
    "bad email": {"email": "not-an-email"},
    "bad date": {"date": "2026-02-30"},
    "unknown event": {"event": "purchased"},
    "sale without category": {"event": "purchase", "category": ""},
    "bad channel": {"opted_out": "fax"},
    "bad phone": {"phone": "12345"},
    "bad postcode": {"postcode": "NOT A POSTCODE"},
    "bad optout_offered": {"optout_offered": "maybe"},
    "nothing identifies": {"email": "", "phone": "", "postcode": "", "name": "Nobody"},
}


def _file_bytes(path: Path) -> dict[str, bytes | None]:
    """The store's files on disk: the database and its write-ahead log."""
    return {
        suffix: (
            Path(str(path) + suffix).read_bytes() if Path(str(path) + suffix).exists() else None
        )
        for suffix in ("", "-wal")
    }


def _dump(store: Store) -> dict[str, list[tuple]]:
    tables = [
        r[0]
        for r in store.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return {
        t: [tuple(r) for r in store.execute(f"SELECT * FROM [{t}] ORDER BY rowid")] for t in tables
    }


@PROPERTY_SETTINGS
@given(
    first=ledgers(dates=BEFORE + AFTER),
    second=ledgers(dates=BEFORE + AFTER, max_people=8),
    faults=st.lists(st.sampled_from(sorted(BAD_ROWS)), min_size=1, max_size=3),
    data=st.data(),
)
def test_refused_import_leaves_the_store_file_unchanged(first, second, faults, data) -> None:
    """A refused import leaves ledger.db (and its WAL) byte-for-byte as it was."""
    rows = list(second)
    for fault in faults:
        base = dict(data.draw(st.sampled_from(rows)))
        base.update(BAD_ROWS[fault])
        rows.insert(data.draw(st.integers(0, len(rows))), base)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "ledger.db"
        store = open_store(db_path)
        try:
            import_ledger(store, write_ledger(Path(folder) / "first.csv", first))
            dump_before = _dump(store)
            bytes_before = _file_bytes(db_path)
            with pytest.raises(InputError):
                import_ledger(store, write_ledger(Path(folder) / "bad.csv", rows))
            assert _file_bytes(db_path) == bytes_before
            assert _dump(store) == dump_before
        finally:
            store.close()
        reopened = open_store(db_path)
        try:
            assert _dump(reopened) == dump_before
        finally:
            reopened.close()


def test_refused_import_with_a_bad_header_changes_nothing(tmp_path: Path) -> None:
    """An unknown column refuses the file before anything is read, and writes nothing."""
    store = open_store(tmp_path / "ledger.db")
    try:
        row = {
            "name": "Jane",
            "email": "jane@example.co.uk",
            "date": "2026-05-01",
            "event": "general_enquiry",
        }
        import_ledger(store, write_ledger(tmp_path / "good.csv", [row]))
        before = _file_bytes(tmp_path / "ledger.db")
        bad = write_ledger(
            tmp_path / "bad.csv", [{**row, "emial": "x"}], columns=[*COLUMNS, "emial"]
        )
        with pytest.raises(InputError):
            import_ledger(store, bad)
        assert _file_bytes(tmp_path / "ledger.db") == before
    finally:
        store.close()
