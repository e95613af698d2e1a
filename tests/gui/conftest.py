"""GUI test fixtures: a real store in tmp_path and a Session on it (offscreen Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def session(tmp_path: Path, qapp):  # type: ignore[no-untyped-def]
    """A Session over a fresh store, with one staff member serving."""
    from model.store import open_store
    from ui.session import Session

    store = open_store(tmp_path / "ledger.db")
    store.set_setting("staff", "Sam;Priya")
    s = Session(store)
    s.staff = "Sam"
    yield s
    store.close()
