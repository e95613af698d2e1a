"""The app around the pages: first run, the main window, crashes, logging."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from model.store import open_store
from ui import app as ui_app
from ui.app import CrashDialog, MainWindow, Welcome, first_run, is_first_run


def test_first_run_sets_up_the_business(tmp_path: Path) -> None:
    """Choosing 'my business' stores its name, address, type and staff."""
    store = open_store(tmp_path / "ledger.db")
    assert is_first_run(store)
    choice = Welcome(
        False,
        {
            "business_name": "Spokes",
            "business_address": "1 High St",
            "organisation_type": "charity",
            "staff": "Ann; Bo",
        },
    )
    assert first_run(store, ask=lambda: choice) is store
    assert (store.setting("business_name"), store.is_charity, store.staff) == (
        "Spokes",
        True,
        ["Ann", "Bo"],
    )
    assert not is_first_run(store)


def test_first_run_can_open_the_sample_shop(tmp_path: Path) -> None:
    """Choosing the sample shop opens a store of its own, full of customers and campaigns;
    the shop's own store stays empty (and is offered again next time)."""
    store = open_store(tmp_path / "ledger.db")
    sample = first_run(store, ask=lambda: Welcome(True))
    assert sample is not None and Path(sample.path).name == "sample-shop.db"
    contacts = sample.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    campaigns = sample.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0]
    assert contacts >= 200 and campaigns >= 1
    sample.close()
    own = open_store(tmp_path / "ledger.db")
    assert is_first_run(own)
    again = first_run(own, ask=lambda: Welcome(True))  # the same sample, not filled twice
    assert again is not None
    assert again.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == contacts
    again.close()


def test_first_run_walked_away(tmp_path: Path) -> None:
    """Closing the welcome changes nothing and the app does not open."""
    store = open_store(tmp_path / "ledger.db")
    assert first_run(store, ask=lambda: None) is None
    assert is_first_run(store)


def test_main_window_pages_and_contact_tab(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """The window has the till, contacts and settings; a contact opens in its own tab once."""
    session.store.set_setting("business_name", "Pedal & Chain")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert [window.tabs.tabText(i).replace("&", "") for i in range(4)] == [
        "Till",
        "Contacts",
        "Campaigns",
        "Settings",
    ]
    assert window.windowTitle().startswith("Pedal & Chain")
    window.till.name.setText("Jane Smith")
    window.till.email.setText("jane@example.com")
    window.till.category.setText("Bikes")
    window.till.event_buttons.buttons()[0].click()
    window.till.offered_yes.setChecked(True)
    assert window.till.save()
    window.open_contact(1)
    window.open_contact(1)
    assert window.tabs.count() == 5
    assert window.tabs.tabText(4) == "Jane Smith"


@pytest.mark.logs_errors
def test_crash_hook_logs_and_shows_details(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An uncaught exception is logged and shown with copyable details, not a silent exit."""
    shown: list[str] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self.details.toPlainText()))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui_app.install_crash_handler(tmp_path / "app.log")
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert shown and "RuntimeError: the printer caught fire" in shown[0]
    dialog = CrashDialog("details here", tmp_path / "app.log")
    qtbot.addWidget(dialog)
    assert dialog.details.isReadOnly() and dialog.details.toPlainText() == "details here"


def test_logging_goes_to_a_rotating_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """main.setup_logging writes to a rotating log file in the user's log folder."""
    import logging
    import logging.handlers

    import main

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = main.setup_logging()
        assert path is not None and str(path).startswith(str(tmp_path))
        logging.getLogger("test").warning("hello log")
        for handler in root.handlers:
            handler.flush()
        assert "hello log" in path.read_text(encoding="utf-8")
        assert any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers)
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_contact_page_history_and_erase(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """From a contact's page: the history PDF opens in the preview; erasing closes the page
    and keeps the person out of later campaigns."""
    import pytest

    pytest.importorskip("reports.history")
    import threading

    from pypdf import PdfReader

    from model import engine
    from model.actions import records
    from ui import contacts as ui_contacts
    from ui import pdf_preview

    window = MainWindow(session)
    qtbot.addWidget(window)
    till = window.till
    till.name.setText("Jane Smith")
    till.email.setText("jane@example.com")
    till.category.setText("Bikes")
    till.event_buttons.buttons()[0].click()
    till.offered_yes.setChecked(True)
    assert till.save()
    window.open_contact(1)
    page = window.tabs.widget(4)
    shown: list[str] = []

    def read(parent, path, title) -> None:  # type: ignore[no-untyped-def]
        shown.append("".join(p.extract_text() for p in PdfReader(path).pages))

    monkeypatch.setattr(pdf_preview, "show_pdf", read)
    threads: list[int] = []
    draw = records.write_contact_history

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return draw(*args, **kwargs)

    monkeypatch.setattr(records, "write_contact_history", spy)
    assert page.history()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert threads and threads[0] != threading.get_ident()  # drawn off the UI thread
    text = shown[0]
    assert "Jane Smith" in text and "Purchase" in text
    monkeypatch.setattr(ui_contacts, "ask_confirm_erase", lambda parent, name: True)
    with qtbot.waitSignal(page.erased, timeout=20000):
        assert page.erase()
    assert window.tabs.count() == 4
    assert session.store.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 0
    assert till.save() is False  # the form was cleared; nothing half saved
    till.name.setText("Jane Smith")
    till.email.setText("jane@example.com")
    till.category.setText("Bikes")
    till.event_buttons.buttons()[0].click()
    till.offered_yes.setChecked(True)
    assert till.save()
    decision = engine.run(session.store, engine.CampaignSpec("email", "Bikes", "2099-01-01"))
    assert decision.decisions[0].reasons[0] == "suppressed"


def test_window_remembers_its_size(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window's size is a user preference, kept apart from the store, and restored."""
    from ui.preferences import Preferences

    prefs = Preferences.from_file(tmp_path / "prefs.ini")
    window = MainWindow(session, prefs)
    qtbot.addWidget(window)
    window.resize(700, 500)  # within the offscreen screen (800 x 600)
    window.close()
    assert prefs.window_geometry is not None
    again = MainWindow(session, Preferences.from_file(tmp_path / "prefs.ini"))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    assert again.tabs.currentIndex() == 0  # the till first, always
    assert session.store.setting("business_name") == ""  # nothing of it in the store
