"""Erasure on request (model/erasure.py; DOMAIN.md section 6, UK GDPR Art 17)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers_engine import RECENT, SEND, Shop, mobile

from model.audit import verify
from model.campaigns import (
    campaign_decisions,
    freeze_campaign,
    get_campaign,
    list_campaigns,
    verify_fingerprint,
)
from model.contacts import find_contact
from model.engine import CampaignSpec
from model.erasure import ERASED_REASON, erase_contact
from model.errors import InputError
from model.normalise import ALL_CHANNELS_MASK, CHANNELS

EMAIL = "jane.smith@example.co.uk"


@pytest.fixture
def shop(store, tmp_path: Path) -> Shop:
    """A shop with sender details, Jane (email, mobile, address), Raj, and a company."""
    store.set_setting("business_name", "Pedal & Chain Cycles")
    store.set_setting("business_address", "12 Kirkgate, Leeds LS1 9ZZ")
    s = Shop(store, tmp_path)
    s.person("Jane Smith", email=EMAIL, phone=mobile(901)).buy(RECENT, "Bikes/Road")
    s.person("Raj Patel").buy(RECENT, "Bikes/Road")
    s.person("Acme Couriers Ltd", contact_type="corporate", company_number="01234567").event(
        RECENT, "general_enquiry", via="phone"
    )
    s.load()
    return s


def jane(shop: Shop) -> dict:
    return find_contact(shop.store, email=EMAIL)


def count(store, sql: str, params: tuple = ()) -> int:
    return int(store.execute(sql, params).fetchone()[0])


def snapshot(store) -> dict[str, list]:
    """Every table's rows (to show that a refused erasure changed nothing)."""
    tables = [r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: store.execute(f"SELECT * FROM {t}").fetchall() for t in tables}


def test_erasure_deletes_the_contact_and_their_events(shop: Shop) -> None:
    """The contact row and every event of theirs are gone; other contacts keep theirs."""
    contact = jane(shop)
    cid = int(contact["id"])
    others = count(shop.store, "SELECT COUNT(*) FROM events WHERE contact_id != ?", (cid,))
    report = erase_contact(shop.store, contact)
    assert report.contact_id == cid and report.events_deleted == 1
    assert count(shop.store, "SELECT COUNT(*) FROM contacts WHERE id = ?", (cid,)) == 0
    assert count(shop.store, "SELECT COUNT(*) FROM events WHERE contact_id = ?", (cid,)) == 0
    assert count(shop.store, "SELECT COUNT(*) FROM events") == others
    assert count(shop.store, "SELECT COUNT(*) FROM erasures_pending") == 0


def test_erasure_keeps_a_suppression_entry_per_identifier_for_all_channels(shop: Shop) -> None:
    """Email, phone and name+postcode hashes are kept, for every channel, with the reason."""
    contact = jane(shop)
    report = erase_contact(shop.store, contact, date="2026-07-01")
    rows = shop.store.execute("SELECT kind, hash, channels, date, reason FROM suppressions")
    got = {(k, h) for k, h, ch, d, why in rows if ch == ALL_CHANNELS_MASK and why == ERASED_REASON}
    assert got == {
        ("email", contact["email_hash"]),
        ("phone", contact["phone_hash"]),
        ("name_postcode", contact["name_postcode_hash"]),
    }
    assert set(report.suppressed) == {"email", "phone", "name_postcode"}
    # only hashes: nothing in the suppression list reads as the person
    dump = json.dumps(snapshot(shop.store)["suppressions"])
    assert EMAIL not in dump and "Jane" not in dump and "+447700900901" not in dump


@pytest.mark.parametrize(
    "details",
    [
        {"email": EMAIL, "phone": None, "name": "J Smith", "postcode": "M1 1AA"},
        {"email": None, "phone": "+44 7700 900901", "name": "J Smith", "postcode": "M1 1AA"},
        {"email": "new@example.com", "phone": None, "name": "jane  SMITH", "postcode": "ls19zz"},
    ],
    ids=["same email", "same phone", "same name and postcode"],
)
def test_reimported_person_is_suppressed_on_every_channel(shop: Shop, details: dict) -> None:
    """Entered again later by any one identifier, they are excluded as suppressed everywhere."""
    erase_contact(shop.store, jane(shop))
    details = dict(details)  # a copy: the parameters are shared
    name = details.pop("name")
    shop.person(name, **details).buy(RECENT, "Bikes/Road")
    shop.load()
    for channel in CHANNELS:
        d = shop.decide(channel, "Bikes/Road")[name]
        assert not d.eligible and "suppressed" in d.reasons, (channel, d)


def test_frozen_campaign_stays_provable(shop: Shop) -> None:
    """Counts, fingerprint and decisions are unchanged; the erased row keeps no event pointer."""
    cid = freeze_campaign(shop.store, name="Spring", spec=CampaignSpec("email", "Bikes", SEND))
    before = get_campaign(shop.store, cid)
    decisions_before = campaign_decisions(shop.store, cid)
    contact_id = int(jane(shop)["id"])
    report = erase_contact(shop.store, jane(shop))
    after = get_campaign(shop.store, cid)
    assert report.campaign_decisions_kept == 1
    assert (after.eligible, after.excluded, after.fingerprint) == (
        before.eligible,
        before.excluded,
        before.fingerprint,
    )
    assert verify_fingerprint(shop.store, cid)
    decisions_after = campaign_decisions(shop.store, cid)
    assert len(decisions_after) == len(decisions_before)
    for old, new in zip(decisions_before, decisions_after, strict=True):
        assert (old.contact_id, old.eligible, old.basis, old.reasons) == (
            new.contact_id,
            new.eligible,
            new.basis,
            new.reasons,
        )
        if new.contact_id == contact_id:
            assert new.name is None and new.event_id is None
            assert new.evidence == old.evidence  # her sentence names no personal detail
        else:
            assert new == old


def test_corporate_evidence_loses_the_name_and_company_number(shop: Shop) -> None:
    """A corporate subscriber's evidence quotes its name and number: both are replaced."""
    cid = freeze_campaign(shop.store, name="Trade", spec=CampaignSpec("email", "Couriers", SEND))
    company = find_contact(shop.store, contact_id=3)
    assert company["name"] == "Acme Couriers Ltd"
    (before,) = [d for d in campaign_decisions(shop.store, cid) if d.contact_id == 3]
    assert before.basis == "corporate_subscriber" and "Acme Couriers Ltd" in before.evidence
    report = erase_contact(shop.store, company)
    (after,) = [d for d in campaign_decisions(shop.store, cid) if d.contact_id == 3]
    assert report.evidence_redacted == 1
    assert "Acme" not in after.evidence and "01234567" not in after.evidence
    assert after.evidence.startswith("Corporate subscriber: an erased contact is recorded")
    assert after.basis == "corporate_subscriber" and verify_fingerprint(shop.store, cid)


def test_audit_entry_without_personal_data_and_trail_whole(shop: Shop) -> None:
    """One 'contact erase' entry with ids and counts only; the hash chain still verifies."""
    contact = jane(shop)
    erase_contact(shop.store, contact)
    action, details = shop.store.execute(
        "SELECT action, details FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert action == "contact erase"
    for value in (contact["name"], contact["email"], contact["phone"], contact["postcode"]):
        assert str(value) not in details
    assert json.loads(details)["contact_id"] == contact["id"]
    assert verify(shop.store) > 0


def test_screening_results_for_their_number_are_deleted(shop: Shop) -> None:
    """A TPS screening result names the phone number: it goes with the contact."""
    shop.screen("tps", [], RECENT)
    phone = jane(shop)["phone"]
    assert count(shop.store, "SELECT COUNT(*) FROM screening_results WHERE phone = ?", (phone,))
    report = erase_contact(shop.store, jane(shop))
    assert report.screening_results_deleted == 1
    assert not count(shop.store, "SELECT COUNT(*) FROM screening_results WHERE phone = ?", (phone,))
    assert count(shop.store, "SELECT COUNT(*) FROM screening_results") == 2  # the others stay


def test_unknown_contact_is_refused_and_nothing_changes(shop: Shop) -> None:
    """An id that names no one: InputError, the store exactly as it was."""
    before = snapshot(shop.store)
    with pytest.raises(InputError, match="unknown contact"):
        erase_contact(shop.store, 999)
    assert snapshot(shop.store) == before


def test_a_failure_half_way_leaves_the_store_as_it_was(shop: Shop, monkeypatch) -> None:
    """All or nothing: if the audit entry cannot be written, nothing is erased or suppressed."""
    before = snapshot(shop.store)

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(shop.store, "audit", broken)
    with pytest.raises(sqlite3.OperationalError):
        erase_contact(shop.store, jane(shop))
    assert snapshot(shop.store) == before


def test_other_events_stay_append_only_after_an_erasure(shop: Shop) -> None:
    """The erasure clears its announcement: another contact's events still cannot be deleted."""
    erase_contact(shop.store, jane(shop))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), shop.store.transaction():
        shop.store.execute("DELETE FROM events")


def test_erasing_twice_is_refused(shop: Shop) -> None:
    """The second erasure of the same id finds no one (and adds no second suppression)."""
    contact = jane(shop)
    erase_contact(shop.store, contact)
    n = count(shop.store, "SELECT COUNT(*) FROM suppressions")
    with pytest.raises(InputError):
        erase_contact(shop.store, contact)
    assert count(shop.store, "SELECT COUNT(*) FROM suppressions") == n


def test_a_new_contact_never_takes_an_erased_contacts_id(shop: Shop) -> None:
    """Kept decisions must not be attributed to someone entered after the erasure."""
    freeze_campaign(shop.store, name="Trade", spec=CampaignSpec("email", "Couriers", SEND))
    erase_contact(shop.store, find_contact(shop.store, contact_id=3))  # the highest id
    shop.person("Newcomer").buy(RECENT, "Bikes/Road")
    shop.load()
    (campaign,) = list_campaigns(shop.store)
    names = {d.contact_id: d.name for d in campaign_decisions(shop.store, campaign.id)}
    assert names[3] is None
