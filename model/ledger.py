"""The ledger CSV import (INTERFACE.md, "The ledger CSV").

All rows or none: the whole file is checked and planned first; only a file
without a single problem is written, in one transaction. Every problem is
listed with the file, the row as a spreadsheet shows it (header = row 1), the
column, the value and what is expected.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import trail
from .categories import ensure_category
from .contacts import (
    CONTACT_FIELDS,
    INSERT_CONTACT_SQL,
    INSERT_EVENT_SQL,
    UPDATE_CONTACT_SQL,
    ContactDetails,
    EventDetails,
    Problem,
    check_contact,
    check_event,
    contact_values,
    event_values,
    fill_missing,
    next_contact_id,
    update_values,
)
from .errors import InputError
from .normalise import category_key, name_key, parse_date, today
from .store import Store, no_cyclic_gc, now_stamp

COLUMNS = (
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "contact_type",
    "company_number",
    "date",
    "event",
    "category",
    "collected_via",
    "optout_offered",
    "optout_how",
    "opted_out",
    "consented",
    "wording",
    "staff",
    "notes",
)
REQUIRED = ("date", "event")
IDENTIFYING = ("name", "email", "phone")


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    contacts_created: int = 0
    contacts_matched: int = 0
    events_added: int = 0
    categories_created: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"{self.file}: {self.rows} rows checked"
            + (" (dry run: nothing written)" if self.dry_run else ""),
            f"contacts created: {self.contacts_created}",
            f"contacts matched: {self.contacts_matched}",
            f"events added: {self.events_added}",
            f"categories created: {self.categories_created}",
        ]
        if self.dry_run:
            lines.append(f"(these {verb} the counts of a real import)")
        lines.extend(self.notes)
        return "\n".join(lines)


def read_text(path: str) -> tuple[str, list[str]]:
    """The file's text (UTF-8, or Windows-1252 as Excel saves it), with notes."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror}") from None
    nul = data.find(b"\x00")
    if nul >= 0:  # anywhere: a NUL would end up inside a name
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            f"{path}: line {line}: a NUL byte: not a CSV text file (a spreadsheet? save it as CSV)"
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        # UTF-8 but for a few bytes: reading it all as Windows-1252 would garble every
        # accented name in it, so the bad bytes are named instead (issue 10)
        raise _not_quite_utf8(path, data.decode("utf-8-sig", errors="replace"))
    return data.decode("cp1252", errors="replace"), [
        f"{path}: not UTF-8; read as Windows-1252 (Excel's own encoding)"
    ]


#: a well-formed multi-byte UTF-8 character (RFC 3629): a file holding some is UTF-8
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _not_quite_utf8(path: str, text: str) -> InputError:
    """The refusal of a UTF-8 file with stray bytes: every cell holding one, by row
    (as a spreadsheet numbers them, the header being row 1) and column."""
    rows = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    problems = []
    for number, cells in enumerate(rows, 1):
        if number == 1:
            header = cells
        for col, cell in enumerate(cells):
            if "\ufffd" in cell:
                column = header[col] if col < len(header) else f"column {col + 1}"
                problems.append(
                    f"{path}: row {number}, column {column}: {cell!r}: bytes that are not "
                    "UTF-8 (shown as \ufffd)"
                )
    return InputError(
        f"{path}: the file is UTF-8 except for {len(problems) or 'some'} "
        f"cell{'' if len(problems) == 1 else 's'}: correct them, or save the file again as "
        "UTF-8; nothing was imported",
        problems[:50],
    )


class _Index:
    """Who is who: the store's contacts, and those the file creates, for matching."""

    def __init__(self, store: Store) -> None:
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name_postcode: dict[tuple[str, str], int] = {}
        #: each contact's current details (for filling in what it lacks)
        self.current: dict[int, ContactDetails] = {}
        self.created_at_row: dict[int, int] = {}
        columns = ", ".join(CONTACT_FIELDS)
        for cid, *values, mobile in store.execute(
            f"SELECT id, {columns}, phone_mobile FROM contacts ORDER BY id"
        ):
            details = ContactDetails(
                **dict(zip(CONTACT_FIELDS, values, strict=True)), phone_mobile=bool(mobile)
            )
            self.remember(cid, details)
        self.next_id = next_contact_id(store)
        self.first_new_id = self.next_id

    def remember(self, cid: int, details: ContactDetails) -> None:
        """Record (or update) a contact's details and index its identifiers."""
        self.current[cid] = details
        if details.email:
            self.by_email.setdefault(details.email, cid)
        if details.phone:
            self.by_phone.setdefault(details.phone, cid)
        if details.name and details.postcode:
            self.by_name_postcode.setdefault((name_key(details.name), details.postcode), cid)

    def describe(self, cid: int) -> str:
        if cid >= self.first_new_id:
            return f"the contact created by row {self.created_at_row[cid]}"
        return f"contact {cid} ({self.current[cid].name or 'no name'})"


@dataclass
class _Plan:
    new_contacts: dict[int, ContactDetails] = field(default_factory=dict)
    fills: dict[int, ContactDetails] = field(default_factory=dict)  # the merged details
    events: list[tuple[int, EventDetails]] = field(default_factory=list)
    matched: set[int] = field(default_factory=set)
    categories: dict[str, str] = field(default_factory=dict)  # key -> path as written


def import_ledger(store: Store, path: str, *, dry_run: bool = False) -> ImportReport:
    """Import a ledger CSV: all rows or none. Raises InputError listing every problem."""
    text, notes = read_text(path)
    label = os.path.basename(path)
    report = ImportReport(file=path, dry_run=dry_run, notes=notes)
    with no_cyclic_gc(), store.transaction():
        plan = _check_and_plan(store, text, path, label, report)
        if not dry_run:
            _apply(store, plan, label, report)
        else:
            report.contacts_created = len(plan.new_contacts)
            report.contacts_matched = len(plan.matched)
            report.events_added = len(plan.events)
            known = {r[0] for r in store.execute("SELECT key FROM categories")}
            report.categories_created = len(_with_parents(plan.categories) - known)
    return report


def _with_parents(categories: dict[str, str]) -> set[str]:
    keys: set[str] = set()
    for key in categories:
        parts = key.split("/")
        keys.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return keys


def _check_and_plan(store: Store, text: str, path: str, label: str, report: ImportReport) -> _Plan:
    """Check every row and plan the writes; InputError listing every problem."""
    problems: list[str] = []

    def problem(row: int, column: str, value: str, expected: str) -> None:
        shown = value if len(value) <= 60 else value[:57] + "..."
        problems.append(f"{path}: row {row}, column {column}: {shown!r}: {expected}")

    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    columns = _read_header(reader, path)
    index = _Index(store)
    plan = _Plan()
    check = _RowChecker(columns)
    width = len(columns)
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{path}: row {row_number + 1}: not readable as CSV: {exc}")
            break
        row_number += 1
        if not "".join(cells).strip():  # a blank row (one join: cheaper than a test per cell)
            continue
        report.rows += 1
        if len(cells) != width:
            problems.append(
                f"{path}: row {row_number}: {len(cells)} values, but the header has {width} columns"
            )
            continue
        checked = check.row(cells, row_number, problem)
        if checked is None:
            continue
        details, event = checked
        contact_id = _match(index, details, row_number, plan, problem)
        if contact_id is None:
            continue
        event.source = f"import {label} row {row_number}"
        if event.category:
            try:
                plan.categories.setdefault(category_key(event.category), event.category)
            except ValueError:
                pass
        plan.events.append((contact_id, event))
    if problems:
        raise InputError(
            f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
            "nothing was imported",
            problems,
        )
    return plan


def _read_header(reader: Iterator[list[str]], path: str) -> list[str]:
    """The header row's column names (lower case); InputError when it is not a ledger's."""
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            f"{path}: the file is empty (expected a header row: date,event,name,...)"
        ) from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file: {exc}") from None
    columns = [h.strip().lower() for h in header]
    header_problems = []
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            header_problems.append(f"{path}: row 1, column {position}: an empty column name")
        elif name not in COLUMNS:
            header_problems.append(
                f"{path}: row 1, column {position}: unknown column {header[position - 1].strip()!r}"
                f" (the columns are: {', '.join(COLUMNS)})"
            )
        elif name in seen:
            header_problems.append(
                f"{path}: row 1, column {position}: column {name!r} appears twice"
            )
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            header_problems.append(f"{path}: row 1: the required column {name!r} is missing")
    if not seen & set(IDENTIFYING):
        header_problems.append(
            f"{path}: row 1: no column identifies the person (name, email or phone)"
        )
    if header_problems:
        raise InputError(f"{path}: the header row is not a ledger CSV header", header_problems)
    return columns


class _RowChecker:
    """The checks of one row (contacts.check_contact and check_event), with the
    contact's checks done once per distinct set of contact cells: a customer's
    rows repeat the same details, and the checks are pure (speed only)."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        #: events happen before they are recorded: a later date is a mistake (a typed
        #: 2062 would silently outrank every real choice; issue 10)
        self.today = today()
        positions = [n for n, name in enumerate(columns) if name in CONTACT_FIELDS]
        self.contact_cells = lambda cells: tuple(cells[n] for n in positions)
        self.contacts: dict[tuple[str, ...], tuple[ContactDetails, list[Problem]]] = {}

    def row(
        self, cells: list[str], row_number: int, problem: Any
    ) -> tuple[ContactDetails, EventDetails] | None:
        """The row's contact details and event; None (its problems reported) when refused."""
        values: dict[str, str | None] = dict(zip(self.columns, cells, strict=True))
        row_problems: list[Problem] = []
        date = None
        raw_date = (values.get("date") or "").strip()
        if not raw_date:
            row_problems.append(("date", "", "a date is required (YYYY-MM-DD or DD/MM/YYYY)"))
        else:
            try:
                date = parse_date(raw_date)
            except ValueError as exc:
                row_problems.append(("date", raw_date, str(exc)))
            else:
                if date > self.today:
                    row_problems.append(("date", raw_date, f"a date after today ({self.today})"))
                    date = None
        key = self.contact_cells(cells)
        checked = self.contacts.get(key)
        if checked is None:
            found: list[Problem] = []
            checked = self.contacts[key] = (check_contact(values, found), found)
        details, found = checked
        row_problems.extend(found)
        event = check_event(values, row_problems, date)
        if not details.identifies() and not any(
            p[0] in ("email", "phone", "postcode") for p in row_problems
        ):
            row_problems.append(
                (
                    "email",
                    "",
                    "nothing identifies the person: give an email, a phone number, "
                    "or a name with a postcode",
                )
            )
        for column, value, expected in row_problems:
            problem(row_number, column, value, expected)
        if row_problems or event is None:
            return None
        return details, event


def _match(
    index: _Index, details: ContactDetails, row: int, plan: _Plan, problem: Any
) -> int | None:
    """Match a row to a contact (email, else phone, else name and postcode) or create one."""
    by_email = index.by_email.get(details.email) if details.email else None
    by_phone = index.by_phone.get(details.phone) if details.phone else None
    if by_email is not None and by_phone is not None and by_email != by_phone:
        problem(
            row,
            "phone",
            details.phone or "",
            f"the email belongs to {index.describe(by_email)} but the phone number to "
            f"{index.describe(by_phone)}: one row cannot be two people",
        )
        return None
    cid = by_email if by_email is not None else by_phone
    if cid is None and details.name and details.postcode:
        cid = index.by_name_postcode.get((name_key(details.name), details.postcode))
    if cid is None:
        if not details.name:
            problem(row, "name", "", "this row creates a new contact, which needs a name")
            return None
        cid = index.next_id
        index.next_id += 1
        index.created_at_row[cid] = row
        plan.new_contacts[cid] = details
        index.remember(cid, details)
        return cid
    # a matched row fills in what the contact lacks, and leaves the rest as it is
    if cid < index.first_new_id:
        plan.matched.add(cid)
    current = index.current[cid]
    if details is current:  # the same details as the row that made it (_RowChecker's cache)
        return cid
    fills = fill_missing(current, details)
    if not fills:
        return cid
    # (the merged details keep a phone's mobile flag: a contact created earlier in the
    # same file lost it when a later row filled in another detail)
    merged = dataclasses.replace(current, **fills)
    index.remember(cid, merged)
    if cid >= index.first_new_id:
        plan.new_contacts[cid] = merged
    else:
        plan.fills[cid] = merged
    return cid


def _apply(store: Store, plan: _Plan, label: str, report: ImportReport) -> None:
    stamp = now_stamp()
    before = store.execute("SELECT COUNT(*) FROM categories").fetchone()[0]
    cache: dict[str, int] = {}
    for key, path in plan.categories.items():
        cache[key] = ensure_category(store, path, cache)
    conn = store.conn
    with store.indexes_rebuilt("contacts", when=_bulk(store, "contacts", len(plan.new_contacts))):
        with trail.bulk_insert(conn, "contacts", len(plan.new_contacts)):
            conn.executemany(
                INSERT_CONTACT_SQL,
                (contact_values(i, d, stamp) for i, d in plan.new_contacts.items()),
            )
        conn.executemany(UPDATE_CONTACT_SQL, (update_values(c, d) for c, d in plan.fills.items()))
    with store.indexes_rebuilt("events", when=_bulk(store, "events", len(plan.events))):
        with trail.bulk_insert(conn, "events", len(plan.events)):
            conn.executemany(
                INSERT_EVENT_SQL,
                (
                    event_values(
                        cid, ev, cache[category_key(ev.category)] if ev.category else None, stamp
                    )
                    for cid, ev in plan.events
                ),
            )
    report.contacts_created = len(plan.new_contacts)
    report.contacts_matched = len(plan.matched)
    report.events_added = len(plan.events)
    report.categories_created = (
        store.execute("SELECT COUNT(*) FROM categories").fetchone()[0] - before
    )
    store.audit(
        "import",
        {
            "file": label,
            "rows": report.rows,
            "contacts_created": report.contacts_created,
            "contacts_matched": report.contacts_matched,
            "events_added": report.events_added,
        },
    )


#: below this many new rows, the indexes are updated row by row as usual
BULK_ROWS = 10_000


def _bulk(store: Store, table: str, adding: int) -> bool:
    """Whether rebuilding ``table``'s indexes beats updating them: many rows, at least
    as many as the table holds already (a first import, or a big one)."""
    if adding < BULK_ROWS:
        return False
    held = store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # table: a fixed name
    return bool(adding >= held)
