"""The contact book (every contact, searchable as you type) and a contact's page.

Thin: the table model pages through ``model.book`` in batches (canFetchMore /
fetchMore), the page shows ``book.contact_summary`` and writes through
``book.record_change`` / ``book.record_event``. Every dialog sits behind one
module-level ``ask_...`` function that returns plain data (or None when
cancelled), so tests replace the function instead of clicking through a modal.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from model import book
from model.categories import list_categories
from model.engine import Decision, EventRow, describe_event
from model.errors import InputError
from model.normalise import CHANNELS, channel_names
from model.normalise import today as today_date
from model.rules import COLLECTED_VIA, COLLECTION_EVENTS, EVENT_LABELS, VIA_LABELS
from model.store import Store

from .session import Session
from .table_models import ListTableModel

CHANNEL_TITLES = {"email": "Email", "sms": "SMS", "post": "Post", "phone": "Phone"}
ALLOWED_COLOUR = QColor("#1b5e20")
REFUSED_COLOUR = QColor("#b00020")  # the contact said no: opted out, objected, suppressed
OTHER_COLOUR = QColor("#5f5f5f")
_REFUSALS = {"opted_out", "objected", "suppressed"}
PERMISSION_TYPES = ("opt_out", "consent", "objection")
PERMISSION_BACKGROUND = QColor("#fff3d6")  # permission changes stand out in the timeline

Index = QModelIndex | QPersistentModelIndex


def status_colour(decision: Decision) -> QColor:
    if decision.eligible:
        return ALLOWED_COLOUR
    return REFUSED_COLOUR if _REFUSALS & set(decision.reasons) else OTHER_COLOUR


# --- the contact list -----------------------------------------------------------------


class ContactTableModel(QAbstractTableModel):
    """Contacts matching a search, in SQL order, fetched ``batch_size`` rows at a time.

    Each batch fetched also gets each channel's status today (one engine pass per
    category and channel over the batch), so statuses cost only what is shown.
    """

    #: (key, title): the book's sort column, or "status:<channel>" (not sortable)
    COLUMNS: tuple[tuple[str, str], ...] = (
        ("name", "Name"),
        ("email", "Email"),
        ("phone", "Phone"),
        ("postcode", "Postcode"),
        ("last_event", "Last event"),
        *((f"status:{ch}", f"{CHANNEL_TITLES[ch]} today") for ch in CHANNELS),
    )
    NAME, EMAIL, PHONE, POSTCODE, LAST_EVENT = range(5)
    FIRST_STATUS = 5

    def __init__(self, store: Store, parent: Any = None, *, batch_size: int = 200) -> None:
        super().__init__(parent)
        self.store = store
        self.batch_size = batch_size
        self.search = ""
        self.sort_column = "name"
        self.descending = False
        self.today = today_date()
        self._rows: list[book.BookRow] = []
        self._status: dict[int, dict[str, Decision]] = {}
        self._more = True
        self.reload()

    # --- what is shown --------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show the contacts matching ``text`` (first batch fetched at once)."""
        if text.strip() != self.search:
            self.search = text.strip()
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS) or not self.is_sortable(column):
            return
        self.sort_column = self.COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def is_sortable(self, column: int) -> bool:
        return self.COLUMNS[column][0] in book.SORT_COLUMNS

    def reload(self) -> None:
        """Start again from the first batch (after a search, a sort or a change)."""
        self.beginResetModel()
        self.today = today_date()
        self._rows, self._status, self._more = [], {}, True
        batch, status = self._next_batch()
        self._rows, self._status = batch, status
        self.endResetModel()

    def total(self) -> int:
        """How many contacts match the search (a count in SQL unless all are loaded)."""
        if not self._more:
            return len(self._rows)
        return book.count(self.store, self.search)

    def contact_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, contact_id: int) -> int | None:
        """The loaded row showing ``contact_id``, if any."""
        for row, r in enumerate(self._rows):
            if r.id == contact_id:
                return row
        return None

    # --- batches --------------------------------------------------------------------

    def _next_batch(self) -> tuple[list[book.BookRow], dict[int, dict[str, Decision]]]:
        """The rows after the last one loaded, and their statuses today."""
        after = self._rows[-1] if self._rows else None
        batch = book.page(
            self.store, self.search, self.sort_column, self.descending, after, self.batch_size
        )
        self._more = len(batch) == self.batch_size
        if not batch:
            return [], {}
        return batch, book.channel_status(self.store, [r.id for r in batch], self.today)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        batch, status = self._next_batch()
        if not batch:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self._status.update(status)
        self.endInsertRows()

    # --- the Qt model -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        key, title = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole and key.startswith("status:"):
            channel = CHANNEL_TITLES[key.split(":", 1)[1]]
            return (
                f"Could we send marketing by {channel.lower() if channel != 'SMS' else 'SMS'} "
                "today about what they last bought or asked about? Hover a cell for why."
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        key = self.COLUMNS[column][0]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if key.startswith("status:"):
            channel = key.split(":", 1)[1]
            decision = self._status.get(row.id, {}).get(channel)
            if decision is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return book.status_text(decision, channel)
            if role == Qt.ItemDataRole.ToolTipRole:
                return book.status_explanation(decision)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_colour(decision)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = {
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "postcode": row.postcode,
                "last_event": row.last_event,
            }[key]
            return value or ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _configure_table(view: QTableView) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # fixed row heights: the view never measures rows it does not show
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)


class ContactBook(QWidget):
    """Every contact: search as you type, sort by a column, open one.

    ``contact_chosen(contact_id)`` on double-click or Enter on a row.
    """

    contact_chosen = Signal(int)

    #: what each column must fit (the status columns fit their longest words)
    SAMPLES = (
        "Alexandra Fitzgerald",
        "alexandra.fitzgerald@example.uk",
        "+447700900123",
        "SW1A 1AA",
        "2026-11-29",
    )

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ContactTableModel(session.store, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, email, phone or postcode")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search contacts")
        top.addWidget(self.search, 1)
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.count_label)
        layout.addLayout(top)

        self.table = QTableView()
        self.table.setModel(self.model)
        _configure_table(self.table)
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        statuses = [book.status_text_longest(ch) for ch in CHANNELS]
        for column, sample in enumerate((*self.SAMPLES, *statuses)):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.setStretchLastSection(True)
        header.setSortIndicator(ContactTableModel.NAME, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "Each channel's status answers: could we market to them today about what they "
            "last bought or asked about? Hover a status for the reason; double-click or press "
            "Enter to open a contact."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)

        # keystrokes that arrive while a search runs are taken together; the count
        # (one more pass over the contacts) comes after the rows are painted
        self._search_timer = QTimer(self, singleShot=True, interval=0)
        self._search_timer.timeout.connect(self._apply_search)
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._show_count)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._open_only_match)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._to_table)
        self.table.activated.connect(self._activated)
        session.data_changed.connect(self.refresh)
        self._show_count()

    # --- actions ------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the store again (after a change), keeping the search and the sort."""
        self.model.reload()
        self._show_count()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _apply_search(self) -> None:
        self.model.set_search(self.search.text())
        self.table.scrollToTop()
        self._count_timer.start()

    def _header_clicked(self, column: int) -> None:
        """Sort by a column (a second click reverses); status columns do not sort."""
        header = self.table.horizontalHeader()
        model = self.model
        current = model.COLUMNS.index(next(c for c in model.COLUMNS if c[0] == model.sort_column))
        if not model.is_sortable(column):
            header.setSortIndicator(
                current,
                Qt.SortOrder.DescendingOrder if model.descending else Qt.SortOrder.AscendingOrder,
            )
            return
        order = header.sortIndicatorOrder()
        model.sort(column, order)
        self.table.scrollToTop()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.contact_chosen.emit(self.model.contact_id(index.row()))

    def _open_only_match(self) -> None:
        self._search_timer.stop()
        self._apply_search()
        if self.model.rowCount() == 1:
            self.contact_chosen.emit(self.model.contact_id(0))
        else:
            self._to_table()

    def _to_table(self) -> None:
        """Down from the search box moves into the list."""
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _show_count(self) -> None:
        total = self.model.total()
        noun = "contact" if total == 1 else "contacts"
        if self.model.search:
            self.count_label.setText(f"{total:,} {noun} match")
        else:
            self.count_label.setText(f"{total:,} {noun}")


# --- what the dialogs return ---------------------------------------------------------


@dataclass(frozen=True)
class PermissionAnswer:
    """An opt-out, consent or objection as entered: channels, date, how it came in."""

    channels: tuple[str, ...]
    date: str  # YYYY-MM-DD
    via: str  # one of book.PERMISSION_ROUTES
    wording: str = ""  # a consent's wording


@dataclass(frozen=True)
class EventAnswer:
    """A collection event as entered, in the ledger's column names."""

    event: str
    date: str
    category: str = ""
    collected_via: str = ""
    optout_offered: str = ""  # yes, no, or "" for not recorded
    optout_how: str = ""
    refused: tuple[str, ...] = ()
    consented: tuple[str, ...] = ()
    wording: str = ""
    notes: str = ""

    def values(self) -> dict[str, str | None]:
        return {
            "event": self.event,
            "date": self.date,
            "category": self.category,
            "collected_via": self.collected_via,
            "optout_offered": self.optout_offered,
            "optout_how": self.optout_how,
            "opted_out": ";".join(self.refused),
            "consented": ";".join(self.consented),
            "wording": self.wording,
            "notes": self.notes,
        }


# --- the dialogs: one small function each, replaced in tests ------------------------------


def _channel_boxes(layout: QHBoxLayout) -> dict[str, QCheckBox]:
    boxes = {}
    for channel in CHANNELS:
        box = QCheckBox(CHANNEL_TITLES[channel])
        layout.addWidget(box)
        boxes[channel] = box
    layout.addStretch(1)
    return boxes


def _date_edit(today: str) -> QDateEdit:
    edit = QDateEdit(QDate.fromString(today, "yyyy-MM-dd"))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.fromString(today, "yyyy-MM-dd"))
    return edit


class PermissionDialog(QDialog):
    """Record an opt-out, a consent or an objection."""

    TITLES = {
        "opt_out": "Record an opt-out",
        "consent": "Record a consent",
        "objection": "Record an objection",
    }

    def __init__(self, kind: str, today: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(self.TITLES[kind])
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        intro = {
            "opt_out": "The contact asked us to stop marketing on these channels.",
            "consent": "The contact actively agreed to marketing on these channels. Record "
            "the wording they saw or heard.",
            "objection": "The contact objected to direct marketing: it stops marketing on every "
            "channel (UK GDPR Art 21), until they consent again.",
        }[kind]
        label = QLabel(intro)
        label.setWordWrap(True)
        form.addRow(label)
        self.channels: dict[str, QCheckBox] = {}
        if kind != "objection":
            row = QHBoxLayout()
            self.channels = _channel_boxes(row)
            form.addRow("Channels:", row)
        self.date = _date_edit(today)
        form.addRow("&Date:", self.date)
        self.via = QComboBox()
        self.via.addItems(list(book.PERMISSION_ROUTES))
        form.addRow("&How it came in:", self.via)
        self.wording = QPlainTextEdit()
        if kind == "consent":
            self.wording.setPlaceholderText("e.g. Yes, email me offers on bikes and kit")
            self.wording.setFixedHeight(70)
            self.wording.setTabChangesFocus(True)
            form.addRow("&Wording:", self.wording)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for box in self.channels.values():
            box.toggled.connect(self._check)
        self.wording.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        problem = ""
        if self.channels and not any(b.isChecked() for b in self.channels.values()):
            problem = "Tick at least one channel."
        elif self.kind == "consent" and not self.wording.toPlainText().strip():
            problem = "Enter the wording the contact agreed to."
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def answer(self) -> PermissionAnswer:
        return PermissionAnswer(
            channels=tuple(ch for ch, b in self.channels.items() if b.isChecked()),
            date=self.date.date().toString("yyyy-MM-dd"),
            via=self.via.currentText(),
            wording=self.wording.toPlainText().strip(),
        )


def _ask_permission(kind: str, parent: QWidget | None, today: str) -> PermissionAnswer | None:
    dialog = PermissionDialog(kind, today, parent)
    try:
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_opt_out(parent: QWidget | None, today: str) -> PermissionAnswer | None:
    """Ask which channels the contact opted out of, when and how; None if cancelled."""
    return _ask_permission("opt_out", parent, today)


def ask_consent(parent: QWidget | None, today: str) -> PermissionAnswer | None:
    """Ask which channels the contact consented to, the wording, when and how."""
    return _ask_permission("consent", parent, today)


def ask_objection(parent: QWidget | None, today: str) -> PermissionAnswer | None:
    """Ask when and how the contact objected to direct marketing."""
    return _ask_permission("objection", parent, today)


class EventDialog(QDialog):
    """Record a collection event (a purchase, an enquiry, ...) for one contact."""

    def __init__(
        self, today: str, categories: list[str], optout_script: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an event")
        self.setMinimumWidth(640)
        form = QFormLayout(self)
        self.event_type = QComboBox()
        for event in COLLECTION_EVENTS:
            self.event_type.addItem(EVENT_LABELS[event], event)
        form.addRow("&Event:", self.event_type)
        self.date = _date_edit(today)
        form.addRow("&Date:", self.date)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(categories)
        self.category.setCurrentIndex(-1)
        line = self.category.lineEdit()
        if line is not None:
            line.setPlaceholderText("Bikes/Road (a new one is added)")
        form.addRow("&Category:", self.category)
        self.via = QComboBox()
        for via in COLLECTED_VIA:
            self.via.addItem(VIA_LABELS[via], via)
        form.addRow("Collected:", self.via)
        self.offered = QComboBox()
        for text, value in (("Yes", "yes"), ("No", "no"), ("Not recorded", "")):
            self.offered.addItem(text, value)
        self.offered.setCurrentIndex(2)  # the cautious default: say so only if it was
        form.addRow("Opt-out offered:", self.offered)
        self.optout_how = QLineEdit(optout_script)
        self.optout_how.setCursorPosition(0)
        form.addRow("How it was offered:", self.optout_how)
        refused = QHBoxLayout()
        self.refused = _channel_boxes(refused)
        form.addRow("Refused then:", refused)
        consented = QHBoxLayout()
        self.consented = _channel_boxes(consented)
        form.addRow("Consented then:", consented)
        self.wording = QLineEdit()
        self.wording.setPlaceholderText("the consent wording, if they consented")
        form.addRow("Wording:", self.wording)
        self.notes = QLineEdit()
        form.addRow("Notes:", self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def answer(self) -> EventAnswer:
        return EventAnswer(
            event=str(self.event_type.currentData()),
            date=self.date.date().toString("yyyy-MM-dd"),
            category=self.category.currentText().strip(),
            collected_via=str(self.via.currentData()),
            optout_offered=str(self.offered.currentData()),
            optout_how=self.optout_how.text().strip()
            if self.offered.currentData() == "yes"
            else "",
            refused=tuple(ch for ch, b in self.refused.items() if b.isChecked()),
            consented=tuple(ch for ch, b in self.consented.items() if b.isChecked()),
            wording=self.wording.text().strip(),
            notes=self.notes.text().strip(),
        )


def ask_event(
    parent: QWidget | None, today: str, categories: list[str], optout_script: str
) -> EventAnswer | None:
    """Ask for a new collection event; None if cancelled."""
    dialog = EventDialog(today, categories, optout_script, parent)
    try:
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_confirm_erase(parent: QWidget | None, name: str) -> bool:
    """Whether to erase the person for good (UK GDPR Art 17)."""
    answer = QMessageBox.question(
        parent,
        "Erase this person?",
        f"Erase {name}: their details and every event are deleted for good. A one-way "
        "suppression entry is kept so they are never marketed to again if they come back, "
        "and past campaign records keep their decision without their details.\n\n"
        "This cannot be undone. Erase?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, text: str) -> None:
    """Tell the user, in words, why nothing was recorded."""
    QMessageBox.warning(parent, "Nothing recorded", text)


# --- a contact's page ------------------------------------------------------------------


class TimelineTableModel(ListTableModel[EventRow]):
    """A contact's events, newest first: what happened, how, and who recorded it."""

    COLUMNS = (
        "Date", "Event", "Category", "Collected", "Opt-out offered", "How offered",
        "Refused", "Consented", "Wording", "Staff", "Notes",
    )  # fmt: skip
    #: what each column must fit, beside its title
    SAMPLES = (
        "2026-11-29", "Warranty registration", "Bikes/Mountain", "by other means", "yes",
        "Till script: 'We may send'", "Email, SMS, Post", "Email, SMS, Post",
        "Yes please, keep me posted", "Alexandra", "",
    )  # fmt: skip

    def set_rows(self, rows: list[EventRow]) -> None:
        super().set_rows(sorted(rows, key=lambda e: (e.date, e.id), reverse=True))

    def event_at(self, row: int) -> EventRow:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ev = self.row_at(index)
        if ev is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{describe_event(ev)}.\nRecorded {ev.recorded_at}"
                + (f" ({ev.source})" if ev.source else "")
                + (f"\nWording: {ev.wording}" if ev.wording else "")
            )
        if role == Qt.ItemDataRole.BackgroundRole and ev.type in PERMISSION_TYPES:
            return PERMISSION_BACKGROUND
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        offered = {"yes": "yes", "no": "no"}.get(ev.optout_offered or "", "")
        if ev.type in PERMISSION_TYPES:
            offered = ""
        values = (
            ev.date,
            EVENT_LABELS.get(ev.type, ev.type),
            ev.category or "",
            VIA_LABELS.get(ev.collected_via or "", ev.collected_via or ""),
            offered,
            ev.optout_how or "",
            _channels_text(ev.refused) if ev.type != "objection" else "all (objection)",
            _channels_text(ev.consented),
            ev.wording or "",
            ev.staff or "",
            ev.notes or "",
        )
        return values[index.column()]


def _channels_text(mask: int) -> str:
    names = channel_names(mask)
    if len(names) == len(CHANNELS):
        return "all"
    return ", ".join(CHANNEL_TITLES[n] for n in names)


class ContactPage(QWidget):
    """One contact: details, each channel's decision today with why, the timeline,
    and buttons to record an opt-out, a consent, an objection or a new event.

    ``back_requested`` when the user asks to go back to the contact book.
    """

    back_requested = Signal()
    erased = Signal(int)

    def __init__(self, session: Session, contact_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact_id = contact_id
        self.summary: book.ContactSummary | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Contacts")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.title, 1)
        layout.addLayout(top)

        middle = QHBoxLayout()
        middle.addWidget(self._details_box(), 2)
        middle.addWidget(self._today_box(), 5)
        layout.addLayout(middle)

        actions = QHBoxLayout()
        self.opt_out_button = QPushButton("Record &opt-out…")
        self.consent_button = QPushButton("Record &consent…")
        self.objection_button = QPushButton("Record ob&jection…")
        self.event_button = QPushButton("Add &event…")
        self.history_button = QPushButton("&History (PDF)…")
        self.erase_button = QPushButton("Erase…")
        self.history_button.clicked.connect(self.history)
        self.erase_button.clicked.connect(self.erase)
        self.opt_out_button.clicked.connect(self.record_opt_out)
        self.consent_button.clicked.connect(self.record_consent)
        self.objection_button.clicked.connect(self.record_objection)
        self.event_button.clicked.connect(self.record_event)
        for button in (self.opt_out_button, self.consent_button, self.objection_button,
                       self.event_button, self.history_button, self.erase_button):  # fmt: skip
            button.setAutoDefault(False)
            actions.addWidget(button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        actions.addWidget(self.result, 1)
        layout.addLayout(actions)

        layout.addWidget(
            QLabel("<b>Timeline</b> (newest first; hover an event for the whole record)")
        )
        self.timeline_model = TimelineTableModel(self)
        self.timeline = QTableView()
        self.timeline.setModel(self.timeline_model)
        _configure_table(self.timeline)
        header = self.timeline.horizontalHeader()
        metrics = self.timeline.fontMetrics()
        for column, (title, sample) in enumerate(
            zip(TimelineTableModel.COLUMNS, TimelineTableModel.SAMPLES, strict=True)
        ):
            width = max(metrics.horizontalAdvance(title), metrics.horizontalAdvance(sample))
            header.resizeSection(column, width + 12)
        header.setStretchLastSection(True)
        layout.addWidget(self.timeline, 1)

        session.data_changed.connect(self.refresh)
        self.refresh()

    # --- building -------------------------------------------------------------------

    def _details_box(self) -> QGroupBox:
        box = QGroupBox("Details")
        form = QFormLayout(box)
        self.details: dict[str, QLabel] = {}
        for key, label in (
            ("email", "Email"), ("phone", "Phone"), ("address", "Address"),
            ("postcode", "Postcode"), ("contact_type", "Type"),
            ("company_number", "Company no."), ("created_at", "In the ledger since"),
        ):  # fmt: skip
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + ":", value)
            self.details[key] = value
        return box

    def _today_box(self) -> QGroupBox:
        self.today_box = QGroupBox("Today")
        grid = QGridLayout(self.today_box)
        self.question = QLabel()
        self.question.setWordWrap(True)
        grid.addWidget(self.question, 0, 0, 1, 3)
        self.status: dict[str, QLabel] = {}
        self.explanation: dict[str, QLabel] = {}
        char = self.fontMetrics().averageCharWidth()
        for row, channel in enumerate(CHANNELS, start=1):
            title = QLabel(f"<b>{CHANNEL_TITLES[channel]}</b>")
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            status = QLabel()
            status.setMinimumWidth(char * 22)
            grid.addWidget(status, row, 1, Qt.AlignmentFlag.AlignTop)
            why = QLabel()
            why.setWordWrap(True)
            why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            why.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(why, row, 2)
            self.status[channel] = status
            self.explanation[channel] = why
        grid.setColumnStretch(2, 1)
        return self.today_box

    # --- showing ------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the contact again from the store."""
        try:
            summary = book.contact_summary(self.session.store, self.contact_id)
        except InputError as exc:
            self.summary = None
            self.title.setText("Contact not found")
            self.result.setText(str(exc))
            for button in self._buttons():
                button.setEnabled(False)
            self.timeline_model.set_rows([])
            return
        self.summary = summary
        c = summary.contact
        self.title.setText(summary.name)
        phone = c.get("phone")
        if phone:
            phone += " (mobile)" if c.get("phone_mobile") else " (landline)"
        values = {
            "email": c.get("email"),
            "phone": phone,
            "address": c.get("address"),
            "postcode": c.get("postcode"),
            "contact_type": c.get("contact_type") or "individual",
            "company_number": c.get("company_number"),
            "created_at": (c.get("created_at") or "")[:10],
        }
        for key, label in self.details.items():
            label.setText(values.get(key) or "—")
        what = (
            f"about <b>{html.escape(summary.category)}</b>, what they last bought or asked about"
            if summary.category
            else "about anything: they have not bought or asked about anything yet"
        )
        self.today_box.setTitle(f"Today, {summary.today}")
        self.question.setText(f"Could we send them marketing today {what}?")
        for channel in CHANNELS:
            decision = summary.decisions[channel]
            status = self.status[channel]
            status.setText(f"<b>{html.escape(book.status_text(decision, channel))}</b>")
            status.setStyleSheet(f"color: {status_colour(decision).name()};")
            self.explanation[channel].setText(book.status_explanation(decision))
        self.timeline_model.set_rows(summary.events)
        for button in self._buttons():
            button.setEnabled(True)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.opt_out_button, self.consent_button, self.objection_button,
                self.event_button)  # fmt: skip

    # --- recording ------------------------------------------------------------------

    def record_opt_out(self) -> None:
        answer = ask_opt_out(self, today_date())
        if answer is not None:
            self._record("opt_out", answer)

    def record_consent(self) -> None:
        answer = ask_consent(self, today_date())
        if answer is not None:
            self._record("consent", answer)

    def record_objection(self) -> None:
        answer = ask_objection(self, today_date())
        if answer is not None:
            self._record("objection", answer)

    def record_event(self) -> None:
        store = self.session.store
        categories = [c.path for c in list_categories(store)]
        answer = ask_event(self, today_date(), categories, store.setting("optout_script"))
        if answer is None:
            return
        try:
            book.record_event(store, self.contact_id, answer.values(), staff=self.session.staff)
        except InputError as exc:
            show_error(self, str(exc))
            return
        label = EVENT_LABELS.get(answer.event, answer.event)
        self._done(f"{label} on {answer.date} recorded by {self.session.staff}.")

    def history(self) -> bool:
        """Everything held on this person, as a PDF: for a subject access request or the ICO."""
        import getpass
        import shutil
        import tempfile

        from reports.history import write_contact_history

        from . import pdf_preview

        folder = tempfile.mkdtemp(prefix="optin-ledger-")
        path = os.path.join(folder, f"contact-{self.contact_id}-history.pdf")
        try:
            write_contact_history(self.session.store, self.contact_id, path,
                                  produced_by=self.session.staff or getpass.getuser())  # fmt: skip
            pdf_preview.show_pdf(self, path, f"History: {self.title.text()}")
        finally:  # the preview holds personal data: not left behind in /tmp
            shutil.rmtree(folder, ignore_errors=True)
        return True

    def erase(self) -> bool:
        """Erase the person (UK GDPR Art 17), keeping a suppression entry."""
        from model.contacts import find_contact
        from model.erasure import erase_contact

        if not ask_confirm_erase(self, self.title.text()):
            return False
        store = self.session.store
        erase_contact(store, find_contact(store, contact_id=self.contact_id))
        self.session.data_changed.disconnect(self.refresh)  # nothing left to show
        for button in (self.opt_out_button, self.consent_button, self.objection_button,
                       self.event_button, self.history_button, self.erase_button):  # fmt: skip
            button.setEnabled(False)
        self.result.setText("Erased. A suppression entry keeps them from being marketed again.")
        self.erased.emit(self.contact_id)
        self.session.changed()
        return True

    def _record(self, kind: str, answer: PermissionAnswer) -> None:
        try:
            book.record_change(
                self.session.store, self.contact_id, kind,
                channels=answer.channels, date=answer.date, via=answer.via,
                wording=answer.wording, staff=self.session.staff,
            )  # fmt: skip
        except InputError as exc:
            show_error(self, str(exc))
            return
        what = {"opt_out": "Opt-out", "consent": "Consent", "objection": "Objection"}[kind]
        channels = ", ".join(CHANNEL_TITLES[c] for c in answer.channels)
        on = f" ({channels})" if channels and kind != "objection" else ""
        self._done(f"{what}{on} on {answer.date} recorded by {self.session.staff}.")

    def _done(self, text: str) -> None:
        self.session.changed()  # every view refreshes, this page too
        self.result.setText(text)
