"""Keeping the records safe: the audit seal and its check, backups and restore."""

from __future__ import annotations

import os
from pathlib import Path

from model import audit, backup
from model.backup import BackupInfo
from model.store import Store

__all__ = ["BackupInfo", "audit_seal", "audit_verify", "backup_store", "restore_store"]


def audit_verify(store: Store, seal: str | None = None) -> int:
    """The audit trail checked whole (and up to the seal): the number of entries."""
    return audit.verify(store, seal)


def audit_seal(store: Store) -> str:
    return audit.seal(store)


def backup_store(store: Store, dest: str | os.PathLike[str] | None = None) -> BackupInfo:
    """A verified copy of the store: to ``dest``, or into the backups folder beside it."""
    return backup.make_backup(store.conn, store.path, dest)


def restore_store(
    store_path: str | os.PathLike[str], backup_file: str | os.PathLike[str]
) -> tuple[BackupInfo, Path | None]:
    """Put a checked backup in place of the store (closed), keeping the old one aside."""
    return backup.restore(store_path, backup_file)
