"""What the windows share: the open store and who is serving at the till."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from model.actions import Store


class Session(QObject):
    """The open store, the staff member serving, and a signal when data changes.

    Widgets never query each other: after a write they call ``changed()`` and
    every view that shows stored data refreshes itself.
    """

    data_changed = Signal()
    staff_changed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._staff = ""

    @property
    def staff(self) -> str:
        """Who is serving: recorded on every event entered in the app."""
        return self._staff

    @staff.setter
    def staff(self, name: str) -> None:
        name = name.strip()
        if name != self._staff:
            self._staff = name
            self.staff_changed.emit(name)

    def changed(self) -> None:
        """Tell every view that stored data changed."""
        self.data_changed.emit()
