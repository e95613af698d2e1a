"""Filling an empty store with the sample shop (the audit check is in ``safekeeping``)."""

from __future__ import annotations

from model import demo
from model.demo import DemoReport
from model.store import Store

__all__ = ["DemoReport", "fill_sample_shop"]


def fill_sample_shop(store: Store) -> DemoReport:
    """Fill an empty store with the sample shop (refused when the store holds data)."""
    return demo.fill_sample_shop(store)
