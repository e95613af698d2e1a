"""Errors the front ends turn into messages (exit status 1 on the command line)."""

from __future__ import annotations


class InputError(Exception):
    """Input was refused: a bad file, a bad value, an unknown contact.

    ``problems`` lists every problem found (each one line naming the file, row,
    column and value at fault); the message is a one-line summary.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])


class StoreDamaged(InputError):
    """The store file is damaged or unreadable: nothing may be written to it.

    The message names the file, what is wrong and how to restore on the command line;
    ``what`` is the first part alone (the file and what is wrong), for the window,
    which offers its own way to restore."""

    def __init__(self, message: str, what: str = "") -> None:
        super().__init__(message)
        self.what = what or message
