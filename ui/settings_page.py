"""Settings: the business, the rule settings, the till, and the category tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.actions import setup
from model.errors import InputError

from .session import Session
from .staff import StaffBox

# --- dialogs, each behind one small function that returns data (replaced in tests) ----


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """One line of text, or None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


@dataclass
class LinkAnswer:
    a: str
    b: str
    why: str


class _LinkDialog(QDialog):
    def __init__(self, parent: QWidget, paths: list[str], first: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link two categories as similar")
        form = QFormLayout(self)
        self.a = QComboBox()
        self.b = QComboBox()
        for combo in (self.a, self.b):
            combo.addItems(paths)
            combo.setEditable(False)
        if first in paths:
            self.a.setCurrentText(first)
        self.why = QLineEdit(placeholderText="Why a customer of one would want the other")
        form.addRow("Category", self.a)
        form.addRow("is similar to", self.b)
        form.addRow("because", self.why)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def ask_link(parent: QWidget, paths: list[str], first: str) -> LinkAnswer | None:
    """Two categories and the reason they are similar, or None when cancelled."""
    dialog = _LinkDialog(parent, paths, first)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return LinkAnswer(dialog.a.currentText(), dialog.b.currentText(), dialog.why.text())


# --- the page ----------------------------------------------------------------------


class SettingsPage(QWidget):
    """Every setting of the store, saved all or none; the category tree beside them."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.addWidget(self._settings_box(), 3)
        right = QVBoxLayout()
        right.addWidget(self._categories_box(), 1)
        self.staff_box = StaffBox(session)  # beside the categories: the left column is full
        right.addWidget(self.staff_box)
        layout.addLayout(right, 2)
        session.data_changed.connect(self.load)
        self.load()

    def _settings_box(self) -> QWidget:
        column = QWidget()
        v = QVBoxLayout(column)
        v.setContentsMargins(0, 0, 0, 0)

        business = QGroupBox("The business (named in every campaign: PECR reg 23)")
        f = QFormLayout(business)
        self.business_name = QLineEdit()
        self.business_address = QLineEdit()
        self.organisation_type = QComboBox()
        self.organisation_type.addItem("Business", "business")
        self.organisation_type.addItem("Charity", "charity")
        f.addRow("Name", self.business_name)
        f.addRow("Contact address", self.business_address)
        f.addRow("Organisation", self.organisation_type)
        v.addWidget(business)

        rules = QGroupBox("Rules")
        f = QFormLayout(rules)
        self.soft_opt_in_months = QSpinBox(minimum=1, maximum=240, suffix=" months")
        self.post_cap = QSpinBox(minimum=0, maximum=60)
        self.post_cap.setSpecialValueText("no cap")
        f.addRow("Soft opt-in lasts", self.soft_opt_in_months)
        f.addRow("Postal campaigns per 30 days, at most", self.post_cap)
        v.addWidget(rules)
        v.addWidget(self._till_box())
        v.addWidget(self._optout_texts_box())

        row = QHBoxLayout()
        self.save_button = QPushButton("Save settings")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row.addWidget(self.save_button)
        row.addWidget(self.message, 1)
        v.addLayout(row)
        v.addStretch(1)
        return column

    def _till_box(self) -> QGroupBox:
        till = QGroupBox("The till")
        f = QFormLayout(till)
        self.optout_script = QPlainTextEdit()
        self.optout_script.setFixedHeight(60)
        self.optout_script.setTabChangesFocus(True)
        self.staff = QLineEdit(placeholderText="Sam; Priya; Tom")
        self.default_staff = QLineEdit(placeholderText="one of the staff, or empty")
        self.default_staff.setToolTip(
            "Who a consent or opt-out is credited to when nobody is chosen as serving "
            "(and on the command line when --staff is not given)."
        )
        f.addRow("Opt-out script", self.optout_script)
        f.addRow("Staff (separated by ;)", self.staff)
        f.addRow("Default staff member", self.default_staff)
        return till

    def _optout_texts_box(self) -> QGroupBox:
        texts = QGroupBox("Opt-out instructions in every message (defaults per channel)")
        f = QFormLayout(texts)
        self.optout_texts = {}
        for channel, label in (
            ("email", "Email"),
            ("sms", "SMS"),
            ("post", "Post"),
            ("phone", "Phone (the number calls come from)"),
        ):
            edit = QLineEdit()
            self.optout_texts[channel] = edit
            f.addRow(label, edit)
        return texts

    def _categories_box(self) -> QGroupBox:
        box = QGroupBox("Categories and what is similar")
        v = QVBoxLayout(box)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Category", "One range"])
        self.tree.setColumnWidth(0, 260)
        v.addWidget(self.tree, 3)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Add…", self.add_category),
            ("Rename…", self.rename_category),
            ("One range on/off", self.toggle_range),
            ("Link as similar…", self.link),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        v.addLayout(buttons)
        v.addWidget(QLabel("Linked as similar by the shop:"))
        self.links = QListWidget()
        v.addWidget(self.links, 1)
        self.category_message = QLabel()
        self.category_message.setWordWrap(True)
        v.addWidget(self.category_message)
        return box

    # --- load and save -------------------------------------------------------------

    def load(self) -> None:
        s = setup.settings(self.session.store)
        self.business_name.setText(s["business_name"])
        self.business_address.setText(s["business_address"])
        kind = self.organisation_type.findData(s["organisation_type"])
        self.organisation_type.setCurrentIndex(kind)
        self.soft_opt_in_months.setValue(int(s["soft_opt_in_months"]))
        self.post_cap.setValue(int(s["post_max_per_30_days"]))
        self.optout_script.setPlainText(s["optout_script"])
        self.staff.setText("; ".join(setup.staff(self.session.store)))
        self.default_staff.setText(s["default_staff"])
        for channel, edit in self.optout_texts.items():
            edit.setText(s[f"optout_text_{channel}"])
        self.staff_box.load()
        self._load_tree()

    def _load_tree(self) -> None:
        store = self.session.store
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for cat in setup.categories(store):
            name = cat.path.rsplit("/", 1)[-1]
            parent = items.get(cat.parent_id) if cat.parent_id else None
            item = QTreeWidgetItem([name, "yes" if cat.one_range else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, cat.path)
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            items[cat.id] = item
        self.tree.expandAll()
        self.links.clear()
        for link in setup.links(store):
            self.links.addItem(f"{link.a} ~ {link.b}: {link.why}")

    def values(self) -> dict[str, str]:
        values = {
            "business_name": self.business_name.text(),
            "business_address": self.business_address.text(),
            "organisation_type": self.organisation_type.currentData(),
            "soft_opt_in_months": str(self.soft_opt_in_months.value()),
            "post_max_per_30_days": str(self.post_cap.value()),
            # one line in the store: the till reads it out as one paragraph
            "optout_script": " ".join(self.optout_script.toPlainText().split()),
            "staff": self.staff.text(),
            "default_staff": self.default_staff.text(),
        }
        for channel, edit in self.optout_texts.items():
            values[f"optout_text_{channel}"] = edit.text()
        return values

    def save(self) -> bool:
        try:
            setup.set_settings(self.session.store, self.values())
        except InputError as exc:
            self._say(self.message, "Not saved: " + "; ".join(exc.problems or [exc.message]), False)
            return False
        self._say(self.message, "Settings saved.", True)
        self.session.changed()
        return True

    # --- categories ------------------------------------------------------------------

    def selected_path(self) -> str:
        item = self.tree.currentItem()
        return str(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else ""

    def _category_action(self, action: Callable[[], object], success: str) -> bool:
        try:
            action()
        except InputError as exc:
            self._say(self.category_message, exc.message, False)
            return False
        self._say(self.category_message, success, True)
        self.session.changed()
        return True

    def add_category(self) -> bool:
        start = self.selected_path() + "/" if self.selected_path() else ""
        path = ask_text(self, "Add a category", "Path (parts separated by /):", start)
        if path is None:
            return False
        return self._category_action(
            lambda: setup.add_category(self.session.store, path), f"Added {path.strip()}."
        )

    def rename_category(self) -> bool:
        path = self.selected_path()
        if not path:
            self._say(self.category_message, "Choose a category first.", False)
            return False
        name = ask_text(self, "Rename", f"New name for {path}:", path.rsplit("/", 1)[-1])
        if name is None:
            return False
        return self._category_action(
            lambda: setup.rename_category(self.session.store, path, name), "Renamed."
        )

    def toggle_range(self) -> bool:
        path = self.selected_path()
        if not path:
            self._say(self.category_message, "Choose a category first.", False)
            return False
        cat = setup.find_category(self.session.store, path)
        on = not (cat and cat.one_range)
        what = "now one range: everything inside it is similar" if on else "no longer one range"
        return self._category_action(
            lambda: setup.set_one_range(self.session.store, path, on), f"{path} is {what}."
        )

    def link(self) -> bool:
        paths = [c.path for c in setup.categories(self.session.store)]
        if len(paths) < 2:
            self._say(self.category_message, "Add two categories first.", False)
            return False
        answer = ask_link(self, paths, self.selected_path())
        if answer is None:
            return False
        return self._category_action(
            lambda: setup.link_categories(self.session.store, answer.a, answer.b, answer.why),
            f"Linked: {answer.a} ~ {answer.b}.",
        )

    @staticmethod
    def _say(label: QLabel, text: str, good: bool) -> None:
        label.setStyleSheet("color: #1b5e20;" if good else "color: #b00020;")
        label.setText(text)
