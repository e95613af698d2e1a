"""The PDFs, read back: recipient lists, labels, call sheets, compliance records and
one person's history, checked against the store (pypdf text extraction).

The reports draw each table cell line as its own string, so the extracted text has
one cell line per text line; a row reads ``#``, ``ID``, name, ... on successive lines.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from model import engine
from model.actions import campaigns as actions
from model.actions.campaigns import write_compliance_record, write_labels, write_recipient_list
from model.actions.records import write_contact_history
from model.campaigns import (
    campaign_decisions,
    freeze_campaign,
    get_campaign,
    recipient_fingerprint,
    verify_fingerprint,
)
from model.contacts import find_contact, record_permission
from model.demo import fill_sample_shop
from model.engine import CampaignSpec, contact_events
from model.erasure import erase_contact
from model.errors import InputError
from model.ledger import COLUMNS, import_ledger
from model.normalise import CHANNEL_BIT
from model.rules import EVENT_LABELS
from reports.common import basis_label
from reports.layout import pick_font, text_width, wrap
from reports.recipients import (
    LABEL_LEADING,
    LABEL_TEXT_HEIGHT,
    LABEL_TEXT_WIDTH,
    LABELS_PER_SHEET,
    NO_VOICEMAIL,
    VOICEMAIL_ALLOWED,
    fit_label,
)

TODAY = "2026-11-20"
PRODUCED_AT = "2026-11-21T09:30:00+00:00"
#: names Helvetica cannot show alone (ł, Ł) and ones it can (ë, é, ’, “”)
UNUSUAL = ("Zoë Łukasik-O’Brien", "Renée “Ré” Dubois", "Seán Ó Súilleabháin")
LONG_ADDRESS = (
    "Flat 12, The Old Bicycle Works\n1234 Extraordinarily Long Industrial Estate Road\n"
    "Little Snoring-on-the-Wold\nKirkstall\nLeeds\nWest Yorkshire"
)


def _ledger_row(**values: str) -> dict[str, str]:
    return {c: values.get(c, "") for c in COLUMNS}


@pytest.fixture
def shop(store, tmp_path: Path):
    """The sample shop, three people with unusual names and a long address, and three
    campaigns frozen today: email and phone about Bikes, post about Servicing."""
    fill_sample_shop(store, today=TODAY)
    used = {r[0] for r in store.execute("SELECT phone FROM contacts WHERE phone IS NOT NULL")}
    free = next(f"+447700900{n:03d}" for n in range(999, 0, -1) if f"+447700900{n:03d}" not in used)
    rows = []
    for i, name in enumerate(UNUSUAL):
        rows.append(
            _ledger_row(
                name=name,
                email=f"unusual{i}@example.com",
                phone="0" + free[3:] if i == 0 else "",
                address=LONG_ADDRESS if i == 0 else f"{i + 1} Otley Road, Headingley, Leeds",
                postcode="LS6 3AA",
                date="2026-10-01",
                event="purchase",
                category="Bikes/Road",
                collected_via="in_store",
                optout_offered="yes",
                optout_how="Asked at the till",
                staff="Sam",
            )
        )
    ledger = tmp_path / "unusual.csv"
    import csv

    with open(ledger, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    import_ledger(store, str(ledger))
    ids = {}
    for channel, category, name in (
        ("email", "Bikes", "Winter bikes email"),
        ("post", "Servicing", "Winter service leaflet"),
        ("phone", "Bikes", "Winter bikes calls"),
    ):
        ids[channel] = freeze_campaign(
            store,
            name=name,
            spec=CampaignSpec(channel, category, TODAY),
            created_by="Priya",
        )
    return store, ids


def _pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _text(path: Path) -> str:
    return "\n".join(_pages(path))


def _seq(*cells: object) -> re.Pattern[str]:
    """Cells (or words) one after another, whole, separated by any white space: the
    extracted text puts cells of one line side by side and a wrapped cell's next
    line on a line of its own."""
    parts = [r"\s+".join(re.escape(w) for w in str(c).split()) for c in cells]
    return re.compile(r"(?<!\S)" + r"\s+".join(parts) + r"(?!\S)")


def _unsealed(text: str) -> str:
    """A report's text without its audit seal (the state of the trail when produced)."""
    return re.sub(r"Audit\s+seal\s+\d+\s+[0-9a-f]{64}", "Audit seal", text)


def _has(text: str, *cells: object) -> bool:
    return _seq(*cells).search(text) is not None


_row = _seq


def _segments(text: str, starts: list[re.Pattern[str]]) -> list[str]:
    """The text of each row, in order: from its start to the next row's."""
    places = []
    at = 0
    for marker in starts:
        found = marker.search(text, at)
        assert found is not None, f"row not found: {marker.pattern!r}"
        places.append(found.start())
        at = found.end()
    places.append(len(text))
    return [text[places[i] : places[i + 1]] for i in range(len(starts))]


def _assert_page_numbers(pages: list[str]) -> None:
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {total}" in page


# --- recipient lists ----------------------------------------------------------------


def test_email_list_shows_every_recipient_with_address(shop, tmp_path: Path) -> None:
    """The email list has every frozen recipient, in order, with their email address."""
    store, ids = shop
    info = write_recipient_list(store, ids["email"], tmp_path / "email.pdf")
    pages = _pages(tmp_path / "email.pdf")
    text = "\n".join(pages)
    recipients = campaign_decisions(store, ids["email"], eligible=True)
    assert info.pages == len(pages) and info.people == len(recipients) > 100
    emails = dict(store.execute("SELECT id, email FROM contacts"))
    starts = [
        _row(n, d.contact_id, d.name, emails[d.contact_id]) for n, d in enumerate(recipients, 1)
    ]
    _segments(text, starts)
    campaign = get_campaign(store, ids["email"])
    assert campaign.fingerprint and campaign.fingerprint in pages[0]
    assert campaign.optout_text and campaign.optout_text in text.replace("\n", " ")
    _assert_page_numbers(pages)
    # the table header is repeated on every page of the table
    assert all("Email address" in p for p in pages)


def test_unusual_names_survive_the_pdf(shop, tmp_path: Path) -> None:
    """Names with ł, ë, é, ’ and “” come back from the PDF exactly (nothing dropped)."""
    store, ids = shop
    write_recipient_list(store, ids["email"], tmp_path / "email.pdf")
    write_compliance_record(
        store, ids["email"], tmp_path / "record.pdf", produced_by="Łucja O’Neill"
    )
    for path in (tmp_path / "email.pdf", tmp_path / "record.pdf"):
        text = _text(path)
        for name in UNUSUAL:
            assert name in text, f"{name} missing from {path.name}"
    assert "Łucja O’Neill" in _text(tmp_path / "record.pdf")
    assert pick_font("Zoë O’Brien")[0] == "Helvetica"
    assert pick_font("Łukasik")[0] != "Helvetica"


def test_post_list_then_label_sheets_of_21(shop, tmp_path: Path) -> None:
    """Post: the list, then ceil(n/21) label sheets holding every recipient, 21 a sheet."""
    store, ids = shop
    info = write_recipient_list(store, ids["post"], tmp_path / "post.pdf")
    pages = _pages(tmp_path / "post.pdf")
    recipients = campaign_decisions(store, ids["post"], eligible=True)
    sheets = math.ceil(len(recipients) / LABELS_PER_SHEET)
    assert info.labels == len(recipients) > 21
    assert info.label_pages == (len(pages) - sheets + 1, len(pages))
    label_pages = pages[len(pages) - sheets :]
    for k, page in enumerate(label_pages, 1):
        assert f"sheet {k} of {sheets}" in page
    # every recipient once on the label sheets, in order, at most 21 a sheet
    names_on = [[d.name for d in recipients if _has(page, d.name)] for page in label_pages]
    assert all(len(n) <= LABELS_PER_SHEET for n in names_on)
    flat = "\n".join(label_pages)
    postcodes = dict(store.execute("SELECT id, postcode FROM contacts"))
    _segments(flat, [_row(d.name) for d in recipients])
    assert all(postcodes[d.contact_id] in flat for d in recipients)
    # and the list pages before them
    list_text = "\n".join(pages[: len(pages) - sheets])
    _segments(list_text, [_row(n, d.contact_id, d.name) for n, d in enumerate(recipients, 1)])
    _assert_page_numbers(pages)


def test_labels_alone(shop, tmp_path: Path) -> None:
    """write_labels gives just the sheets: ceil(n/21) pages."""
    store, ids = shop
    info = write_labels(store, ids["post"], tmp_path / "labels.pdf")
    n = len(campaign_decisions(store, ids["post"], eligible=True))
    assert info.pages == math.ceil(n / LABELS_PER_SHEET) == len(_pages(tmp_path / "labels.pdf"))
    with pytest.raises(InputError):
        write_labels(store, ids["email"], tmp_path / "no.pdf")


def test_long_address_fits_its_label() -> None:
    """An address too long for a label is shrunk, then run together and cut, never clipped;
    the name and the postcode are kept."""
    name = "Dr Bartholomew Fitzwilliam-Featherstonehaugh of Little Snoring"
    lines = [p.strip() for p in LONG_ADDRESS.replace("\n", ",").split(",")] + ["LS6 3AA"]
    for parts in (lines[:3] + ["LS6 3AA"], lines, lines * 3):
        size, out = fit_label(name, parts)
        assert len(out) * size * LABEL_LEADING <= LABEL_TEXT_HEIGHT + 0.01
        assert all(text_width(t, f, size) <= LABEL_TEXT_WIDTH + 0.01 for f, t in out)
        assert out[-1][1] == "LS6 3AA"
        assert out[0][1].startswith("Dr Bartholomew")


def test_call_sheet_and_export_print_the_same_frozen_voicemail_marks(shop, tmp_path: Path) -> None:
    """On the sample shop, the call sheet prints the marks frozen with the phone campaign
    (SMS-eligible on the same category, date and purpose when frozen), row by row, and
    its count of 'Voicemail allowed' equals the exported call list's (and is not 0)."""
    store, ids = shop
    campaign = get_campaign(store, ids["phone"])
    write_recipient_list(store, ids["phone"], tmp_path / "calls.pdf")
    pages = _pages(tmp_path / "calls.pdf")
    recipients = campaign_decisions(store, ids["phone"], eligible=True)
    sms = engine.run(
        store,
        CampaignSpec("sms", campaign.category, campaign.send_date, campaign.purpose),
        contact_ids=[d.contact_id for d in recipients],
    )
    allowed = {d.contact_id for d in sms.decisions if d.eligible}
    assert 0 < len(allowed) < len(recipients)
    rows = _segments(
        "\n".join(pages),
        [_row(n, d.name, f"ID {d.contact_id}") for n, d in enumerate(recipients, 1)],
    )
    printed = 0
    for d, row in zip(recipients, rows, strict=True):
        want, other = (
            (VOICEMAIL_ALLOWED, NO_VOICEMAIL)
            if d.contact_id in allowed
            else (NO_VOICEMAIL, VOICEMAIL_ALLOWED)
        )
        flat = " ".join(row.split())
        assert want in flat and other not in flat, (d, row)
        assert "asked to stop" in flat
        printed += want == VOICEMAIL_ALLOWED
    _assert_page_numbers(pages)
    exported = actions.export(store, ids["phone"], str(tmp_path / "calls.csv"), "upload")
    with open(tmp_path / "calls.csv", encoding="utf-8", newline="") as fh:
        in_file = sum(r["Voicemail"] == "voicemail allowed" for r in csv.DictReader(fh))
    assert printed == in_file == exported.voicemail_allowed == len(allowed) > 0
    assert _has("\n".join(pages), "Voicemail", f"allowed for {printed:,},")


def test_compliance_record_counts_the_frozen_voicemail_marks(shop, tmp_path: Path) -> None:
    """The compliance record of a phone campaign prints the same voicemail count as the
    call sheet (both read the frozen marks)."""
    store, ids = shop
    allowed = actions.recipient_list_rows(store, ids["phone"]).voicemail_allowed
    assert allowed > 0
    write_compliance_record(store, ids["phone"], tmp_path / "r.pdf", produced_by="Sam")
    assert _has(_text(tmp_path / "r.pdf"), "Voicemail", f"allowed for {allowed:,} of")


# --- the compliance record ------------------------------------------------------------


@pytest.mark.parametrize("channel", ["email", "post", "phone"])
def test_record_has_everyone_every_reason_and_the_counts(shop, tmp_path: Path, channel) -> None:
    """Every included person with basis and evidence, every excluded person with every
    reason code, the counts by basis and reason, page x of y on every page."""
    store, ids = shop
    path = tmp_path / "record.pdf"
    info = write_compliance_record(
        store, ids[channel], path, produced_by="Priya", produced_at=PRODUCED_AT
    )
    pages = _pages(path)
    text = "\n".join(pages)
    decisions = campaign_decisions(store, ids[channel])
    included = [d for d in decisions if d.eligible]
    excluded = [d for d in decisions if not d.eligible]
    assert included and excluded and info.people == len(decisions)
    assert _has(text, "Included", f"{len(included):,}")
    assert _has(text, "Excluded", f"{len(excluded):,}")
    assert _has(text, "People decided", f"{len(decisions):,}")
    for basis, n in Counter(d.basis for d in included).items():
        assert _has(text, basis, f"{n:,}")
    for reason, n in Counter(r for d in excluded for r in d.reasons).items():
        assert _has(text, reason, f"{n:,}")

    body = text[text.index("7. Everyone included") :]
    flat = " ".join(body.split())
    rows = _segments(body, [_row(n, d.contact_id, d.name) for n, d in enumerate(included, 1)])
    for d, row in zip(included, rows, strict=True):
        assert _has(row, d.basis)
        # the evidence sentence, as wrapped into the column
        assert " ".join(d.evidence.split()) in " ".join(row.split())
    body = text[text.index("8. Everyone excluded") :]
    rows = _segments(body, [_row(n, d.contact_id, d.name) for n, d in enumerate(excluded, 1)])
    for d, row in zip(excluded, rows, strict=True):
        assert d.reasons
        for code in d.reasons:
            assert _has(row, code), (d, row)
    assert flat
    _assert_page_numbers(pages)
    assert all("Produced by Priya" in p or "produced by Priya" in p for p in pages)


def test_record_fingerprint_is_the_campaigns(shop, tmp_path: Path) -> None:
    """The record prints the campaign's SHA-256 on every page, and it is the hash of the
    list printed."""
    store, ids = shop
    campaign = get_campaign(store, ids["email"])
    info = write_compliance_record(store, campaign.id, tmp_path / "r.pdf", produced_by="Sam")
    pages = _pages(tmp_path / "r.pdf")
    included = campaign_decisions(store, campaign.id, eligible=True)
    expected = recipient_fingerprint((d.contact_id, d.basis or "") for d in included)
    assert campaign.fingerprint == expected == info.fingerprint
    assert verify_fingerprint(store, campaign.id)
    assert all(expected in page for page in pages)
    assert "matches: the list in section 7 gives this fingerprint" in _text(tmp_path / "r.pdf")


def test_record_explains_rules_settings_and_links(shop, tmp_path: Path) -> None:
    """The record names the rules with their legal references, the settings in force and
    the similarity links used, with the shop's reasons."""
    store, ids = shop
    expected = {
        "email": (
            "PECR regulation 22(3)",
            "soft_opt_in_months",
            "every bike we sell comes with servicing",
        ),
        "post": ("Article 6(1)(f)", "post_max_per_30_days", "the workshop fits the parts we sell"),
        "phone": ("PECR regulation 21", "counts for 28 days", "Voicemail"),
    }
    for channel, phrases in expected.items():
        path = tmp_path / f"{channel}.pdf"
        write_compliance_record(store, ids[channel], path, produced_by="Sam")
        flat = " ".join(_text(path).split())
        for phrase in phrases:
            assert phrase in flat, (channel, phrase)
        assert "24 months" in flat
        assert "Pedal & Chain Cycles" in flat and "14 Kirkgate, Leeds LS1 6BY" in flat


def test_frozen_decisions_unchanged_after_a_later_opt_out(shop, tmp_path: Path) -> None:
    """An opt-out recorded after freezing changes the next campaign, not the reports of
    this one: regenerated, the list and record read exactly the same."""
    store, ids = shop
    cid = ids["email"]
    write_recipient_list(store, cid, tmp_path / "list1.pdf")
    write_compliance_record(
        store, cid, tmp_path / "rec1.pdf", produced_by="Sam", produced_at=PRODUCED_AT
    )
    person = campaign_decisions(store, cid, eligible=True)[0]
    record_permission(
        store,
        find_contact(store, contact_id=person.contact_id),
        "opt_out",
        channels=CHANNEL_BIT["email"],
        date=TODAY,
        staff="Tom",
    )
    later = engine.run(
        store, CampaignSpec("email", "Bikes", TODAY), contact_ids=[person.contact_id]
    )
    assert later.decisions[0].reasons == ("opted_out",)
    write_recipient_list(store, cid, tmp_path / "list2.pdf")
    write_compliance_record(
        store, cid, tmp_path / "rec2.pdf", produced_by="Sam", produced_at=PRODUCED_AT
    )
    assert _text(tmp_path / "list1.pdf") == _text(tmp_path / "list2.pdf")
    # the same record, but for the audit seal: the trail has grown by the opt-out (so
    # the files are no longer byte for byte the same; their text is, but for the seal)
    assert _unsealed(_text(tmp_path / "rec1.pdf")) == _unsealed(_text(tmp_path / "rec2.pdf"))


def test_erased_recipient_stays_counted(shop, tmp_path: Path) -> None:
    """A recipient erased after freezing still counts in the record (as '(erased since)',
    fingerprint unchanged), and gets no address label."""
    store, ids = shop
    cid = ids["post"]
    person = campaign_decisions(store, cid, eligible=True)[0]
    n = len(campaign_decisions(store, cid, eligible=True))
    erase_contact(store, person.contact_id)
    info = write_compliance_record(store, cid, tmp_path / "r.pdf", produced_by="Sam")
    text = _text(tmp_path / "r.pdf")
    assert _has(text, "1", person.contact_id, "(erased since)")
    assert _has(text, "Included", f"{n:,}")
    assert "matches: the list in section 7 gives this fingerprint" in " ".join(text.split())
    assert info.fingerprint == get_campaign(store, cid).fingerprint
    labels = write_recipient_list(store, cid, tmp_path / "l.pdf")
    assert labels.people == n and labels.labels == n - 1
    assert person.name and person.name not in _text(tmp_path / "l.pdf")


def test_unknown_campaign_is_refused(shop, tmp_path: Path) -> None:
    """A campaign id that does not exist is an InputError, and no file is written."""
    store, _ = shop
    with pytest.raises(InputError):
        write_compliance_record(store, 999, tmp_path / "x.pdf", produced_by="Sam")
    with pytest.raises(InputError):
        write_recipient_list(store, 999, tmp_path / "y.pdf")
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


# --- one person's history ---------------------------------------------------------------


def test_contact_history_lists_every_event_and_campaign(shop, tmp_path: Path) -> None:
    """The history shows the details held, every event with its evidence, and every
    campaign that included or excluded the person, with the basis or reasons."""
    store, _ = shop
    # the contact with the most events, among those in every campaign
    cid = store.execute(
        "SELECT e.contact_id FROM events e GROUP BY e.contact_id "
        "ORDER BY COUNT(*) DESC, e.contact_id LIMIT 1"
    ).fetchone()[0]
    contact = find_contact(store, contact_id=cid)
    info = write_contact_history(store, cid, tmp_path / "h.pdf", produced_by="Sam")
    pages = _pages(tmp_path / "h.pdf")
    text = "\n".join(pages)
    assert info.pages == len(pages)
    for value in (contact["name"], contact["email"], contact["postcode"]):
        if value:
            assert value in text
    events = contact_events(store, cid)
    assert len(events) >= 3
    _segments(text, [_row(e.id, e.date, EVENT_LABELS[e.type]) for e in events])
    decisions = store.execute(
        "SELECT k.name, k.id, d.eligible, d.basis, d.reasons FROM campaign_decisions d "
        "JOIN campaigns k ON k.id = d.campaign_id WHERE d.contact_id = ? "
        "ORDER BY k.send_date, k.id",
        (cid,),
    ).fetchall()
    assert len(decisions) >= 4
    body = text[text.index("3. Every campaign") :]
    rows = _segments(body, [_row(f"{name} (campaign {kid})") for name, kid, *_ in decisions])
    assert any(eligible for *_, eligible, _b, _r in decisions)
    for (_name, _kid, eligible, basis, reasons), row in zip(decisions, rows, strict=True):
        flat = " ".join(row.split())
        if eligible:
            assert f"Included: {basis_label(basis)}" in flat
        else:
            assert "Excluded:" in flat
            for code in reasons.split(";"):
                assert _has(row, code)
    _assert_page_numbers(pages)


def test_contact_history_shows_permission_changes(shop, tmp_path: Path) -> None:
    """An opt-out and a consent recorded later appear with their channels and wording."""
    store, ids = shop
    cid = campaign_decisions(store, ids["email"], eligible=True)[0].contact_id
    contact = find_contact(store, contact_id=cid)
    record_permission(
        store,
        contact,
        "opt_out",
        channels=CHANNEL_BIT["sms"],
        date=TODAY,
        staff="Tom",
        via="phone call",
    )
    record_permission(
        store,
        contact,
        "consent",
        channels=CHANNEL_BIT["post"],
        date=TODAY,
        wording="Yes, post me the catalogue",
        staff="Tom",
    )
    write_contact_history(store, cid, tmp_path / "h.pdf")
    flat = " ".join(_text(tmp_path / "h.pdf").split())
    assert "opted out of: sms" in flat and "received via phone call" in flat
    assert "consented to: post" in flat and "“Yes, post me the catalogue”" in flat
    assert "Winter bikes email (campaign" in flat


def test_unknown_contact_is_refused(shop, tmp_path: Path) -> None:
    """A contact id that does not exist is an InputError."""
    store, _ = shop
    with pytest.raises(InputError):
        write_contact_history(store, 99999, tmp_path / "h.pdf")


# --- the layout helpers ---------------------------------------------------------------


def test_wrap_never_exceeds_the_width() -> None:
    """Wrapped lines fit their column, long tokens are broken, and a cut ends with '…'."""
    text = (
        "Purchase on 2026-03-14 (Accessories/Lights/Front and rear sets), collected "
        "in store, a.very.long.email.address@example-domain.co.uk "
        + "803a56654de6efbc2c4484c89050fa8d4b5b7b3fa66eae69b6751908ea4af85a"
    )
    for width in (40.0, 75.0, 200.0):
        lines = wrap(text, "Helvetica", 8.0, width)
        assert all(text_width(line, "Helvetica", 8.0) <= width + 0.01 for line in lines)
        assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    cut = wrap(text, "Helvetica", 8.0, 75.0, 2)
    assert len(cut) == 2 and cut[-1].endswith("…")


def test_record_counts_and_marks_consents_imported_without_wording(store, tmp_path: Path) -> None:
    """An imported consent with no wording is kept as a basis, counted in the record as
    "wording not recorded" and said so in that person's evidence; one with wording is not."""
    from helpers_engine import RECENT, SEND, Shop

    store.set_setting("business_name", "Pedal & Chain Cycles")
    store.set_setting("business_address", "12 Kirkgate, Leeds LS1 9ZZ")
    shop = Shop(store, tmp_path)
    shop.person("Ann Bare").consent(RECENT, "email").rows[-1]["wording"] = ""
    shop.person("Bob Worded").consent(RECENT, "email", wording="Yes, email me offers")
    shop.load()
    created = actions.create(
        store, name="Spring", channel="email", category="Bikes", send_date=SEND
    )
    rows = actions.compliance_record_rows(store, created.campaign.id, produced_by="Sam")
    assert {p.name: p.wording_missing for p in rows.included} == {
        "Ann Bare": True,
        "Bob Worded": False,
    }
    write_compliance_record(store, created.campaign.id, tmp_path / "r.pdf", produced_by="Sam")
    text = _text(tmp_path / "r.pdf")
    assert _has(text, "Consent wording", "wording not recorded for 1 person")
    ann, bob = _segments(text, [_row("Ann Bare"), _row("Bob Worded")])
    assert "wording not recorded" in " ".join(ann.split())
    assert "wording not recorded" not in " ".join(bob.split())


def test_record_and_history_print_the_audit_seal(shop, tmp_path: Path) -> None:
    """The compliance record and the person report print the audit seal of when they
    were produced, and it passes `audit verify --seal` on the store."""
    from model import audit

    store, ids = shop
    seal = audit.seal(store)
    write_compliance_record(store, ids["email"], tmp_path / "r.pdf", produced_by="Sam")
    cid = store.execute("SELECT MIN(id) FROM contacts").fetchone()[0]
    write_contact_history(store, cid, tmp_path / "h.pdf", produced_by="Sam")
    number, digest = seal.split()
    for pdf in ("r.pdf", "h.pdf"):
        text = re.sub(r"\s+", "", _text(tmp_path / pdf))  # a long hash may wrap
        assert f"{number}{digest}" in text, pdf
    assert audit.verify(store, seal) >= int(number)
