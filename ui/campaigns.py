"""Campaigns in the app: see the numbers, finalise, mark sent, export, print.

Thin: every step is an action of model.actions.campaigns (the same ones the command
line calls), and the slow ones (deciding 100,000 contacts, writing a CSV or a PDF)
run off the UI thread through ui.tasks.
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.actions import campaigns
from model.actions.campaigns import Campaign, CampaignSpec, Decision, DecisionRun
from model.errors import InputError
from model.normalise import parse_date, today
from model.rules import BASES, BASIS_TEXT, REASON_TEXT
from model.vocab import Channel

from .pdf_preview import PdfPreview, ask_print, ask_save_path, show_pdf
from .session import Session
from .table_models import ListTableModel
from .tasks import TaskRunner

__all__ = ["CampaignsPage", "PdfPreview", "ask_date", "ask_print", "ask_save_path", "show_pdf"]

ModelIndex = QModelIndex | QPersistentModelIndex
CHANNEL_TITLES = {"email": "Email", "sms": "SMS", "post": "Post", "phone": "Phone (live calls)"}

# --- dialogs, each behind one small function that returns data (replaced in tests) ----


def ask_confirm_finalise(
    parent: QWidget, name: str, spec: CampaignSpec, known_category: bool
) -> bool:
    """Whether to freeze the campaign for good (and, for a category not in the tree,
    whether it is really meant)."""
    unknown = (
        f"\n\n{spec.category!r} is not one of the shop's categories: only purchases "
        "in categories with the same path count as similar. Is the name right?"
        if not known_category
        else ""
    )
    answer = QMessageBox.question(
        parent,
        "Finalise the campaign?",
        f"Finalise {name!r}: a {spec.channel} campaign about {spec.category}, sent on "
        f"{spec.send_date}. Everyone's decision is frozen as of that date and kept as "
        f"the record; it cannot be changed or deleted afterwards.{unknown}",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_date(parent: QWidget, title: str, label: str, default: str) -> str | None:
    """A date as YYYY-MM-DD, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
    return text.strip() if ok else None


# --- table models ------------------------------------------------------------------


class DecisionTableModel(ListTableModel[Decision]):
    """The people behind a number: one decision a row (name, basis or reasons, why)."""

    COLUMNS = ("Contact", "Name", "Basis / reasons", "Evidence / explanation")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.row_at(index)
        if d is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return (
            str(d.contact_id),
            d.name or "",
            d.basis if d.eligible else d.reasons_text,
            d.evidence,
        )[index.column()]


class CampaignListModel(ListTableModel[Campaign]):
    """The campaigns on record (a shop has tens, not thousands: all are loaded)."""

    COLUMNS = (
        "ID",
        "Name",
        "Channel",
        "Category",
        "Send date",
        "Purpose",
        "Included",
        "Excluded",
        "Sent",
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.row_at(index)
        if c is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            str(c.id),
            c.name,
            c.channel,
            c.category,
            c.send_date,
            c.purpose,
            str(c.eligible),
            str(c.excluded),
            c.sent_date or "not sent",
        )[index.column()]


def _plan(spec: CampaignSpec) -> tuple[str, str, str, str]:
    return spec.channel, spec.category, spec.send_date, spec.purpose


# --- the page ----------------------------------------------------------------------


class CampaignsPage(QWidget):
    """Plan a campaign, see who is in and why, finalise it; then send, export, print."""

    contact_chosen = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = TaskRunner(session.store, self)
        self.tasks.started.connect(self._busy_changed)
        self.tasks.finished.connect(self._busy_changed)
        self.result: DecisionRun | None = None

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self._form(), 0)
        top.addWidget(self._numbers(), 0)
        top.addWidget(self._people(), 1)
        outer.addLayout(top, 3)
        outer.addWidget(self._list(), 2)
        session.data_changed.connect(self.refresh)
        self.refresh()

    def _form(self) -> QGroupBox:
        box = QGroupBox("New campaign")
        box.setMinimumWidth(360)
        form = QFormLayout(box)
        self.name = QLineEdit(placeholderText="Spring sale: road bikes")
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(CHANNEL_TITLES[channel], str(channel))
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.category = QLineEdit(placeholderText="Bikes/Road")
        self.completer = QCompleter(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.category.setCompleter(self.completer)
        self.send_date = QDateEdit(QDate.currentDate())
        self.send_date.setCalendarPopup(True)
        self.send_date.setDisplayFormat("yyyy-MM-dd")
        self.purpose = QComboBox()
        self.purpose.addItem("Commercial: our own goods or services", "commercial")
        self.purpose.addItem("Charitable: our charitable purposes", "charitable")
        self.optout = QPlainTextEdit()
        self.optout.setFixedHeight(52)
        self.optout.setTabChangesFocus(True)
        self.optout.setToolTip("How to opt out, in every message (PECR reg 23)")
        form.addRow("&Name", self.name)
        form.addRow("C&hannel", self.channel)
        form.addRow("Cate&gory", self.category)
        form.addRow("Send &date", self.send_date)
        form.addRow("&Purpose", self.purpose)
        form.addRow("Opt-out text", self.optout)
        row = QHBoxLayout()
        self.preview_button = QPushButton("See the &numbers")
        self.preview_button.clicked.connect(self.preview)
        self.finalise_button = QPushButton("&Finalise…")
        self.finalise_button.clicked.connect(self.finalise)
        row.addWidget(self.preview_button)
        row.addWidget(self.finalise_button)
        form.addRow(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form.addRow(self.message)
        return box

    def _numbers(self) -> QGroupBox:
        box = QGroupBox("Who is in, and why")
        box.setMinimumWidth(330)
        v = QVBoxLayout(box)
        self.counts = QTreeWidget()
        self.counts.setHeaderLabels(["Basis or reason", "People"])
        self.counts.setColumnWidth(0, 220)
        self.counts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.counts.currentItemChanged.connect(self._show_people)
        v.addWidget(self.counts)
        hint = QLabel("Click a number to see the people behind it.")
        hint.setWordWrap(True)
        v.addWidget(hint)
        return box

    def _people(self) -> QGroupBox:
        box = QGroupBox("The people behind the number")
        v = QVBoxLayout(box)
        self.people = DecisionTableModel(self)
        self.people_view = QTableView()
        self.people_view.setModel(self.people)
        self.people_view.setWordWrap(False)
        self.people_view.verticalHeader().hide()
        self.people_view.setAlternatingRowColors(True)
        header = self.people_view.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.people_view.setColumnWidth(0, 60)
        self.people_view.setColumnWidth(1, 150)
        self.people_view.setColumnWidth(2, 170)
        self.people_view.verticalHeader().setDefaultSectionSize(22)
        self.people_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.people_view.doubleClicked.connect(
            lambda index: self.contact_chosen.emit(self.people.rows[index.row()].contact_id)
        )
        v.addWidget(self.people_view, 1)
        self.why = QLabel("Choose a person to read the whole decision; double-click opens them.")
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why.setMinimumHeight(48)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.why)
        self.people_view.selectionModel().currentRowChanged.connect(self._show_why)
        return box

    def _show_why(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.people.rows):
            return
        d = self.people.rows[current.row()]
        head = f"{d.name or 'Contact ' + str(d.contact_id)}: "
        head += f"included on {d.basis}. " if d.eligible else f"excluded ({d.reasons_text}). "
        self.why.setText(head + d.evidence)

    def _list(self) -> QGroupBox:
        box = QGroupBox("Campaigns on record (decisions frozen when finalised)")
        h = QHBoxLayout(box)
        self.campaign_list = CampaignListModel(self)
        self.list_view = QTableView()
        self.list_view.setModel(self.campaign_list)
        self.list_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.list_view.verticalHeader().hide()
        self.list_view.verticalHeader().setDefaultSectionSize(22)
        self.list_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.addWidget(self.list_view, 1)
        buttons = QVBoxLayout()
        for text, slot in (
            ("Mark &sent…", self.mark_sent),
            ("&Recipient list (PDF)", self.recipient_list),
            ("&Compliance record (PDF)", self.compliance_record),
            ("Export for a &spreadsheet…", lambda: self.export("spreadsheet")),
            ("Export for &upload…", lambda: self.export("upload")),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.list_message = QLabel()
        self.list_message.setWordWrap(True)
        self.list_message.setMaximumWidth(220)
        buttons.addWidget(self.list_message)
        h.addLayout(buttons)
        return box

    # --- behaviour -----------------------------------------------------------------

    def refresh(self) -> None:
        store = self.session.store
        self.defaults = campaigns.form_defaults(store)
        self.completer.setModel(QStringListModel(self.defaults.categories, self.completer))
        self.campaign_list.set_rows(campaigns.list_all(store))
        self.list_view.resizeColumnsToContents()
        charitable = self.purpose.model().item(1)  # type: ignore[attr-defined]
        charitable.setEnabled(self.defaults.is_charity)
        if not self.defaults.is_charity:
            self.purpose.setCurrentIndex(0)
        self._channel_changed()

    def _channel_changed(self) -> None:
        channel = self.channel.currentData()
        self.optout.setPlainText(self.defaults.optout_texts.get(channel, ""))

    def optout_text(self) -> str:
        """The opt-out instructions as one line (as every message will carry them)."""
        return " ".join(self.optout.toPlainText().split())

    def spec(self) -> CampaignSpec:
        """The campaign as planned in the form (as typed: the actions tidy it)."""
        return CampaignSpec(
            self.channel.currentData(),
            self.category.text().strip(),
            self.send_date.date().toString("yyyy-MM-dd"),
            self.purpose.currentData(),
        )

    def _say(self, label: QLabel, text: str, good: bool) -> None:
        label.setStyleSheet("color: #1b5e20;" if good else "color: #b00020;")
        label.setText(text)

    def _busy_changed(self) -> None:
        busy = self.tasks.busy
        for button in (self.preview_button, self.finalise_button):
            button.setEnabled(not busy)
        if busy:
            self._say(self.message, "Working…", True)

    def preview(self) -> None:
        """Decide everyone for the campaign as planned (nothing is stored)."""
        spec = self.spec()
        if not spec.category:
            self._say(self.message, "Choose the product category the campaign is about.", False)
            return
        self.tasks.run(
            lambda store: campaigns.preview(store, *_plan(spec)),
            self._show_numbers,
            lambda text: self._say(self.message, text, False),
        )

    def _show_numbers(self, result: DecisionRun) -> None:
        self.result = result
        bases, reasons = result.counts()
        included = sum(bases.values())
        self.counts.clear()
        top_in = QTreeWidgetItem(["Included", str(included)])
        top_in.setData(0, Qt.ItemDataRole.UserRole, ("in", None))
        for code in BASES:
            if bases.get(code):
                item = QTreeWidgetItem(top_in, [code, str(bases[code])])
                item.setToolTip(0, BASIS_TEXT[code])
                item.setData(0, Qt.ItemDataRole.UserRole, ("basis", code))
        top_out = QTreeWidgetItem(["Excluded", str(len(result.decisions) - included)])
        top_out.setData(0, Qt.ItemDataRole.UserRole, ("out", None))
        for code, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
            item = QTreeWidgetItem(top_out, [code, str(count)])
            item.setToolTip(0, REASON_TEXT[code])
            item.setData(0, Qt.ItemDataRole.UserRole, ("reason", code))
        self.counts.addTopLevelItems([top_in, top_out])
        self.counts.expandAll()
        self.counts.setCurrentItem(top_in)
        spec = result.spec
        self._say(
            self.message,
            f"{included} of {len(result.decisions)} may be sent this "
            f"{spec.channel} campaign about {spec.category} on {spec.send_date}. "
            "Nothing is stored until you finalise.",
            True,
        )

    def _show_people(self, item: QTreeWidgetItem | None) -> None:
        if item is None or self.result is None:
            self.people.set_rows([])
            return
        kind, code = item.data(0, Qt.ItemDataRole.UserRole)
        decisions = self.result.decisions
        match: Callable[[Decision], bool] = {
            "in": lambda d: d.eligible,
            "out": lambda d: not d.eligible,
            "basis": lambda d: d.basis == code,
            "reason": lambda d: code in d.reasons,
        }[kind]
        self.people.set_rows([d for d in decisions if match(d)])

    def finalise(self) -> None:
        """Freeze the campaign's decisions as of its send date, if the checks pass."""
        spec = self.spec()
        planned = {
            "name": self.name.text().strip(),
            "channel": spec.channel,
            "category": spec.category,
            "send_date": spec.send_date,
            "purpose": spec.purpose,
            "optout_text": self.optout_text(),
        }
        problems = campaigns.check(self.session.store, **planned)
        if problems:
            self._say(self.message, "Not finalised: " + "; ".join(problems) + ".", False)
            return
        staff = self.session.staff or getpass.getuser()
        known = campaigns.is_known_category(self.session.store, spec.category)
        if not ask_confirm_finalise(self, planned["name"], spec, known):
            return

        def freeze(store: Any) -> campaigns.Created:
            return campaigns.create(store, **planned, created_by=staff)

        self.tasks.run(freeze, self._finalised, lambda t: self._say(self.message, t, False))

    def _finalised(self, created: campaigns.Created) -> None:
        campaign = created.campaign
        self._say(
            self.message,
            f"Campaign {campaign.id} finalised: {campaign.eligible} recipients, decisions frozen.",
            True,
        )
        self.session.changed()
        self.select_campaign(campaign.id)

    # --- campaigns on record -----------------------------------------------------------

    def select_campaign(self, campaign_id: int) -> None:
        for row, campaign in enumerate(self.campaign_list.rows):
            if campaign.id == campaign_id:
                self.list_view.selectRow(row)
                return

    def selected(self) -> Campaign | None:
        rows = self.list_view.selectionModel().selectedRows()
        if not rows:
            self._say(self.list_message, "Choose a campaign in the list first.", False)
            return None
        return self.campaign_list.rows[rows[0].row()]

    def mark_sent(self) -> bool:
        campaign = self.selected()
        if campaign is None:
            return False
        answer = ask_date(
            self,
            "Mark sent",
            f"Date {campaign.name} was sent (YYYY-MM-DD):",
            max(today(), campaign.send_date),
        )
        if answer is None:
            return False
        try:
            date = parse_date(answer, allow_uk=True)
            campaigns.mark_sent(self.session.store, campaign.id, date)
        except ValueError as exc:
            self._say(self.list_message, str(exc), False)
            return False
        except InputError as exc:
            self._say(self.list_message, exc.message, False)
            return False
        self._say(self.list_message, f"Marked sent on {date}.", True)
        self.session.changed()
        self.select_campaign(campaign.id)
        return True

    def export(self, kind: str) -> bool:
        campaign = self.selected()
        if campaign is None:
            return False
        suggested = f"campaign-{campaign.id}-{kind}.csv"
        path = ask_save_path(self, "Export the recipients", suggested, "CSV (*.csv)")
        if not path:
            return False

        def write(store: Any) -> campaigns.ExportResult:
            return campaigns.export(store, campaign.id, path, kind)

        self.tasks.run(
            write,
            lambda result: self._exported(path, result),
            lambda t: self._say(self.list_message, t, False),
        )
        return True

    def _exported(self, path: str, written: campaigns.ExportResult) -> None:
        text = f"{written.written} recipients written to {os.path.basename(path)}."
        if written.voicemail_allowed is not None:
            text += f" Voicemail allowed: {written.voicemail_allowed}."
        if written.erased:
            text += f" {len(written.erased)} erased since the campaign was frozen: left out."
        if written.withdrawn:
            ids = ", ".join(str(i) for i in written.withdrawn[:12])
            more = " …" if len(written.withdrawn) > 12 else ""
            text += (
                f" {len(written.withdrawn)} left out: opted out, objected or suppressed "
                f"since it was frozen (contacts {ids}{more})."
            )
        self._say(self.list_message, text, True)

    def _pdf(self, title: str, write: Callable[[Any, int, str], Any]) -> bool:
        campaign = self.selected()
        if campaign is None:
            return False
        folder = tempfile.mkdtemp(prefix="optin-ledger-")
        slug = title.lower().replace(" ", "-")
        path = os.path.join(folder, f"campaign-{campaign.id}-{slug}.pdf")

        def make(store: Any) -> str:
            write(store, campaign.id, path)
            return path

        def show(made: str) -> None:
            try:
                show_pdf(self, made, f"{title}: {campaign.name}")
            finally:  # the preview holds personal data: not left behind in /tmp
                shutil.rmtree(folder, ignore_errors=True)

        self.tasks.run(make, show, lambda t: self._say(self.list_message, t, False))
        return True

    def recipient_list(self) -> bool:
        return self._pdf("Recipient list", campaigns.write_recipient_list)

    def compliance_record(self) -> bool:
        who = self.session.staff or getpass.getuser()
        return self._pdf(
            "Compliance record",
            lambda store, cid, path: campaigns.write_compliance_record(
                store, cid, path, produced_by=who
            ),
        )
