"""The desktop app: the main window, the first-run welcome, the crash dialog."""

from __future__ import annotations

import datetime as dt
import html
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from model.actions import Store, open_store, records, safekeeping, setup
from model.actions.safekeeping import BackupInfo
from model.errors import InputError, StoreDamaged

from . import staff as staff_ui
from .preferences import Preferences
from .session import Session
from .settings_page import SettingsPage
from .tasks import TaskRunner
from .till import TillPage

log = logging.getLogger(__name__)

#: till, contacts, campaigns, settings: always open; contact pages open after them
FIXED_TABS = 4


# --- the main window -------------------------------------------------------------------


class MainWindow(QMainWindow):
    """Till, contacts, campaigns and settings, one tab each; a contact's page opens in
    its own tab."""

    def __init__(self, session: Session, preferences: Preferences | None = None) -> None:
        super().__init__()
        from .campaigns import CampaignsPage
        from .contacts import ContactBook

        self.session = session
        self.setWindowTitle(self._title())
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.till = TillPage(session)
        self.book = ContactBook(session)
        self.campaigns = CampaignsPage(session)
        self.settings = SettingsPage(session)
        self.tabs.addTab(self.till, "&Till")
        self.tabs.addTab(self.book, "&Contacts")
        self.tabs.addTab(self.campaigns, "Ca&mpaigns")
        self.tabs.addTab(self.settings, "&Settings")
        bar = self.tabs.tabBar()
        for index in range(FIXED_TABS):  # the main pages stay open
            bar.setTabButton(index, bar.ButtonPosition.RightSide, None)
        self.setCentralWidget(self.tabs)
        self.book.contact_chosen.connect(self.open_contact)
        self.campaigns.contact_chosen.connect(self.open_contact)
        self.till.saved.connect(lambda _id: self._status())
        session.data_changed.connect(lambda: self.setWindowTitle(self._title()))
        session.staff_changed.connect(lambda _name: self._status())
        menu = self.menuBar().addMenu("&File")
        menu.addAction("&Back up now", self.back_up_now)
        menu.addAction("&Restore from a backup…", self.restore_from_backup)
        menu.addSeparator()
        menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.tasks = TaskRunner(session.store, self)
        # a till left open for days still gets its daily backup: looked at every hour
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(60 * 60 * 1000)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        # staff accounts on: switching who serves, with a PIN, from every tab
        self.switch_staff = QPushButton("Switch staff…")
        self.switch_staff.setFlat(True)
        self.switch_staff.clicked.connect(lambda: staff_ui.sign_in(self.session, self))
        self.statusBar().addPermanentWidget(self.switch_staff)
        session.data_changed.connect(self._status)
        find = self.menuBar().addMenu("&Find")
        find.addAction("Find a &contact", QKeySequence.StandardKey.Find, self.find_contact)
        self._status()
        self.preferences = preferences or Preferences()
        geometry = self.preferences.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 720)
        # the till opens first, as the shop expects; the office pages are one key away
        self.tabs.setCurrentIndex(0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Remember where the window was, and leave a verified backup beside the store."""
        self.preferences.window_geometry = self.saveGeometry()
        self.preferences.sync()
        self.statusBar().showMessage("Saving a backup of the store…")
        try:
            info = safekeeping.backup_store(self.session.store, automatic=True)
            log.info("backup on closing: %s (seal %s)", info.path, info.seal)
        except InputError as exc:  # the window still closes; the log says why
            log.warning("no backup on closing: %s", exc.message)
        super().closeEvent(event)

    def daily_backup(self) -> None:
        """Once a day (when the app opens, and hourly while it stays open), a backup in
        the background."""
        if self.tasks.busy or not safekeeping.daily_backup_due(self.session.store):
            return
        self.tasks.run(
            lambda store: safekeeping.backup_store(store, automatic=True),
            lambda info: self.statusBar().showMessage(f"Daily backup made: {info.path}", 8000),
            lambda message: log.warning("daily backup refused: %s", message),
        )

    def back_up_now(self) -> None:
        """File → Back up now: a verified copy into the backups folder; says where."""
        self.tasks.run(
            safekeeping.backup_store,
            lambda info: tell(self, "Backup made", backup_text(info)),
            lambda message: show_error(self, "No backup was made", message),
        )

    def restore_from_backup(
        self,
        choose: Callable[[QWidget, str], str | None] | None = None,
        confirm: Callable[[QWidget, BackupInfo], bool] | None = None,
    ) -> bool:
        """File → Restore: check the chosen backup, say what it holds, and on confirmation
        put it in the store's place (the current store is kept aside). True when done."""
        choose = choose or choose_backup_file
        confirm = confirm or confirm_restore
        try:
            safekeeping.may_restore(self.session.store)
        except InputError as exc:
            show_error(self, "Not restored", exc.message)
            return False
        path = self.session.store.path
        chosen = choose(self, str(safekeeping.backups_folder(path)))
        if not chosen:
            return False
        try:
            info = safekeeping.check_backup(chosen)
            if Path(chosen).resolve() == Path(path).resolve():
                raise InputError(f"{chosen}: is the store itself, not a backup of it")
        except InputError as exc:
            show_error(self, "This backup cannot be restored", exc.message)
            return False
        if not confirm(self, info):
            return False
        self.session.store.close()
        try:
            _info, aside = safekeeping.restore_store(path, chosen)
        finally:
            self.session.store.reconnect()  # every page keeps the same store object
        for index in range(self.tabs.count() - 1, FIXED_TABS - 1, -1):
            self._close_tab(index)  # contact pages may name people the backup lacks
        self.session.changed()
        kept = f"\n\nThe store it replaced is kept as {aside}." if aside else ""
        tell(self, "Backup restored", backup_text(info) + kept)
        return True

    def find_contact(self) -> None:
        self.tabs.setCurrentWidget(self.book)
        self.book.focus_search()

    def _title(self) -> str:
        name = setup.settings(self.session.store)["business_name"] or "Opt-in Ledger"
        return f"{name} — Opt-in Ledger"

    def _status(self) -> None:
        self.switch_staff.setVisible(staff_ui.accounts_on(self.session))
        serving = self.session.staff or "nobody (choose at the till)"
        self.statusBar().showMessage(f"Store: {self.session.store.path}   ·   Serving: {serving}")

    def open_contact(self, contact_id: int) -> None:
        """Show a contact's page in its own tab (or bring it forward)."""
        from .contacts import ContactPage

        for index in range(FIXED_TABS, self.tabs.count()):
            page = self.tabs.widget(index)
            if getattr(page, "contact_id", None) == contact_id:
                self.tabs.setCurrentIndex(index)
                return
        page = ContactPage(self.session, contact_id)
        page.back_requested.connect(lambda: self.tabs.setCurrentWidget(self.book))
        page.erased.connect(lambda _id, p=page: self._close_tab(self.tabs.indexOf(p)))
        name = records.contact_name(self.session.store, contact_id)
        self.tabs.addTab(page, (name or f"Contact {contact_id}")[:24])
        self.tabs.setCurrentWidget(page)

    def _close_tab(self, index: int) -> None:
        if index >= FIXED_TABS:
            widget = self.tabs.widget(index)
            self.tabs.removeTab(index)
            if widget is not None:
                widget.deleteLater()


# --- first run ---------------------------------------------------------------------


@dataclass
class Welcome:
    """What the new user chose: the sample shop, or their own business."""

    sample: bool
    settings: dict[str, str] = field(default_factory=dict)


class WelcomeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Opt-in Ledger")
        self.setMinimumWidth(760)
        self.choice: Welcome | None = None
        outer = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome</h2><p>Opt-in Ledger records how each customer came in and what "
            "they agreed to, and tells you who you may market to, and why.</p>"
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        row = QHBoxLayout()
        own = QGroupBox("Set up your business")
        form = QFormLayout(own)
        self.name = QLineEdit(placeholderText="Pedal & Chain Cycles")
        self.address = QLineEdit(placeholderText="1 High Street, Leeds LS1 9ZZ")
        self.kind = QComboBox()
        self.kind.addItem("Business", "business")
        self.kind.addItem("Charity", "charity")
        self.staff = QLineEdit(placeholderText="Sam; Priya")
        form.addRow("Business name", self.name)
        form.addRow("Contact address", self.address)
        form.addRow("Organisation", self.kind)
        form.addRow("Staff", self.staff)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.error)
        start = QPushButton("Start with my business")
        start.setDefault(True)
        start.clicked.connect(self._own)
        form.addRow(start)
        row.addWidget(own, 3)
        sample = QGroupBox("Or look around first")
        v = QVBoxLayout(sample)
        text = QLabel(
            "Open a sample bicycle shop: a few hundred customers with realistic "
            "histories, opt-outs and past campaigns. It is a store of its own "
            "(sample-shop.db): yours stays empty, and is offered again next time."
        )
        text.setWordWrap(True)
        v.addWidget(text)
        open_sample = QPushButton("Open the sample shop")
        open_sample.clicked.connect(self._sample)
        v.addWidget(open_sample)
        v.addStretch(1)
        row.addWidget(sample, 2)
        outer.addLayout(row)

    def _own(self) -> None:
        if not self.name.text().strip() or not self.address.text().strip():
            self.error.setText(
                "Give the business name and a contact address: every "
                "marketing message must say who sent it."
            )
            return
        self.choice = Welcome(
            False,
            {
                "business_name": self.name.text(),
                "business_address": self.address.text(),
                "organisation_type": self.kind.currentData(),
                "staff": self.staff.text(),
            },
        )
        self.accept()

    def _sample(self) -> None:
        self.choice = Welcome(True)
        self.accept()


def ask_welcome(parent: QWidget | None = None) -> Welcome | None:
    """The first-run choice (None when the window was closed)."""
    dialog = WelcomeDialog(parent)
    dialog.exec()
    return dialog.choice


def is_first_run(store: Store) -> bool:
    """An empty store that nobody has set up yet."""
    return setup.is_first_run(store)


def first_run(store: Store, ask: Callable[[], Welcome | None] = ask_welcome) -> Store | None:
    """Offer the sample shop or a quick set-up; returns the store to open (None when the
    user walked away).

    The sample shop is a store of its own (``sample-shop.db`` beside the real one), so
    the shop's own store stays empty for the day it starts for real.
    """
    choice = ask()
    if choice is None:
        return None
    if not choice.sample:
        setup.set_settings(store, choice.settings)
        return store
    sample = setup.open_sample_shop(Path(store.path).with_name(SAMPLE_STORE))
    store.close()
    return sample


#: the sample shop's own store file, beside the real one
SAMPLE_STORE = "sample-shop.db"


# --- crashes ---------------------------------------------------------------------------


class CrashDialog(QDialog):
    """A failure, with details the user can copy into an email to support."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        v = QVBoxLayout(self)
        where = (
            f" The details are also in the log file:<br><code>{html.escape(str(log_path))}</code>"
            if log_path
            else ""
        )
        label = QLabel(
            "<b>Opt-in Ledger hit an unexpected problem.</b> Your records are safe: "
            "every change is saved whole or not at all." + where
        )
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        v.addWidget(self.details)
        row = QHBoxLayout()
        copy = QPushButton("Copy details")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(copy)
        row.addWidget(close)
        v.addLayout(row)
        self.resize(640, 420)


def install_crash_handler(log_path: Path | None) -> None:
    """Log every uncaught exception and show it in a dialog instead of a silent exit."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception\n%s", details)
        if QApplication.instance() is not None:
            CrashDialog(details, log_path).exec()

    sys.excepthook = hook


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def tell(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def backup_text(info: BackupInfo) -> str:
    """What a backup holds, in words: where, when, its seal, its counts."""
    when = dt.datetime.fromisoformat(info.made)
    made = f"{when.day} {when:%B %Y at %H:%M}"
    return f"{info.path}\n\nMade {made}.\nHolds {info.held}.\nAudit seal: {info.seal}"


def choose_backup_file(parent: QWidget, folder: str) -> str | None:
    """The backup file the user picks (None when cancelled)."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(
        parent, "Restore from a backup", folder, "Opt-in Ledger backups (*.db);;All files (*)"
    )
    return path or None


def confirm_restore(parent: QWidget, info: BackupInfo) -> bool:
    """Ask before replacing the store with a backup."""
    answer = QMessageBox.question(
        parent,
        "Restore this backup?",
        backup_text(info) + "\n\nThe store open now is kept aside beside it, not deleted. "
        "Anything recorded after this backup was made will not be in the restored store.",
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_restore(message: str, backup: BackupInfo | None) -> bool:
    """The damaged-store dialog: True when the user chose to restore the offered backup."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The store is damaged")
    box.setText(message)
    restore = None
    if backup is not None:
        box.setInformativeText(
            "The latest good backup:\n\n" + backup_text(backup) + "\n\nRestore it? The "
            "damaged file is kept aside, not deleted."
        )
        restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    else:
        box.setInformativeText(
            "No good backup was found in the backups folder beside it. Keep the file: "
            "a copy restored from elsewhere can be put in its place with File → Restore."
        )
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return restore is not None and box.clickedButton() is restore


def open_for_window(
    store_path: str, ask: Callable[[str, BackupInfo | None], bool] = ask_restore
) -> Store | None:
    """Open the store for the window, checked whole (SQLite's quick check, once); a
    damaged one offers the latest good backup. None when the user walked away."""
    try:
        store = open_store(store_path)
        try:
            safekeeping.check_store(store)
        except StoreDamaged:
            store.close()
            raise
        return store
    except StoreDamaged as exc:
        log.error("damaged store: %s", exc.message)
        backup = safekeeping.latest_good_backup(store_path)
        what = exc.what if isinstance(exc, StoreDamaged) else exc.message
        if not ask(what, backup) or backup is None:
            return None
        safekeeping.restore_store(store_path, backup.path)
        return open_store(store_path)


def start(store_path: str, log_path: Path | None) -> int:
    """Open the store and the main window; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Opt-in Ledger")
    install_crash_handler(log_path)
    try:
        opened_store = open_for_window(store_path)
    except InputError as exc:
        show_error(None, "The store cannot be opened", exc.message)
        return 1
    if opened_store is None:
        return 1
    store = opened_store
    if is_first_run(store):
        opened = first_run(store)
        if opened is None:
            return 0
        store = opened
    session = Session(store)
    if not staff_ui.start_signed_in(session):
        return 0  # accounts on and nobody signed in: the window does not open
    window = MainWindow(session)
    window.show()
    window.daily_backup()
    log.info("opened %s", store_path)
    return int(app.exec())
