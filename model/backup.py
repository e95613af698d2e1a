"""Backups and restore (issue 10): verified copies of the store, kept beside it.

A backup is made with SQLite's online backup API (a consistent copy even while the
store is open), written to a temporary file, checked (SQLite's integrity check and
the audit trail) and only then given its name, so a backup that exists is a good
one. The backups folder beside the store keeps the newest backup of each of the last
7 days that have one and of each of the 4 weeks before those (:func:`prune`).

Restore checks the backup first, keeps the current store aside (renamed, never
deleted) and copies the backup into place, again through the backup API.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import trail
from .errors import InputError
from .store import APP_ID, SCHEMA_VERSION, private_folder

#: the backups folder, beside the store
FOLDER_NAME = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y-%m-%d-%H%M%S"

#: the tables whose row counts describe a backup
_COUNTED = ("contacts", "events", "campaigns", "suppressions", "audit")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: where, when it was made, its seal and counts."""

    path: Path
    made: str
    seal: str
    counts: dict[str, int]

    @property
    def held(self) -> str:
        """The counts in words: "370 contacts, 580 events, ..., 64 audit entries"."""
        words = {"audit": "audit entries"}
        return ", ".join(f"{n:,} {words.get(table, table)}" for table, n in self.counts.items())


def backups_folder(store_path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.fspath(store_path))).parent / FOLDER_NAME


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode={'ro' if readonly else 'rwc'}"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)


def check_file(path: str | os.PathLike[str], *, full: bool = True) -> BackupInfo:
    """A backup (or any store file) checked whole: an Opt-in Ledger store that SQLite
    finds intact and whose audit trail verifies. InputError naming what is wrong.

    ``full`` runs SQLite's integrity check (indexes against their tables too: about
    3 s at 100,000 contacts); otherwise its quick check (the pages and their links,
    about 0.4 s), which is what an automatic backup just copied from a checked store
    needs."""
    from . import audit

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such backup file")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise InputError(f"{path}: not an Opt-in Ledger backup (not an SQLite file)")
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: the backup cannot be read: {exc}") from None
    try:
        app_id, version = (
            conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version")
        )
        if app_id != APP_ID:
            raise InputError(f"{path}: not an Opt-in Ledger backup")
        if version > SCHEMA_VERSION:
            raise InputError(
                f"{path}: made by a newer version of Opt-in Ledger (store version {version})"
            )
        check = "integrity_check" if full else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {check}(5)")]
        if problems != ["ok"]:
            raise InputError(f"{path}: the backup is damaged: {'; '.join(problems)}")
        audit.verify_connection(conn)
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _COUNTED}
        seal = audit.seal_of(conn)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: the backup cannot be read: {exc}") from None
    except InputError as exc:
        if exc.message.startswith(str(path)):
            raise
        raise InputError(
            f"{path}: the backup's audit trail does not verify: {exc.message}"
        ) from None
    finally:
        conn.close()
    made = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    return BackupInfo(path, made.isoformat(timespec="seconds"), seal, counts)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """The whole database behind ``source`` into a new file ``target`` (0600)."""
    if os.name == "posix":
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    dest = _connect(target, readonly=False)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        dest.close()


def make_backup(
    conn: sqlite3.Connection,
    store_path: str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Write a verified copy of the open store to ``dest`` (default: a new file in the
    backups folder beside the store); the old backups are then pruned."""
    now = now or dt.datetime.now()
    if dest is None:
        folder = backups_folder(store_path)
        private_folder(folder)
        target = folder / f"ledger-{now.strftime(_STAMP)}.db"
    else:
        target = Path(dest)
        if not target.parent.is_dir():
            raise InputError(f"{target}: the folder {target.parent} does not exist")
        if target.exists():
            raise InputError(f"{target}: already exists (choose a new file name)")
    temp = target.with_name(target.name + ".part")
    temp.unlink(missing_ok=True)
    try:
        _copy(conn, temp)
        info = check_file(temp, full=False)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if dest is None:
        prune(target.parent)
    return BackupInfo(target, info.made, info.seal, info.counts)


def _made(path: Path) -> dt.datetime | None:
    name = path.name
    if not (name.startswith("ledger-") and name.endswith(".db")):
        return None
    try:
        return dt.datetime.strptime(name[len("ledger-") : -len(".db")], _STAMP)
    except ValueError:
        return None


def list_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic backups in a folder, newest first."""
    if not folder.is_dir():
        return []
    found = [(made, p) for p in folder.iterdir() if (made := _made(p)) is not None]
    return sorted(found, reverse=True)


def to_keep(made: list[dt.datetime]) -> set[dt.datetime]:
    """Which backups to keep: the newest of each of the last 7 days that have one, and
    the newest of each of the 4 (ISO) weeks with backups before those days."""
    keep: set[dt.datetime] = set()
    days: list[dt.date] = []
    weeks: list[tuple[int, int]] = []
    for when in sorted(made, reverse=True):
        day = when.date()
        if day in days:
            continue
        if len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(when)
            continue
        week = tuple(day.isocalendar())[:2]
        if week in weeks or any(tuple(d.isocalendar())[:2] == week for d in days):
            continue
        if len(weeks) < KEEP_WEEKLY:
            weeks.append((week[0], week[1]))
            keep.add(when)
    return keep


def prune(folder: Path) -> list[Path]:
    """Delete the automatic backups :func:`to_keep` does not keep; the deleted paths."""
    backups = list_backups(folder)
    keep = to_keep([made for made, _ in backups])
    removed = [path for made, path in backups if made not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def latest_good_backup(store_path: str | os.PathLike[str]) -> BackupInfo | None:
    """The newest automatic backup beside the store that passes the check, if any."""
    for _made_at, path in list_backups(backups_folder(store_path)):
        try:
            return check_file(path, full=False)
        except InputError:
            continue
    return None


def daily_backup_due(store_path: str | os.PathLike[str], today: dt.date | None = None) -> bool:
    """No automatic backup made today yet."""
    today = today or dt.date.today()
    newest = list_backups(backups_folder(store_path))
    return not newest or newest[0][0].date() < today


def restore(
    store_path: str | os.PathLike[str], backup: str | os.PathLike[str]
) -> tuple[BackupInfo, Path | None]:
    """Put a checked backup in the store's place. The current store (if any) is kept
    aside as ``NAME.before-restore-STAMP`` beside it. Returns what the backup holds
    and where the old store went. The store must not be open elsewhere."""
    info = check_file(backup)
    target = Path(os.path.abspath(os.fspath(store_path)))
    if not target.parent.is_dir():
        raise InputError(f"{target}: the folder {target.parent} does not exist")
    if info.path.resolve() == target.resolve():
        raise InputError(f"{backup}: is the store itself, not a backup of it")
    aside: Path | None = None
    if target.exists():
        aside = target.with_name(
            f"{target.name}.before-restore-{dt.datetime.now().strftime(_STAMP)}"
        )
        _set_aside(target, aside)
    temp = target.with_name(target.name + ".restoring")
    temp.unlink(missing_ok=True)
    source = _connect(info.path, readonly=True)
    try:
        _copy(source, temp)
        os.replace(temp, target)
        trail.reset_anchor(target)  # the restored trail is rightly older than the last seen
    except BaseException:
        temp.unlink(missing_ok=True)
        if aside is not None and not target.exists():
            _set_aside(aside, target)  # put the old store back: nothing is lost
        raise
    finally:
        source.close()
    return info, aside


def _set_aside(path: Path, aside: Path) -> None:
    """Move the store (with its WAL, folded in first where SQLite can) to ``aside``."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass  # a damaged store is kept aside as it is, WAL and all
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            os.replace(extra, Path(f"{aside}{suffix}"))
