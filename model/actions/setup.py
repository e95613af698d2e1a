"""Setting up the shop: its settings, its staff, and the category tree.

The ``settings`` command and the Settings page both save through
:func:`set_settings`, so a value refused in one is refused in the other with the
same words. ``default_staff`` (the staff member a consent recorded by hand is
credited to when none is named) must be one of the staff names once there are any.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from model import categories as _categories
from model.actions.staff import Task, require
from model.categories import Category, Link
from model.errors import InputError
from model.store import Store, open_store

if TYPE_CHECKING:  # the sample shop is loaded only when asked for
    from model.demo import DemoReport

__all__ = [
    "Category",
    "Link",
    "add_category",
    "categories",
    "find_category",
    "is_first_run",
    "link_categories",
    "links",
    "open_sample_shop",
    "rename_category",
    "set_one_range",
    "set_setting",
    "set_settings",
    "settings",
    "staff",
]


def settings(store: Store) -> dict[str, str]:
    """Every setting, with its default where none is stored (not the staff accounts,
    which only ``model.actions.staff`` reads and writes)."""
    return {k: v for k, v in store.settings().items() if k != "staff_accounts"}


def staff(store: Store) -> list[str]:
    """The staff who may be chosen as 'who is serving'."""
    return store.staff


def _default_staff_problem(values: dict[str, str], current: dict[str, str]) -> str | None:
    """What is wrong with default_staff after these values are saved (None when fine)."""
    if "default_staff" not in values and "staff" not in values:
        return None
    default = values.get("default_staff", current["default_staff"]).strip()
    raw_names = values.get("staff", current["staff"])
    names = [n.strip() for n in raw_names.replace("\n", ";").split(";") if n.strip()]
    if default and names and default not in names:
        return (
            f"setting default_staff: {default!r} is not allowed: "
            f"expected one of the staff ({', '.join(names)}) or empty"
        )
    return None


def set_settings(store: Store, values: dict[str, str]) -> dict[str, str]:
    """Check every value, then save them all in one transaction; InputError listing
    every problem (nothing saved then). Returns the values as stored."""
    require(store, Task.SETTINGS)
    problem = _default_staff_problem(values, store.settings())
    if problem:
        raise InputError(problem)
    return store.set_settings(values)


def set_setting(store: Store, key: str, value: str) -> str:
    """Check and save one setting; returns the value as stored."""
    return set_settings(store, {key: value})[key]


# --- the category tree ----------------------------------------------------------------


def categories(store: Store) -> list[Category]:
    """Every category, parents before children."""
    return _categories.list_categories(store)


def links(store: Store) -> list[Link]:
    """The pairs of categories the shop linked as similar, with the reason."""
    return _categories.list_links(store)


def find_category(store: Store, path: str) -> Category | None:
    return _categories.find_category(store, path)


def add_category(store: Store, path: str, *, one_range: bool = False) -> tuple[Category, bool]:
    """Add a category (and its parents); returns it and whether anything changed."""
    require(store, Task.SETTINGS)
    return _categories.add_category(store, path, one_range=one_range)


def rename_category(store: Store, path: str, new_name: str) -> Category:
    """Rename the last part of a category's path (its children follow)."""
    require(store, Task.SETTINGS)
    return _categories.rename_category(store, path, new_name)


def set_one_range(store: Store, path: str, one_range: bool) -> Category:
    """Mark (or unmark) a category as one range: everything inside it is similar."""
    require(store, Task.SETTINGS)
    return _categories.set_one_range(store, path, one_range)


def link_categories(store: Store, path_a: str, path_b: str, why: str) -> Link:
    """Mark two existing categories as similar, with the shop's written reason."""
    require(store, Task.SETTINGS)
    return _categories.link_categories(store, path_a, path_b, why)


# --- the first run ------------------------------------------------------------------------


def is_first_run(store: Store) -> bool:
    """An empty store that nobody has set up yet."""
    has_contacts = store.execute("SELECT EXISTS (SELECT 1 FROM contacts)").fetchone()[0]
    return not has_contacts and not store.setting("business_name")


def fill_sample_shop(store: Store) -> DemoReport:
    """Fill an empty store with the sample shop (`demo`; refused when it holds data)."""
    from model import demo

    return demo.fill_sample_shop(store)


def open_sample_shop(path: str | Path) -> Store:
    """The sample shop's own store at ``path``, filled on first use."""
    sample = open_store(path)
    if is_first_run(sample):
        fill_sample_shop(sample)
    return sample
