"""Running the command line in tests: in-process for logic, in a subprocess for the
few true end-to-end tests.

``run`` calls ``main.main(argv)`` in this process with standard output and error
captured, so a test of a rule costs no interpreter start; ``run_subprocess`` starts
``python main.py`` for real (exit codes as the shell sees them, a fresh interpreter).
Both return a ``subprocess.CompletedProcess`` and both fail a test on a traceback or
on "unexpected failure" (a bug that main() caught).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    """os.environ replaced by ``env`` for the call (the subprocess variant's meaning)."""
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _checked(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    assert "unexpected failure" not in result.stderr, result.stderr  # a bug caught by main()
    return result


def run_argv(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``main.main(argv)`` in this process; its exit status and captured output."""
    import main

    out, err = io.StringIO(), io.StringIO()
    with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main.main(argv)
    return _checked(subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue()))


def run(db: Path, *args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``main.py --db DB ARGS...`` in this process; never a traceback on standard error."""
    return run_argv(["--db", str(db), *map(str, args)], env=env)


def run_subprocess(
    db: Path, *args: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python main.py --db DB ARGS...`` in a real subprocess (true end to end)."""
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return _checked(result)
