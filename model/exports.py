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
_RISKY_START = tuple(_FORMULA_START)  # for str.startswith


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
            os.close(fd)
            os.chmod(temp, 0o666 & ~_umask())  # as a plain open() would create it
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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _open_for_writing(path: str) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="")


#: the contact columns an export may ask for (names, never built from input)
DETAIL_COLUMNS = ("name", "email", "phone", "address", "postcode", "contact_type",
                  "company_number")  # fmt: skip


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


def write_eligible(store: Store, path: str, decisions: Iterable[Decision]) -> int:
    """The eligible contacts by contact_id; email and phone raw (they cannot be formulas)."""
    rows = _by_contact_id(d for d in decisions if d.eligible)
    details = _detail_rows(store, [d.contact_id for d in rows])
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(ELIGIBLE_COLUMNS)
        writer.writerows(_eligible_cells(rows, details))
    return len(rows)


def _eligible_cells(rows: list[Decision], details: dict[int, tuple]) -> Iterator[tuple]:
    """One --out row per decision. ``protect`` written out inline: this runs once per
    contact, and the call itself was a tenth of the file's cost (bytes unchanged)."""
    risky = _RISKY_START
    for d in rows:
        _, email, phone, address, postcode = details[d.contact_id]
        name, basis, evidence = d.name, d.basis, d.evidence
        yield (
            d.contact_id,
            "" if name is None else "'" + name if name.startswith(risky) else name,
            email or "",
            phone or "",
            "" if address is None else "'" + address if address.startswith(risky) else address,
            "" if postcode is None else "'" + postcode if postcode.startswith(risky) else postcode,
            protect(basis),
            "'" + evidence if evidence.startswith(risky) else evidence,
        )


def write_excluded(path: str, decisions: Iterable[Decision]) -> int:
    """The excluded contacts by contact_id, with every reason and the sentence giving them."""
    rows = _by_contact_id(d for d in decisions if not d.eligible)
    with _open_for_writing(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EXCLUDED_COLUMNS)
        writer.writerows(_excluded_cells(rows))
    return len(rows)


def _excluded_cells(rows: list[Decision]) -> Iterator[tuple]:
    risky = _RISKY_START
    reason_cells: dict[tuple[str, ...], str] = {}  # a few dozen combinations recur
    for d in rows:
        name, reasons, explanation = d.name, d.reasons, d.evidence  # excluded: evidence explains
        reasons_cell = reason_cells.get(reasons)
        if reasons_cell is None:
            reasons_cell = reason_cells[reasons] = protect(";".join(reasons))
        yield (
            d.contact_id,
            "" if name is None else "'" + name if name.startswith(risky) else name,
            reasons_cell,
            "'" + explanation if explanation.startswith(risky) else explanation,
        )


def _by_contact_id(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions sorted by contact_id (the engine gives them so: checked, not assumed)."""
    rows = list(decisions)
    ids = [d.contact_id for d in rows]
    if any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
        rows.sort(key=lambda d: d.contact_id)
    return rows


def _detail_rows(store: Store, ids: list[int]) -> dict[int, tuple]:
    """(id, email, phone, address, postcode) of each contact, in one query."""
    store.fill_temp_ids("export_ids", ids)
    rows = store.execute(
        "SELECT c.id, c.email, c.phone, c.address, c.postcode "
        "FROM contacts c JOIN temp.export_ids x ON x.id = c.id"
    )
    return {r[0]: r for r in rows}
