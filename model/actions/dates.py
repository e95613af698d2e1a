"""Dates as the front ends give them to the actions: one reading for all of them."""

from __future__ import annotations

from model.errors import InputError
from model.normalise import parse_date, today


def given_date(value: str | None, option: str = "--date") -> str:
    """``YYYY-MM-DD`` as given (checked), or today when omitted; InputError naming the
    option and the value otherwise."""
    if value is None:
        return today()
    try:
        return parse_date(value, allow_uk=False)
    except ValueError as exc:
        raise InputError(f"{option} {value!r}: {exc}") from None
