"""Writing ledger rows as a CSV file and importing them, as a shop fills its store."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from model.ledger import COLUMNS, import_ledger
from model.store import Store


def write_ledger(path: Path, rows: Iterable[Mapping[str, str]]) -> Path:
    """A ledger CSV with every column of the interface, the rows' values in place."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in COLUMNS} for row in rows)
    return path


def import_rows(store: Store, folder: Path, rows: Iterable[Mapping[str, str]]) -> None:
    """Write the rows as ``ledger.csv`` in ``folder`` and import them."""
    import_ledger(store, str(write_ledger(folder / "ledger.csv", rows)))
