"""Settings and the category editor, driven through the page, checked in the store."""

from __future__ import annotations

import pytest

from model import engine
from model.categories import find_category, list_links
from model.ledger import import_ledger
from ui import settings_page
from ui.settings_page import LinkAnswer, SettingsPage


@pytest.fixture
def page(qtbot, session):  # type: ignore[no-untyped-def]
    p = SettingsPage(session)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    return p


def _select(page: SettingsPage, path: str) -> None:
    from PySide6.QtCore import Qt

    for item in page.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
        if item.data(0, Qt.ItemDataRole.UserRole) == path:
            page.tree.setCurrentItem(item)
            return
    raise AssertionError(f"{path} not in the tree")


def test_settings_saved_all_or_none(qtbot, page, session) -> None:  # type: ignore[no-untyped-def]
    """Good values are saved together; a bad one saves nothing and says why."""
    page.business_name.setText("Pedal & Chain")
    page.business_address.setText("1 High St, Leeds LS1 9ZZ")
    page.soft_opt_in_months.setValue(12)
    page.staff.setText("Sam; Priya ; Tom")
    assert page.save()
    settings = session.store.settings()
    assert (settings["business_name"], settings["soft_opt_in_months"], settings["staff"]) == (
        "Pedal & Chain",
        "12",
        "Sam;Priya;Tom",
    )
    page.optout_script.setPlainText("Would you rather\nwe didn't write?")
    assert page.save()
    assert session.store.setting("optout_script") == "Would you rather we didn't write?"
    page.business_name.setText("New name")
    page.optout_texts["email"].setText("bad\nline")
    assert not page.save()
    assert "Not saved" in page.message.text()
    assert session.store.setting("business_name") == "Pedal & Chain"


def test_category_editor_add_rename_and_range(qtbot, page, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Adding, renaming and marking one range through the editor change the tree."""
    answers = iter(["Bikes/Road", "Bikes/Gravel"])
    monkeypatch.setattr(settings_page, "ask_text", lambda *a, **k: next(answers))
    assert page.add_category()
    assert page.add_category()
    _select(page, "Bikes/Gravel")
    monkeypatch.setattr(settings_page, "ask_text", lambda *a, **k: "Adventure")
    assert page.rename_category()
    assert find_category(session.store, "Bikes/Adventure") is not None
    _select(page, "Bikes")
    assert page.toggle_range()
    assert find_category(session.store, "bikes").one_range
    assert "one range" in page.category_message.text()


def test_category_link_changes_a_decision(qtbot, page, session, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Linking two categories in the editor makes a helmet buyer eligible for bike news."""
    ledger = tmp_path / "l.csv"
    ledger.write_text(
        "name,email,date,event,category,collected_via,optout_offered\n"
        "Jane,jane@example.com,2026-06-01,purchase,Accessories/Helmets,in_store,yes\n"
        "Bob,bob@example.com,2026-06-01,purchase,Bikes/Road,in_store,yes\n",
        encoding="utf-8",
    )
    import_ledger(session.store, str(ledger))
    page.load()
    spec = engine.CampaignSpec("email", "Bikes/Road", "2026-07-01")

    def jane() -> engine.Decision:
        return next(d for d in engine.run(session.store, spec).decisions if d.name == "Jane")

    assert jane().reasons == ("not_similar",)
    monkeypatch.setattr(
        settings_page,
        "ask_link",
        lambda *a, **k: LinkAnswer("Bikes", "Accessories", "riders need helmets"),
    )
    assert page.link()
    assert page.links.count() == 1
    assert "riders need helmets" in page.links.item(0).text()
    assert [{link.a, link.b} for link in list_links(session.store)] == [{"Bikes", "Accessories"}]
    decision = jane()
    assert decision.basis == "soft_opt_in"
    assert "riders need helmets" in decision.evidence


def test_link_without_reason_is_refused(qtbot, page, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A link needs a written reason; without one nothing is linked."""
    for path in ("Bikes", "Tools"):
        monkeypatch.setattr(settings_page, "ask_text", lambda *a, p=path, **k: p)
        page.add_category()
    blank = LinkAnswer("Bikes", "Tools", " ")
    monkeypatch.setattr(settings_page, "ask_link", lambda *a, **k: blank)
    assert not page.link()
    assert "reason" in page.category_message.text()
    assert list_links(session.store) == []


def test_default_staff_refused_and_saved_as_on_the_command_line(page, session) -> None:  # type: ignore[no-untyped-def]
    """default_staff outside the staff list is refused by the page in the command line's
    words, nothing saved; one of the staff is saved and the till then serves with it."""
    from pathlib import Path

    from tests.cli_runner import run
    from ui.session import Session
    from ui.till import TillPage

    db = Path(session.store.path)
    cli = run(db, "settings", "default_staff", "Bob")
    assert cli.returncode == 1
    page.business_name.setText("Pedal & Chain")
    page.default_staff.setText("Bob")
    assert not page.save()
    assert page.message.text() == "Not saved: " + cli.stderr.strip().removeprefix("error: ")
    assert session.store.setting("business_name") == ""  # all or none
    page.default_staff.setText("Priya")
    assert page.save()
    assert run(db, "settings").stdout.count("default_staff=Priya") == 1
    fresh = Session(session.store)  # nobody chosen yet: the till serves with the default
    till = TillPage(fresh)
    assert fresh.staff == "Priya" and till.staff.currentData() == "Priya"
    till.deleteLater()
