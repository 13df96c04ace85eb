"""The test suite's wall time: today's ``make test`` against the single-process run it replaced, on the same machine.

    .venv/bin/python bench/bench_test_suite.py [--baseline 6d5d544] [--rounds 2] [--single]

Issue 16 asks that ``make test`` take at most half the wall time of the single-process suite of its day (commit
6d5d544, "300 s" on the machine where the issue was written). Seconds measured on one machine say little on another
(the 2-core machines here differ by nearly two to one), so this script measures both here, in one run:

- the baseline: a git worktree of ``--baseline`` (default 6d5d544) under ``var/bench-baseline/``, with that commit's
  own virtual environment (its ``make install``, from its own ``pyproject.toml``) and its own ``make test``
  (single process, a new SQLite test database each run, as it was then);
- the suite as it is: ``make test`` in this checkout (two pytest-xdist workers, the kept test database, which a first
  unmeasured run creates when the migrations changed), ``--rounds`` times, alternating with the baseline;
- with ``--single``, this checkout's suite in one process too (``PYTEST_WORKERS=0``), for the README.

Both run with the same environment: ``DATABASE_URL``, ``REDIS_URL`` and ``DATABASE_REPLICA_URL`` unset (SQLite,
as both READMEs' default), Chromium present or not for both alike. Prints each wall time, the tests each ran, and
the ratio of each ``make test`` to the baseline's time measured next to it (target ≤ 0.5). Writes
bench/RESULTS_tests.md (``--out``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "6d5d544"
SUMMARY = re.compile(r"(\d+) passed(?:, (\d+) skipped)?(?:, (\d+) failed)?")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL", "CI")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _worktree(rev: str) -> Path:
    path = ROOT / "var" / "bench-baseline" / rev
    if not (path / "Makefile").exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(path), rev], cwd=ROOT, check=True)
    # Its own environment, from its own pyproject.toml (the editable install of this checkout would shadow its code).
    subprocess.run(["make", "install"], cwd=path, env=_env(), check=True, stdout=subprocess.DEVNULL)
    return path


def _run(where: Path, label: str, extra: dict[str, str] | None = None) -> tuple[float, str]:
    env = {**_env(), **(extra or {})}
    started = time.perf_counter()
    done = subprocess.run(
        ["make", "test", "PYTEST_ARGS=-q -p no:randomly"],
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wall = time.perf_counter() - started
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    found = SUMMARY.search(tail)
    counts = f"{found.group(1)} passed, {found.group(2) or 0} skipped" if found else tail
    if done.returncode != 0:
        print(done.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"{label}: make test failed ({tail})")
    print(f"{label}: {wall:.1f} s ({counts})", flush=True)
    return wall, counts


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--single", action="store_true", help="also time this checkout in one process")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="skip the first, unmeasured run (the kept test database is current)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS_tests.md"))
    args = parser.parse_args()

    load_before = _load()
    baseline_dir = _worktree(args.baseline)
    if not args.no_warm_up:
        print("warming up: make test once (creates the kept test database if the migrations changed)", flush=True)
        _run(ROOT, "warm-up (not counted)")
    rows = []
    for n in range(1, args.rounds + 1):
        base, base_counts = _run(baseline_dir, f"round {n}: baseline {args.baseline}, single process")
        now, now_counts = _run(ROOT, f"round {n}: make test")
        rows.append((n, base, base_counts, now, now_counts, now / base))
        print(f"round {n}: ratio {now / base:.2f} (target ≤ 0.50)", flush=True)
    single = (
        _run(ROOT, "this checkout, single process (PYTEST_WORKERS=0)", {"PYTEST_WORKERS": "0"}) if args.single else None
    )
    load_after = _load()

    ratios = [r[5] for r in rows]
    lines = [
        "# The test suite's wall time (`bench/bench_test_suite.py`)",
        "",
        f"Machine: {os.cpu_count()} cores; load average before {load_before}, after {load_after}. Both suites on SQLite",
        "(DATABASE_URL/REDIS_URL unset), Chromium as installed; the baseline is its commit's own `make test` in its own",
        "worktree and virtual environment. Ratio = this `make test` ÷ the baseline measured beside it (target ≤ 0.50).",
        "",
        f"| round | baseline {args.baseline} (single process) | tests | `make test` now | tests | ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, base, base_counts, now, now_counts, ratio in rows:
        lines.append(f"| {n} | {base:.1f} s | {base_counts} | {now:.1f} s | {now_counts} | **{ratio:.2f}** |")
    lines += ["", f"Median ratio: **{statistics.median(ratios):.2f}**."]
    if single:
        lines.append(f"This checkout in one process (`PYTEST_WORKERS=0`): {single[0]:.1f} s ({single[1]}).")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"median ratio {statistics.median(ratios):.2f}; written to {args.out}")


if __name__ == "__main__":
    main()
