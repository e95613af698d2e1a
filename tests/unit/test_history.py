"""One person's history: the rows the action gathers and the PDF drawn from them
(reports/history.py only draws; model/actions/records.py gathers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pypdf import PdfReader

from model.actions import open_store, permissions, records
from model.actions.records import WORDING_NOT_RECORDED
from model.store import Store
from tests.ledger_rows import import_rows

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-20"
BASE = {
    "name": "Jane Smith",
    "email": "jane@example.org",
    "phone": "07700 900123",
    "postcode": "LS1 9ZZ",
    "staff": "Priya",
}


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store holding Jane: a purchase, then an imported consent without its wording."""
    s = open_store(tmp_path / "ledger.db")
    rows = [
        {
            **BASE,
            "date": "2026-03-01",
            "event": "purchase",
            "category": "Bikes/Road",
            "collected_via": "in_store",
            "optout_offered": "yes",
            "optout_how": "asked",
        },
        {**BASE, "date": "2026-04-01", "event": "consent", "consented": "email"},
    ]
    import_rows(s, tmp_path, rows)
    yield s
    s.close()


def _jane(store: Store) -> int:
    return records.find_contact(store, email="jane@example.org").id


def _flat(path: Path) -> str:
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return " ".join(text.split())


def test_imported_consent_without_wording_is_kept_and_said_so(store, tmp_path):
    """A consent imported without its wording is kept, and the history PDF says
    "wording not recorded" for it (and only for it)."""
    cid = _jane(store)
    history = records.contact_history(store, cid, produced_by="Sam")
    (consent,) = [e for e in history.events if e.type == "consent"]
    assert consent.wording is None
    assert records.wording_shown(consent) == WORDING_NOT_RECORDED
    (purchase,) = [e for e in history.events if e.type == "purchase"]
    assert records.wording_shown(purchase) == ""
    info = records.write_contact_history(store, cid, tmp_path / "h.pdf", produced_by="Sam")
    flat = _flat(tmp_path / "h.pdf")
    assert info.pages >= 1
    assert flat.count(WORDING_NOT_RECORDED) == 1
    assert "consented to: email; wording not recorded" in flat


def test_consent_recorded_by_hand_prints_its_wording(store, tmp_path):
    """A consent recorded by hand prints the wording shown and who recorded it."""
    cid = _jane(store)
    permissions.record_permission(
        store,
        cid,
        "consent",
        channels="post",
        wording="Yes, post me the catalogue",
        staff="Tom",
        date=TODAY,
        today=TODAY,
    )
    records.write_contact_history(store, cid, tmp_path / "h.pdf")
    flat = _flat(tmp_path / "h.pdf")
    assert "“Yes, post me the catalogue”" in flat and "recorded by Tom" in flat
    assert flat.count(WORDING_NOT_RECORDED) == 1  # the imported one still says so


def test_history_rows_hold_suppressions_and_campaign_reasons(store, tmp_path):
    """The rows carry the suppression entries matching the person, typed."""
    cid = _jane(store)
    (tmp_path / "dnc.txt").write_text("jane@example.org\n", encoding="utf-8")
    from model.suppression import import_suppressions

    import_suppressions(store, str(tmp_path / "dnc.txt"), channels=1, date=TODAY)
    history = records.contact_history(store, cid)
    assert [(s.kind, s.channels, s.date) for s in history.suppressions] == [("email", 1, TODAY)]
    assert history.details.name == "Jane Smith" and history.campaigns == []


def test_history_report_draws_only() -> None:
    """reports/history.py imports no store, engine or SQL: only the actions' rows."""
    tree = ast.parse((ROOT / "reports" / "history.py").read_text(encoding="utf-8"))
    allowed = ("model.actions", "model.vocab", "model.rules", "model.errors", "model.normalise")
    modules = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    ]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [m for m in modules if m.startswith("model") and not m.startswith(allowed)] == []
    source = (ROOT / "reports" / "history.py").read_text(encoding="utf-8")
    assert ".execute(" not in source and "SELECT " not in source


def test_contact_report_command_prints_the_same_history(store, tmp_path):
    """`contact report` writes the action's history (wording not recorded included);
    an unknown contact is refused with exit 1 and no file."""
    from tests.cli_runner import run

    cid = _jane(store)
    out = tmp_path / "cli.pdf"
    result = run(Path(store.path), "contact", "report", "--email", "jane@example.org", "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"contact {cid}: report written to {out} (1 page)" in result.stdout
    records.write_contact_history(store, cid, tmp_path / "action.pdf")
    cli_text, action_text = _flat(out), _flat(tmp_path / "action.pdf")
    assert WORDING_NOT_RECORDED in cli_text
    # the same rows, whoever produced it and when
    strip = lambda t: t.split("2. Every event", 1)[1].split("entered", 1)[0]  # noqa: E731
    assert strip(cli_text) == strip(action_text)
    missing = tmp_path / "none.pdf"
    refused = run(Path(store.path), "contact", "report", "--contact", "999", "--out", missing)
    assert refused.returncode == 1 and "999" in refused.stderr and not missing.exists()
