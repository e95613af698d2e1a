"""The till: record a customer in seconds, keyboard first.

Thin: the form gathers a ``TillEntry`` and shows what ``model.capture`` says.
Keys: F1-F5 pick how they came in, Alt+Y / Alt+N whether the opt-out was
offered, Ctrl+Enter saves, Esc clears.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from model.actions import till as capture
from model.errors import InputError
from model.normalise import CHANNELS
from model.rules import COLLECTED_VIA, COLLECTION_EVENTS, EVENT_LABELS, VIA_LABELS

from . import staff as staff_ui
from .session import Session

CHANNEL_TITLES = {"email": "Email", "sms": "SMS", "post": "Post", "phone": "Phone"}
ERROR_STYLE = "color: #b00020;"


class ErrorLabel(QLabel):
    """A field's problem in words, hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


class TillPage(QWidget):
    """The capture form."""

    saved = Signal(int)  # contact id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.errors: dict[str, ErrorLabel] = {}
        self._recognise_timer = QTimer(self, singleShot=True, interval=250)
        self._recognise_timer.timeout.connect(self._recognise)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        top.addWidget(QLabel("Serving:"))
        self.staff = QComboBox()
        self.staff.setMinimumWidth(140)
        self.staff.currentTextChanged.connect(self._staff_chosen)
        top.addWidget(self.staff)
        self.errors["staff"] = ErrorLabel()
        top.addWidget(self.errors["staff"])
        keys = QLabel(
            "F1–F5 how they came in · Alt+Y / Alt+O opt-out offered · Ctrl+Enter save · Esc clear"
        )
        keys.setStyleSheet("color: #555;")
        top.addStretch(1)
        top.addWidget(keys)
        outer.addLayout(top)

        columns = QHBoxLayout()
        columns.addWidget(self._customer_box(), 1)
        columns.addWidget(self._visit_box(), 1)
        outer.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.save_button = QPushButton("Save  (Ctrl+Enter)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        clear = QPushButton("Clear  (Esc)")
        clear.setAutoDefault(False)
        clear.clicked.connect(self.clear)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.save_button)
        bottom.addWidget(clear)
        bottom.addWidget(self.result, 1)
        outer.addLayout(bottom)

        # shortcuts work while the till has the focus (not on the other pages)
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.save, here)
        QShortcut(QKeySequence("Escape"), self, self.clear, here)
        for number, button in enumerate(self.event_buttons.buttons(), start=1):
            QShortcut(QKeySequence(f"F{number}"), self, button.click, here)

        session.data_changed.connect(self.refresh_lists)
        session.staff_changed.connect(self._show_staff)
        self.refresh_lists()
        self.clear()

    # --- building ------------------------------------------------------------------

    def _field(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        holder = QWidget()
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        error = ErrorLabel()
        box.addWidget(error)
        self.errors[name] = error
        caption = QLabel(label)
        caption.setBuddy(widget)  # Alt+letter goes to the field itself
        form.addRow(caption, holder)

    def _customer_box(self) -> QGroupBox:
        box = QGroupBox("Customer")
        column = QVBoxLayout(box)
        form = QFormLayout()
        column.addLayout(form)
        self.name = QLineEdit(placeholderText="Jane Smith")
        self.email = QLineEdit(placeholderText="jane@example.com")
        self.phone = QLineEdit(placeholderText="07700 900123")
        self.address = QPlainTextEdit()
        self.address.setPlaceholderText("1 High Street\nLeeds")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(52)
        self.postcode = QLineEdit(placeholderText="LS1 9ZZ")
        self.postcode.setMaximumWidth(140)
        self._field(form, "&Name", "name", self.name)
        self._field(form, "&Email", "email", self.email)
        self._field(form, "&Phone", "phone", self.phone)
        self._field(form, "Address", "address", self.address)
        self._field(form, "Post&code", "postcode", self.postcode)
        for widget, name in (
            (self.email, "email"),
            (self.phone, "phone"),
            (self.postcode, "postcode"),
        ):
            widget.editingFinished.connect(lambda w=widget, n=name: self._check_field(n, w))
        self.email.textChanged.connect(lambda _: self._recognise_timer.start())
        self.phone.textChanged.connect(lambda _: self._recognise_timer.start())

        self.known = QLabel()
        self.known.setWordWrap(True)
        self.known.setFrameShape(QFrame.Shape.StyledPanel)
        self.known.setStyleSheet("background: #eef6ee; padding: 6px;")
        self.known.hide()
        column.addWidget(self.known)
        column.addStretch(1)
        return box

    def _visit_box(self) -> QGroupBox:
        box = QGroupBox("This visit")
        layout = QVBoxLayout(box)

        layout.addWidget(QLabel("How they came in:"))
        grid = QGridLayout()
        self.event_buttons = QButtonGroup(self)
        for number, event in enumerate(capture.COMMON_EVENTS, start=1):
            button = QRadioButton(f"F{number} {EVENT_LABELS[event]}")
            button.setProperty("event", event)
            self.event_buttons.addButton(button)
            grid.addWidget(button, (number - 1) // 3, (number - 1) % 3)
        self.other_event = QComboBox()
        self.other_event.addItem("Other…", "")
        for event in COLLECTION_EVENTS:
            if event not in capture.COMMON_EVENTS:
                self.other_event.addItem(EVENT_LABELS[event], event)
        self.other_event.activated.connect(self._other_event_chosen)
        self.event_buttons.buttonClicked.connect(lambda _: self.other_event.setCurrentIndex(0))
        grid.addWidget(self.other_event, 1, 2)
        layout.addLayout(grid)
        self.errors["event_type"] = ErrorLabel()
        layout.addWidget(self.errors["event_type"])

        form = QFormLayout()
        self.category = QLineEdit(placeholderText="Bikes/Road (type to search; new ones are added)")
        self.completer = QCompleter(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.category.setCompleter(self.completer)
        self._field(form, "Ca&tegory", "category", self.category)
        self.via = QComboBox()
        for via in COLLECTED_VIA:
            self.via.addItem(VIA_LABELS[via].capitalize(), via)
        form.addRow("Collected", self.via)
        layout.addLayout(form)
        layout.addWidget(self._optout_box())
        layout.addWidget(self._consent_box())
        layout.addStretch(1)
        return box

    def _optout_box(self) -> QGroupBox:
        optout = QGroupBox("Opt-out, offered now")
        o = QVBoxLayout(optout)
        self.script = QLabel()
        self.script.setWordWrap(True)
        self.script.setStyleSheet("background: #fff8e1; padding: 6px; border: 1px solid #e0c46c;")
        o.addWidget(self.script)
        row = QHBoxLayout()
        row.addWidget(QLabel("Was the opt-out offered?"))
        self.offered_yes = QRadioButton("&Yes")
        self.offered_no = QRadioButton("N&o")
        self.offered = QButtonGroup(self)
        self.offered.addButton(self.offered_yes)
        self.offered.addButton(self.offered_no)
        row.addWidget(self.offered_yes)
        row.addWidget(self.offered_no)
        row.addStretch(1)
        o.addLayout(row)
        self.errors["optout_offered"] = ErrorLabel()
        o.addWidget(self.errors["optout_offered"])
        refused_row = QHBoxLayout()
        refused_row.addWidget(QLabel("They refused:"))
        self.refused = {c: QCheckBox(CHANNEL_TITLES[c]) for c in CHANNELS}
        for box_ in self.refused.values():
            refused_row.addWidget(box_)
        refused_row.addStretch(1)
        o.addLayout(refused_row)
        self.errors["refused"] = ErrorLabel()
        o.addWidget(self.errors["refused"])
        return optout

    def _consent_box(self) -> QGroupBox:
        consent = QGroupBox("Consent (only if they actively agree)")
        c = QVBoxLayout(consent)
        consent_row = QHBoxLayout()
        consent_row.addWidget(QLabel("They agreed to:"))
        self.consented = {ch: QCheckBox(CHANNEL_TITLES[ch]) for ch in CHANNELS}
        for box_ in self.consented.values():
            consent_row.addWidget(box_)
        consent_row.addStretch(1)
        c.addLayout(consent_row)
        self.errors["consented"] = ErrorLabel()
        c.addWidget(self.errors["consented"])
        self.wording = QLineEdit(
            placeholderText="The words they agreed to, e.g. 'Yes, text me offers'"
        )
        c.addWidget(self.wording)
        self.errors["wording"] = ErrorLabel()
        c.addWidget(self.errors["wording"])
        return consent

    # --- behaviour -----------------------------------------------------------------

    def refresh_lists(self) -> None:
        """Staff names, categories and the script, from the store."""
        lists = capture.till_lists(self.session.store)
        current = self.session.staff or lists.default_staff
        names = lists.staff
        if lists.accounts_on:  # who serves is whoever signed in with a PIN
            current = lists.signed_in
        self.staff.blockSignals(True)
        self.staff.clear()
        if not names:
            self.staff.addItem("(add staff names in Settings)", "")
        elif len(names) > 1:
            self.staff.addItem("(choose who is serving)", "")
        for name in names:
            self.staff.addItem(name, name)
        if current not in names:
            # chosen once, consciously: only a shop of one is chosen for them
            current = names[0] if len(names) == 1 else ""
        self.staff.setCurrentIndex(max(self.staff.findData(current), 0))
        self.staff.blockSignals(False)
        self.session.staff = current
        self.completer.setModel(QStringListModel(lists.categories, self.completer))
        self.optout_script = lists.optout_script
        self.script.setText("Read out: “" + lists.optout_script + "”")

    def _staff_chosen(self, _text: str) -> None:
        name = self.staff.currentData() or ""
        if (
            name
            and staff_ui.accounts_on(self.session)
            and name != staff_ui.signed_in_name(self.session)
        ):  # switching staff takes the PIN of whoever takes over
            if not staff_ui.sign_in(self.session, self, chosen=name):
                self._show_staff(self.session.staff)
            return
        self.session.staff = name

    def _show_staff(self, name: str) -> None:
        index = self.staff.findData(name)
        if index >= 0 and index != self.staff.currentIndex():
            self.staff.setCurrentIndex(index)

    def _other_event_chosen(self, index: int) -> None:
        if self.other_event.itemData(index):
            checked = self.event_buttons.checkedButton()
            if checked is not None:
                self.event_buttons.setExclusive(False)
                checked.setChecked(False)
                self.event_buttons.setExclusive(True)

    def _check_field(self, name: str, widget: QLineEdit) -> None:
        self.errors[name].show_error(capture.field_error(name, widget.text()))

    def _recognise(self) -> None:
        found = capture.recognise(
            self.session.store, email=self.email.text(), phone=self.phone.text()
        )
        self.recognised = found
        if found is None:
            self.known.hide()
            self.name.setPlaceholderText("Jane Smith")
            return
        lines = "<br>".join(html.escape(line) for line in found.last_events) or "no events yet"
        self.known.setText(
            f"<b>Returning customer: {html.escape(found.name)}</b> "
            f"({html.escape(found.details)})<br>"
            f"{lines}<br><i>Saving adds this visit to their record.</i>"
        )
        self.known.show()
        self.name.setPlaceholderText(found.name)

    def entry(self) -> capture.TillEntry:
        """What the form holds."""
        button = self.event_buttons.checkedButton()
        event = button.property("event") if button else self.other_event.currentData() or ""
        offered = (
            "yes"
            if self.offered_yes.isChecked()
            else ("no" if self.offered_no.isChecked() else None)
        )
        return capture.TillEntry(
            name=self.name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            address=self.address.toPlainText(),
            postcode=self.postcode.text(),
            event_type=event,
            category=self.category.text(),
            collected_via=self.via.currentData(),
            optout_offered=offered,
            optout_how=self.optout_script if offered == "yes" else "",
            refused={c for c, b in self.refused.items() if b.isChecked()},
            consented={c for c, b in self.consented.items() if b.isChecked()},
            wording=self.wording.text(),
            staff=self.session.staff,
        )

    def save(self) -> bool:
        """Check, then save; the form clears and says what was saved and what it means."""
        entry = self.entry()
        errors = capture.check_entry(self.session.store, entry)
        for name, label in self.errors.items():
            label.show_error(errors.get(name))
        if errors:
            self.result.setStyleSheet(ERROR_STYLE)
            count = len(errors)
            self.result.setText(f"Not saved: {count} thing{'s' if count > 1 else ''} to fix.")
            self._focus_first_error(errors)
            return False
        try:
            saved = capture.save_entry(self.session.store, entry)
        except InputError as exc:
            self.result.setStyleSheet(ERROR_STYLE)
            self.result.setText(f"Not saved: {exc.message}")
            return False
        self.clear()
        self.result.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.result.setText(("New customer. " if saved.created else "") + saved.summary)
        self.session.changed()
        self.saved.emit(saved.contact_id)
        return True

    def _focus_first_error(self, errors: dict[str, str]) -> None:
        order = [
            ("staff", self.staff),
            ("name", self.name),
            ("email", self.email),
            ("phone", self.phone),
            ("postcode", self.postcode),
            ("event_type", self.event_buttons.buttons()[0]),
            ("category", self.category),
            ("optout_offered", self.offered_yes),
            ("refused", self.refused["email"]),
            ("consented", self.consented["email"]),
            ("wording", self.wording),
        ]
        for name, widget in order:
            if name in errors:
                widget.setFocus()
                return

    def clear(self) -> None:
        """Empty the form for the next customer (the staff member stays)."""
        for widget in (
            self.name,
            self.email,
            self.phone,
            self.postcode,
            self.category,
            self.wording,
        ):
            widget.clear()
        self.address.clear()
        for group in (self.event_buttons, self.offered):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.other_event.setCurrentIndex(0)
        self.via.setCurrentIndex(0)
        for box in (*self.refused.values(), *self.consented.values()):
            box.setChecked(False)
        for label in self.errors.values():
            label.show_error(None)
        self.known.hide()
        self.recognised = None
        self.name.setPlaceholderText("Jane Smith")
        self.name.setFocus()
