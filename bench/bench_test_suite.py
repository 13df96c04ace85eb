"""The test suite's wall time: today's ``make test`` against the single-process run it replaced, on the same machine.

    .venv/bin/python bench/bench_test_suite.py [--baseline 6d5d544] [--rounds 2] [--single]

Issue 16 asks that ``make test`` take at most half the wall time of the single-process suite of its day (commit
6d5d544, "300 s" on the machine where the issue was written). Seconds measured on one machine say little on another
(the 2-core machines here differ by nearly three to one), so this script measures both here, in one run:

- the baseline: a git worktree of ``--baseline`` (default 6d5d544) under ``var/bench-baseline/``, with that commit's
  own virtual environment (its ``make install``, from its own ``pyproject.toml``) and its own ``make test``
  (single process, a new SQLite test database each run, as it was then);
- the suite as it is: ``make test`` in this checkout (its pytest-xdist workers, the kept test database, which a first
  unmeasured run creates when the migrations changed), ``--rounds`` times, alternating with the baseline;
- with ``--single``, this checkout's suite in one process too, as the baseline runs (``PYTEST_WORKERS=0``, a new
  test database: ``--create-db``): the same tests both ways, so the ratio shows what ``make test``'s workers and kept
  database gain apart from how many tests there are now.

Each run also prints the CPU the whole machine spent during it (``/proc/stat``, in core-seconds): Chromium's processes
are not children that ``time`` counts, and on a machine the suite saturates this is what the wall time follows.

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


def _busy_core_seconds() -> float:
    """CPU time the whole machine has spent so far, not idle and not waiting on I/O (Linux only, else 0)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _run(where: Path, label: str, extra: dict[str, str] | None = None, args: str = "") -> tuple[float, str, float]:
    env = {**_env(), **(extra or {})}
    busy = _busy_core_seconds()
    started = time.perf_counter()
    done = subprocess.run(
        ["make", "test", f"PYTEST_ARGS=-q -p no:randomly {args}".strip()],
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wall = time.perf_counter() - started
    busy = _busy_core_seconds() - busy
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    found = SUMMARY.search(tail)
    counts = f"{found.group(1)} passed, {found.group(2) or 0} skipped" if found else tail
    if done.returncode != 0:
        print(done.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"{label}: make test failed ({tail})")
    print(f"{label}: {wall:.1f} s ({counts}; the machine busy {busy:.0f} core-seconds)", flush=True)
    return wall, counts, busy


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
        base, base_counts, base_busy = _run(baseline_dir, f"round {n}: baseline {args.baseline}, single process")
        now, now_counts, now_busy = _run(ROOT, f"round {n}: make test")
        rows.append(
            (n, base, f"{base_counts}; {base_busy:.0f} core-s", now, f"{now_counts}; {now_busy:.0f} core-s", now / base)
        )
        print(f"round {n}: ratio {now / base:.2f} (target ≤ 0.50)", flush=True)
    single = (
        _run(ROOT, "this checkout, single process, new test database", {"PYTEST_WORKERS": "0"}, "--create-db")
        if args.single
        else None
    )
    if single:
        print(f"same tests: make test ÷ single process {rows[-1][3] / single[0]:.2f}", flush=True)
    load_after = _load()

    ratios = [r[5] for r in rows]
    lines = [
        "# The test suite's wall time (`bench/bench_test_suite.py`)",
        "",
        f"Machine: {os.cpu_count()} cores; load average before {load_before}, after {load_after}. Both suites on SQLite",
        "(DATABASE_URL/REDIS_URL unset), Chromium as installed; the baseline is its commit's own `make test` in its own",
        "worktree and virtual environment. Ratio = this `make test` ÷ the baseline measured beside it (target ≤ 0.50).",
        "core-s: the CPU the whole machine spent during the run (Chromium included, which `time` does not count).",
        "",
        f"| round | baseline {args.baseline} (single process) | tests | `make test` now | tests | ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, base, base_counts, now, now_counts, ratio in rows:
        lines.append(f"| {n} | {base:.1f} s | {base_counts} | {now:.1f} s | {now_counts} | **{ratio:.2f}** |")
    lines += ["", f"Median ratio: **{statistics.median(ratios):.2f}**."]
    if single:
        lines.append(
            f"This checkout in one process with a new test database (`PYTEST_WORKERS=0`, `--create-db`): "
            f"{single[0]:.1f} s ({single[1]}; {single[2]:.0f} core-s); the last `make test` ÷ it: "
            f"**{rows[-1][3] / single[0]:.2f}**."
        )
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"median ratio {statistics.median(ratios):.2f}; written to {args.out}")


if __name__ == "__main__":
    main()
