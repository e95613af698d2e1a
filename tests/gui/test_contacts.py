"""The contact book and a contact's page, driven through their widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

import ui.contacts as contacts_ui
from model.actions import records, setup
from model.store import Store
from tests.cli_runner import run
from tests.ledger_rows import import_rows
from ui.contacts import (
    ContactBook,
    ContactPage,
    ContactTableModel,
    EventAnswer,
    PermissionAnswer,
    PermissionDialog,
)
from ui.session import Session
from ui.tasks import TaskRunner

TODAY = dt.date.today()
RECENT = (TODAY - dt.timedelta(days=30)).isoformat()
NAMES = ("Smith", "Jones", "Patel", "Brown", "Taylor", "Wilson", "Evans", "Khan")


def person(n: int, **extra: str) -> dict[str, str]:
    """A contact with a recent in-store purchase at which the opt-out was offered."""
    row = {
        "name": f"Alex {NAMES[n % len(NAMES)]} {n:03d}",
        "email": f"alex{n:03d}@example.org",
        "phone": f"07700 900{n:03d}",
        "address": f"{n} High Street, Leeds",
        "postcode": f"LS{1 + n % 9} {n % 10}AA",
        "date": RECENT,
        "event": "purchase",
        "category": "Bikes/Road",
        "collected_via": "in_store",
        "optout_offered": "yes",
        "optout_how": "asked at the till",
        "staff": "Priya",
    }
    row.update(extra)
    return row


def fill(store: Store, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """Write the rows as a ledger CSV and import it, as a shop fills its store."""
    import_rows(store, tmp_path, rows)


def shown(model: ContactTableModel, column: int = 0) -> list[str]:
    """The texts of one column, as the view shows them."""
    return [model.index(r, column).data() for r in range(model.rowCount())]


def contact_id(store: Store, email: str) -> int:
    return int(store.execute("SELECT id FROM contacts WHERE email = ?", (email,)).fetchone()[0])


@pytest.fixture
def book(qtbot: Any, session: Session) -> ContactBook:
    widget = ContactBook(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- the contact list -----------------------------------------------------------------


def test_contact_table_model_passes_qtmodeltester(qtmodeltester, session, tmp_path):
    """The table model keeps Qt's model contract, with batches still to fetch and a search."""
    fill(session.store, tmp_path, [person(n) for n in range(230)])
    model = ContactTableModel(session.store, batch_size=100)
    qtmodeltester.check(model)
    model.set_search("smith")
    qtmodeltester.check(model)


def test_typing_a_search_filters_the_rows(qtbot, session, tmp_path, book):
    """Typed words narrow the list to contacts whose name, email or postcode holds them."""
    fill(session.store, tmp_path, [person(n) for n in range(40)])
    book.refresh()
    assert book.model.rowCount() == 40
    qtbot.keyClicks(book.search, "patel 01")
    qtbot.waitUntil(lambda: shown(book.model) == ["Alex Patel 010", "Alex Patel 018"])
    qtbot.waitUntil(lambda: book.count_label.text() == "2 contacts match")
    book.search.clear()
    qtbot.keyClicks(book.search, "ls4 3aa")  # a postcode, in any case
    qtbot.waitUntil(lambda: shown(book.model, 3) == ["LS4 3AA"])
    assert shown(book.model, 1) == ["alex003@example.org"]


def test_a_phone_number_is_found_however_it_is_typed(qtbot, session, tmp_path, book):
    """'07700 900012' finds the number stored as +447700900012."""
    fill(session.store, tmp_path, [person(n) for n in range(40)])
    book.refresh()
    qtbot.keyClicks(book.search, "07700 900012")
    qtbot.waitUntil(lambda: shown(book.model, 2) == ["+447700900012"])
    qtbot.waitUntil(lambda: book.count_label.text() == "1 contact match")


def test_clicking_a_header_sorts_the_list(qtbot, session, tmp_path, book):
    """Email sorts ascending then descending; a status column leaves the order alone."""
    rows = [person(n) for n in range(12)] + [person(50, email="", name="Zed Nomail")]
    fill(session.store, tmp_path, rows)
    book.refresh()
    header = book.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        pos = QPoint(x, header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    click(ContactTableModel.EMAIL)
    emails = shown(book.model, 1)
    assert emails[:2] == ["alex000@example.org", "alex001@example.org"]
    assert emails[-1] == ""  # no email: last either way
    click(ContactTableModel.EMAIL)
    emails = shown(book.model, 1)
    assert emails[:2] == ["alex011@example.org", "alex010@example.org"]
    assert emails[-1] == ""
    click(ContactTableModel.FIRST_STATUS)
    assert shown(book.model, 1) == emails
    assert header.sortIndicatorSection() == ContactTableModel.EMAIL


def test_scrolling_down_fetches_more_rows(qtbot, session, tmp_path, book):
    """Rows arrive 200 at a time as the view scrolls, and the count covers them all."""
    fill(session.store, tmp_path, [person(n) for n in range(450)])
    book.refresh()
    assert book.model.rowCount() == 200
    assert book.count_label.text() == "450 contacts"
    book.table.scrollToBottom()
    qtbot.waitUntil(lambda: book.model.rowCount() == 400)
    book.table.scrollToBottom()
    qtbot.waitUntil(lambda: book.model.rowCount() == 450)
    assert not book.model.canFetchMore()
    names = shown(book.model)
    assert names == sorted(names, key=lambda n: n.replace(" ", "").casefold())
    assert len(set(names)) == 450


def test_double_click_and_enter_open_a_contact(qtbot, session, tmp_path, book):
    """Double-clicking a row, or Enter on it, asks to open that contact."""
    fill(session.store, tmp_path, [person(n) for n in range(5)])
    book.refresh()
    rect = book.table.visualRect(book.model.index(2, 0))
    with qtbot.waitSignal(book.contact_chosen) as blocker:
        qtbot.mouseClick(book.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(book.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [book.model.contact_id(2)]
    book.table.setFocus()
    with qtbot.waitSignal(book.contact_chosen) as blocker:
        qtbot.keyClick(book.table, Qt.Key.Key_Return)
    assert blocker.args == [book.model.contact_id(2)]


def test_enter_in_the_search_box_opens_the_only_match(qtbot, session, tmp_path, book):
    """Type, press Enter: one match opens; several move into the list instead."""
    fill(session.store, tmp_path, [person(n) for n in range(5)])
    book.refresh()
    book.search.setFocus()
    qtbot.keyClicks(book.search, "alex003")
    with qtbot.waitSignal(book.contact_chosen) as blocker:
        qtbot.keyClick(book.search, Qt.Key.Key_Return)
    assert blocker.args == [contact_id(session.store, "alex003@example.org")]
    book.search.clear()
    qtbot.keyClicks(book.search, "alex")
    with qtbot.assertNotEmitted(book.contact_chosen):
        qtbot.keyClick(book.search, Qt.Key.Key_Return)
    assert book.table.selectionModel().selectedRows()[0].row() == 0


def test_status_columns_say_why(session, tmp_path):
    """Each channel's cell gives the status in a word and the reason in its tooltip."""
    fill(session.store, tmp_path, [person(1), person(2, optout_offered="no", phone="")])
    model = ContactTableModel(session.store)
    email = ContactTableModel.FIRST_STATUS
    assert model.index(0, email).data() == "✓ soft opt-in"
    assert "Purchase on" in model.index(0, email).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, email).data() == "✗ no opt-out offered"
    assert model.index(1, email + 1).data() == "✗ no mobile"
    assert "no_optout_at_collection" in model.index(1, email).data(Qt.ItemDataRole.ToolTipRole)


# --- a contact's page -----------------------------------------------------------------


@pytest.fixture
def page_for(qtbot: Any, session: Session, tmp_path: Path):
    """A contact's page over a small shop (Alex Smith 000 ... 004)."""
    fill(session.store, tmp_path, [person(n) for n in range(5)])

    def make(email: str = "alex001@example.org") -> ContactPage:
        page = ContactPage(session, contact_id(session.store, email))
        qtbot.addWidget(page)
        page.resize(1200, 700)
        page.show()
        return page

    return make


def answer(
    channels: tuple[str, ...] = ("email",),
    date: str = TODAY.isoformat(),
    via: str = "phone call",
    wording: str = "",
) -> PermissionAnswer:
    return PermissionAnswer(channels, date, via, wording)


def test_opt_out_from_the_page_changes_that_channels_status(
    qtbot, session, page_for, monkeypatch, book
):
    """An opt-out for email turns email from allowed to opted out, here and in the list."""
    page = page_for()
    assert page.status["email"].text() == "<b>✓ soft opt-in</b>"
    row = book.model.row_of(page.contact_id)
    assert book.model.index(row, ContactTableModel.FIRST_STATUS).data() == "✓ soft opt-in"
    monkeypatch.setattr(
        contacts_ui, "ask_opt_out", lambda parent, today, staff: answer(via="phone call")
    )

    qtbot.mouseClick(page.opt_out_button, Qt.MouseButton.LeftButton)

    assert page.status["email"].text() == "<b>✗ opted out</b>"
    assert "opted_out" in page.explanation["email"].text()
    assert page.status["sms"].text() == "<b>✓ soft opt-in</b>"  # other channels unchanged
    row = book.model.row_of(page.contact_id)
    assert book.model.index(row, ContactTableModel.FIRST_STATUS).data() == "✗ opted out"
    stored = session.store.query(
        "SELECT type, refused, staff, notes, date FROM events WHERE contact_id = ? "
        "AND type = 'opt_out'",
        (page.contact_id,),
    )
    assert [tuple(r) for r in stored] == [
        ("opt_out", 1, "Sam", "received via phone call", TODAY.isoformat())
    ]
    assert page.timeline_model.index(0, 1).data() == "Opt-out"
    assert page.timeline_model.index(0, 9).data() == "Sam"
    assert "recorded by Sam" in page.result.text()


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (answer(channels=()), "names no channel"),
        (answer(date="2999-01-01"), "in the future"),
        (answer(date="2026-02-31"), "no such date"),
    ],
)
def test_invalid_opt_out_is_refused_in_words(session, page_for, monkeypatch, qtbot, bad, words):
    """A bad answer is explained, and nothing is written."""
    page = page_for()
    before = session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    messages: list[str] = []
    monkeypatch.setattr(contacts_ui, "ask_opt_out", lambda parent, today, staff: bad)
    monkeypatch.setattr(contacts_ui, "show_error", lambda parent, text: messages.append(text))
    qtbot.mouseClick(page.opt_out_button, Qt.MouseButton.LeftButton)
    assert len(messages) == 1 and words in messages[0]
    assert session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before
    assert page.status["email"].text() == "<b>✓ soft opt-in</b>"


def test_cancelling_a_dialog_records_nothing(session, page_for, monkeypatch, qtbot):
    """Cancel writes nothing and says nothing."""
    page = page_for()
    before = session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    monkeypatch.setattr(contacts_ui, "ask_objection", lambda parent, today, staff: None)
    qtbot.mouseClick(page.objection_button, Qt.MouseButton.LeftButton)
    assert session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before
    assert page.result.text() == ""


def test_consent_and_objection_from_the_page(session, page_for, monkeypatch, qtbot):
    """A consent shows as the basis; a later objection stops every channel."""
    page = page_for()
    monkeypatch.setattr(
        contacts_ui,
        "ask_consent",
        lambda parent, today, staff: answer(("post",), via="letter", wording="Yes, post me offers"),
    )
    qtbot.mouseClick(page.consent_button, Qt.MouseButton.LeftButton)
    assert page.status["post"].text() == "<b>✓ consent</b>"
    assert "Yes, post me offers" in page.explanation["post"].text()

    monkeypatch.setattr(
        contacts_ui, "ask_objection", lambda parent, today, staff: answer((), via="in person")
    )
    qtbot.mouseClick(page.objection_button, Qt.MouseButton.LeftButton)
    texts = {ch: page.status[ch].text() for ch in ("email", "sms", "post", "phone")}
    # on the same day as the consent, the objection stands unless consented on a later day
    assert texts["email"] == "<b>✗ objected</b>"
    assert "objected" in page.explanation["post"].text()


def test_new_event_from_the_page(session, page_for, monkeypatch, qtbot):
    """A new event appears at the top of the timeline with who recorded it."""
    page = page_for()
    event = EventAnswer(
        event="quote_request",
        date=TODAY.isoformat(),
        category="Bikes/Gravel",
        collected_via="phone",
        optout_offered="yes",
        optout_how="read the opt-out script",
        refused=("sms",),
    )
    monkeypatch.setattr(contacts_ui, "ask_event", lambda *a: event)
    qtbot.mouseClick(page.event_button, Qt.MouseButton.LeftButton)
    top = [page.timeline_model.index(0, c).data() for c in range(11)]
    assert top[:7] == [
        TODAY.isoformat(),
        "Quote request",
        "Bikes/Gravel",
        "by phone",
        "yes",
        "read the opt-out script",
        "SMS",
    ]
    assert top[9] == "Sam"
    assert "Bikes/Gravel" in page.question.text()
    assert page.status["sms"].text() == "<b>✗ opted out</b>"


def test_new_event_with_problems_lists_them(session, page_for, monkeypatch, qtbot):
    """A purchase without a category is refused, naming the missing category."""
    page = page_for()
    messages: list[str] = []
    monkeypatch.setattr(
        contacts_ui, "ask_event", lambda *a: EventAnswer(event="purchase", date=TODAY.isoformat())
    )
    monkeypatch.setattr(contacts_ui, "show_error", lambda parent, text: messages.append(text))
    before = session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    qtbot.mouseClick(page.event_button, Qt.MouseButton.LeftButton)
    assert messages and "category" in messages[0]
    assert session.store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_timeline_model_passes_qtmodeltester(qtmodeltester, page_for):
    """The timeline's table model keeps Qt's model contract."""
    page = page_for()
    qtmodeltester.check(page.timeline_model)


def test_page_shows_details_and_timeline(page_for):
    """The page shows the contact's details and every event with its opt-out offer."""
    page = page_for("alex003@example.org")
    assert page.title.text() == "Alex Brown 003"
    assert page.details["phone"].text() == "+447700900003 (mobile)"
    assert page.details["postcode"].text() == "LS4 3AA"
    row = [page.timeline_model.index(0, c).data() for c in range(11)]
    assert row[:6] == [RECENT, "Purchase", "Bikes/Road", "in store", "yes", "asked at the till"]
    assert row[9] == "Priya"


def test_permission_dialog_needs_a_channel(qtbot):
    """The consent dialog's OK waits for a channel, then returns what was entered."""
    dialog = PermissionDialog("consent", TODAY.isoformat(), staff="Sam")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert "channels" in dialog.problem.text()
    dialog.channels["sms"].setChecked(True)
    dialog.wording.setPlainText("Yes, text me")
    dialog.via.setCurrentText("letter")
    dialog.date.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-3))
    assert ok.isEnabled()
    assert dialog.answer() == PermissionAnswer(
        ("sms",), (TODAY - dt.timedelta(days=3)).isoformat(), "letter", "Yes, text me"
    )


# --- the same answer and the same refusal as the command line ---------------------------


def cli_error(db: str, *args: str) -> str:
    """The command line's refusal (exit 1) of ``record ...``, without "error: "."""
    result = run(Path(db), "record", *args)
    assert result.returncode == 1, result.stdout
    return result.stderr.strip().splitlines()[-1].removeprefix("error: ")


def test_opt_out_dialog_offers_every_channel_ticked(qtbot):
    """The opt-out dialog starts on "Every channel" (its answer: no channels, meaning all);
    unticking it enables the channel boxes, and OK waits for one."""
    dialog = PermissionDialog("opt_out", TODAY.isoformat(), staff="")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.every_channel is not None and dialog.every_channel.isChecked()
    assert not any(b.isEnabled() for b in dialog.channels.values())
    assert ok.isEnabled() and dialog.answer().channels is None
    dialog.every_channel.setChecked(False)
    assert all(b.isEnabled() for b in dialog.channels.values())
    assert not ok.isEnabled() and "names no channel" in dialog.problem.text()
    dialog.channels["post"].setChecked(True)
    assert ok.isEnabled() and dialog.answer().channels == ("post",)


def test_opt_out_without_channels_stops_all_in_both_front_ends(session, page_for, monkeypatch):
    """An opt-out naming no channel stops every channel, from the page (the dialog as it
    opens) and from `record opt-out` alike: the same event, the same statuses."""
    store = session.store
    page = page_for("alex001@example.org")
    dialog = PermissionDialog("opt_out", TODAY.isoformat(), staff="Sam")
    monkeypatch.setattr(contacts_ui, "ask_opt_out", lambda parent, today, staff: dialog.answer())
    page.opt_out_button.click()
    other = contact_id(store, "alex002@example.org")
    result = run(Path(store.path), "record", "opt-out", "--contact", other, "--staff", "Sam")
    assert result.returncode == 0, result.stderr
    assert "all channels" in result.stdout and "all" in page.result.text().lower()

    def opt_out(cid: int) -> tuple:
        return tuple(
            store.execute(
                "SELECT type, refused, consented, staff, source FROM events "
                "WHERE contact_id = ? AND type = 'opt_out'",
                (cid,),
            ).fetchone()
        )

    assert opt_out(page.contact_id) == opt_out(other) == ("opt_out", 15, 0, "Sam", "record")
    statuses = records.channel_status(store, [page.contact_id, other])
    for cid in (page.contact_id, other):
        assert {ch: d.reasons for ch, d in statuses[cid].items()} == {
            ch: ("opted_out",) for ch in ("email", "sms", "post", "phone")
        }


@pytest.mark.parametrize(
    ("given", "argv"),
    [
        (answer(("sms",), wording=""), ["--channels", "sms", "--staff", "Sam"]),
        (answer(("sms",), wording="Yes, text me"), ["--channels", "sms", "--wording", "Yes"]),
        (answer((), wording="Yes"), ["--channels", ";;", "--wording", "Yes", "--staff", "Sam"]),
    ],
    ids=["no wording", "no staff", "no channel"],
)
def test_consent_refused_with_the_command_lines_words(session, page_for, monkeypatch, given, argv):
    """A consent without its wording, its staff member or a channel is refused by the
    page's dialog, by the page and by `record consent` in the same words, and nothing
    is written."""
    store = session.store
    page = page_for()
    if "--staff" not in argv:
        session.staff = ""  # nobody serving, and no default_staff: no one to credit
    expected = cli_error(store.path, "consent", "--contact", str(page.contact_id), *argv)
    assert any(option in expected for option in ("--wording", "--staff", "--channels"))
    dialog = PermissionDialog("consent", TODAY.isoformat(), staff=session.staff)
    for channel in given.channels or ():
        dialog.channels[channel].setChecked(True)
    dialog.wording.setPlainText(given.wording)
    assert dialog.problem.text() == expected
    before = store.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    messages: list[str] = []
    monkeypatch.setattr(contacts_ui, "ask_consent", lambda parent, today, staff: given)
    monkeypatch.setattr(contacts_ui, "show_error", lambda parent, text: messages.append(text))
    page.consent_button.click()
    assert messages == [expected]
    assert store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_consent_without_staff_takes_the_default_in_both(session, page_for, monkeypatch):
    """With default_staff set, a consent with nobody serving is credited to it, on the
    page and on the command line alike."""
    store = session.store
    setup.set_setting(store, "default_staff", "Priya")
    session.staff = ""
    page = page_for()
    monkeypatch.setattr(
        contacts_ui, "ask_consent", lambda parent, today, staff: answer(("sms",), wording="Yes")
    )
    page.consent_button.click()
    other = contact_id(store, "alex002@example.org")
    result = run(
        Path(store.path),
        "record",
        "consent",
        "--contact",
        other,
        "--channels",
        "sms",
        "--wording",
        "Yes",
    )
    assert result.returncode == 0, result.stderr
    staff = store.execute(
        "SELECT contact_id, staff FROM events WHERE type = 'consent' ORDER BY contact_id"
    ).fetchall()
    assert sorted(tuple(r) for r in staff) == sorted([(page.contact_id, "Priya"), (other, "Priya")])


def test_timeline_says_when_a_consents_wording_was_not_recorded(session, tmp_path, qtbot):
    """An imported consent without wording shows "wording not recorded" in the timeline."""
    fill(
        session.store,
        tmp_path,
        [person(1), person(1, event="consent", consented="email", category="", optout_offered="")],
    )
    page = ContactPage(session, contact_id(session.store, "alex001@example.org"))
    qtbot.addWidget(page)
    wording = {
        page.timeline_model.index(r, 1).data(): page.timeline_model.index(r, 8).data()
        for r in range(page.timeline_model.rowCount())
    }
    assert wording == {"Consent": "wording not recorded", "Purchase": ""}


def test_erase_from_the_page_and_the_command_line_agree(session, page_for, monkeypatch, qtbot):
    """Erasing from the page and with `contact erase` leave the same: no contact, no
    events, a suppression entry for each identifier on every channel."""
    monkeypatch.setattr(TaskRunner, "synchronous", True)
    store = session.store
    page = page_for("alex001@example.org")
    monkeypatch.setattr(contacts_ui, "ask_confirm_erase", lambda parent, name: True)
    with qtbot.waitSignal(page.erased):
        page.erase_button.click()
    other = contact_id(store, "alex002@example.org")
    result = run(Path(store.path), "contact", "erase", "--contact", other)
    assert result.returncode == 0, result.stderr
    for cid in (page.contact_id, other):
        assert records.contact_name(store, cid) is None
        assert (
            store.execute("SELECT COUNT(*) FROM events WHERE contact_id = ?", (cid,)).fetchone()[0]
            == 0
        )
    kept = store.execute(
        "SELECT kind, channels, COUNT(*) FROM suppressions GROUP BY kind, channels"
    ).fetchall()
    assert sorted(tuple(r) for r in kept) == [
        ("email", 15, 2),
        ("name_postcode", 15, 2),
        ("phone", 15, 2),
    ]
    assert "Erased" in page.result.text()
