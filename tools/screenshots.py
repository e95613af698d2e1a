"""Write screenshots of the main screens into docs/screenshots/ (offscreen, 1366x768).

    .venv/bin/python tools/screenshots.py

Uses a temporary store filled with the sample shop, so the pictures show
realistic data; the README shows them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from model.demo import fill_sample_shop
    from model.store import open_store
    from ui.app import MainWindow
    from ui.session import Session

    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "ledger.db")
        fill_sample_shop(store)
        session = Session(store)
        session.staff = store.staff[0]
        window = MainWindow(session)
        window.resize(*SIZE)
        window.show()

        def shot(name: str) -> None:
            for _ in range(5):
                app.processEvents()
            path = OUT / f"{name}.png"
            window.grab().save(str(path))
            print(path.relative_to(ROOT))

        till = window.till
        till.name.setText("Jane Smith")
        till.email.setText("jane.smith@example.com")
        till.phone.setText("07700 900461")
        till.address.setPlainText("14 Park Lane\nLeeds")
        till.postcode.setText("LS6 2AB")
        till.event_buttons.buttons()[0].click()
        till.category.setText("Bikes/Road")
        till.offered_yes.setChecked(True)
        till.refused["post"].setChecked(True)
        shot("till-entry")
        till.save()
        shot("till-saved")

        window.tabs.setCurrentWidget(window.book)
        shot("contacts")
        window.open_contact(1)
        shot("contact-page")
        window.tabs.setCurrentWidget(window.campaigns)
        page = window.campaigns
        page.name.setText("Winter offer: road bikes")
        page.category.setText("Bikes/Road")
        page.preview()
        for _ in range(50):
            app.processEvents()
            if page.result is not None:
                break
            import time

            time.sleep(0.05)
        found = page.counts.findItems("lapsed", Qt.MatchFlag.MatchRecursive)
        if found:
            page.counts.setCurrentItem(found[0])
        shot("campaigns")
        window.tabs.setCurrentWidget(window.settings)
        shot("settings")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
