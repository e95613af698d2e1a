"""Shared fixtures: every test gets its own data folders and a real store in tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user data, log or config folders."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def store(tmp_path: Path):
    """A fresh, real store file."""
    from model.store import open_store

    s = open_store(tmp_path / "ledger.db")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _logged_errors_fail(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """An unexpected logged error fails the test (STYLE.md), unless the test expects one."""
    yield
    if request.node.get_closest_marker("logs_errors"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= 40]
    assert not errors, "unexpected logged errors: " + "; ".join(r.getMessage() for r in errors)
