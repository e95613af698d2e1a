"""The use-case layer: one function for each thing a user does.

The command line (``main.py``), the widgets (``ui/``) and the printed reports
(``reports/``) are three callers of these functions, so a rule answers the same way
wherever it is asked (STYLE.md, "One entry per user task"). Each function takes the
open store and plain values, returns a typed result (a dataclass or a named tuple),
and refuses bad input by raising :class:`model.errors.InputError` with a message
that names what is wrong; nothing is half written (one transaction per action).

The areas, one module each:

- ``setup``: settings and the category tree;
- ``till``: recording a customer at the till;
- ``permissions``: recording an opt-out, a consent or an objection;
- ``records``: the contact book, one person's page, history report rows, erasure;
- ``imports``: ledger files, TPS/CTPS screenings, suppression lists;
- ``recipients``: deciding a campaign's recipients before it is frozen (``eligible``);
- ``campaigns``: creating (freezing), listing, marking sent, exporting a campaign,
  and the rows its printed reports draw.

``ui/`` and ``reports/`` import from ``model`` only this package, ``model.vocab``,
``model.rules``, ``model.errors`` and ``model.normalise`` (pure text functions);
``tests/unit/test_architecture.py`` keeps it so. The store is reached through the
names re-exported here.
"""

from __future__ import annotations

from model.campaigns import Campaign
from model.exports import check_output_path, output_files
from model.store import Store, damaged, default_store_path, open_store, private_folder

__all__ = [
    "Campaign",
    "Store",
    "check_output_path",
    "damaged",
    "default_store_path",
    "open_store",
    "output_files",
    "private_folder",
]
