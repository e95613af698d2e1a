"""The sample shop (model/demo.py): an empty store filled through the model's own
functions, with every basis and most reason codes to show, the same every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.audit import verify
from model.campaigns import list_campaigns, verify_fingerprint
from model.demo import BUSINESS_NAME, fill_sample_shop
from model.engine import CampaignSpec, run
from model.errors import InputError
from model.ledger import import_ledger
from model.store import Store, open_store

TODAY = "2026-11-29"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """One sample shop, filled once for the tests that only read it."""
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.db")
    report = fill_sample_shop(store, seed=2026, today=TODAY)
    yield store, report
    store.close()


def counts(store: Store, channel: str, category: str = "Bikes") -> tuple[set[str], set[str]]:
    bases, reasons = run(store, CampaignSpec(channel, category, TODAY)).counts()
    return set(bases), set(reasons)


def test_fills_an_empty_store_with_counts_in_range(demo) -> None:
    """A few hundred customers with histories, the category tree, settings, a whole audit trail."""
    store, report = demo
    assert 300 <= report.contacts <= 420
    assert report.contacts == store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    assert report.contacts * 1.4 <= report.events
    assert report.events == store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert 15 <= report.categories <= 30 and report.links == 2
    assert report.ledger_files >= 3 and report.permissions >= 10
    assert report.suppressions == 2
    assert report.screened > 100 and 0 < report.tps_listed < report.screened
    settings = store.settings()
    assert settings["business_name"] == BUSINESS_NAME and settings["business_address"]
    assert store.staff == ["Sam", "Priya", "Tom"]
    assert verify(store) > 10
    assert BUSINESS_NAME in report.summary()


def test_history_spans_about_three_years_up_to_today(demo) -> None:
    """Events run from about three years ago to today, never later; a TPS screening is recent."""
    store, _ = demo
    first, last = store.execute("SELECT MIN(date), MAX(date) FROM events").fetchone()
    assert "2023-05-01" <= first <= "2023-12-01" and "2026-11-20" <= last <= TODAY
    screened = store.execute("SELECT MAX(date) FROM screenings WHERE register = 'tps'").fetchone()
    assert "2026-11-01" < screened[0] < TODAY


def test_every_email_basis_and_most_reasons_appear_for_bikes(demo) -> None:
    """An email campaign about Bikes today shows each email basis and ten reason codes."""
    bases, reasons = counts(demo[0], "email")
    assert bases == {"corporate_subscriber", "consent", "soft_opt_in"}
    assert {
        "no_contact_point",
        "suppressed",
        "objected",
        "opted_out",
        "no_qualifying_event",
        "third_party_source",
        "other_purpose",
        "not_similar",
        "no_optout_at_collection",
        "lapsed",
    } <= reasons


def test_post_phone_and_sms_show_their_own_codes(demo) -> None:
    """Post, phone and SMS campaigns show their bases and reasons too."""
    store = demo[0]
    bases, reasons = counts(store, "post")
    assert {"legitimate_interests", "consent"} <= bases and "no_basis" in reasons
    bases, reasons = counts(store, "phone")
    assert {"tps_screened", "consent"} <= bases
    assert {"tps_registered", "not_screened"} <= reasons
    bases, reasons = counts(store, "sms")
    assert {"soft_opt_in", "consent"} <= bases and "no_contact_point" in reasons


def test_past_campaigns_are_frozen_and_sent(demo) -> None:
    """Three past campaigns, sent on their send dates before today, with sound fingerprints."""
    store, report = demo
    campaigns = list_campaigns(store)
    assert [c.channel for c in campaigns] == ["email", "post", "sms"]
    for c in campaigns:
        assert c.sent_date == c.send_date < TODAY
        assert c.eligible > 0 and c.excluded > 0
        assert verify_fingerprint(store, c.id)
    assert [row[0] for row in report.campaigns] == [c.id for c in campaigns]


def test_past_campaigns_saw_only_their_own_time(demo) -> None:
    """A campaign frozen on its send date holds decisions only for contacts who existed then."""
    store = demo[0]
    first = list_campaigns(store)[0]
    decided = store.execute(
        "SELECT COUNT(*) FROM campaign_decisions WHERE campaign_id = ?", (first.id,)
    ).fetchone()[0]
    newer = store.execute(
        "SELECT COUNT(*) FROM contacts c WHERE NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.date <= ?)",
        (first.send_date,),
    ).fetchone()[0]
    assert decided + newer == store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]


def _tables(store: Store) -> dict[str, list[tuple]]:
    """The store's content, without the wall-clock stamps of when it was written."""
    queries = {
        "contacts": "SELECT id, name, email, phone, phone_mobile, address, postcode, "
        "contact_type, company_number, name_key, email_hash, phone_hash, name_postcode_hash "
        "FROM contacts ORDER BY id",
        "events": "SELECT id, contact_id, date, type, category_id, collected_via, "
        "optout_offered, optout_how, refused, consented, wording, staff, notes, source "
        "FROM events ORDER BY id",
        "categories": "SELECT id, path, parent_id, one_range FROM categories ORDER BY id",
        "campaigns": "SELECT id, name, channel, category, send_date, sent_date, fingerprint "
        "FROM campaigns ORDER BY id",
        "decisions": "SELECT * FROM campaign_decisions ORDER BY campaign_id, contact_id",
        "screening": "SELECT phone, date, listed FROM screening_results ORDER BY phone",
    }
    return {name: store.execute(sql).fetchall() for name, sql in queries.items()}


def test_same_seed_and_day_give_the_same_shop(tmp_path: Path) -> None:
    """Two stores filled with the same seed and today hold identical contacts and events."""
    shops = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        store = open_store(tmp_path / f"{name}.db")
        fill_sample_shop(store, seed=seed, today="2026-03-15")
        shops.append(_tables(store))
        store.close()
    assert shops[0] == shops[1]
    assert shops[0]["contacts"] != shops[2]["contacts"]


def test_refused_on_a_store_with_contacts(store: Store, tmp_path: Path) -> None:
    """The sample shop goes into an empty store only; a refusal leaves the store unchanged."""
    ledger = tmp_path / "one.csv"
    ledger.write_text(
        "date,event,name,email,category\n2026-01-10,purchase,Jo Bloggs,jo@example.com,Bikes\n",
        encoding="utf-8",
    )
    import_ledger(store, str(ledger))
    before = list(store.conn.iterdump())
    with pytest.raises(InputError, match="empty store"):
        fill_sample_shop(store, today=TODAY)
    assert list(store.conn.iterdump()) == before


def test_a_bad_today_is_refused(store: Store) -> None:
    """today must be a real YYYY-MM-DD date."""
    with pytest.raises(InputError, match="today"):
        fill_sample_shop(store, today="29/11/2026")
    assert store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 0


def test_a_failure_half_way_leaves_the_store_empty(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fill is one transaction: a failure in the middle writes nothing at all."""
    from model import demo

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_screen", broken)
    with pytest.raises(RuntimeError):
        fill_sample_shop(store, today=TODAY)
    for table in ("contacts", "events", "categories", "campaigns", "settings"):
        assert store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    # the audit trail holds only the new store's baseline entry (model/trail.py)
    assert store.execute("SELECT action FROM audit").fetchall() == [("baseline",)]
