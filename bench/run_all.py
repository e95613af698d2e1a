"""Run every benchmark in bench/ (bench_*.py), one process each; `make bench` calls this.

Extra arguments are passed to every script (e.g. ``--contacts 20000 --rows 50000``
for a quick run). Exit status 1 when any benchmark misses its targets or fails.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv: list[str]) -> int:
    scripts = sorted(glob.glob(os.path.join(HERE, "bench_*.py")))
    if not scripts:
        print("no bench_*.py scripts in bench/")
        return 1
    failed = []
    for script in scripts:
        name = os.path.basename(script)
        print(f"=== {name} ===", flush=True)
        code = subprocess.call([sys.executable, script, *argv])
        if code != 0:
            failed.append(f"{name} (exit {code})")
        print(flush=True)
    if failed:
        print("benchmarks with missed targets or errors: " + ", ".join(failed))
        return 1
    print(f"{len(scripts)} benchmark{'s' if len(scripts) != 1 else ''}: all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
