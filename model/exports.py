"""CSV files written for people and for mailing services (INTERFACE.md)."""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import TextIO

from .engine import Decision
from .errors import InputError
from .store import Store

ELIGIBLE_COLUMNS = (
    "contact_id",
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "basis",
    "evidence",
)
EXCLUDED_COLUMNS = ("contact_id", "name", "reasons", "explanation")

_FORMULA_START = frozenset("=+-@\t\r")


def protect(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: risky starts get an apostrophe."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text and text[0] in _FORMULA_START:
        return "'" + text
    return text


def check_output_path(path: str, option: str = "") -> None:
    """Refuse, before any work, an output path that cannot be written."""
    label = f"{option} {path}" if option else path
    folder = os.path.dirname(os.path.abspath(path))
    if not path:
        raise InputError(f"{option or 'output'}: an empty file name")
    if not os.path.isdir(folder):
        raise InputError(f"{label}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise InputError(f"{label}: is a folder; give a file name")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{label}: the folder {folder} cannot be written")


@contextlib.contextmanager
def output_files(*paths: str | None) -> Iterator[list[str | None]]:
    """Temporary files beside each target, moved into place only when all are written.

    A command that fails half way leaves no half-written file, and no old file
    replaced by half of a new one.
    """
    for path in paths:
        if path is not None:
            check_output_path(path)
    temps: list[str | None] = []
    try:
        for path in paths:
            if path is None:
                temps.append(None)
                continue
            fd, temp = tempfile.mkstemp(
                dir=os.path.dirname(os.path.abspath(path)),
                prefix="." + os.path.basename(path) + ".",
                suffix=".part",
            )
            os.close(fd)  # mkstemp makes it 0600: customer data is the owner's only
            temps.append(temp)
        yield temps
        for temp_path, target in zip(temps, paths, strict=True):
            if temp_path is not None and target is not None:
                os.replace(temp_path, target)
    except OSError as exc:
        raise InputError(f"{exc.filename or 'output'}: cannot be written: {exc.strerror}") from None
    finally:
        for leftover in temps:
            if leftover is not None and os.path.exists(leftover):
                os.unlink(leftover)


def _open_for_writing(path: str) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="")


#: the contact columns an export may ask for (names, never built from input)
DETAIL_COLUMNS = ("name", "email", "phone", "address", "postcode", "contact_type", "company_number")


def contact_details(
    store: Store,
    ids: Iterable[int],
    columns: tuple[str, ...] = ("email", "phone", "address", "postcode"),
) -> dict[int, tuple]:
    """The given contacts' current details, in one query (an erased one is missing)."""
    unknown = set(columns) - set(DETAIL_COLUMNS)
    if unknown:
        raise ValueError(f"not a contact detail: {sorted(unknown)}")
    store.fill_temp_ids("export_ids", ids)
    selected = ", ".join(f"c.{c}" for c in columns)
    rows = store.execute(
        f"SELECT c.id, {selected} FROM contacts c JOIN temp.export_ids x ON x.id = c.id"
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def _protect_all(values: Iterable[object]) -> list[object]:
    """:func:`protect` over many values: a plain string with a safe first character
    (nearly every one) is kept as it is, without a call each."""
    risky = _FORMULA_START
    return [v if v.__class__ is str and not (v and v[0] in risky) else protect(v) for v in values]


def write_eligible(store: Store, path: str, decisions: Iterable[Decision]) -> int:
    """The eligible contacts by contact_id; email and phone raw (they cannot be formulas)."""
    rows = sorted((d for d in decisions if d.eligible), key=lambda d: d.contact_id)
    details = contact_details(store, (d.contact_id for d in rows))
    columns: list[list[object]] = [[], [], [], [], [], [], [], []]
    ids, names, emails, phones, addresses, postcodes, bases, evidence = columns
    for d in rows:
        email, phone, address, postcode = details[d.contact_id]
        ids.append(d.contact_id)
        names.append(d.name)
        emails.append(email or "")
        phones.append(phone or "")
        addresses.append(address)
        postcodes.append(postcode)
        bases.append(d.basis)
        evidence.append(d.evidence)
    for n in (1, 4, 5, 6, 7):
        columns[n] = _protect_all(columns[n])
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(ELIGIBLE_COLUMNS)
        writer.writerows(zip(*columns, strict=True))
    return len(rows)


def write_excluded(path: str, decisions: Iterable[Decision]) -> int:
    rows = sorted((d for d in decisions if not d.eligible), key=lambda d: d.contact_id)
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EXCLUDED_COLUMNS)
        writer.writerows(
            zip(
                [d.contact_id for d in rows],
                _protect_all([d.name for d in rows]),
                _protect_all([d.reasons_text for d in rows]),
                _protect_all([d.explanation for d in rows]),
                strict=True,
            )
        )
    return len(rows)
