"""Staff accounts (optional, off by default): who is signed in, and who may do what.

Each member has a name, a role and a PIN of 4 to 8 digits, kept only as an argon2
hash. The roles nest: ``till`` records contacts and permissions; ``office`` also
works with campaigns, exports, reports, imports, screenings and suppression lists;
``owner`` also changes settings, erases people, makes backups and restores, and
manages the staff accounts.

This module is the one place that decides who may do what: every action that needs
a role calls :func:`require` (``staff.require(store, Task.IMPORT)``), which does
nothing while accounts are off, so the shop works as it always has.

The accounts live in the store (the setting row ``staff_accounts``, JSON), written
only here, each change in one transaction with its audit entry (never the PIN or
its hash in the entry). They are left out of the settings the ``settings`` command
and page show, and the ``settings`` command cannot write them.

Wrong PINs: after ``MAX_WRONG_PINS`` wrong PINs in a row a member's sign-in is
locked for ``LOCK_MINUTES`` (kept in the store, so starting the command line again
does not reset it); a right PIN clears the count. A PIN has only 10,000 to 10^8
values: the lock guards the front ends, the hash keeps the PIN from being read off
the file; anyone who copies the file can still try every PIN against the hash.
"""

from __future__ import annotations

import datetime as _dt
import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from model.errors import InputError
from model.store import Store

__all__ = [
    "Role",
    "StaffMember",
    "Task",
    "accounts_on",
    "add_member",
    "authorise",
    "carry_sign_in",
    "change_pin",
    "computer_user",
    "credited",
    "members",
    "remove_member",
    "require",
    "set_accounts_on",
    "sign_in",
    "sign_out",
    "signed_in",
]

SETTING_KEY = "staff_accounts"
MAX_WRONG_PINS = 5
LOCK_MINUTES = 5


class Role(StrEnum):
    TILL = "till"
    OFFICE = "office"
    OWNER = "owner"


_RANK = {Role.TILL: 0, Role.OFFICE: 1, Role.OWNER: 2}


class Task(StrEnum):
    """What a member may be asked to do; the value is the words of a refusal."""

    RECORD = "record contacts and permissions"
    CAMPAIGNS = "work with campaigns"
    EXPORT = "export contacts"
    REPORTS = "print reports"
    AUDIT = "check the audit trail"
    IMPORT = "import ledger files"
    SCREEN = "record TPS or CTPS screenings"
    SUPPRESS = "add suppression lists"
    SETTINGS = "change the settings"
    ERASE = "erase a person"
    BACKUP = "make backups or restore one"
    STAFF = "manage staff accounts"


#: the least role that may do each task
NEEDS: dict[Task, Role] = {
    Task.RECORD: Role.TILL,
    Task.CAMPAIGNS: Role.OFFICE,
    Task.EXPORT: Role.OFFICE,
    Task.REPORTS: Role.OFFICE,
    Task.AUDIT: Role.OFFICE,
    Task.IMPORT: Role.OFFICE,
    Task.SCREEN: Role.OFFICE,
    Task.SUPPRESS: Role.OFFICE,
    Task.SETTINGS: Role.OWNER,
    Task.ERASE: Role.OWNER,
    Task.BACKUP: Role.OWNER,
    Task.STAFF: Role.OWNER,
}


@dataclass(frozen=True)
class StaffMember:
    name: str
    role: Role

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


#: who is signed in on each open store (set only by sign_in, after the PIN checks)
_SIGNED_IN: weakref.WeakKeyDictionary[Store, StaffMember] = weakref.WeakKeyDictionary()


# --- reading ------------------------------------------------------------------------


def _load(store: Store) -> dict[str, Any]:
    raw = store.setting(SETTING_KEY)
    data: dict[str, Any] = json.loads(raw) if raw else {}
    data.setdefault("on", False)
    data.setdefault("members", [])
    return data


def accounts_on(store: Store) -> bool:
    """Staff accounts are turned on: every task needs a signed-in member."""
    return bool(_load(store)["on"])


def members(store: Store) -> list[StaffMember]:
    """Every account, in the order added (names and roles only)."""
    return [StaffMember(m["name"], Role(m["role"])) for m in _load(store)["members"]]


def _find(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    key = name.strip().casefold()
    return next((m for m in data["members"] if m["name"].casefold() == key), None)


# --- who may do what --------------------------------------------------------------------


def authorise(store: Store, who: StaffMember | None, task: Task) -> None:
    """Refuse (InputError) unless ``who`` may do ``task``; always allowed while
    accounts are off."""
    if not accounts_on(store):
        return
    if who is None:
        raise InputError(
            f"staff accounts are on: sign in to {task.value} "
            "(on the command line: --staff NAME, with the PIN in OPTIN_LEDGER_PIN)"
        )
    needed = NEEDS[task]
    if _RANK[who.role] < _RANK[needed]:
        roles = "an office or owner account" if needed is Role.OFFICE else "an owner account"
        raise InputError(f"{who.name} ({who.role}) may not {task.value}: {roles} is needed")


def require(store: Store, task: Task) -> None:
    """The member signed in on this store may do ``task`` (always, while accounts are
    off); InputError naming the role needed otherwise. The one call an action adds."""
    authorise(store, signed_in(store), task)


def credited(store: Store, named: str | None) -> str | None:
    """Who an event is credited to: with accounts on, always the signed-in member (an
    event's staff is evidence, so it is never someone else's name); off, as named."""
    if not accounts_on(store):
        return named
    member = signed_in(store)
    return member.name if member is not None else named


def signed_in(store: Store) -> StaffMember | None:
    """Who signed in on this store with a PIN (None when nobody has)."""
    return _SIGNED_IN.get(store)


def sign_out(store: Store) -> None:
    _SIGNED_IN.pop(store, None)
    store.actor = ""


def carry_sign_in(source: Store, target: Store) -> None:
    """Whoever is signed in on ``source`` is signed in on ``target``, another connection
    to the same file (a background task's)."""
    member = signed_in(source)
    if member is not None:
        _SIGNED_IN[target] = member
    target.actor = source.actor


def computer_user() -> str:
    """The operating system's user name: who is named on audit entries while accounts are off."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id
        return "unknown user"


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def sign_in(store: Store, name: str, pin: str) -> StaffMember:
    """Check the member's PIN; on success they are signed in on this store and named
    on every audit entry (``store.actor``). A wrong PIN is refused with a clear
    message and counted (the sign-in locks after MAX_WRONG_PINS in a row)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    data = _load(store)
    entry = _find(data, name)
    if entry is None:
        known = ", ".join(m["name"] for m in data["members"]) or "none yet"
        raise InputError(f"no staff account named {name.strip()!r} (the accounts: {known})")
    locked = entry.get("locked_until")
    if locked and _dt.datetime.fromisoformat(locked) > _now():
        until = _dt.datetime.fromisoformat(locked).astimezone().strftime("%H:%M")
        raise InputError(
            f"{entry['name']}: sign-in locked after {MAX_WRONG_PINS} wrong PINs; "
            f"try again after {until}"
        )
    try:
        PasswordHasher().verify(entry["pin_hash"], pin)
    except (VerificationError, InvalidHashError):
        message = [f"{entry['name']}: wrong PIN; not signed in"]

        def count(data: dict[str, Any]) -> dict[str, Any]:
            found = _find(data, entry["name"]) or {}
            found["wrong"] = int(found.get("wrong", 0)) + 1
            details: dict[str, Any] = {"change": "wrong PIN", "name": entry["name"]}
            if found["wrong"] >= MAX_WRONG_PINS:
                until_at = _now() + _dt.timedelta(minutes=LOCK_MINUTES)
                found["locked_until"] = details["locked_until"] = until_at.isoformat(
                    timespec="seconds"
                )
                found["wrong"] = 0
                message.append(
                    f"(sign-in locked for {LOCK_MINUTES} minutes after {MAX_WRONG_PINS} wrong PINs)"
                )
            return details

        _update(store, count)
        raise InputError(" ".join(message)) from None
    if entry.get("wrong") or entry.get("locked_until"):

        def clear(data: dict[str, Any]) -> dict[str, Any]:
            found = _find(data, entry["name"]) or {}
            found.pop("wrong", None)
            found.pop("locked_until", None)
            return {"change": "signed in after wrong PINs", "name": entry["name"]}

        _update(store, clear)
    member = StaffMember(entry["name"], Role(entry["role"]))
    _SIGNED_IN[store] = member
    store.actor = member.name
    return member


# --- managing the accounts ---------------------------------------------------------------


def _update(store: Store, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Read the accounts, ``change`` them (it returns the audit details, never a PIN or
    its hash; an InputError from it writes nothing) and write them back with the audit
    entry, in one transaction: the write lock is taken before the read, so two programs
    changing accounts at once never lose one another's change."""
    with store.transaction():
        data = _load(store)
        details = change(data)
        store.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (SETTING_KEY, json.dumps(data, sort_keys=True, ensure_ascii=False)),
        )
        store.audit("staff", details)


def _check_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise InputError("a PIN is 4 to 8 digits (0-9)")
    return pin


def _hash(pin: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(_check_pin(pin))


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InputError("a staff member needs a name")
    if len(name) > 40:
        raise InputError(f"staff name {name[:40]!r}...: at most 40 characters")
    if ";" in name or not name.isprintable():
        raise InputError(f"staff name {name!r}: letters, digits, spaces and punctuation but no ';'")
    return name


def _role(role: Role | str) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise InputError(f"role {role!r}: expected till, office or owner") from None


def _entry(data: dict[str, Any], name: str) -> dict[str, Any]:
    entry = _find(data, name)
    if entry is None:
        raise InputError(f"no staff account named {name.strip()!r}")
    return entry


def _owners_left(data: dict[str, Any]) -> int:
    return sum(1 for m in data["members"] if m["role"] == Role.OWNER)


def add_member(store: Store, name: str, role: Role | str, pin: str) -> StaffMember:
    """Add an account (an owner's task once accounts are on)."""
    require(store, Task.STAFF)
    name, role = _check_name(name), _role(role)
    pin_hash = _hash(pin)  # slow on purpose: done before the write lock is taken

    def add(data: dict[str, Any]) -> dict[str, Any]:
        if _find(data, name) is not None:
            raise InputError(f"there is already a staff account named {name!r}")
        data["members"].append({"name": name, "role": role.value, "pin_hash": pin_hash})
        return {"change": "added", "name": name, "role": role.value}

    _update(store, add)
    return StaffMember(name, role)


def remove_member(store: Store, name: str) -> StaffMember:
    """Remove an account; the last owner stays while accounts are on."""
    require(store, Task.STAFF)
    removed: list[StaffMember] = []

    def remove(data: dict[str, Any]) -> dict[str, Any]:
        entry = _entry(data, name)
        data["members"].remove(entry)
        if data["on"] and entry["role"] == Role.OWNER and not _owners_left(data):
            raise InputError(
                f"{entry['name']} is the last owner: staff accounts are on and need an owner "
                "(add another owner first, or turn accounts off)"
            )
        removed.append(StaffMember(entry["name"], Role(entry["role"])))
        return {"change": "removed", "name": entry["name"], "role": entry["role"]}

    _update(store, remove)
    if signed_in(store) == removed[0]:
        sign_out(store)
    return removed[0]


def change_pin(store: Store, name: str, pin: str) -> None:
    """A new PIN for an account: an owner's task, or the member's own."""
    me = signed_in(store)
    if me is None or me.name != _entry(_load(store), name)["name"]:
        require(store, Task.STAFF)
    pin_hash = _hash(pin)

    def change(data: dict[str, Any]) -> dict[str, Any]:
        entry = _entry(data, name)
        entry["pin_hash"] = pin_hash
        entry.pop("wrong", None)
        entry.pop("locked_until", None)
        return {"change": "PIN changed", "name": entry["name"]}

    _update(store, change)


def set_accounts_on(store: Store, on: bool) -> None:
    """Turn accounts on (at least one owner account is needed) or off (an owner's task)."""
    if accounts_on(store) == on:
        return
    require(store, Task.STAFF)  # off: anyone may turn them on; on: only an owner off

    def turn(data: dict[str, Any]) -> dict[str, Any]:
        if on and not _owners_left(data):
            raise InputError("add an owner account before turning staff accounts on")
        data["on"] = on
        return {"change": "accounts on" if on else "accounts off"}

    _update(store, turn)
    if not on:
        sign_out(store)
