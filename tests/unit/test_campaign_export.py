"""The campaign export's pieces (model/campaign_export.py): names, address lines, columns,
the frozen voicemail column of a call list, and what is left out since freezing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers_engine import RECENT, SEND, Shop
from hypothesis import given
from hypothesis import strategies as st

from model.actions import campaigns
from model.campaign_export import (
    address_lines,
    changed_since_frozen,
    export_columns,
    is_company,
    split_name,
    write_campaign_export,
)
from model.campaigns import freeze_campaign, get_campaign
from model.contacts import find_contact, record_permission
from model.engine import CampaignSpec
from model.errors import InputError
from model.normalise import CHANNEL_BIT


@pytest.mark.parametrize(
    ("name", "company", "expected"),
    [
        ("Jane Smith", False, ("Jane", "Smith", "")),
        ("Mary Jane Smith", False, ("Mary Jane", "Smith", "")),
        ("Dr. Raj Patel", False, ("Raj", "Patel", "")),
        ("Smith, Jane", False, ("Jane", "Smith", "")),
        ("Cher", False, ("Cher", "", "")),
        ("Mr", False, ("Mr", "", "")),
        ("  Jane   Smith ", False, ("Jane", "Smith", "")),
        ("Acme Couriers Ltd", True, ("", "", "Acme Couriers Ltd")),
        (None, False, ("", "", "")),
    ],
)
def test_split_name(name, company, expected) -> None:
    """Last word is the Last Name; "Last, First" is understood; a company keeps its name."""
    assert split_name(name, company=company) == expected


def test_company_is_recorded_or_named_as_one() -> None:
    """Corporate type or a company number, or a name ending Ltd/PLC/LLP, is a company."""
    assert is_company("Pat Jones", "corporate", None)
    assert is_company("Pat Jones", None, "01234567")
    assert is_company("Jones & Sons Limited", None, None)
    assert is_company("Jones plc", None, None)
    assert not is_company("Pat Ltdson", None, None)


@given(st.lists(st.text(alphabet="abcXYZé-'", min_size=1, max_size=8), min_size=1, max_size=5))
def test_split_name_keeps_every_word(words: list[str]) -> None:
    """An individual's name without a comma or title splits without losing a word."""
    if words[0].rstrip(".").lower() in {"mr", "mrs", "ms", "miss", "mx", "dr", "prof"}:
        words[0] = "x" + words[0]
    first, last, company = split_name(" ".join(words))
    assert company == "" and " ".join(filter(None, (first, last))) == " ".join(words)


def test_address_lines() -> None:
    """Line breaks and commas split the address; a repeated postcode is dropped; extra
    lines are joined into the fourth."""
    assert address_lines("1 High St\nLeeds", "LS1 9ZZ") == ["1 High St", "Leeds", "", ""]
    assert address_lines("1 High St, Leeds, ls1 9zz", "LS1 9ZZ") == ["1 High St", "Leeds", "", ""]
    assert address_lines("Flat 2, 1 High St, Kirkstall, Leeds, West Yorks", "LS5 3AA") == [
        "Flat 2",
        "1 High St",
        "Kirkstall",
        "Leeds, West Yorks",
    ]
    assert address_lines(None, None) == ["", "", "", ""]


def test_columns_per_channel_and_kind() -> None:
    """Upload: the channel's columns; spreadsheet: contact_id first, basis and evidence last."""
    assert export_columns("email", "upload")[:3] == ("Email Address", "First Name", "Last Name")
    assert export_columns("phone", "spreadsheet") == (
        "contact_id",
        "Name",
        "Phone Number",
        "Voicemail",
        "basis",
        "evidence",
    )


PHONE_OPTOUT = "To stop our calls ring 0113 496 0000"


@pytest.fixture
def shop(store, tmp_path: Path) -> Shop:
    """Sender details; Jane and Raj bought road bikes; both have TPS-clear mobiles."""
    store.set_setting("business_name", "Pedal & Chain Cycles")
    store.set_setting("business_address", "12 Kirkgate, Leeds LS1 9ZZ")
    s = Shop(store, tmp_path)
    s.person("Jane Smith").buy(RECENT, "Bikes/Road")
    s.person("Raj Patel").buy(RECENT, "Bikes/Road").opt_out(RECENT, "sms")
    s.screen("tps", [], "2026-06-20")
    s.screen("ctps", [], "2026-06-20")
    return s


def _voicemail_column(store, campaign_id: int, out: Path) -> dict[str, str]:
    campaigns.export(store, campaign_id, str(out), "upload")
    with open(out, encoding="utf-8", newline="") as fh:
        return {r["Name"]: r["Voicemail"] for r in csv.DictReader(fh)}


def test_voicemail_is_decided_when_the_phone_campaign_is_frozen(shop: Shop, tmp_path: Path) -> None:
    """DOMAIN.md 4.4: "voicemail allowed" exactly where the same contact is eligible for
    SMS (same category, date, purpose) when the phone campaign is frozen; no SMS campaign
    needs to exist (this replaces the reading "eligible in a frozen SMS campaign")."""
    calls = CampaignSpec("phone", "Bikes", SEND)
    phone_id = freeze_campaign(shop.store, name="Calls", spec=calls, optout_text=PHONE_OPTOUT)
    # Raj opted out of SMS before the send date: he may be called, not left a message
    assert _voicemail_column(shop.store, phone_id, tmp_path / "calls.csv") == {
        "Jane Smith": "voicemail allowed",
        "Raj Patel": "no voicemail",
    }


def test_voicemail_mark_is_frozen_against_a_later_sms_opt_out(shop: Shop, tmp_path: Path) -> None:
    """A later SMS opt-out does not change the frozen mark: the export and the call sheet
    keep printing what was decided when the campaign was frozen."""
    calls = CampaignSpec("phone", "Bikes", SEND)
    phone_id = freeze_campaign(shop.store, name="Calls", spec=calls, optout_text=PHONE_OPTOUT)
    before = _voicemail_column(shop.store, phone_id, tmp_path / "before.csv")
    jane = find_contact(shop.store, contact_id=1)
    record_permission(shop.store, jane, "opt_out", channels=CHANNEL_BIT["sms"], date=RECENT)
    assert _voicemail_column(shop.store, phone_id, tmp_path / "after.csv") == before
    assert before["Jane Smith"] == "voicemail allowed"
    rows = campaigns.recipient_list_rows(shop.store, phone_id)
    assert {r.name: r.voicemail for r in rows.recipients} == {
        "Jane Smith": True,
        "Raj Patel": False,
    }


def test_campaign_frozen_before_the_marks_were_kept_gets_no_voicemail(
    shop: Shop, tmp_path: Path
) -> None:
    """A phone campaign frozen before the migration has no mark ("not recorded"): read
    cautiously as no voicemail, never decided afresh."""
    calls = CampaignSpec("phone", "Bikes", SEND)
    phone_id = freeze_campaign(shop.store, name="Calls", spec=calls, optout_text=PHONE_OPTOUT)
    # what a store migrated from version 1 holds: the new column empty
    shop.store.execute("INSERT INTO erasures_pending(contact_id) VALUES (1), (2)")
    shop.store.execute("UPDATE campaign_decisions SET voicemail = NULL")
    shop.store.execute("DELETE FROM erasures_pending")
    assert set(_voicemail_column(shop.store, phone_id, tmp_path / "c.csv").values()) == {
        "no voicemail"
    }
    assert campaigns.summary(shop.store, phone_id).voicemail_allowed == 0


def test_export_after_a_later_suppression_leaves_the_contact_out(
    shop: Shop, tmp_path: Path
) -> None:
    """A contact suppressed after the campaign was frozen is not exported, and is named
    (the frozen decisions stay as they were)."""
    cid = freeze_campaign(shop.store, name="Spring", spec=CampaignSpec("email", "Bikes", SEND))
    jane = find_contact(shop.store, contact_id=1)
    shop.suppress([str(jane["email"])], channels="email", date=RECENT)
    result = campaigns.export(shop.store, cid, str(tmp_path / "spring.csv"), "upload")
    with open(tmp_path / "spring.csv", encoding="utf-8", newline="") as fh:
        emails = [r["Email Address"] for r in csv.DictReader(fh)]
    assert jane["email"] not in emails and len(emails) == result.written
    assert result.withdrawn == [1]
    assert get_campaign(shop.store, cid).eligible == 2  # the record is unchanged


def test_changed_since_frozen_names_later_refusals(shop: Shop) -> None:
    """A later objection shows up; once the campaign is marked sent, no warning is due."""
    cid = freeze_campaign(shop.store, name="Spring", spec=CampaignSpec("email", "Bikes", SEND))
    campaign = get_campaign(shop.store, cid)
    assert changed_since_frozen(shop.store, campaign) == []
    jane = find_contact(shop.store, contact_id=1)
    record_permission(shop.store, jane, "objection", channels=CHANNEL_BIT["email"], date=RECENT)
    assert changed_since_frozen(shop.store, campaign) == [1]
    shop.store.execute("UPDATE campaigns SET sent_date = ? WHERE id = ?", (SEND, cid))
    assert changed_since_frozen(shop.store, get_campaign(shop.store, cid)) == []


def test_unknown_kind_refused(shop: Shop, tmp_path: Path) -> None:
    """Only spreadsheet and upload exist."""
    cid = freeze_campaign(shop.store, name="Spring", spec=CampaignSpec("email", "Bikes", SEND))
    with pytest.raises(InputError, match="spreadsheet or upload"):
        write_campaign_export(shop.store, cid, str(tmp_path / "x.csv"), "excel")
