"""Recording a customer at the till: check, recognise a returning customer, save,
and the sentence the cashier reads (the rules are in ``model.capture``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from model.actions import staff
from model.actions.staff import Task, require
from model.capture import (
    COMMON_EVENTS,
    Recognised,
    Saved,
    TillEntry,
    check_entry,
    field_error,
    recognise,
)
from model.capture import save_entry as _save_entry
from model.categories import list_categories
from model.store import Store

__all__ = [
    "COMMON_EVENTS",
    "Recognised",
    "Saved",
    "TillEntry",
    "TillLists",
    "check_entry",
    "field_error",
    "recognise",
    "save_entry",
    "till_lists",
]


@dataclass(frozen=True)
class TillLists:
    """What the till offers: who may serve, who serves unless chosen otherwise, the
    categories to complete from, and the opt-out script read out."""

    staff: list[str]
    default_staff: str
    categories: list[str]
    optout_script: str
    #: staff accounts are on: who serves is whoever signed in with a PIN
    accounts_on: bool = False
    signed_in: str = ""


def save_entry(store: Store, entry: TillEntry) -> Saved:
    """Write the customer (new, or the one recognised) and the event, in one transaction."""
    require(store, Task.RECORD)
    entry = dataclasses.replace(entry, staff=staff.credited(store, entry.staff) or "")
    return _save_entry(store, entry)


def till_lists(store: Store) -> TillLists:
    """The staff, the default staff member, the category paths and the script."""
    on = staff.accounts_on(store)
    names = [m.name for m in staff.members(store)] if on else store.staff
    default = store.setting("default_staff").strip()
    member = staff.signed_in(store)
    return TillLists(
        staff=names,
        default_staff=default if default in names else "",
        categories=[c.path for c in list_categories(store)],
        optout_script=store.setting("optout_script"),
        accounts_on=on,
        signed_in=member.name if member is not None else "",
    )
