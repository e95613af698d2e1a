"""Staff accounts in the window: signing in with a PIN, switching who serves, and the
Settings section that manages the accounts (``model.actions.staff`` decides who may)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from model.actions import staff
from model.errors import InputError

from .session import Session

ERROR_STYLE = "color: #b00020;"

# --- dialogs, each behind one small function that returns data (replaced in tests) ----


@dataclass
class SignIn:
    name: str
    pin: str


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(8)
    edit.setPlaceholderText("4 to 8 digits")
    return edit


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class SignInDialog(QDialog):
    """Who is serving, and their PIN; a refusal from the last try shown above."""

    def __init__(
        self, parent: QWidget | None, names: list[str], chosen: str = "", message: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is serving?")
        form = QFormLayout(self)
        intro = QLabel("Staff accounts are on: choose your name and type your PIN.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setVisible(bool(message))
        form.addRow(self.message)
        self.name = QComboBox()
        self.name.addItems(names)
        if chosen in names:
            self.name.setCurrentText(chosen)
        self.pin = _pin_edit()
        form.addRow("Name", self.name)
        form.addRow("PIN", self.pin)
        form.addRow(_buttons(self, "Sign in"))
        self.setMinimumWidth(360)
        self.pin.setFocus()


def ask_sign_in(
    parent: QWidget | None, names: list[str], chosen: str = "", message: str = ""
) -> SignIn | None:
    """A name and a PIN, or None when cancelled."""
    dialog = SignInDialog(parent, names, chosen, message)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return SignIn(dialog.name.currentText(), dialog.pin.text())


@dataclass
class NewMember:
    name: str
    role: str
    pin: str
    pin_again: str


class NewMemberDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a staff account")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItem("Till: records customers and permissions", "till")
        self.role.addItem("Office: also campaigns, exports, reports, imports", "office")
        self.role.addItem("Owner: also settings, erasure, backups, staff", "owner")
        self.pin = _pin_edit()
        self.pin_again = _pin_edit()
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("PIN", self.pin)
        form.addRow("PIN again", self.pin_again)
        form.addRow(_buttons(self, "Add"))
        self.setMinimumWidth(440)


def ask_new_member(parent: QWidget | None) -> NewMember | None:
    """A new account's name, role and PIN typed twice, or None when cancelled."""
    dialog = NewMemberDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return NewMember(
        dialog.name.text(),
        str(dialog.role.currentData()),
        dialog.pin.text(),
        dialog.pin_again.text(),
    )


class NewPinDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"A new PIN for {name}")
        form = QFormLayout(self)
        self.pin = _pin_edit()
        self.pin_again = _pin_edit()
        form.addRow("New PIN", self.pin)
        form.addRow("PIN again", self.pin_again)
        form.addRow(_buttons(self, "Change PIN"))
        self.setMinimumWidth(340)


def ask_new_pin(parent: QWidget | None, name: str) -> tuple[str, str] | None:
    """The new PIN typed twice, or None when cancelled."""
    dialog = NewPinDialog(parent, name)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.pin.text(), dialog.pin_again.text()


def _same(pin: str, again: str) -> str:
    if pin != again:
        raise InputError("the two PINs differ; nothing was changed")
    return pin


# --- signing in -------------------------------------------------------------------------


def sign_in(session: Session, parent: QWidget | None = None, chosen: str = "") -> bool:
    """Ask who is serving until a PIN checks (True) or the user cancels (False); the
    refusal of each wrong try is shown in the dialog."""
    store = session.store
    names = [m.name for m in staff.members(store)]
    message = ""
    while True:
        answer = ask_sign_in(parent, names, chosen or session.staff, message)
        if answer is None:
            return False
        try:
            member = staff.sign_in(store, answer.name, answer.pin)
        except InputError as exc:
            message, chosen = exc.message, answer.name
            continue
        session.staff = member.name
        session.changed()  # views that depend on who is signed in
        return True


def start_signed_in(session: Session, parent: QWidget | None = None) -> bool:
    """At start-up: with accounts on, ask who is serving (False when nobody signs in: the
    window does not open); off, the audit names the computer's user, as the command line."""
    if not staff.accounts_on(session.store):
        session.store.actor = staff.computer_user()
        return True
    return sign_in(session, parent)


def signed_in_name(session: Session) -> str:
    member = staff.signed_in(session.store)
    return member.name if member is not None else ""


def accounts_on(session: Session) -> bool:
    return staff.accounts_on(session.store)


# --- the Settings section ---------------------------------------------------------------


class StaffBox(QGroupBox):
    """Staff accounts: on or off, the accounts and their roles; add, remove, change a PIN.
    Every change goes through model.actions.staff, which refuses anyone but an owner
    once accounts are on (in the same words as the command line)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Staff accounts (optional: PINs and roles)", parent)
        self.session = session
        v = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setWordWrap(True)
        v.addWidget(self.state)
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        v.addWidget(self.list)
        row = QHBoxLayout()
        self.toggle = QPushButton()
        self.add_button = QPushButton("Add…")
        self.remove_button = QPushButton("Remove")
        self.pin_button = QPushButton("Change PIN…")
        for button in (self.toggle, self.add_button, self.remove_button, self.pin_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        v.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        v.addWidget(self.message)
        self.toggle.clicked.connect(self.toggle_accounts)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.pin_button.clicked.connect(self.change_pin)
        self.load()

    def load(self) -> None:
        store = self.session.store
        on = staff.accounts_on(store)
        self.state.setText(
            "On: whoever serves signs in with a PIN, and each role may do only its own tasks."
            if on
            else "Off: everyone may do everything (as before). Add an owner account, then "
            "turn accounts on."
        )
        self.toggle.setText("Turn accounts off" if on else "Turn accounts on")
        self.list.clear()
        for member in staff.members(store):
            self.list.addItem(str(member))

    def _selected(self) -> str:
        item = self.list.currentItem()
        return item.text().rsplit(" (", 1)[0] if item is not None else ""

    def _do(self, action: Callable[[], object], success: str) -> bool:
        try:
            action()
        except InputError as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(exc.message)
            return False
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(success)
        self.load()
        return True

    def add(self) -> bool:
        answer = ask_new_member(self)
        if answer is None:
            return False
        return self._do(
            lambda: staff.add_member(
                self.session.store, answer.name, answer.role, _same(answer.pin, answer.pin_again)
            ),
            f"Added {answer.name.strip()} ({answer.role}).",
        )

    def remove(self) -> bool:
        name = self._selected()
        if not name:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText("Choose an account first.")
            return False
        return self._do(lambda: staff.remove_member(self.session.store, name), f"Removed {name}.")

    def change_pin(self) -> bool:
        name = self._selected()
        if not name:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText("Choose an account first.")
            return False
        answer = ask_new_pin(self, name)
        if answer is None:
            return False
        return self._do(
            lambda: staff.change_pin(self.session.store, name, _same(*answer)),
            f"{name}: PIN changed.",
        )

    def toggle_accounts(self) -> bool:
        on = not staff.accounts_on(self.session.store)
        done = self._do(
            lambda: staff.set_accounts_on(self.session.store, on),
            "Staff accounts are on." if on else "Staff accounts are off.",
        )
        if done:
            if not on:
                self.session.staff = ""
                self.session.store.actor = staff.computer_user()
            self.session.changed()
            if on:
                sign_in(self.session, self)  # whoever turned them on signs in now
        return done
