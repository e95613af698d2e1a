"""Slow work off the UI thread, through one helper that calls back on the main thread.

A task is a function of a Store: it runs on a worker thread with its own
connection to the same file (an SQLite connection belongs to one thread), and
its result (plain data) comes back to ``on_done`` on the main thread. Widgets
are never touched from the worker. Tests set ``TaskRunner.synchronous`` so a
task runs at once, like Picard's FakeThreadPool.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from model.actions import Store, open_store, staff
from model.errors import InputError

log = logging.getLogger(__name__)

Task = Callable[[Store], Any]


class _Bridge(QObject):
    """Lives on the main thread: its signals carry a worker's result back there."""

    done = Signal(object)
    refused = Signal(str)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, source: Store, task: Task, bridge: _Bridge) -> None:
        super().__init__()
        self.path, self.task, self.bridge = source.path, task, bridge
        self.source = source

    @Slot()
    def run(self) -> None:
        try:
            store = open_store(self.path)
            staff.carry_sign_in(self.source, store)  # the task runs as whoever started it
            try:
                result = self.task(store)
            finally:
                store.close()
        except InputError as exc:
            self.bridge.refused.emit("; ".join(exc.problems) if exc.problems else exc.message)
        except Exception:  # handed to the main thread, which logs and shows it
            self.bridge.failed.emit(traceback.format_exc())
        else:
            self.bridge.done.emit(result)


class TaskRunner(QObject):
    """Runs tasks on Qt's thread pool; ``busy`` is true while any runs."""

    #: tests set this: the task runs at once on the calling thread, with the session's store
    synchronous = False

    started = Signal()
    finished = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.running = 0
        self._bridges: set[_Bridge] = set()

    @property
    def busy(self) -> bool:
        return self.running > 0

    def run(
        self,
        task: Task,
        on_done: Callable[[Any], None],
        on_refused: Callable[[str], None],
    ) -> None:
        """Run ``task(store)``; then ``on_done(result)``, or ``on_refused(message)`` when the
        input was refused. An unexpected failure goes to the crash handler."""
        self.running += 1
        self.started.emit()
        if self.synchronous:
            try:
                result = task(self.store)
            except InputError as exc:
                self._end()
                on_refused("; ".join(exc.problems) if exc.problems else exc.message)
                return
            except Exception:
                self._end()
                raise
            self._end()
            on_done(result)
            return
        bridge = _Bridge()
        self._bridges.add(bridge)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._bridges.discard(bridge)
            self._end()
            callback(value)

        def crash(details: str) -> None:
            self._bridges.discard(bridge)
            self._end()
            log.error("background task failed\n%s", details)
            raise RuntimeError("a background task failed:\n" + details)

        bridge.done.connect(lambda value: finish(on_done, value))
        bridge.refused.connect(lambda message: finish(on_refused, message))
        bridge.failed.connect(crash)
        QThreadPool.globalInstance().start(_Job(self.store, task, bridge))

    def _end(self) -> None:
        self.running -= 1
        self.finished.emit()
