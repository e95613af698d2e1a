"""The till, driven by the keyboard as a cashier would, checked against the store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from model import engine
from ui.till import TillPage


def _till(qtbot, session) -> TillPage:  # type: ignore[no-untyped-def]
    page = TillPage(session)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.name.setFocus()
    return page


def _focused():  # type: ignore[no-untyped-def]
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def _type(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(_focused(), text)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(_focused(), key, modifier)


def _tab_to(qtbot, widget, limit: int = 30) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``widget`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if widget.hasFocus():
            return
        _key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget}")


def _contacts(session) -> list[tuple]:  # type: ignore[no-untyped-def]
    return session.store.execute(
        "SELECT id, name, email, phone, postcode FROM contacts ORDER BY id"
    ).fetchall()


def test_complete_entry_by_keyboard_only(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """A whole till entry with keys alone is saved, and the form says what it means."""
    page = _till(qtbot, session)
    _type(qtbot, "Jane Smith")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Jane@Example.com")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "07700 900123")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "1 High Street, Leeds")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "ls1 9zz")
    _key(qtbot, Qt.Key.Key_F1)  # purchase
    _key(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # category
    assert page.category.hasFocus()
    _type(qtbot, "Bikes/Road")
    _key(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # opt-out offered: yes
    qtbot.waitUntil(page.offered_yes.isChecked)  # a mnemonic clicks after a short animation
    _tab_to(qtbot, page.refused["post"])
    _key(qtbot, Qt.Key.Key_Space)  # refused post
    _key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert _contacts(session) == [(1, "Jane Smith", "jane@example.com", "+447700900123", "LS1 9ZZ")]
    event = engine.contact_events(session.store, 1)[0]
    assert (event.type, event.category, event.optout_offered, event.refused, event.staff) == (
        "purchase",
        "Bikes/Road",
        "yes",
        4,
        "Sam",
    )
    assert event.optout_how == session.store.setting("optout_script")
    assert page.result.text() == (
        "New customer. Jane Smith: email and SMS about Bikes/Road allowed under soft opt-in; "
        "post refused; phone calls: the number was not screened against both the TPS and the "
        "CTPS within 28 days"
    )
    assert page.name.text() == "" and page.name.hasFocus()  # cleared for the next customer


def _fill(page, **values) -> None:  # type: ignore[no-untyped-def]
    for name, text in values.items():
        widget = getattr(page, name)
        if name == "address":
            widget.setPlainText(text)
        else:
            widget.setText(text)


def test_returning_customer_recognised_and_not_duplicated(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """Typing a known email shows the customer; saving adds the visit to them."""
    page = _till(qtbot, session)
    _fill(page, name="Jane Smith", email="jane@example.com", category="Bikes")
    page.event_buttons.buttons()[0].click()
    page.offered_yes.setChecked(True)
    assert page.save()
    page.email.setFocus()
    _type(qtbot, "JANE@example.com")
    qtbot.waitUntil(lambda: page.known.isVisible())
    assert "Returning customer: Jane Smith" in page.known.text()
    assert "Purchase (Bikes)" in page.known.text()
    page.event_buttons.buttons()[2].click()  # quote request
    _fill(page, category="Bikes/Road")
    page.offered_no.setChecked(True)
    assert page.save()
    assert len(_contacts(session)) == 1
    assert [e.type for e in engine.contact_events(session.store, 1)] == [
        "purchase",
        "quote_request",
    ]


def test_refused_channel_excludes_it(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """A channel refused at the till is opted out; the others follow the soft opt-in."""
    page = _till(qtbot, session)
    _fill(page, name="Bob", email="bob@example.com", phone="07700 900124", category="Tools")
    page.event_buttons.buttons()[0].click()
    page.offered_yes.setChecked(True)
    page.refused["email"].setChecked(True)
    assert page.save()
    assert "Bob: SMS about Tools allowed under soft opt-in; email refused" in page.result.text()
    run = engine.run(session.store, engine.CampaignSpec("email", "Tools", "2099-01-01"))
    assert run.decisions[0].reasons == ("opted_out",)


def test_invalid_email_refused_at_the_field(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """A malformed email is flagged in words at its field and nothing is saved."""
    page = _till(qtbot, session)
    _fill(page, name="Jane", email="jane.example.com", category="Bikes")
    page.event_buttons.buttons()[0].click()
    page.offered_yes.setChecked(True)
    assert not page.save()
    assert page.errors["email"].isVisible()
    assert "no @" in page.errors["email"].text()
    assert page.email.hasFocus()
    assert page.result.text() == "Not saved: 1 thing to fix."
    assert _contacts(session) == []


def test_opt_out_question_has_no_default(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """Whether the opt-out was offered must be answered: no default, a conscious choice."""
    page = _till(qtbot, session)
    _fill(page, name="Jane", email="jane@example.com", category="Bikes")
    page.event_buttons.buttons()[0].click()
    assert not page.offered_yes.isChecked() and not page.offered_no.isChecked()
    assert not page.save()
    assert "yes or no" in page.errors["optout_offered"].text()
    assert _contacts(session) == []


def test_consent_needs_its_wording(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """A consent is recorded with the words agreed to; without them it is refused."""
    page = _till(qtbot, session)
    _fill(page, name="Ann", phone="07700 900125")
    page.other_event.setCurrentIndex(page.other_event.findData("newsletter_signup"))
    page._other_event_chosen(page.other_event.currentIndex())
    page.offered_yes.setChecked(True)
    page.consented["sms"].setChecked(True)
    assert not page.save()
    assert page.errors["wording"].isVisible()
    page.wording.setText("Yes, text me offers")
    assert page.save()
    event = engine.contact_events(session.store, 1)[0]
    assert (event.type, event.consented, event.wording) == (
        "newsletter_signup",
        2,
        "Yes, text me offers",
    )
    assert "SMS allowed under consent" in page.result.text()


def test_staff_choice_recorded(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """'Who is serving' is chosen once and recorded on every event."""
    page = _till(qtbot, session)
    page.staff.setCurrentText("Priya")
    assert session.staff == "Priya"
    _fill(page, name="Jane", email="jane@example.com", category="Bikes")
    page.event_buttons.buttons()[1].click()
    page.offered_no.setChecked(True)
    assert page.save()
    assert engine.contact_events(session.store, 1)[0].staff == "Priya"


def test_who_is_serving_must_be_chosen(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """With several staff and nobody chosen, the till asks who is serving before saving."""
    session.staff = ""
    page = _till(qtbot, session)
    assert page.staff.currentText() == "(choose who is serving)"
    _fill(page, name="Jane", email="jane@example.com", category="Bikes")
    page.event_buttons.buttons()[0].click()
    page.offered_yes.setChecked(True)
    assert not page.save()
    assert "who is serving" in page.errors["staff"].text()
    assert _contacts(session) == []
    page.staff.setCurrentIndex(page.staff.findData("Priya"))
    assert session.staff == "Priya"
    assert page.save()
    assert engine.contact_events(session.store, 1)[0].staff == "Priya"
