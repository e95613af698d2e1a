"""The contact book (every contact, searchable as you type) and a contact's page.

Thin: the table model pages through ``records.page`` in batches (canFetchMore /
fetchMore), the page shows ``records.contact_page`` and writes through
``permissions.record_permission`` / ``records.record_event``; the history PDF and
erasure run off the UI thread (``ui.tasks``). Every dialog sits behind one
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

from model.actions import Store, permissions, records, setup
from model.actions.records import Decision, EventRow, describe_event
from model.errors import InputError
from model.normalise import CHANNELS, channel_names
from model.normalise import today as today_date
from model.rules import COLLECTED_VIA, COLLECTION_EVENTS, EVENT_LABELS, VIA_LABELS
from model.vocab import Permission

from .session import Session
from .table_models import ListTableModel
from .tasks import TaskRunner

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
        self._rows: list[records.BookRow] = []
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
        return self.COLUMNS[column][0] in records.SORT_COLUMNS

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
        return records.count(self.store, self.search)

    def contact_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, contact_id: int) -> int | None:
        """The loaded row showing ``contact_id``, if any."""
        for row, r in enumerate(self._rows):
            if r.id == contact_id:
                return row
        return None

    # --- batches --------------------------------------------------------------------

    def _next_batch(self) -> tuple[list[records.BookRow], dict[int, dict[str, Decision]]]:
        """The rows after the last one loaded, and their statuses today."""
        after = self._rows[-1] if self._rows else None
        batch = records.page(
            self.store, self.search, self.sort_column, self.descending, after, self.batch_size
        )
        self._more = len(batch) == self.batch_size
        if not batch:
            return [], {}
        return batch, records.channel_status(self.store, [r.id for r in batch], self.today)

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
                return records.status_text(decision, channel)
            if role == Qt.ItemDataRole.ToolTipRole:
                return records.status_explanation(decision)
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
        statuses = [records.status_text_longest(ch) for ch in CHANNELS]
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

    #: the channels ticked; None when "Every channel" is ticked (and for an objection)
    channels: tuple[str, ...] | None
    date: str  # YYYY-MM-DD
    via: str  # one of permissions.PERMISSION_ROUTES
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
    """Record an opt-out, a consent or an objection.

    OK waits until ``permissions.permission_problem`` has nothing to say, and the
    problem is shown in its words: the same the command line refuses with.
    """

    TITLES = {
        "opt_out": "Record an opt-out",
        "consent": "Record a consent",
        "objection": "Record an objection",
    }
    INTROS = {
        "opt_out": "The contact asked us to stop marketing. Every channel stops unless you "
        "untick it and choose the channels they named.",
        "consent": "The contact actively agreed to marketing on these channels. Record "
        "the wording they saw or heard.",
        "objection": "The contact objected to direct marketing: it stops marketing on every "
        "channel (UK GDPR Art 21), until they consent again.",
    }

    def __init__(
        self, kind: str, today: str, parent: QWidget | None = None, *, staff: str = ""
    ) -> None:
        super().__init__(parent)
        self.kind = Permission(kind)
        self.staff = staff
        self.setWindowTitle(self.TITLES[kind])
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        label = QLabel(self.INTROS[kind])
        label.setWordWrap(True)
        form.addRow(label)
        self.every_channel: QCheckBox | None = None
        self.channels: dict[str, QCheckBox] = {}
        if kind != "objection":
            self._channel_rows(form)
        self.date = _date_edit(today)
        form.addRow("&Date:", self.date)
        self.via = QComboBox()
        self.via.addItems(list(permissions.PERMISSION_ROUTES))
        form.addRow("&How it came in:", self.via)
        self.wording = QPlainTextEdit()
        if kind == "consent":
            self.wording.setPlaceholderText("e.g. Yes, email me offers on bikes and kit")
            self.wording.setFixedHeight(70)
            self.wording.setTabChangesFocus(True)
            form.addRow("&Wording:", self.wording)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.wording.textChanged.connect(self._check)
        self._check()

    def _channel_rows(self, form: QFormLayout) -> None:
        """The channel boxes; an opt-out's "Every channel" box above them, ticked."""
        if self.kind == Permission.OPT_OUT:
            self.every_channel = QCheckBox("&Every channel")
            self.every_channel.setChecked(True)
            self.every_channel.toggled.connect(self._every_channel_toggled)
            form.addRow("Channels:", self.every_channel)
        row = QHBoxLayout()
        self.channels = _channel_boxes(row)
        form.addRow("" if self.every_channel else "Channels:", row)
        for box in self.channels.values():
            box.toggled.connect(self._check)
        if self.every_channel is not None:
            self._every_channel_toggled(True)

    def _every_channel_toggled(self, on: bool) -> None:
        for box in self.channels.values():
            box.setEnabled(not on)
        self._check()

    def chosen_channels(self) -> tuple[str, ...] | None:
        """The channels ticked, or None for every channel (and for an objection)."""
        if not self.channels or (self.every_channel and self.every_channel.isChecked()):
            return None
        return tuple(ch for ch, b in self.channels.items() if b.isChecked())

    def _check(self) -> None:
        if not hasattr(self, "buttons"):
            return  # still being built
        problem = permissions.permission_problem(
            self.kind,
            channels=self.chosen_channels(),
            wording=self.wording.toPlainText(),
            staff=self.staff,
        )
        self.problem.setText(problem or "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def answer(self) -> PermissionAnswer:
        return PermissionAnswer(
            channels=self.chosen_channels(),
            date=self.date.date().toString("yyyy-MM-dd"),
            via=self.via.currentText(),
            wording=self.wording.toPlainText().strip(),
        )


def _ask_permission(
    kind: str, parent: QWidget | None, today: str, staff: str
) -> PermissionAnswer | None:
    dialog = PermissionDialog(kind, today, parent, staff=staff)
    try:
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_opt_out(parent: QWidget | None, today: str, staff: str) -> PermissionAnswer | None:
    """Ask which channels the contact opted out of (every one unless unticked), when
    and how; None if cancelled."""
    return _ask_permission("opt_out", parent, today, staff)


def ask_consent(parent: QWidget | None, today: str, staff: str) -> PermissionAnswer | None:
    """Ask which channels the contact consented to, the wording, when and how."""
    return _ask_permission("consent", parent, today, staff)


def ask_objection(parent: QWidget | None, today: str, staff: str) -> PermissionAnswer | None:
    """Ask when and how the contact objected to direct marketing."""
    return _ask_permission("objection", parent, today, staff)


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
        "Date",
        "Event",
        "Category",
        "Collected",
        "Opt-out offered",
        "How offered",
        "Refused",
        "Consented",
        "Wording",
        "Staff",
        "Notes",
    )
    #: what each column must fit, beside its title
    SAMPLES = (
        "2026-11-29",
        "Warranty registration",
        "Bikes/Mountain",
        "by other means",
        "yes",
        "Till script: 'We may send'",
        "Email, SMS, Post",
        "Email, SMS, Post",
        "Yes please, keep me posted",
        "Alexandra",
        "",
    )

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
                + (f"\nWording: {records.wording_shown(ev)}" if records.wording_shown(ev) else "")
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
            records.wording_shown(ev),
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
        self.summary: records.ContactSummary | None = None
        self.tasks = TaskRunner(session.store, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(self._title_row())
        middle = QHBoxLayout()
        middle.addWidget(self._details_box(), 2)
        middle.addWidget(self._today_box(), 5)
        layout.addLayout(middle)
        layout.addLayout(self._action_row())
        layout.addWidget(
            QLabel("<b>Timeline</b> (newest first; hover an event for the whole record)")
        )
        layout.addWidget(self._timeline(), 1)

        session.data_changed.connect(self.refresh)
        self.refresh()

    # --- building -------------------------------------------------------------------

    def _title_row(self) -> QHBoxLayout:
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
        return top

    def _action_row(self) -> QHBoxLayout:
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
        for button in (*self._buttons(), self.history_button, self.erase_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        actions.addWidget(self.result, 1)
        return actions

    def _timeline(self) -> QTableView:
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
        return self.timeline

    def _details_box(self) -> QGroupBox:
        box = QGroupBox("Details")
        form = QFormLayout(box)
        self.details: dict[str, QLabel] = {}
        for key, label in (
            ("email", "Email"),
            ("phone", "Phone"),
            ("address", "Address"),
            ("postcode", "Postcode"),
            ("contact_type", "Type"),
            ("company_number", "Company no."),
            ("created_at", "In the ledger since"),
        ):
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
            summary = records.contact_page(self.session.store, self.contact_id)
        except InputError as exc:
            self.summary = None
            self.title.setText("Contact not found")
            self.result.setText(str(exc))
            for button in self._buttons():
                button.setEnabled(False)
            self.timeline_model.set_rows([])
            return
        self.summary = summary
        self.title.setText(summary.name)
        self._show_details(summary.details)
        self._show_today(summary)
        self.timeline_model.set_rows(summary.events)
        for button in self._buttons():
            button.setEnabled(True)

    def _show_details(self, c: records.PersonDetails) -> None:
        phone = c.phone
        if phone:
            phone += " (mobile)" if c.phone_mobile else " (landline)"
        values = {
            "email": c.email,
            "phone": phone,
            "address": c.address,
            "postcode": c.postcode,
            "contact_type": c.contact_type or "individual",
            "company_number": c.company_number,
            "created_at": (c.created_at or "")[:10],
        }
        for key, label in self.details.items():
            label.setText(values.get(key) or "—")

    def _show_today(self, summary: records.ContactSummary) -> None:
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
            status.setText(f"<b>{html.escape(records.status_text(decision, channel))}</b>")
            status.setStyleSheet(f"color: {status_colour(decision).name()};")
            self.explanation[channel].setText(records.status_explanation(decision))

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.opt_out_button, self.consent_button, self.objection_button, self.event_button)

    # --- recording ------------------------------------------------------------------

    def _staff(self) -> str:
        """Who is recording: the staff member serving, else the default staff member."""
        return permissions.staff_or_default(self.session.store, self.session.staff) or ""

    def record_opt_out(self) -> None:
        answer = ask_opt_out(self, today_date(), self._staff())
        if answer is not None:
            self._record(Permission.OPT_OUT, answer)

    def record_consent(self) -> None:
        answer = ask_consent(self, today_date(), self._staff())
        if answer is not None:
            self._record(Permission.CONSENT, answer)

    def record_objection(self) -> None:
        answer = ask_objection(self, today_date(), self._staff())
        if answer is not None:
            self._record(Permission.OBJECTION, answer)

    def record_event(self) -> None:
        store = self.session.store
        categories = [c.path for c in setup.categories(store)]
        script = setup.settings(store)["optout_script"]
        answer = ask_event(self, today_date(), categories, script)
        if answer is None:
            return
        try:
            records.record_event(store, self.contact_id, answer.values(), staff=self._staff())
        except InputError as exc:
            show_error(self, str(exc))
            return
        label = EVENT_LABELS.get(answer.event, answer.event)
        self._done(f"{label} on {answer.date} recorded by {self._staff()}.")

    def _record(self, kind: Permission, answer: PermissionAnswer) -> None:
        try:
            recorded = permissions.record_permission(
                self.session.store,
                self.contact_id,
                kind,
                channels=answer.channels,
                date=answer.date,
                via=answer.via,
                wording=answer.wording,
                staff=self.session.staff,
            )
        except InputError as exc:
            show_error(self, str(exc))
            return
        what = {"opt_out": "Opt-out", "consent": "Consent", "objection": "Objection"}[kind]
        on = f" ({_channels_text(recorded.channels)})" if kind != Permission.OBJECTION else ""
        by = f" recorded by {recorded.staff}" if recorded.staff else " recorded"
        self._done(f"{what}{on} on {recorded.date}{by}.")

    def _done(self, text: str) -> None:
        self.session.changed()  # every view refreshes, this page too
        self.result.setText(text)

    # --- the history and erasure (off the UI thread) ----------------------------------

    def history(self) -> bool:
        """Everything held on this person, as a PDF: for a subject access request or the
        ICO. Drawn on a worker thread; the preview opens when it is ready."""
        import getpass
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="optin-ledger-")
        path = os.path.join(folder, f"contact-{self.contact_id}-history.pdf")
        contact_id, by = self.contact_id, self.session.staff or getpass.getuser()
        title = f"History: {self.title.text()}"

        def done(_info: object) -> None:
            from . import pdf_preview

            self.result.setText("")
            try:
                pdf_preview.show_pdf(self, path, title)
            finally:  # the preview holds personal data: not left behind in /tmp
                shutil.rmtree(folder, ignore_errors=True)
                self.history_button.setEnabled(True)

        def refused(message: str) -> None:
            self.result.setText("")
            shutil.rmtree(folder, ignore_errors=True)
            self.history_button.setEnabled(True)
            show_error(self, message)

        self.history_button.setEnabled(False)
        self.result.setText("Preparing the history…")
        self.tasks.run(
            lambda store: records.write_contact_history(store, contact_id, path, produced_by=by),
            done,
            refused,
        )
        return True

    def erase(self) -> bool:
        """Erase the person (UK GDPR Art 17), keeping a suppression entry."""
        if not ask_confirm_erase(self, self.title.text()):
            return False
        contact_id = self.contact_id
        for button in (*self._buttons(), self.history_button, self.erase_button):
            button.setEnabled(False)
        self.result.setText("Erasing…")
        self.tasks.run(
            lambda store: records.erase_contact(store, contact_id), self._erased, self._not_erased
        )
        return True

    def _erased(self, _report: object) -> None:
        self.session.data_changed.disconnect(self.refresh)  # nothing left to show
        self.result.setText("Erased. A suppression entry keeps them from being marketed again.")
        self.erased.emit(self.contact_id)
        self.session.changed()

    def _not_erased(self, message: str) -> None:
        show_error(self, message)
        self.refresh()
        self.history_button.setEnabled(True)
        self.erase_button.setEnabled(True)
