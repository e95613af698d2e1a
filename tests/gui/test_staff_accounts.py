"""Staff accounts in the window: the Settings section, signing in and switching with a
PIN, and refusals in the same words as the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from model.actions import staff
from ui import staff as staff_ui
from ui.app import MainWindow
from ui.preferences import Preferences
from ui.settings_page import SettingsPage
from ui.staff import NewMember, SignIn
from ui.till import TillPage

OWNER_PIN, TILL_PIN = "73915846", "40286193"


def _answers(monkeypatch, name: str, answers: list) -> Iterator:  # type: ignore[no-untyped-def]
    """Replace one dialog function with a list of answers, given in turn."""
    given = iter(answers)
    monkeypatch.setattr(staff_ui, name, lambda *a, **k: next(given))
    return given


def _last_audit(session) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    action, details = session.store.execute(
        "SELECT action, details FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return action, json.loads(details)


@pytest.fixture
def accounts(session):  # type: ignore[no-untyped-def]
    """Olive (owner) and Priya (till), accounts on, Priya signed in and serving."""
    staff.add_member(session.store, "Olive", "owner", OWNER_PIN)
    staff.add_member(session.store, "Priya", "till", TILL_PIN)
    staff.set_accounts_on(session.store, True)
    staff.sign_in(session.store, "Priya", TILL_PIN)
    session.staff = "Priya"
    return session


@pytest.fixture
def window(qtbot, accounts, tmp_path):  # type: ignore[no-untyped-def]
    w = MainWindow(accounts, Preferences.from_file(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_settings_section_adds_accounts_and_turns_them_on(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Add an owner and a till account from Settings, turn accounts on, sign in at once."""
    page = SettingsPage(session)
    qtbot.addWidget(page)
    box = page.staff_box
    _answers(
        monkeypatch,
        "ask_new_member",
        [
            NewMember("Olive", "owner", OWNER_PIN, OWNER_PIN),
            NewMember("Priya", "till", TILL_PIN, "1111"),
            NewMember("Priya", "till", TILL_PIN, TILL_PIN),
        ],
    )
    assert box.add()
    assert not box.add()
    assert box.message.text() == "the two PINs differ; nothing was changed"
    assert box.add()
    assert [box.list.item(i).text() for i in range(box.list.count())] == [
        "Olive (owner)",
        "Priya (till)",
    ]
    _answers(monkeypatch, "ask_sign_in", [SignIn("Olive", OWNER_PIN)])
    assert box.toggle_accounts()
    assert staff.accounts_on(session.store)
    assert session.staff == "Olive" and staff.signed_in(session.store).name == "Olive"
    assert box.toggle.text() == "Turn accounts off"
    assert OWNER_PIN not in session.store.setting("staff_accounts")


def test_till_member_refused_settings_in_cli_words(qtbot, window, accounts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Priya (till) cannot save settings: the page says why, the store is unchanged."""
    page = window.settings
    page.business_name.setText("Priya's shop now")
    assert not page.save()
    assert page.message.text() == (
        "Not saved: Priya (till) may not change the settings: an owner account is needed"
    )
    assert accounts.store.setting("business_name") == ""
    _answers(monkeypatch, "ask_new_member", [NewMember("Sam", "owner", "2468", "2468")])
    assert not page.staff_box.add()
    assert page.staff_box.message.text() == (
        "Priya (till) may not manage staff accounts: an owner account is needed"
    )


def test_status_bar_switches_staff_with_a_pin(qtbot, window, accounts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Switch staff from the status bar: a wrong PIN is shown and asked again; the right
    one signs the owner in, who may then save settings (and the audit names her)."""
    assert window.switch_staff.isVisible()
    seen: list[str] = []

    def ask(parent, names, chosen="", message=""):  # type: ignore[no-untyped-def]
        seen.append(message)
        return SignIn("Olive", "0000" if len(seen) == 1 else OWNER_PIN)

    monkeypatch.setattr(staff_ui, "ask_sign_in", ask)
    window.switch_staff.click()
    assert seen == ["", "Olive: wrong PIN; not signed in"]
    assert accounts.staff == "Olive"
    assert "Serving: Olive" in window.statusBar().currentMessage()
    assert window.till.staff.currentText() == "Olive"
    window.settings.business_name.setText("Olive's Bikes")
    assert window.settings.save()
    assert _last_audit(accounts) == ("settings", {"business_name": "Olive's Bikes", "by": "Olive"})


def test_till_records_and_audit_names_the_member(qtbot, accounts) -> None:  # type: ignore[no-untyped-def]
    """A till entry saved while Priya is signed in is credited to her and audited as hers."""
    page = TillPage(accounts)
    qtbot.addWidget(page)
    assert page.staff.currentText() == "Priya"
    page.name.setText("Jane Smith")
    page.email.setText("jane@example.com")
    page.event_buttons.buttons()[0].click()
    page.category.setText("Bikes")
    page.offered_yes.click()
    assert page.save(), page.result.text()
    action, details = _last_audit(accounts)
    assert action == "till" and details["by"] == "Priya"


def test_choosing_another_name_at_the_till_asks_for_their_pin(qtbot, accounts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Picking Olive at the till asks for Olive's PIN; cancelling keeps Priya serving."""
    page = TillPage(accounts)
    qtbot.addWidget(page)
    asked: list[str] = []

    def cancel(parent, names, chosen="", message=""):  # type: ignore[no-untyped-def]
        asked.append(chosen)

    monkeypatch.setattr(staff_ui, "ask_sign_in", cancel)
    page.staff.setCurrentIndex(page.staff.findData("Olive"))
    assert asked == ["Olive"]
    assert accounts.staff == "Priya" and page.staff.currentText() == "Priya"
    assert staff.signed_in(accounts.store).name == "Priya"


def test_accounts_off_no_switch_control(qtbot, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Accounts off (the default): no staff control in the status bar, settings save."""
    w = MainWindow(session, Preferences.from_file(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    assert not w.switch_staff.isVisible()
    w.settings.business_name.setText("Corner Shop")
    assert w.settings.save()


def test_sign_in_cancelled_signs_nobody_in(qtbot, accounts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The start-up question cancelled: False (the app does not open), nobody new signed in."""
    staff.sign_out(accounts.store)
    _answers(monkeypatch, "ask_sign_in", [None])
    assert not staff_ui.sign_in(accounts)
    assert staff.signed_in(accounts.store) is None


def test_till_member_may_not_restore(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """File → Restore is refused to the till role before any file is chosen."""
    errors: list[str] = []
    monkeypatch.setattr("ui.app.show_error", lambda parent, title, text: errors.append(text))
    chosen: list[str] = []
    assert not window.restore_from_backup(choose=lambda *a: chosen.append("asked") or None)
    assert chosen == []
    assert errors == [
        "Priya (till) may not make backups or restore one: an owner account is needed"
    ]


def test_start_up_off_names_the_computer_user(session) -> None:  # type: ignore[no-untyped-def]
    """Accounts off: the window opens without a question; the audit names the OS user."""
    import getpass

    assert staff_ui.start_signed_in(session)
    session.store.set_setting("business_name", "Corner Shop")
    assert _last_audit(session)[1]["by"] == getpass.getuser()


def test_start_up_on_asks_until_a_pin_checks(accounts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Accounts on: start-up asks who is serving; a wrong PIN is asked again."""
    staff.sign_out(accounts.store)
    _answers(monkeypatch, "ask_sign_in", [SignIn("Olive", "0000"), SignIn("Olive", OWNER_PIN)])
    assert staff_ui.start_signed_in(accounts)
    assert staff.signed_in(accounts.store).name == "Olive" and accounts.staff == "Olive"


def test_background_task_runs_as_the_signed_in_member(qtbot, window, accounts) -> None:  # type: ignore[no-untyped-def]
    """A campaign preview on a worker thread (its own connection) is refused to the till
    role in the CLI's words: the sign-in travels with the task."""
    page = window.campaigns
    page.category.setText("Bikes")
    page.preview()
    qtbot.waitUntil(lambda: not window.campaigns.tasks.busy, timeout=10_000)
    assert page.message.text() == (
        "Priya (till) may not work with campaigns: an office or owner account is needed"
    )
