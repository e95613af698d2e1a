"""Mutation testing of the rule modules: how many hand-made bugs the tests catch.

    python bench/mutation.py [--max-children 2] [--no-run] [PATTERN ...]

Runs mutmut (configured in pyproject.toml, [tool.mutmut]: the rule modules
model/engine.py, categories.py, rules.py and screening.py, against the engine's unit
tests) and prints, per module, the mutants killed out of those tested, and the score.
PATTERN limits the run to some mutants (``"model.engine*"``); ``--no-run`` only reads
the results of the last run. mutmut works in mutants/ (git-ignored) and reuses the
results of mutants whose code and tests did not change.

A benchmark, not a CI step: a full run takes tens of minutes. Goal (the issue): at
least 95% of the mutants killed. Survivors are listed, to read with
``mutmut show NAME``; some are equivalent mutants (the same behaviour written
differently, e.g. an SQL keyword in lower case) that no test can kill.
Exit status 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUTMUT = [sys.executable, "-m", "mutmut"]
GOAL = 95.0
#: statuses where a test failed because of the mutant (mutmut counts timeouts as caught)
KILLED = {"killed", "timeout", "caught by type check"}
#: statuses that were not tried, so they count neither way
UNTRIED = {"not checked", "skipped"}


def module_of(mutant: str) -> str:
    """model.engine.x_decide__mutmut_3 -> model.engine (the part before the function)."""
    parts = mutant.split(".")
    keep = [p for p in parts if not (p.startswith("x_") or p.startswith("xǁ"))]
    return ".".join(keep)


def read_results() -> dict[str, str]:
    """Every mutant's status, from ``mutmut results --all true``."""
    out = subprocess.run(
        [*MUTMUT, "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and "__mutmut_" in name:
            results[name] = status
    return results


def report(results: dict[str, str]) -> tuple[str, float]:
    """A table of killed / tested per module, the survivors, and the overall score."""
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for name, status in sorted(results.items()):
        counts = per_module[module_of(name.rsplit("__mutmut_", 1)[0])]
        counts[status] += 1
        if status not in KILLED and status not in UNTRIED:
            survivors.append(f"  {name}: {status}")
    lines = [f"{'module':<22} {'killed':>7} {'tested':>7} {'score':>7}  not tried"]
    killed_all = tested_all = 0
    for module, counts in sorted(per_module.items()):
        killed = sum(counts[s] for s in KILLED)
        untried = sum(counts[s] for s in UNTRIED)
        tested = sum(counts.values()) - untried
        killed_all += killed
        tested_all += tested
        score = 100.0 * killed / tested if tested else 0.0
        lines.append(f"{module:<22} {killed:>7} {tested:>7} {score:>6.1f}%  {untried}")
    score = 100.0 * killed_all / tested_all if tested_all else 0.0
    lines.append(f"{'all':<22} {killed_all:>7} {tested_all:>7} {score:>6.1f}%")
    lines.append(f"goal: {GOAL:.0f}% killed: {'met' if score >= GOAL else 'missed'}")
    if survivors:
        lines.append(f"survivors ({len(survivors)}; read one with: mutmut show NAME):")
        lines += survivors
    return "\n".join(lines), score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("patterns", nargs="*", help='mutant names to run, e.g. "model.engine*"')
    p.add_argument("--max-children", type=int, default=2, help="parallel test processes")
    p.add_argument("--no-run", action="store_true", help="only report the last run")
    args = p.parse_args(argv)
    if not args.no_run:
        run = [*MUTMUT, "run", "--max-children", str(args.max_children), *args.patterns]
        code = subprocess.run(run, cwd=ROOT, stdout=subprocess.DEVNULL).returncode
        if code:
            print(f"mutmut run failed (exit status {code})", file=sys.stderr)
            return code
    text, score = report(read_results())
    print(text)
    return 0 if score >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
