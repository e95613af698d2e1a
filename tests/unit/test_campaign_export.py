"""The campaign export's pieces (model/campaign_export.py): names, address lines, columns,
and the voicemail column of a call sheet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers_engine import RECENT, SEND, Shop
from hypothesis import given
from hypothesis import strategies as st

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
        "contact_id", "Name", "Phone Number", "Voicemail", "basis", "evidence",
    )  # fmt: skip


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


def test_call_sheet_voicemail_only_for_those_eligible_for_sms(shop: Shop, tmp_path: Path) -> None:
    """DOMAIN.md 4.4: "voicemail allowed" only with a frozen SMS campaign that includes them."""
    calls = CampaignSpec("phone", "Bikes", SEND)
    optout = "To stop our calls ring 0113 496 0000"
    phone_id = freeze_campaign(shop.store, name="Calls", spec=calls, optout_text=optout)
    out = tmp_path / "calls.csv"

    def voicemail() -> dict[str, str]:
        write_campaign_export(shop.store, phone_id, str(out), "upload")
        with open(out, encoding="utf-8", newline="") as fh:
            return {r["Name"]: r["Voicemail"] for r in csv.DictReader(fh)}

    assert voicemail() == {"Jane Smith": "no voicemail", "Raj Patel": "no voicemail"}
    freeze_campaign(shop.store, name="Texts", spec=CampaignSpec("sms", "bikes ", SEND))
    assert voicemail() == {"Jane Smith": "voicemail allowed", "Raj Patel": "no voicemail"}


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
