"""CSV files written for people and for mailing services (INTERFACE.md)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable

from .engine import Decision

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

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: risky starts get an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _open_for_writing(path: str):  # type: ignore[no-untyped-def]
    from .errors import InputError

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"{path}: the folder {folder} does not exist")
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot be written: {exc.strerror}") from None


def write_eligible(path: str, decisions: Iterable[Decision]) -> int:
    """The eligible contacts by contact_id; email and phone raw (they cannot be formulas)."""
    rows = sorted((d for d in decisions if d.eligible), key=lambda d: d.contact_id)
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(ELIGIBLE_COLUMNS)
        for d in rows:
            c = d.contact
            writer.writerow(
                (
                    d.contact_id,
                    protect(d.name),
                    c.get("email") or "",
                    c.get("phone") or "",
                    protect(c.get("address")),
                    protect(c.get("postcode")),
                    protect(d.basis),
                    protect(d.evidence),
                )
            )
    return len(rows)


def write_excluded(path: str, decisions: Iterable[Decision]) -> int:
    rows = sorted((d for d in decisions if not d.eligible), key=lambda d: d.contact_id)
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EXCLUDED_COLUMNS)
        for d in rows:
            writer.writerow(
                (d.contact_id, protect(d.name), protect(d.reasons_text), protect(d.explanation))
            )
    return len(rows)
