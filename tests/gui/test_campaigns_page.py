"""The campaign flow in the app: category, numbers, people, finalise, send, export, print."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from model import campaigns, engine
from model.contacts import find_contact, record_permission
from model.demo import fill_sample_shop
from ui import campaigns as ui_campaigns
from ui import pdf_preview as ui_pdf_preview
from ui.campaigns import CampaignListModel, CampaignsPage, DecisionTableModel, PdfPreview
from ui.tasks import TaskRunner

TODAY = "2026-11-29"


@pytest.fixture
def shop(session, monkeypatch):  # type: ignore[no-untyped-def]
    """The sample shop in the session's store; background tasks run at once."""
    fill_sample_shop(session.store, today=TODAY)
    monkeypatch.setattr(TaskRunner, "synchronous", True)
    return session


@pytest.fixture
def confirmations(monkeypatch):  # type: ignore[no-untyped-def]
    """Every 'Finalise?' question is answered yes; the questions asked are kept."""
    asked: list[tuple[str, bool]] = []

    def confirm(parent, name, spec, known) -> bool:  # type: ignore[no-untyped-def]
        asked.append((name, known))
        return True

    monkeypatch.setattr(ui_campaigns, "ask_confirm_finalise", confirm)
    return asked


@pytest.fixture
def page(qtbot, shop, confirmations):  # type: ignore[no-untyped-def]
    p = CampaignsPage(shop)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    p.send_date.setDate(p.send_date.date().fromString(TODAY, "yyyy-MM-dd"))
    return p


def _plan(qtbot, page: CampaignsPage, channel: str, category: str) -> None:  # type: ignore[no-untyped-def]
    page.channel.setCurrentIndex(page.channel.findData(channel))
    page.category.clear()
    qtbot.keyClicks(page.category, category)


def _item(page: CampaignsPage, code: str):  # type: ignore[no-untyped-def]
    found = page.counts.findItems(code, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert found, f"{code} not among the numbers"
    return found[0]


def test_numbers_and_the_people_behind_them(qtbot, page, shop) -> None:  # type: ignore[no-untyped-def]
    """From choosing the category to the counts: each number opens the people behind it."""
    _plan(qtbot, page, "email", "Bikes")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    expected = engine.run(shop.store, engine.CampaignSpec("email", "Bikes", TODAY))
    bases, reasons = expected.counts()
    assert int(_item(page, "Included").text(1)) == sum(bases.values())
    for code, count in (*bases.items(), *reasons.items()):
        assert int(_item(page, code).text(1)) == count
    page.counts.setCurrentItem(_item(page, "lapsed"))
    shown = page.people.rows
    assert len(shown) == reasons["lapsed"]
    assert all("lapsed" in d.reasons for d in shown)
    assert "before the 24-month window" in page.people.data(page.people.index(0, 3))
    page.counts.setCurrentItem(_item(page, "soft_opt_in"))
    assert {d.basis for d in page.people.rows} == {"soft_opt_in"}
    assert campaigns.list_campaigns(shop.store)[-1].name != ""  # nothing stored by a preview
    assert len(campaigns.list_campaigns(shop.store)) == 3


def test_finalise_refused_then_frozen(qtbot, page, shop) -> None:  # type: ignore[no-untyped-def]
    """Without a name or opt-out text finalising is refused in words; then it is frozen."""
    _plan(qtbot, page, "sms", "Accessories/Lights")
    page.optout.setPlainText("Text us to unsubscribe")
    page.finalise()
    assert "Not finalised" in page.message.text() and "name" in page.message.text()
    assert "STOP" in page.message.text()
    assert len(campaigns.list_campaigns(shop.store)) == 3
    page.name.setText("Lights for dark evenings")
    page.optout.setPlainText("Reply STOP to opt out")
    page.finalise()
    made = campaigns.list_campaigns(shop.store)
    assert len(made) == 4 and made[-1].name == "Lights for dark evenings"
    assert "finalised" in page.message.text()
    assert page.campaign_list.rows[-1].id == made[-1].id
    frozen = campaigns.campaign_decisions(shop.store, made[-1].id, eligible=True)
    assert made[-1].eligible == len(frozen)
    # a later opt-out does not change what was frozen
    person = find_contact(shop.store, contact_id=frozen[0].contact_id)
    record_permission(shop.store, person, "opt_out", channels=2, date=TODAY)
    again = campaigns.campaign_decisions(shop.store, made[-1].id, eligible=True)
    assert [d.contact_id for d in again] == [d.contact_id for d in frozen]


def test_finalise_asks_first_and_flags_an_unknown_category(
    qtbot, page, shop, confirmations, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Freezing for good is confirmed first; a category not in the tree is pointed out;
    a 'no' stores nothing."""
    _plan(qtbot, page, "email", "Bikes/Unicycles")
    page.name.setText("Unicycles")
    page.finalise()
    assert confirmations == [("Unicycles", False)]
    monkeypatch.setattr(ui_campaigns, "ask_confirm_finalise", lambda *a: False)
    count = len(campaigns.list_campaigns(shop.store))
    page.finalise()
    assert len(campaigns.list_campaigns(shop.store)) == count


def test_export_leaves_out_opt_outs_since_frozen(
    qtbot, page, shop, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """An export after a recipient opted out leaves them out, and says who, in words."""
    _plan(qtbot, page, "email", "Bikes")
    page.name.setText("Warned")
    page.send_date.setDate(page.send_date.date().addDays(7))
    page.finalise()
    campaign = campaigns.list_campaigns(shop.store)[-1]
    first = campaigns.campaign_decisions(shop.store, campaign.id, eligible=True)[0]
    record_permission(
        shop.store,
        find_contact(shop.store, contact_id=first.contact_id),
        "opt_out",
        channels=1,
        date=TODAY,
    )
    monkeypatch.setattr(ui_campaigns, "ask_save_path", lambda *a, **k: str(tmp_path / "x.csv"))
    page.select_campaign(campaign.id)
    assert page.export("upload")
    assert "1 left out: opted out" in page.list_message.text()
    assert str(first.contact_id) in page.list_message.text()
    lines = (tmp_path / "x.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) - 1 == campaign.eligible - 1
    frozen = campaigns.campaign_decisions(shop.store, campaign.id, eligible=True)
    assert first.contact_id in [d.contact_id for d in frozen]  # the record is unchanged


def test_charitable_purpose_only_for_a_charity(qtbot, page, shop) -> None:  # type: ignore[no-untyped-def]
    """A business cannot pick the charitable purpose."""
    item = page.purpose.model().item(1)
    assert not item.isEnabled()
    shop.store.set_setting("organisation_type", "charity")
    shop.changed()
    assert page.purpose.model().item(1).isEnabled()


def test_mark_sent_and_export(qtbot, page, shop, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A finalised campaign is marked sent and exported for a mailing service."""
    _plan(qtbot, page, "email", "Bikes")
    page.name.setText("Winter bikes")
    page.finalise()
    campaign = campaigns.list_campaigns(shop.store)[-1]
    page.select_campaign(campaign.id)
    monkeypatch.setattr(ui_campaigns, "ask_date", lambda *a, **k: TODAY)
    assert page.mark_sent()
    assert campaigns.get_campaign(shop.store, campaign.id).sent_date == TODAY
    out = tmp_path / "upload.csv"
    monkeypatch.setattr(ui_campaigns, "ask_save_path", lambda *a, **k: str(out))
    page.select_campaign(campaign.id)
    assert page.export("upload")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Email Address,First Name,Last Name")
    assert len(lines) - 1 == campaign.eligible


def test_compliance_record_previewed(qtbot, page, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The compliance record is written off the UI thread and shown in the preview."""
    pytest.importorskip("reports.record")
    from pypdf import PdfReader

    shown: list[tuple[str, str]] = []

    def read(parent, path, title) -> None:  # type: ignore[no-untyped-def]
        shown.append((path, "".join(p.extract_text() for p in PdfReader(path).pages)))

    monkeypatch.setattr(ui_campaigns, "show_pdf", read)
    campaign = campaigns.list_campaigns(shop.store)[0]
    page.select_campaign(campaign.id)
    assert page.compliance_record()
    path, text = shown[0]
    assert campaign.fingerprint in text.replace("\n", "")
    assert not Path(path).exists()  # the preview's temporary file is removed afterwards


def test_pdf_preview_prints(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The preview shows the pages and prints them through the print dialog."""
    from PySide6.QtPrintSupport import QPrinter
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "two.pdf"
    c = canvas.Canvas(str(pdf))
    for n in (1, 2):
        c.drawString(100, 700, f"page {n}")
        c.showPage()
    c.save()
    preview = PdfPreview(str(pdf), "Two pages")
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == 2
    printed = tmp_path / "printed.pdf"

    def to_file(parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(ui_pdf_preview, "ask_print", to_file)
    assert preview.print_document()
    from pypdf import PdfReader

    pages = PdfReader(str(printed)).pages
    assert len(pages) == 2
    for page in pages:  # the paper is the document's own page size: printed at 100%
        box = page.mediabox
        assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4


def test_table_models_pass_the_model_tester(qtmodeltester, shop) -> None:  # type: ignore[no-untyped-def]
    """Both campaign table models behave as Qt expects."""
    decisions = DecisionTableModel()
    decisions.set_rows(
        engine.run(shop.store, engine.CampaignSpec("post", "Bikes", TODAY)).decisions
    )
    qtmodeltester.check(decisions)
    listing = CampaignListModel()
    listing.set_rows(campaigns.list_campaigns(shop.store))
    qtmodeltester.check(listing)


# --- the window and the command line: the same actions, the same answers ---------------


def test_window_and_command_line_refuse_a_bad_optout_text_alike(
    qtbot, page, shop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A post campaign whose opt-out text does not say how to object is refused by the
    Campaigns page and by `campaign create` with the same message; nothing is stored."""
    from cli_runner import run

    bad = "Thanks for shopping with us"
    before = len(campaigns.list_campaigns(shop.store))
    _plan(qtbot, page, "post", "Servicing")
    page.name.setText("Leaflet")
    page.optout.setPlainText(bad)
    page.finalise()
    result = run(
        shop.store.path,
        "campaign",
        "create",
        "--name",
        "Leaflet",
        "--channel",
        "post",
        "--category",
        "Servicing",
        "--date",
        TODAY,
        "--optout-text",
        bad,
    )
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if not line.startswith("error:")]
    assert len(problems) == 1 and "opt-out instructions for post" in problems[0]
    assert page.message.text() == f"Not finalised: {problems[0]}."
    assert len(campaigns.list_campaigns(shop.store)) == before


def test_window_and_command_line_export_the_same_count(
    qtbot, page, shop, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A phone campaign made in the window, exported from the window and from the command
    line: the same rows, the same count, the same voicemail marks."""
    from cli_runner import run

    _plan(qtbot, page, "phone", "Bikes")
    page.name.setText("Calls")
    page.finalise()
    campaign = campaigns.list_campaigns(shop.store)[-1]
    assert campaign.channel == "phone" and "finalised" in page.message.text()
    monkeypatch.setattr(ui_campaigns, "ask_save_path", lambda *a, **k: str(tmp_path / "w.csv"))
    page.select_campaign(campaign.id)
    assert page.export("upload")
    result = run(
        shop.store.path,
        "campaign",
        "export",
        campaign.id,
        "--out",
        tmp_path / "c.csv",
        "--for",
        "upload",
    )
    assert result.returncode == 0, result.stderr
    window_file = (tmp_path / "w.csv").read_text(encoding="utf-8")
    assert window_file == (tmp_path / "c.csv").read_text(encoding="utf-8")
    written = len(window_file.splitlines()) - 1
    assert f"{written} recipients written" in page.list_message.text()
    assert f": {written} recipients written to" in result.stdout
    allowed = window_file.count(",voicemail allowed")
    assert allowed > 0 and f"voicemail allowed: {allowed}" in result.stdout
    assert f"Voicemail allowed: {allowed}." in page.list_message.text()


def test_window_and_command_line_refuse_marking_sent_twice_alike(
    qtbot, page, shop, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A campaign already marked sent is refused a second marking by the window and by
    `campaign sent` with the same words."""
    from cli_runner import run

    campaign = campaigns.list_campaigns(shop.store)[0]
    assert campaign.is_sent
    again = run(shop.store.path, "campaign", "sent", campaign.id, "--date", TODAY)
    assert again.returncode == 1
    page.select_campaign(campaign.id)
    monkeypatch.setattr(ui_campaigns, "ask_date", lambda *a, **k: TODAY)
    assert not page.mark_sent()
    assert "already marked sent" in page.list_message.text()
    assert again.stderr.strip() == f"error: {page.list_message.text()}"
