"""The user's own preferences (not business data: that lives in the store).

One small wrapper over QSettings with typed defaults, constructible from a file so
tests use a temporary INI (as Picard's Config.from_file does). Window state is kept
apart from everything else.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class Preferences:
    """Where the window was (the app always opens on the till)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings("opt-in-ledger", "Opt-in Ledger")

    @classmethod
    def from_file(cls, path: str | Path) -> Preferences:
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    # --- window state ---------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self.settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self.settings.setValue("window/geometry", value)

    def sync(self) -> None:
        self.settings.sync()
