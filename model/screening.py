"""TPS and CTPS screening (DOMAIN.md 4.4 and section 6)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .ledger import read_text
from .normalise import quick_phone_key
from .store import Store, now_stamp
from .vocab import Register

REGISTERS: tuple[str, ...] = tuple(Register)


@dataclass
class ScreeningReport:
    register: str
    date: str
    numbers_in_file: int
    screened: int
    listed: int

    def summary(self) -> str:
        return (
            f"{self.register.upper()} screening on {self.date}: {self.numbers_in_file} numbers "
            f"in the file; {self.screened} numbers in the store screened: {self.listed} on the "
            f"register, {self.screened - self.listed} clear"
        )


def screen(
    store: Store, register: str, path: str, date: str, *, source: str | None = None
) -> ScreeningReport:
    """Record a screening: numbers in the file are on the register on ``date``; every
    other number in the store was screened clear that day. All or nothing."""
    if register not in REGISTERS:
        raise InputError(f"unknown register {register!r}: expected tps or ctps")
    listed, count = read_register(path)
    with store.transaction():
        phones = [r[0] for r in store.execute("SELECT phone FROM contacts WHERE phone IS NOT NULL")]
        on_register = sum(1 for p in phones if p in listed)
        # every listed number is remembered, so a customer who comes in after the
        # screening with a listed number is known to be on the register; only the
        # numbers in the store were screened clear
        results = {p: 1 for p in listed}
        results.update((p, int(p in listed)) for p in phones)
        cur = store.execute(
            "INSERT INTO screenings(register, date, source, numbers_listed, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (register, date, source or path, count, now_stamp()),
        )
        screening_id = cur.lastrowid
        store.conn.executemany(
            "INSERT INTO screening_results(screening_id, phone, register, date, listed) "
            "VALUES (?, ?, ?, ?, ?)",
            ((screening_id, p, register, date, flag) for p, flag in results.items()),
        )
        store.audit(
            "screen",
            {
                "register": register,
                "date": date,
                "file": path,
                "screened": len(phones),
                "listed": on_register,
            },
        )
    return ScreeningReport(register, date, count, len(phones), on_register)


def read_register(path: str) -> tuple[set[str], int]:
    """The numbers a register file (or a screening result) lists, and how many lines
    named a number. Refuses the whole file, naming every line, if any is no number."""
    text, _ = read_text(path)
    listed: set[str] = set()
    problems = []
    count = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        value = line.strip().strip('"').strip()
        if not value or value.startswith("#"):
            continue
        key = quick_phone_key(value)
        if key is None:
            if line_number == 1 and not any(ch.isdigit() for ch in value):
                continue  # a header line such as "number"
            problems.append(
                f"{path}: line {line_number}: {value[:40]!r}: not a telephone number "
                "(expected e.g. 0113 4960123, 07700900123 or +44 7700 900123)"
            )
            continue
        count += 1
        listed.add(key)
    if problems:
        raise InputError(
            f"{path}: {len(problems)} line{'s' if len(problems) != 1 else ''} not understood; "
            "nothing was recorded",
            problems,
        )
    return listed, count
