"""The window's side of keeping records safe (issue 10): the damaged-store dialog that
offers the latest good backup, backups from the menu and on closing, restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from model.actions import open_store, safekeeping, setup
from ui import app
from ui.app import MainWindow, open_for_window
from ui.session import Session
from ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def _tasks_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TaskRunner, "synchronous", True)


def _store_with(path: Path, business: str) -> None:
    store = open_store(path)
    setup.set_settings(store, {"business_name": business, "business_address": "1 High St"})
    store.close()


def _spoil_first_page_of_events(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    conn.close()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * 4096)
        fh.write(b"\x5a" * 4096)


@pytest.mark.logs_errors
def test_damaged_store_offers_the_latest_good_backup_and_restores_it(tmp_path: Path) -> None:
    """A damaged store at start: the dialog names the backup; choosing it opens the restore."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Pedal & Chain")
    store = open_store(db)
    made = safekeeping.backup_store(store)
    store.close()
    _spoil_first_page_of_events(db)
    offered: list[tuple[str, object]] = []

    def ask(message: str, backup: object) -> bool:
        offered.append((message, backup))
        return True

    opened = open_for_window(str(db), ask=ask)
    assert opened is not None
    try:
        assert setup.settings(opened)["business_name"] == "Pedal & Chain"
    finally:
        opened.close()
    message, backup = offered[0]
    assert f"{db}: the store file is damaged" in message
    assert isinstance(backup, safekeeping.BackupInfo) and backup.path == made.path
    assert [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


@pytest.mark.logs_errors
def test_damaged_store_declined_leaves_the_file_and_opens_nothing(tmp_path: Path) -> None:
    """Choosing not to restore: no window, the damaged file left exactly as it was."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Pedal & Chain")
    _spoil_first_page_of_events(db)
    before = db.read_bytes()
    offered: list[object] = []
    assert open_for_window(str(db), ask=lambda m, b: offered.append(b) or False) is None
    assert offered == [None]  # no backup beside it: nothing offered
    assert db.read_bytes() == before


def _window(qtbot, db: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    from ui.preferences import Preferences

    session = Session(open_store(db))
    window = MainWindow(session, Preferences.from_file(db.with_suffix(".ini")))
    qtbot.addWidget(window)
    return window


def test_back_up_now_from_the_menu_says_where(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """File → Back up now writes a verified backup beside the store and tells its seal."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Pedal & Chain")
    window = _window(qtbot, db)
    told: list[str] = []
    monkeypatch.setattr(app, "tell", lambda parent, title, text: told.append(text))
    actions = {a.text(): a for a in window.menuBar().actions()[0].menu().actions()}
    actions["&Back up now"].trigger()
    files = list((tmp_path / "backups").glob("ledger-*.db"))
    assert len(files) == 1
    assert str(files[0]) in told[0]
    assert f"Audit seal: {safekeeping.audit_seal(window.session.store)}" in told[0]


def test_closing_the_window_leaves_a_backup(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Closing the app makes a backup that passes its check."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Pedal & Chain")
    window = _window(qtbot, db)
    window.close()
    files = list((tmp_path / "backups").glob("ledger-*.db"))
    assert len(files) == 1
    assert safekeeping.check_backup(files[0]).counts["audit"] >= 1


def test_restore_from_the_menu_brings_the_backup_back(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """File → Restore: the confirmation shows what the backup holds; the window then
    shows the backup's data, and the replaced store is kept aside."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Old Name")
    copy = tmp_path / "copy.db"
    store = open_store(db)
    safekeeping.backup_store(store, copy)
    setup.set_settings(store, {"business_name": "New Name"})
    store.close()
    window = _window(qtbot, db)
    assert window.windowTitle().startswith("New Name")
    monkeypatch.setattr(app, "tell", lambda parent, title, text: None)
    shown: list[safekeeping.BackupInfo] = []
    done = window.restore_from_backup(
        choose=lambda parent, folder: str(copy),
        confirm=lambda parent, info: shown.append(info) or True,
    )
    assert done
    assert shown[0].path == copy
    assert setup.settings(window.session.store)["business_name"] == "Old Name"
    assert window.windowTitle().startswith("Old Name")
    assert [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_restore_refuses_a_file_that_is_not_a_backup(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A chosen file that is no backup is refused in words; the store stays open and as it was."""
    db = tmp_path / "ledger.db"
    _store_with(db, "Pedal & Chain")
    window = _window(qtbot, db)
    bogus = tmp_path / "notes.db"
    bogus.write_text("shopping list")
    errors: list[str] = []
    monkeypatch.setattr(app, "show_error", lambda parent, title, text: errors.append(text))
    assert not window.restore_from_backup(
        choose=lambda parent, folder: str(bogus), confirm=lambda parent, info: True
    )
    assert errors and str(bogus) in errors[0]
    assert setup.settings(window.session.store)["business_name"] == "Pedal & Chain"


def test_the_damaged_store_dialog_restores_when_its_button_is_pressed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The real dialog: it names the backup, and its "Restore the backup" button says yes."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    info = safekeeping.BackupInfo(
        Path("/tmp/ledger-2026-12-01-090000.db"),
        "2026-12-01T09:00:00",
        "7 " + "a" * 64,
        {"contacts": 370, "events": 580},
    )
    seen: list[str] = []

    def press(label: str) -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        seen.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == label).click()

    QTimer.singleShot(50, lambda: press("Restore the backup"))
    assert app.ask_restore("shop.db: the store file is damaged (x)", info)
    QTimer.singleShot(50, lambda: press("Quit"))
    assert not app.ask_restore("shop.db: the store file is damaged (x)", info)
    assert "shop.db: the store file is damaged" in seen[0]
    assert "ledger-2026-12-01-090000.db" in seen[0] and "370 contacts" in seen[0]


def test_the_dialog_without_a_backup_offers_no_restore(qtbot) -> None:  # type: ignore[no-untyped-def]
    """With no good backup beside the store, the only answer is to quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    labels: list[list[str]] = []

    def close() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        labels.append([b.text() for b in box.buttons()])
        box.buttons()[0].click()

    QTimer.singleShot(50, close)
    assert not app.ask_restore("shop.db: the store file is damaged (x)", None)
    assert labels == [["Quit"]]
