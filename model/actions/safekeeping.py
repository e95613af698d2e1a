"""Keeping the records safe: the audit seal and its check, backups and restore."""

from __future__ import annotations

import os
from pathlib import Path

from model import audit, backup
from model.actions.staff import Task, require
from model.backup import BackupInfo
from model.store import Store
from model.trail import Checked as AuditCheck

__all__ = [
    "AuditCheck",
    "BackupInfo",
    "audit_seal",
    "audit_verify",
    "backup_store",
    "backups_folder",
    "check_backup",
    "daily_backup_due",
    "latest_good_backup",
    "may_restore",
    "restore_store",
]


def audit_verify(store: Store, seal: str | None = None) -> AuditCheck:
    """The audit trail and every row checked whole (and up to the seal): the number of
    entries, and whether this PC holds the store's key to check the entries' key marks."""
    require(store, Task.AUDIT)
    return audit.check(store, seal)


def audit_seal(store: Store) -> str:
    return audit.seal(store)


def backup_store(
    store: Store, dest: str | os.PathLike[str] | None = None, *, automatic: bool = False
) -> BackupInfo:
    """A verified copy of the store: to ``dest``, or into the backups folder beside it.
    ``automatic``: the app's own backup on closing and once a day, whoever is serving."""
    if not automatic:
        require(store, Task.BACKUP)
    return backup.make_backup(store.conn, store.path, dest)


def restore_store(
    store_path: str | os.PathLike[str], backup_file: str | os.PathLike[str]
) -> tuple[BackupInfo, Path | None]:
    """Put a checked backup in place of the store (closed), keeping the old one aside."""
    return backup.restore(store_path, backup_file)


def may_restore(store: Store) -> None:
    """Restoring replaces everything: an owner's task when staff accounts are on
    (InputError naming the role needed)."""
    require(store, Task.BACKUP)


def latest_good_backup(store_path: str | os.PathLike[str]) -> BackupInfo | None:
    """The newest automatic backup beside the store that passes its check, if any."""
    return backup.latest_good_backup(store_path)


def daily_backup_due(store: Store) -> bool:
    """No automatic backup of this store made today yet."""
    return backup.daily_backup_due(store.path)


def check_store(store: Store) -> None:
    """SQLite's quick check of the open store: StoreDamaged naming what is wrong."""
    store.check_intact()


def backups_folder(store_path: str | os.PathLike[str]) -> Path:
    return backup.backups_folder(store_path)


def check_backup(path: str | os.PathLike[str]) -> BackupInfo:
    """A backup checked whole before it is restored: what it holds, or InputError."""
    return backup.check_file(path, full=True)
