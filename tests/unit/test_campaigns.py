"""Campaigns (model/campaigns.py): the checks of DOMAIN.md 4.5, frozen decisions,
the recipient fingerprint, marking sent and the postal frequency cap."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from helpers_engine import RECENT, SEND, Shop

from model import campaigns
from model.actions import campaigns as actions
from model.campaigns import (
    campaign_decisions,
    check_campaign,
    freeze_campaign,
    get_campaign,
    list_campaigns,
    mark_sent,
    recipient_fingerprint,
    verify_fingerprint,
)
from model.contacts import find_contact, record_permission
from model.engine import CampaignSpec, run
from model.errors import InputError
from model.normalise import CHANNEL_BIT

EMAIL_BIKES = CampaignSpec("email", "Bikes", SEND)


@pytest.fixture
def shop(store, tmp_path: Path) -> Shop:
    """A shop whose sender details are set, with two recent road-bike customers."""
    store.set_setting("business_name", "Pedal & Chain Cycles")
    store.set_setting("business_address", "12 Kirkgate, Leeds LS1 9ZZ")
    s = Shop(store, tmp_path)
    s.person("Jane Smith").buy(RECENT, "Bikes/Road")
    s.person("Raj Patel").buy(RECENT, "Bikes/Road")
    s.person("No Sale").event(RECENT, "general_enquiry", via="phone")
    s.load()
    return s


def count(store, table: str) -> int:
    return int(store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# --- the checks (4.5) ------------------------------------------------------------


def test_checks_pass_with_sender_and_default_optout_text(shop: Shop) -> None:
    """With name, address and the settings' default email opt-out text, nothing is refused."""
    assert check_campaign(shop.store, EMAIL_BIKES, None) == []


def test_no_business_name_or_address_is_refused_with_reasons(store, tmp_path: Path) -> None:
    """No sender name or address: refused, naming both, and nothing is stored."""
    problems = check_campaign(store, EMAIL_BIKES, None)
    assert any("business_name" in p for p in problems)
    assert any("business_address" in p for p in problems)
    with pytest.raises(InputError) as info:
        freeze_campaign(store, name="Spring", spec=EMAIL_BIKES)
    assert info.value.problems == problems
    assert count(store, "campaigns") == 0
    # the audit trail holds only the new store's baseline entry (model/trail.py)
    assert store.execute("SELECT action FROM audit").fetchall() == [("baseline",)]


def test_phone_needs_the_callers_number(shop: Shop) -> None:
    """Phone has no default opt-out text: the caller's number must be given."""
    spec = CampaignSpec("phone", "Bikes", SEND)
    problems = check_campaign(shop.store, spec, None)
    assert len(problems) == 1 and "caller's number" in problems[0]
    assert check_campaign(shop.store, spec, "Say stop") != []
    assert check_campaign(shop.store, spec, "To stop our calls ring 0113 496 0000") == []


def test_sms_opt_out_must_say_stop(shop: Shop) -> None:
    """An SMS campaign's opt-out text must tell people to reply STOP."""
    spec = CampaignSpec("sms", "Bikes", SEND)
    assert check_campaign(shop.store, spec, None) == []  # the default says Reply STOP
    assert check_campaign(shop.store, spec, "Unsubscribe on our website") != []


def test_empty_optout_setting_is_refused(shop: Shop) -> None:
    """A channel's default opt-out text cleared in settings leaves no instructions: refused."""
    shop.store.set_setting("optout_text_email", "")
    problems = check_campaign(shop.store, EMAIL_BIKES, None)
    assert len(problems) == 1 and "unsubscribe link" in problems[0]
    assert check_campaign(shop.store, EMAIL_BIKES, "Reply to unsubscribe") == []


def test_charitable_campaign_for_a_non_charity_is_refused(shop: Shop) -> None:
    """A charitable campaign needs organisation_type charity."""
    spec = CampaignSpec("email", "Bikes", SEND, "charitable")
    problems = check_campaign(shop.store, spec, None)
    assert len(problems) == 1 and "charity" in problems[0]
    with pytest.raises(InputError):
        freeze_campaign(shop.store, name="Appeal", spec=spec)
    shop.store.set_setting("organisation_type", "charity")
    assert check_campaign(shop.store, spec, None) == []


def test_unknown_channel_purpose_and_bad_date_are_listed(shop: Shop) -> None:
    """Every problem is listed, not just the first."""
    spec = CampaignSpec("fax", " / ", "2026-02-30", "political")
    problems = check_campaign(shop.store, spec, None)
    assert len(problems) == 4
    with pytest.raises(InputError) as info:
        freeze_campaign(shop.store, name=" ", spec=spec)
    assert len(info.value.problems) == 5  # and the missing name


@pytest.mark.parametrize(
    ("channel", "refused", "accepted"),
    [
        ("post", "Thank you for shopping with us", "To stop our letters, write to 12 Kirkgate"),
        ("post", "See you soon", "Rather not get post from us? Call 0113 496 0000"),
        ("email", "Thanks for reading", "Unsubscribe: https://example.com/u"),
        ("sms", "Unsubscribe online", "Reply STOP to opt out"),
        ("phone", "Ask us to stop", "To stop our calls ring 0113 496 0000"),
    ],
)
def test_optout_wording_is_checked_on_every_channel(
    shop: Shop, channel: str, refused: str, accepted: str
) -> None:
    """4.5: opt-out instructions that do not say how to object are refused, on post as on
    the electronic channels and phone; ones that do pass (through the action the window
    and the command line share)."""
    plan = {"name": "Spring", "channel": channel, "category": "Bikes", "send_date": SEND}
    problems = actions.check(shop.store, **plan, optout_text=refused)
    assert len(problems) == 1 and f"opt-out instructions for {channel}" in problems[0]
    assert actions.check(shop.store, **plan, optout_text=accepted) == []
    with pytest.raises(InputError) as info:
        actions.create(shop.store, **plan, optout_text=refused)
    assert info.value.problems == problems and count(shop.store, "campaigns") == 0


def test_missing_business_name_or_address_refused_each_alone(shop: Shop) -> None:
    """The sender's name and address are each required on their own (PECR reg 23)."""
    plan = {"name": "Spring", "channel": "email", "category": "Bikes", "send_date": SEND}
    for key in ("business_name", "business_address"):
        kept = shop.store.setting(key)
        shop.store.set_setting(key, "")
        problems = actions.check(shop.store, **plan)
        assert len(problems) == 1 and key in problems[0]
        shop.store.set_setting(key, kept)
    assert actions.check(shop.store, **plan) == []


def test_engine_refuses_a_charitable_question_through_the_same_check(shop: Shop) -> None:
    """engine.run refuses what the campaign checks refuse (one function, spec_problems)."""
    spec = CampaignSpec("email", "Bikes", SEND, "charitable")
    with pytest.raises(InputError) as info:
        run(shop.store, spec)
    assert [info.value.message] == campaigns.spec_problems(spec, is_charity=False)
    with pytest.raises(InputError, match="unknown channel"):
        run(shop.store, CampaignSpec("fax", "Bikes", SEND))


# --- freezing --------------------------------------------------------------------


def test_freeze_stores_every_decision_and_the_settings(shop: Shop) -> None:
    """One decision row per contact, the settings in force, the opt-out text and an audit entry."""
    shop.store.set_setting("soft_opt_in_months", "12")
    cid = freeze_campaign(shop.store, name="Spring sale", spec=EMAIL_BIKES, created_by="Sam")
    c = get_campaign(shop.store, cid)
    assert (c.name, c.channel, c.category, c.send_date, c.purpose) == (
        "Spring sale",
        "email",
        "Bikes",
        SEND,
        "commercial",
    )
    assert c.created_by == "Sam" and c.sent_date is None
    assert c.optout_text == shop.store.setting("optout_text_email")
    assert c.settings["soft_opt_in_months"] == 12
    assert c.settings["post_max_per_30_days"] == 2
    assert c.settings["organisation_type"] == "business"
    assert (c.eligible, c.excluded) == (2, 1)
    frozen = campaign_decisions(shop.store, cid)
    live = run(shop.store, EMAIL_BIKES).decisions
    assert frozen == live
    assert [d.reasons for d in frozen if not d.eligible] == [("no_qualifying_event",)]
    action = shop.store.execute("SELECT action FROM audit ORDER BY id DESC").fetchone()[0]
    assert action == "campaign create"


def test_similarity_links_used_are_recorded(shop: Shop) -> None:
    """The shop's links that made anything similar are kept with the campaign."""
    from model.categories import add_category, link_categories

    add_category(shop.store, "Servicing/Repairs")
    link_categories(shop.store, "Bikes", "Servicing", "every bike we sell comes with servicing")
    c = get_campaign(shop.store, freeze_campaign(shop.store, name="S", spec=EMAIL_BIKES))
    assert c.settings["similarity_links"] == [
        {"a": "Bikes", "b": "Servicing", "why": "every bike we sell comes with servicing"}
    ]


def test_frozen_decisions_do_not_change_after_a_later_opt_out(shop: Shop) -> None:
    """An opt-out recorded after freezing changes the engine's answer, not the frozen list."""
    cid = freeze_campaign(shop.store, name="Spring", spec=EMAIL_BIKES)
    before = campaign_decisions(shop.store, cid)
    jane = shop.contact_id(shop.people[0])
    record_permission(
        shop.store,
        find_contact(shop.store, contact_id=jane),
        "opt_out",
        channels=CHANNEL_BIT["email"],
        date=RECENT,
    )
    live = {d.contact_id: d for d in run(shop.store, EMAIL_BIKES).decisions}
    assert live[jane].reasons == ("opted_out",)
    assert campaign_decisions(shop.store, cid) == before
    assert {d.contact_id: d for d in before}[jane].basis == "soft_opt_in"
    assert verify_fingerprint(shop.store, cid)


def test_fingerprint_is_sha256_of_sorted_contact_basis_lines(shop: Shop) -> None:
    """The fingerprint is the documented SHA-256 over 'contact_id,basis' lines by contact id."""
    cid = freeze_campaign(shop.store, name="Spring", spec=EMAIL_BIKES)
    rows = [(d.contact_id, d.basis) for d in campaign_decisions(shop.store, cid, eligible=True)]
    text = "".join(f"{i},{b}\n" for i, b in sorted(rows))
    expected = hashlib.sha256(text.encode()).hexdigest()
    assert get_campaign(shop.store, cid).fingerprint == expected
    assert recipient_fingerprint(reversed(rows)) == expected  # order of input is irrelevant


def test_fingerprint_stable_and_changes_with_the_list(shop: Shop) -> None:
    """The same list gives the same fingerprint; another recipient changes it."""
    first = freeze_campaign(shop.store, name="A", spec=EMAIL_BIKES)
    again = freeze_campaign(shop.store, name="B", spec=EMAIL_BIKES)
    fp = get_campaign(shop.store, first).fingerprint
    assert get_campaign(shop.store, again).fingerprint == fp
    shop.person("Li Wei").buy(RECENT, "Bikes/Kids")
    shop.load()
    third = freeze_campaign(shop.store, name="C", spec=EMAIL_BIKES)
    assert get_campaign(shop.store, third).fingerprint != fp


def test_verify_fingerprint_catches_an_altered_list(shop: Shop) -> None:
    """A recipient list altered after freezing no longer matches its fingerprint."""
    cid = freeze_campaign(shop.store, name="A", spec=EMAIL_BIKES)
    assert verify_fingerprint(shop.store, cid)
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):  # the app cannot alter it
        shop.store.execute(
            "UPDATE campaign_decisions SET eligible = 1 WHERE campaign_id = ?", (cid,)
        )
    shop.store.execute("DROP TRIGGER campaign_decisions_no_update")  # tampering by hand
    with shop.store.transaction():
        shop.store.execute(
            "UPDATE campaign_decisions SET eligible = 1, basis = 'consent' "
            "WHERE campaign_id = ? AND eligible = 0",
            (cid,),
        )
    assert not verify_fingerprint(shop.store, cid)


def test_a_failure_while_freezing_leaves_no_campaign(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Freezing is one transaction: a failure at the end leaves no campaign or decision rows."""
    audits = count(shop.store, "audit")

    def broken_audit(action: str, details: dict) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(shop.store, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        freeze_campaign(shop.store, name="Spring", spec=EMAIL_BIKES)
    monkeypatch.undo()
    assert count(shop.store, "campaigns") == 0
    assert count(shop.store, "campaign_decisions") == 0
    assert count(shop.store, "audit") == audits


def test_list_campaigns_with_counts(shop: Shop) -> None:
    """list_campaigns gives every campaign, oldest first, with eligible and excluded counts."""
    a = freeze_campaign(shop.store, name="Email", spec=EMAIL_BIKES)
    b = freeze_campaign(shop.store, name="Post", spec=CampaignSpec("post", "Bikes", SEND))
    listed = list_campaigns(shop.store)
    assert [(c.id, c.name, c.eligible, c.excluded) for c in listed] == [
        (a, "Email", 2, 1),
        (b, "Post", 3, 0),  # post: legitimate interests, no similarity test
    ]
    assert campaigns.list_campaigns(shop.store)[0].spec == EMAIL_BIKES


# --- marking sent and the post cap ---------------------------------------------


def test_mark_sent_once(shop: Shop) -> None:
    """A campaign is marked sent once; an unknown id, a second time or a bad date are refused."""
    cid = freeze_campaign(shop.store, name="A", spec=EMAIL_BIKES)
    with pytest.raises(InputError):
        mark_sent(shop.store, cid + 1, SEND)
    with pytest.raises(InputError):
        mark_sent(shop.store, cid, "30/06/2026")
    with pytest.raises(InputError):
        mark_sent(shop.store, cid, "2026-06-29")  # before the send date it was decided for
    mark_sent(shop.store, cid, SEND)
    assert get_campaign(shop.store, cid).sent_date == SEND
    with pytest.raises(InputError, match="already marked sent"):
        mark_sent(shop.store, cid, "2026-07-01")
    assert get_campaign(shop.store, cid).sent_date == SEND


def test_sent_postal_campaigns_feed_the_frequency_cap(shop: Shop) -> None:
    """Once post_max_per_30_days postal campaigns were sent in the 30 days before, frequency_cap."""
    store = shop.store

    def post(day: str) -> CampaignSpec:
        return CampaignSpec("post", "Bikes", day)

    first = freeze_campaign(store, name="June leaflet", spec=post("2026-06-05"))
    mark_sent(store, first, "2026-06-05")
    second = freeze_campaign(store, name="June catalogue", spec=post("2026-06-20"))
    # an unsent campaign does not count
    third = post("2026-06-30")
    assert all(d.eligible for d in run(store, third).decisions)
    mark_sent(store, second, "2026-06-20")
    decisions = run(store, third).decisions
    assert decisions and all(d.reasons == ("frequency_cap",) for d in decisions)
    frozen = freeze_campaign(store, name="Too many", spec=third)
    assert get_campaign(store, frozen).eligible == 0
    # 30 days on from the first, only one counts
    assert all(d.eligible for d in run(store, post("2026-07-06")).decisions)


# --- the voicemail mark, and stores from before it was kept ----------------------------


def test_a_version_1_store_migrates_with_voicemail_not_recorded(tmp_path: Path) -> None:
    """A store written before the voicemail column opens, migrates to SCHEMA_VERSION, and
    its old phone campaign reads as "not recorded" (None), never decided afresh."""
    import sqlite_utils

    from model.store import APP_ID, MIGRATIONS, SCHEMA_VERSION, open_store

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(str(path))
    with db.atomic():
        MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute(f"PRAGMA application_id = {APP_ID}")
    db.execute(
        "INSERT INTO campaigns(id, name, channel, category, send_date, purpose, settings, "
        "created_at) VALUES (1, 'Calls', 'phone', 'Bikes', ?, 'commercial', '{}', 'x')",
        (SEND,),
    )
    db.execute(
        "INSERT INTO campaign_decisions(campaign_id, contact_id, eligible, basis) "
        "VALUES (1, 7, 1, 'tps_screened')"
    )
    db.conn.commit()
    db.close()
    store = open_store(path)
    try:
        assert store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert campaigns.voicemail_marks(store, 1) == {7: None}
        assert actions.summary(store, 1).voicemail_allowed == 0
    finally:
        store.close()
