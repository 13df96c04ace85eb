"""Benchmark of the staff pages and the import's duplicate check at two data sizes (PostgreSQL), in one run.

    .venv/bin/python manage.py bench_data --records 100000   # into DATABASE_URL=…/nc_scale_100k, once
    .venv/bin/python manage.py bench_data --records 1000000  # into DATABASE_URL=…/nc_scale_1m, once
    .venv/bin/python bench/bench_scale.py --small postgres://…/nc_scale_100k --large postgres://…/nc_scale_1m

Both databases are loaded by ``manage.py bench_data`` (same seed, so the large one is the small one's history ten
times over). In one process, alternating between the databases, each page is requested through the Django test client
(same middleware as production, logged in as the data set's clerk of the busiest office, or its reviewer) and its
median time and query count are taken; each large-set figure is printed as a ratio to the same figure on the small
set (target ≤ 1.3: the page does not grow with history). The pages: the record list (page 1, a deep page, sorted,
filtered), both dashboards, the review queue, oversight's dashboard, office page and timeliness API; the public list
(page 1 and a keyset page as deep), an entry, the open-data JSON page and the search for a four-character and
two-character terms, as an anonymous visitor (run with ``PUBLICITY_PAGE_CACHE_SECONDS=0`` to measure them uncached);
the jobs' steps, called directly: the import's duplicate check of a 10,000-row file, the
daily delivery selection and the reminders with nothing new since their last run (``bench_data`` leaves the history
delivered and reminded of). Writes bench/RESULTS_scale.md with the load average at the start and the end: the
machine is shared, and a loaded one slows every request alike, so compare ratios rather than milliseconds.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The settings ``manage.py`` loads the data with: the ID numbers are encrypted under their key (FIELD_ENCRYPTION_KEY,
# else one derived from SECRET_KEY), so the benchmark must read them with the same.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")


def _switch(url: str) -> None:
    from urllib.parse import urlsplit

    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = urlsplit(url).path.lstrip("/")


def _deep_cursor(user, depth: int) -> str:
    from core.keyset import encode, keys_for
    from credit import selectors

    qs = selectors.record_list(user).order_by("-created_at", "-id")
    row = qs[depth : depth + 1].get()
    return encode(row, keys_for(qs))


def _duplicate_check(office, user, rows: int):
    """The import's check against stored records for a file of ``rows`` item-1 rows: half already stored (a re-sent
    file), half new."""
    from credit.demo import sample_values
    from credit.models import Item
    from credit.registry import model_for_item
    from demo.bench_data import bench_person_id
    from reporting.imports.rows import RecordRowValidator, _key_part

    item = Item.objects.get(no=1)
    model = model_for_item(1)
    stored = list(model.objects.filter(office=office).values_list("id_number", "cert_number")[: rows // 2])
    fresh = [(bench_person_id(90_000_000 + i), sample_values(1, i)["cert_number"]) for i in range(rows - len(stored))]
    keyed = [(tuple(_key_part(v) for v in key), n + 2, None) for n, key in enumerate(stored + fresh)]

    def run():
        validator = RecordRowValidator(item=item, office=office, user=user)
        found = validator._stored_duplicates(list(keyed))
        assert found  # the re-sent half is refused (bar its revoked and expired records)

    return run


def _delivery_selection():
    """The daily delivery's selection (``reporting.tasks.deliver_incremental`` without the dispatch) with nothing new
    since the last batch: every item's incremental batch and the licence and black-list batches, none created."""
    from credit.models import Item
    from reporting.models import BatchKind
    from reporting.services import batches

    def run():
        for item in Item.objects.order_by("no"):
            assert batches.batch_create(item=item, kind=BatchKind.INCREMENTAL, scope="基准") is None, item.no
        assert batches.decision_batches_create() == []

    return run


def _reminders():
    """The daily reminders (records due soon and overdue, the semiannual periods owed), run once before measuring so
    that each measured run has nothing new to remind of."""
    from credit.services.notices import reminders_send
    from reporting.services.reminders import semiannual_reminders_send

    def run():
        reminders_send()
        semiannual_reminders_send()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", required=True, help="URL of the database loaded with the small set")
    parser.add_argument("--large", required=True, help="URL of the database loaded with the large set")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every case at both sizes; the best is kept")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS_scale.md"))
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.small
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User
    from credit.models import Office, Record
    from publicity.selectors import public_entries, public_entries_to_count

    setup_test_environment()
    load_start = os.getloadavg()
    sizes, cases_by_db = {}, {}
    for label, url in (("small", args.small), ("large", args.large)):
        _switch(url)
        sizes[label] = Record.objects.count()
        office = Office.objects.get(
            pk=Record.objects.values("office")
            .order_by()
            .annotate(n=django.db.models.Count("id"))
            .order_by("-n")
            .values_list("office", flat=True)[0]
        )
        clerk = User.objects.get(username=f"bench_clerk_{office.code}")
        reviewer = User.objects.get(username="bench_reviewer")
        year = datetime.date.today().year
        office_records = Record.objects.filter(office=office).count()
        depth = min(49_975, office_records - 30)
        # The public list's keyset cursor at the same depth as the staff list's, or as deep as the smaller set goes.
        penalties = public_entries("penalties").values_list("id", flat=True)
        public_newest = penalties[0]
        public_depth = min(depth, public_entries_to_count("penalties").count() - 30)
        public_after = penalties[public_depth]
        cases_by_db[label] = [
            ("record list, clerk, page 1", clerk, "/workspace/records/"),
            (
                f"record list, clerk, deep page (row {depth:,})",
                clerk,
                f"/workspace/records/?after={_deep_cursor(clerk, depth)}",
            ),
            ("record list, clerk, sorted by due date", clerk, "/workspace/records/?ordering=-due"),
            ("record list, clerk, status 已通过", clerk, "/workspace/records/?status=approved"),
            ("record list, reviewer, page 1", reviewer, "/workspace/records/"),
            ("clerk dashboard", clerk, "/workspace/"),
            ("reviewer dashboard", reviewer, "/workspace/"),
            ("review queue", reviewer, "/workspace/review/"),
            ("oversight dashboard, one year", reviewer, f"/workspace/oversight/?period={year}"),
            ("oversight office page, one year", reviewer, f"/workspace/oversight/offices/{office.code}/?period={year}"),
            ("oversight timeliness API, one year", reviewer, f"/api/v1/oversight/timeliness/?period={year}"),
            ("public list (行政处罚), page 1", None, "/penalties/"),
            (f"public list (行政处罚), deep page (row {public_depth:,})", None, f"/penalties/?after={public_after}"),
            ("public entry detail", None, f"/penalties/{public_newest}/"),
            ("open-data JSON page", None, "/api/v1/public/penalties/"),
            ("public search, 4 characters (豫章中学)", None, "/search/?q=豫章中学"),
            ("public search, 2 characters (晓明)", None, "/search/?q=晓明"),
            ("public search, 2 characters (育新)", None, "/search/?q=育新"),
            ("public search, 2 characters (中学)", None, "/search/?q=中学"),
            ("duplicate check, 10,000-row import", None, _duplicate_check(office, clerk, 10_000)),
            ("delivery selection, nothing new", None, _delivery_selection()),
            ("reminders, nothing new", None, _reminders()),
        ]
    results: dict[str, dict[str, tuple[float, int]]] = {}
    clients = {}
    # Each case at both sizes back to back, round after round: a burst of the machine's load hits both sizes of a page
    # alike rather than one size's whole pass, and the best round of each is kept.
    current = None
    for _round in range(args.rounds):
        for case in range(len(cases_by_db["small"])):
            for label, url in (("small", args.small), ("large", args.large)):
                if current != url:
                    _switch(url)
                    current = url
                name, who, path = cases_by_db[label][case]
                key = name.split(" (row")[0]  # the deep pages' row differs between the sets; the page does not
                if callable(path):  # not a page: a job's step (duplicate check, delivery selection, reminders)
                    run = path
                    run()  # warm (and the reminders' first run of the day)
                    times = []
                    for _ in range(max(5, args.repeat // 3)):
                        started = time.perf_counter()
                        run()
                        times.append(time.perf_counter() - started)
                    with CaptureQueriesContext(connection) as ctx:
                        run()
                    queries = len(ctx)
                else:
                    client = clients.get((label, getattr(who, "pk", None)))
                    if client is None:
                        client = clients[(label, getattr(who, "pk", None))] = Client()
                        if who is not None:
                            client.force_login(who)
                    assert client.get(path).status_code == 200  # warm
                    times = []
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        response = client.get(path)
                        times.append(time.perf_counter() - started)
                        assert response.status_code == 200
                    with CaptureQueriesContext(connection) as ctx:
                        client.get(path)
                    queries = len(ctx)
                median = statistics.median(times)
                best = results.setdefault(key, {}).get(label)
                # The page's own queries are the fewest counted over the rounds: the session's last-activity write
                # (every 30 s, accounts.middleware) adds three to whichever request comes due.
                results[key][label] = (
                    (median, queries) if best is None else (min(best[0], median), min(best[1], queries))
                )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    load = os.getloadavg()
    lines = [
        "# Staff pages at two data sizes (`bench/bench_scale.py`)",
        "",
        f"{version}; data from `manage.py bench_data` ({sizes['small']:,} and {sizes['large']:,} records); "
        f"median of {args.repeat} requests through the Django test client, best of {args.rounds} rounds, each case at both sizes back to back; "
        f"load average (1 / 5 / 15 min) {load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f} at the start "
        f"and {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end, on {os.cpu_count()} cores shared with other "
        "sessions' test suites and benchmarks.",
        "",
        f"| page | {sizes['small']:,} records | {sizes['large']:,} records | ratio | queries (small / large) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, by in results.items():
        (s, qs), (lg, ql) = by["small"], by["large"]
        lines.append(f"| {name} | {s * 1000:.1f} ms | {lg * 1000:.1f} ms | **{lg / s:.2f}** | {qs} / {ql} |")
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
