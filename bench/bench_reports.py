"""Speed and size of the PDFs for a big campaign, each written by a whole process.

    python bench/bench_reports.py [--recipients 10000] [--excluded 2000] [--repeat 3] [--out DIR]

Builds a store (bench/out/reports.db, git-ignored) holding a shop with
``--recipients`` contacts eligible for an email campaign about Bikes (purchases
with the opt-out offered, in the soft opt-in window, in similar categories, with a
few names outside Latin-1) and ``--excluded`` contacts who are not (no opt-out
offered, not similar, lapsed, opted out, no email), freezes the campaign, then
runs a fresh ``python -c`` process that opens the store and writes:

- the compliance record (target: at most 5 s, judged by the slowest run; size at
  most 15 MB);
- the recipient list (no target; shown for scale).

Prints seconds (every run), pages, file size and peak memory, against the process
start baseline. Other arguments (``--contacts``, ``--rows`` from bench/run_all.py)
are accepted and ignored. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = sys.executable
SEND_DATE = "2026-11-20"
RECORD_TARGET_S = 5.0
RECORD_TARGET_MB = 15.0

FIRST = (
    "Oliver George Harry Jack Noah Charlie Muhammad Thomas Oscar William James Leo Alfie "
    "Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Priya Aisha Fatima Siobhan "
    "Niamh Aoife Seán Zoë Chloé Renée José Björn Łucja Paweł Małgorzata Dorota Agnieszka"
).split()
LAST = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel "
    "Jackson Wood O’Brien O’Neill Kowalczyk Wiśniewski Nowak Łukasik Müller García"
).split()
STREETS = ("Otley Road", "Kirkstall Lane", "Cardigan Road", "Harehills Avenue", "Moor Road")
TOWNS = (("Headingley", "LS6"), ("Kirkstall", "LS5"), ("Roundhay", "LS8"), ("Otley", "LS21"))
TILL = (
    "We'd like to send you offers on bikes, kit and servicing by email, text and post. "
    "Would you rather we didn't? You can say no now, or opt out at any time."
)
WEB = "Tick box on the checkout page: 'Tick if you'd rather not get offers from us'"
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
GOOD_CATEGORIES = ("Bikes/Road", "Bikes/Gravel", "Bikes/Electric", "Servicing/Repairs")
OTHER_CATEGORIES = ("Clothing/Jerseys", "Accessories/Locks")
COLUMNS = (
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "date",
    "event",
    "category",
    "collected_via",
    "optout_offered",
    "optout_how",
    "opted_out",
    "staff",
)


def _ledger(path: str, eligible: int, excluded: int, seed: int) -> None:
    """One purchase per contact (plus an opt-out for some of the excluded)."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        for i in range(eligible + excluded):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            # a postcode of its own per contact (up to 14,400): rows are matched to
            # contacts by name and postcode too, and must not merge
            town, area = TOWNS[i % len(TOWNS)]
            k = i // len(TOWNS)
            postcode = f"{area} {k % 9 + 1}{LETTERS[k // 9 % 20]}{LETTERS[k // 180 % 20]}"
            row = {
                "name": f"{first} {last}",
                "email": f"customer{i}@example.com",
                "address": f"{rng.randint(1, 300)} {rng.choice(STREETS)}, {town}, Leeds",
                "postcode": postcode,
                "date": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
                "event": "purchase",
                "category": rng.choice(GOOD_CATEGORIES),
                "collected_via": rng.choice(("in_store", "online")),
                "optout_offered": "yes",
                "staff": rng.choice(("Sam", "Priya", "Tom")),
            }
            row["optout_how"] = TILL if row["collected_via"] == "in_store" else WEB
            if i >= eligible:
                kind = i % 5
                if kind == 0:
                    row["optout_offered"] = "no"
                elif kind == 1:
                    row["category"] = rng.choice(OTHER_CATEGORIES)
                elif kind == 2:
                    row["date"] = "2023-05-01"
                elif kind == 3:
                    row["opted_out"] = "email"
                else:
                    row["email"] = ""
                    row["phone"] = ""
            w.writerow(row)


def build_store(db: str, eligible: int, excluded: int, seed: int) -> int:
    """A fresh store with the shop and its customers; the frozen campaign's id."""
    sys.path.insert(0, ROOT)
    from model.campaigns import freeze_campaign, get_campaign
    from model.categories import add_category, link_categories
    from model.engine import CampaignSpec
    from model.ledger import import_ledger
    from model.store import open_store

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    store = open_store(db)
    store.set_settings(
        {"business_name": "Pedal & Chain Cycles", "business_address": "14 Kirkgate, Leeds LS1 6BY"}
    )
    for path in GOOD_CATEGORIES + OTHER_CATEGORIES:
        add_category(store, path)
    link_categories(store, "Bikes", "Servicing", "every bike we sell comes with servicing")
    with tempfile.TemporaryDirectory() as folder:
        ledger = os.path.join(folder, "ledger.csv")
        _ledger(ledger, eligible, excluded, seed)
        import_ledger(store, ledger)
    cid = freeze_campaign(
        store,
        name="Big winter bikes email",
        spec=CampaignSpec("email", "Bikes", SEND_DATE),
        created_by="Bench",
    )
    campaign = get_campaign(store, cid)
    store.close()
    print(f"store: {campaign.eligible:,} recipients, {campaign.excluded:,} excluded ({db})")
    return cid


_WRITE = (
    "import sys, time; sys.path.insert(0, sys.argv[1]); "
    "from model.store import open_store; "
    "from model.actions.campaigns import {function}; import reports.{module}; "
    "s = open_store(sys.argv[2], create=False); "
    "info = {function}(s, int(sys.argv[3]), sys.argv[4]{extra}); "
    "print(info.pages)"
)


def run(argv: list[str]) -> tuple[float, float, str]:
    """One process: (wall seconds, peak RSS MB, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {argv}\n{err.read().decode('utf-8', 'replace')[-3000:]}")
        peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return elapsed, peak, out.read().decode().strip()


def _header(args: argparse.Namespace) -> tuple[str, int]:
    """Build the store and print what the figures depend on; (store path, campaign id)."""
    os.makedirs(args.out, exist_ok=True)
    db = os.path.join(args.out, "reports.db")
    start = time.perf_counter()
    cid = build_store(db, args.recipients, args.excluded, args.seed)
    print(f"built in {time.perf_counter() - start:.1f} s")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    try:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass
    return db, cid


def _job(args: argparse.Namespace, db: str, cid: int, job: tuple[Any, ...]) -> tuple[str, bool]:
    """Write one PDF ``--repeat`` times, each in a fresh process; (its line, met targets)."""
    label, module, function, extra, target_s, target_mb = job
    pdf = os.path.join(args.out, f"bench-{module}.pdf")
    code = _WRITE.format(module=module, function=function, extra=extra)
    seconds, peaks, pages = [], [], ""
    for _ in range(max(args.repeat, 1)):
        elapsed, peak, pages = run([PY, "-c", code, ROOT, db, str(cid), pdf])
        seconds.append(elapsed)
        peaks.append(peak)
    size_mb = os.path.getsize(pdf) / 1e6
    ok = not (target_s is not None and max(seconds) > target_s)
    ok = ok and not (target_mb is not None and size_mb > target_mb)
    verdict = "" if target_s is None else ("pass" if ok else "FAIL")
    runs = "/".join(f"{s:.2f}" for s in seconds)
    line = (
        f"{label + f' ({args.recipients:,})':<34} {runs:>20} "
        f"{(f'{target_s:g} s' if target_s else ''):>8} {pages:>6} {size_mb:>6.2f} "
        f"{(f'{target_mb:g}' if target_mb else ''):>7} {max(peaks):>8.0f} {verdict:>6}"
    )
    return line, ok


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--recipients", type=int, default=10_000)
    p.add_argument("--excluded", type=int, default=2_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    args, _ignored = p.parse_known_args(argv)  # run_all.py passes its own options
    db, cid = _header(args)
    base = min(run([PY, "-c", "import sys"])[0] for _ in range(3))
    imports = min(
        run([PY, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import reports.record", ROOT])[
            0
        ]
        for _ in range(3)
    )
    jobs = [
        (
            "compliance record",
            "record",
            "write_compliance_record",
            ", produced_by='Bench'",
            RECORD_TARGET_S,
            RECORD_TARGET_MB,
        ),
        ("recipient list", "recipients", "write_recipient_list", "", None, None),
    ]
    print()
    print(
        f"{'PDF (whole process, wall clock)':<34} {'runs s':>20} {'target':>8} {'pages':>6} "
        f"{'MB':>6} {'target':>7} {'peak MB':>8} {'result':>6}"
    )
    print("-" * 104)
    failed = []
    for job in jobs:
        line, ok = _job(args, db, cid, job)
        print(line)
        if not ok:
            failed.append(job[0])
    print("-" * 104)
    print(
        f"baseline: python -c 'import sys' = {base:.3f} s; "
        f"importing reports.record = {imports:.3f} s"
    )
    print(f"files: {args.out}/bench-record.pdf, {args.out}/bench-recipients.pdf")
    if failed:
        print(f"\nMISSED TARGETS: {', '.join(failed)}")
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
