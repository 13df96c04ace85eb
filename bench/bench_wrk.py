"""The public column under load: wrk against gunicorn with production settings, at the data set of ``bench_data``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nc_bench_1m REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/bench_wrk.py [--port 18517] [--workers 4] [--duration 20] [--no-uncached]

The database must have been built by ``manage.py bench_data --records N``. The script collects the static files,
empties the Redis database of REDIS_URL (it must be the benchmark's own), writes the open-data CSV files, starts
gunicorn (``config/gunicorn.conf.py``, sync workers, production settings with throwaway secrets, and a trivial view
``HttpResponse("ok")`` beside the site through the same middleware), and runs ``wrk -t2 -c32 -d20s`` against the
trivial view, the public home, list, search (2 and 4 characters), an entry's detail page, 2,000 entries' detail pages
in turn, the open-data JSON, and the list while four clients download full CSVs without pause. Then, unless
``--no-uncached``, the same gunicorn with the page cache off (``PUBLICITY_PAGE_CACHE_SECONDS=0``), for comparison.
Prints requests/s, p50/p99 latency, errors and each page's ratio to the trivial view, and writes the section
"Under load (wrk)" of bench/RESULTS_scale.md (``--out``).

wrk asks for the same URL again and again: with the cache on, that measures the cached page (the first request of
each page after a change renders it; see the uncached rows for that cost). Downloads run with the per-address limit
raised (all clients here are 127.0.0.1); it is the workers' cost of serving the files that is measured.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PROTO = {"X-Forwarded-Proto": "https"}  # as the reverse proxy says (production redirects plain http)


@dataclass
class Result:
    label: str
    rps: float
    p50: float
    p99: float
    errors: int
    requests: int
    note: str = ""


def server_env(args, tmp: Path, *, cache_seconds: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="wrk_settings",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        FIELD_ENCRYPTION_KEY=os.environ.get("FIELD_ENCRYPTION_KEY")
        or base64.urlsafe_b64encode(os.urandom(64)).decode(),
        FILE_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PUBLICITY_OPEN_DATA_DIR=args.open_data_dir or str(tmp / "open-data"),
        PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS="1000000",
        PUBLICITY_PAGE_CACHE_SECONDS=str(cache_seconds),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS=str(args.workers),
    )
    return env


def manage(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run([PY, str(ROOT / "manage.py"), *argv], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def start_server(args, env: dict[str, str], log: Path) -> subprocess.Popen:
    cmd = [GUNICORN, "-c", str(ROOT / "config" / "gunicorn.conf.py"), "--access-logfile", "/dev/null"]
    cmd += ["--worker-class", args.worker_class, "--threads", str(args.gunicorn_threads), "config.wsgi:application"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited: see {log}")
        try:
            get(args, "/bench-trivial/")
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    sys.exit("gunicorn did not answer within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get(args, path: str) -> tuple[int, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{args.port}{path}", headers=PROTO)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            size = 0
            while chunk := response.read(1 << 20):
                size += len(chunk)
            return response.status, size
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(args, label: str, path: str, *, script: Path | None = None, note: str = "") -> Result:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    cmd += ["-H", "X-Forwarded-Proto: https"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(f"http://127.0.0.1:{args.port}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 120).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    p50, p99 = (_ms(*re.fullmatch(r"([\d.]+)(\w+)", lat[k]).groups()) for k in ("50", "99"))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    result = Result(label, rps, p50, p99, errors, requests, note)
    print(f"  {label:<44} {rps:9.1f} req/s  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  errors {errors}", flush=True)
    return result


class Downloads:
    """``n`` clients downloading full CSVs one after another until stopped."""

    def __init__(self, args, n: int, sections: list[str], *, nice: int = 0):
        self.args, self.stop, self.count, self.bytes, self.failed = args, threading.Event(), 0, 0, 0
        self.nice = nice
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, args=(sections[i % len(sections)],), daemon=True) for i in range(n)
        ]

    def _run(self, section: str) -> None:
        url = f"http://127.0.0.1:{self.args.port}/api/v1/public/{section}.csv"
        # curl, not Python, reads the bytes: the client's own CPU is not taken from the server on these 2 cores.
        cmd = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "X-Forwarded-Proto: https"]
        if self.args.download_rate:  # a visitor's line, not loopback: curl's --limit-rate per download
            cmd += ["--limit-rate", self.args.download_rate]
        if self.nice:  # clients that take only the CPU the server leaves, as clients on other machines would
            cmd = ["nice", "-n", str(self.nice), *cmd]
        while not self.stop.is_set():
            out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=600).stdout.split()
            status, size = (int(out[0]), int(out[1])) if len(out) == 2 else (0, 0)
            with self.lock:
                if status == 200:
                    self.count, self.bytes = self.count + 1, self.bytes + size
                else:
                    self.failed += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        time.sleep(1)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(300)


def detail_script(tmp: Path, paths: list[str]) -> Path:
    script = tmp / "details.lua"
    listed = ",".join(f'"{p}"' for p in paths)
    script.write_text(
        f"paths = {{{listed}}}\ni = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    return script


def public_ids(database_url: str, n: int) -> list[int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT p.id FROM publicity_publication p JOIN credit_record r ON r.id = p.record_id "
            "WHERE p.kind = 'penalty' AND p.published_at IS NOT NULL AND p.withdrawn_at IS NULL "
            "AND p.valid_until >= CURRENT_DATE AND r.status = 'approved' ORDER BY p.id DESC LIMIT %s",
            [n],
        ).fetchall()
    return [r[0] for r in rows]


def counts(database_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        records = conn.execute("SELECT count(*) FROM credit_record").fetchone()[0]
        pubs = conn.execute("SELECT count(*) FROM publicity_publication").fetchone()[0]
    return records, pubs


def list_while_downloading(args, nice: int) -> Result:
    """wrk on the public list while four clients download full CSVs (at ``nice``, when not 0)."""
    label = "public list, 4 full-CSV downloads running" + (f" (clients at nice {nice})" if nice else "")
    with Downloads(args, 4, ["penalties", "red-list"], nice=nice) as downloads:
        started = time.time()
        result = wrk(args, label, "/penalties/")
        elapsed = time.time() - started
    result.note = (
        f"{downloads.count} downloads ({downloads.bytes / 1e6:,.0f} MB, "
        f"{downloads.count / max(elapsed, 1):.1f}/s) in the window, {downloads.failed} failed"
    )
    print(f"    {result.note}")
    return result


def run_round(args, tmp: Path, env: dict, ids: list[int], *, cached: bool) -> list[Result]:
    q2, q4 = urllib.parse.quote(args.search2), urllib.parse.quote(args.search4)
    detail = f"/penalties/{ids[0]}/"
    cases = [("trivial view (HttpResponse)", "/bench-trivial/", None)]
    if cached:
        cases += [("public home", "/", None)]
    cases += [
        ("public list (行政处罚)", "/penalties/", None),
        (f"search, 2 characters ({args.search2})", f"/search/?q={q2}", None),
        (f"search, 4 characters ({args.search4})", f"/search/?q={q4}", None),
        ("entry detail (one entry)", detail, None),
    ]
    if cached:
        script = detail_script(tmp, [f"/penalties/{i}/" for i in ids])
        cases += [
            (f"entry detail, {len(ids):,} entries in turn (cold cache)", "/", script),
            ("open-data JSON page", "/api/v1/public/penalties/", None),
        ]
    log = tmp / f"gunicorn-{'cached' if cached else 'uncached'}.log"
    proc = start_server(args, env, log)
    results = []
    try:
        for _label, path, script in cases:  # warm up: the first request of each page renders it
            if script is None:
                for _ in range(3):
                    get(args, path)
        for label, path, script in cases:
            results.append(wrk(args, label, path, script=script))
        for nice in (0, args.download_nice) if args.download_nice else (0,):
            results.append(list_while_downloading(args, nice))
    finally:
        stop_server(proc)
    return results


def table(results: list[Result], trivial: float, list_rps: float) -> list[str]:
    lines = [
        "| page | requests/s | p50 / p99 (ms) | errors | ratio to trivial |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratio = f"{r.rps / trivial:.2f}"
        if "downloads" in r.label:
            ratio += f" ({r.rps / list_rps:.2f} of the list)"
        lines.append(f"| {r.label} | {r.rps:,.1f} | {r.p50:,.1f} / {r.p99:,.1f} | {r.errors} | {ratio} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18517)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--details", type=int, default=2000)
    parser.add_argument("--search2", default="育新")
    parser.add_argument("--search4", default="豫章中学")
    parser.add_argument(
        "--open-data-dir",
        default="",
        help="keep the open-data files here between runs (and the Redis database, whose versions say they are fresh)",
    )
    parser.add_argument("--no-uncached", action="store_true", help="skip the round with the page cache off")
    parser.add_argument(
        "--download-rate",
        default="",
        help="each CSV client's speed (curl --limit-rate, e.g. 10M); default: as fast as loopback goes, which on "
        "these 2 cores measures the clients' and the kernel's copying as much as the server",
    )
    parser.add_argument(
        "--download-nice",
        type=int,
        default=0,
        help="also run the downloads with the CSV clients at this nice level (19: idle priority), so that on these 2 "
        "cores the clients' own reading takes only the CPU the server leaves, as remote clients' would",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS_scale.md"))
    args = parser.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        print("DATABASE_URL (PostgreSQL, built by manage.py bench_data) and REDIS_URL must be set.", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk).", file=sys.stderr)
        return 2
    import redis

    tmp = Path(tempfile.mkdtemp(prefix="nc-wrk-"))
    try:
        records, pubs = counts(database_url)
        ids = public_ids(database_url, args.details)
        print(f"{records:,} records, {pubs:,} publications; gunicorn {args.workers} {args.worker_class} workers")
        env = server_env(args, tmp, cache_seconds=300)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        if not args.open_data_dir:
            redis.Redis.from_url(redis_url).flushdb()
        started = time.time()
        manage(env, "shell", "-c", "from publicity import opendata_files; opendata_files.write_all_due()")
        written = time.time() - started
        sizes = {p.name: p.stat().st_size for p in Path(env["PUBLICITY_OPEN_DATA_DIR"]).glob("*.csv")}
        print(
            f"open-data files written (those not fresh) in {written:.1f} s: "
            + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items())
        )
        print("page cache on:")
        cached = run_round(args, tmp, env, ids, cached=True)
        uncached = []
        if not args.no_uncached:
            print("page cache off (PUBLICITY_PAGE_CACHE_SECONDS=0):")
            uncached = run_round(args, tmp, server_env(args, tmp, cache_seconds=0), ids, cached=False)
        load = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def by(results, prefix):
        return next(r.rps for r in results if r.label.startswith(prefix))

    trivial, list_rps = by(cached, "trivial"), by(cached, "public list (")
    targets = []
    for label, name in (
        ("public list (", "public list"),
        ("search, 2", "search, 2 characters"),
        ("search, 4", "search, 4 characters"),
        ("entry detail (one", "entry detail"),
    ):
        ratio = by(cached, label) / trivial
        targets.append(
            f"- {name}: {ratio:.2f} of the trivial view (target ≥ 0.5): {'met' if ratio >= 0.5 else 'NOT met'}"
        )
    for r in cached:
        if r.label.startswith("public list, 4"):
            with_csv = r.rps / list_rps
            how = r.label.split("running", 1)[1].strip(" ()") or "clients at the server's priority"
            targets.append(
                f"- list with 4 CSV downloads ({how}): {with_csv:.2f} of the list without (target ≥ 0.8): "
                f"{'met' if with_csv >= 0.8 else 'NOT met'}"
            )
    now = datetime.datetime.now(datetime.UTC).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    lines = [
        "## Under load (wrk)",
        "",
        f"`bench/bench_wrk.py` on {now:%Y-%m-%d %H:%M} (Beijing): {records:,} records, {pubs:,} publications "
        f"(`manage.py bench_data`), PostgreSQL, Redis; gunicorn {args.workers} {args.worker_class} workers"
        f"{f' × {args.gunicorn_threads} threads' if args.gunicorn_threads > 1 else ''} with the "
        f"production settings, `wrk -t{args.threads} -c{args.connections} -d{args.duration}s` on the same 2 cores; "
        f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other sessions' work shares the machine). "
        f"Open-data CSVs: {', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sorted(sizes.items()))}, written in {written:.1f} s.",
        "",
        "Page cache on (the default):",
        "",
        *table(cached, trivial, list_rps),
        "",
    ]
    if uncached:
        u_trivial, u_list = by(uncached, "trivial"), by(uncached, "public list (")
        lines += [
            "Page cache off (`PUBLICITY_PAGE_CACHE_SECONDS=0`), same run:",
            "",
            *table(uncached, u_trivial, u_list),
            "",
        ]
    lines += ["Targets (issue 17):", "", *targets, ""]
    notes = [r for r in [*cached, *uncached] if r.note]
    lines += [f"- {r.label}{' (cache off)' if r in uncached else ''}: {r.note}" for r in notes]
    section = "\n".join(lines) + "\n"
    print("\n" + section)
    out = Path(args.out)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if "## Under load (wrk)" in text:
        head, _sep, rest = text.partition("## Under load (wrk)")
        following = re.search(r"^## ", rest, re.M)
        text = head + section + ("\n" + rest[following.start() :] if following else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
