"""Benchmark of the public column on PostgreSQL with 100,000 public entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nc_pub_bench .venv/bin/python bench/bench_public.py [--rows N]

Migrates the database, (re)loads N public entries (default 100,000: school penalties and red-list workers), runs
ANALYZE, then serves a trivial Django view, list pages and searches through the test client (same middleware, same
process) and reports each median as a ratio to the trivial view, with query counts and the query plans. Writes
bench/RESULTS_public.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


def trivial(request):
    return HttpResponse("ok")


urlpatterns: list = []  # filled once Django is set up: the trivial view beside the whole site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS_public.md"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point to a PostgreSQL database (C.UTF-8).", file=sys.stderr)
        return 2
    django.setup()
    urlpatterns[:] = [path("bench-trivial/", trivial), path("", include("config.urls"))]
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from accounts.models import User
    from credit.models import Record
    from publicity import selectors
    from publicity.models import Publication
    from tests.publicity.bulk import load_entries

    setup_test_environment()
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench_reviewer", defaults={"role": "reviewer"})
    have = Publication.objects.filter(record__created_by=user).count()
    if have != args.rows:
        print(f"loading {args.rows} public entries …", flush=True)
        started = time.perf_counter()
        Publication.objects.filter(record__created_by=user).delete()
        Record.objects.filter(created_by=user).delete()
        load_entries(args.rows, user=user)
        print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE publicity_publication")
        cursor.execute("ANALYZE credit_record")
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
    total = Publication.objects.count()
    deep = selectors.public_entries(selectors.PENALTIES).values_list("id", flat=True)[40_000:40_001]
    deep_cursor = deep[0] if deep else ""

    cases = [
        ("trivial view", "/bench-trivial/"),
        ("list: 行政处罚 first page", "/penalties/"),
        ("list: 行政处罚 deep page (keyset)", f"/penalties/?after={deep_cursor}"),
        ("list: 红名单 first page", "/red-list/"),
        ("search: selective name part 豫章中学（12", "/search/?q=豫章中学（12"),
        ("search: document number", "/search/?q=洪教罚〔2026〕4321号"),
        ("search: credit code", "/search/?q=" + Publication.objects.filter(kind="penalty").first().public_code),
        ("search: common term 第一中学", "/search/?q=第一中学"),
        ("open data JSON, ?q=", "/api/v1/public/penalties/?q=豫章中学"),
    ]
    client = Client()
    rows = []
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        for label, url in cases:
            for _ in range(3):
                client.get(url)
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            rows.append((label, url, statistics.median(times), len(executed)))
            print(f"{label:45s} {statistics.median(times):8.2f} ms  {len(executed)} queries", flush=True)

    def plan(qs) -> str:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
            return "\n".join(r[0] for r in cursor.fetchall())

    plans = {
        "list (行政处罚, first page)": plan(selectors.public_entries(selectors.PENALTIES)[:21]),
        "search (豫章中学（12, one list)": plan(selectors.search_entries(selectors.PENALTIES, "豫章中学（12")[:11]),
        "search (document number)": plan(selectors.search_entries(selectors.PENALTIES, "洪教罚〔2026〕4321号")[:11]),
    }
    base = rows[0][2]
    lines = [
        "# Public column benchmark (PostgreSQL)",
        "",
        f"Generated by `bench/bench_public.py` on {time.strftime('%Y-%m-%d %H:%M')}: {total:,} publications "
        f"(`{args.rows:,}` loaded: ⅔ school penalties, ⅓ red-list workers), database LC_CTYPE `{ctype}`, "
        f"{connection.pg_version // 10000} server, Django test client in-process, median of {args.repeat} requests "
        "after 3 warm-ups. Ratio = median / median of a trivial view (`HttpResponse('ok')`) served the same way "
        "(same middleware stack).",
        "",
        "| case | median (ms) | ratio to trivial | queries |",
        "|---|---:|---:|---:|",
    ]
    for label, _url, median, queries in rows:
        lines.append(f"| {label} | {median:.2f} | {median / base:.1f}× | {queries} |")
    lines += [
        "",
        "Query counts are fixed: 1 for a list page (keyset on `id`, no COUNT), 6 for a search (four lists, "
        "policies, news), whatever the number of rows.",
        "",
    ]
    for title, text in plans.items():
        lines += [f"## Plan: {title}", "", "```", text, "```", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
