"""Files that come in: a ledger CSV, a TPS/CTPS screening, a do-not-contact list.

One function per user task. Each reads the file, checks every line first and
writes all of it or nothing, in one transaction; a refusal is an
:class:`~model.errors.InputError` whose ``problems`` name every bad line.
"""

from __future__ import annotations

from dataclasses import dataclass

from model import ledger, screening, suppression
from model.actions.dates import given_date
from model.actions.staff import Task, require
from model.errors import InputError
from model.ledger import ImportReport
from model.normalise import ALL_CHANNELS_MASK, format_channels, parse_channels
from model.screening import ScreeningReport
from model.store import Store
from model.vocab import Register

__all__ = [
    "ImportReport",
    "ScreeningReport",
    "SuppressionReport",
    "import_ledger_file",
    "screen",
    "suppress",
]


@dataclass(frozen=True)
class SuppressionReport:
    """What a do-not-contact list added."""

    file: str
    entries: int
    channels: int  # bit mask (model.normalise.CHANNEL_BIT)
    date: str

    def summary(self) -> str:
        return f"{self.entries} suppression entries added for {format_channels(self.channels)}"


def import_ledger_file(store: Store, path: str, *, dry_run: bool = False) -> ImportReport:
    """Import a ledger CSV (INTERFACE.md): all rows or none; ``dry_run`` writes nothing."""
    require(store, Task.IMPORT)
    return ledger.import_ledger(store, path, dry_run=dry_run)


def screen(
    store: Store, register: Register | str, path: str, date: str | None = None
) -> ScreeningReport:
    """Record a TPS or CTPS screening on ``date`` (default today): the numbers in the
    file are on the register, every other number in the store was screened clear."""
    require(store, Task.SCREEN)
    try:
        chosen = Register(str(register).strip().lower())
    except ValueError:
        raise InputError(f"unknown register {register!r}: expected tps or ctps") from None
    return screening.screen(store, chosen.value, path, given_date(date))


def suppress(
    store: Store, path: str, channels: str | int = ALL_CHANNELS_MASK, date: str | None = None
) -> SuppressionReport:
    """Add a do-not-contact list for the given channels (a list such as ``email;sms``,
    ``all``, or a bit mask); a list that names no channel is refused."""
    require(store, Task.SUPPRESS)
    mask = _channel_mask(channels)
    day = given_date(date)
    count = suppression.import_suppressions(store, path, channels=mask, date=day)
    return SuppressionReport(path, count, mask, day)


def _channel_mask(channels: str | int) -> int:
    if isinstance(channels, int):
        mask = channels
        if mask & ~ALL_CHANNELS_MASK:
            raise InputError(f"channels {channels}: not a channel mask")
    else:
        try:
            mask = parse_channels(channels)
        except ValueError as exc:
            raise InputError(f"--channels {channels!r}: {exc}") from None
    if not mask:
        raise InputError("--channels names no channel")
    return mask
