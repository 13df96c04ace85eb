"""Feedback benchmark: reading the platform's feedback file on a 100,000-row batch (``feedback_file_ingest``: parse,
check, map each row to its record and version, store, resolve earlier refusals, audit) vs the bare minimum in the same
run: the same verdicts, already resolved to records in memory, stored with one ``bulk_create``. Prints the time ratio,
the absolute time (target < 5 s), the process CPU time (less sensitive to a loaded machine) and the peak Python heap
(target < 200 MB). On PostgreSQL (production's engine, which takes the verdicts by ``COPY`` and one set-based insert)
it also times the portable path (chunked ``bulk_create``, what SQLite runs) on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/feedback_bench.py [ROWS]
"""

from __future__ import annotations

import csv
import os
import sys
import time
from unittest import mock

from _setup import max_rss_mib, peak_memory, seed_records, setup_django, teardown_django, timed

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
ITEM = 1
REFUSED_EVERY = 100  # 1 % of the rows are 问题数据
REASON = "统一社会信用代码校验失败"


def server_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used (``/proc``: the server is on this machine);
    None elsewhere. With the process's own CPU time, what the work costs whatever the machine's load."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_text(process: float, server: float | None) -> str:
    return f"CPU {process:5.2f} s" + ("" if server is None else f" + server {server:5.2f} s")


def main() -> None:
    tmp, dbname, vendor = setup_django()
    try:
        from credit.models import Item, Record
        from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch, FeedbackResult, RowFeedback
        from reporting.services import feedback
        from reporting.services.feedback import feedback_file_ingest

        seconds, _ = timed(seed_records, ITEM, ROWS)
        print(f"seeded {ROWS} item-{ITEM} records into {vendor} in {seconds:.1f}s")
        item = Item.objects.get(no=ITEM)

        def delivered_batch() -> ExportBatch:
            batch = ExportBatch.objects.create(
                item=item, kind=BatchKind.FULL, status=BatchStatus.DELIVERED, row_count=ROWS, delivered_via="dropfolder"
            )
            BatchRecord.objects.bulk_create(
                [
                    BatchRecord(batch=batch, record_id=pk, record_version=v)
                    for pk, v in Record.objects.filter(item=item).order_by("pk").values_list("pk", "version")
                ],
                batch_size=5000,
            )
            return batch

        def feedback_file(batch: ExportBatch) -> str:
            path = os.path.join(tmp, f"feedback-{batch.pk}.csv")
            with open(path, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["batch_id", "row", "result", "reason"])
                for row in range(1, ROWS + 1):
                    refused = row % REFUSED_EVERY == 0
                    writer.writerow([batch.pk, row, "refused" if refused else "accepted", REASON if refused else ""])
            return path

        def ingest(batch: ExportBatch, path: str):
            summary = feedback_file_ingest(batch=batch, path=path)
            assert summary.stored == ROWS and summary.refused == ROWS // REFUSED_EVERY, summary
            return summary

        base_batch = delivered_batch()
        lines = list(
            BatchRecord.objects.filter(batch=base_batch)
            .order_by("record_id")
            .values_list("record_id", "record_version", "record__office_id")
        )

        def baseline():
            RowFeedback.objects.bulk_create(
                [
                    RowFeedback(
                        batch=base_batch,
                        row=n,
                        record_id=record_id,
                        record_version=version,
                        office_id=office_id,
                        result=FeedbackResult.REFUSED if n % REFUSED_EVERY == 0 else FeedbackResult.ACCEPTED,
                        reason=REASON if n % REFUSED_EVERY == 0 else "",
                        source="file",
                    )
                    for n, (record_id, version, office_id) in enumerate(lines, start=1)
                ],
                batch_size=5000,
            )

        def measured(fn, *args):
            """(wall, this process's CPU, the database server's CPU for this connection or None) of ``fn(*args)``."""
            cpu, server = time.process_time(), server_cpu()
            wall, _ = timed(fn, *args)
            server_after = server_cpu()
            return wall, time.process_time() - cpu, None if server is None else server_after - server

        ours_batch = delivered_batch()
        ours_path = feedback_file(ours_batch)
        base, base_cpu, base_server = measured(baseline)
        our, our_cpu, our_server = measured(ingest, ours_batch, ours_path)
        portable = None
        if vendor == "postgresql":
            chunked_batch = delivered_batch()
            chunked_path = feedback_file(chunked_batch)
            with mock.patch.object(feedback, "_set_based", return_value=False):
                portable = measured(ingest, chunked_batch, chunked_path)
        # Peak heap on fresh batches (a re-read of a stored batch would only skip its rows).
        peak_batch = delivered_batch()
        peak_path = feedback_file(peak_batch)
        our_peak = peak_memory(ingest, peak_batch, peak_path)
        RowFeedback.objects.filter(batch=base_batch).delete()
        base_peak = peak_memory(baseline)

        print(f"rows: {ROWS}  database: {vendor}  refused: {ROWS // REFUSED_EVERY}")
        print(
            f"baseline bulk_create of resolved rows : {base:6.2f} s   {cpu_text(base_cpu, base_server)}   "
            f"peak heap {base_peak:.1f} MiB"
        )
        print(
            f"feedback_file_ingest (CSV→ledger)    : {our:6.2f} s   {cpu_text(our_cpu, our_server)}   "
            f"ratio {our / base:.2f}x   (target < 5 s: {'ok' if our < 5 else 'MISSED'})"
        )
        if our_server is not None and base_server is not None:
            cpu_total, base_total = our_cpu + our_server, base_cpu + base_server
            print(
                f"  CPU of both processes (load-independent): ours {cpu_total:.2f} s, baseline {base_total:.2f} s, "
                f"ratio {cpu_total / base_total:.2f}x   (target < 5 s: {'ok' if cpu_total < 5 else 'MISSED'})"
            )
        if portable is not None:
            print(
                f"  same, portable path (chunked bulk_create): {portable[0]:6.2f} s   {cpu_text(*portable[1:])}   "
                f"ratio {portable[0] / base:.2f}x"
            )
        print(f"feedback peak Python heap (tracemalloc): {our_peak:.1f} MiB  (target < 200 MiB)")
        print(f"process max RSS: {max_rss_mib():.0f} MiB (includes seeding the {ROWS} records)")
    finally:
        teardown_django(dbname)


if __name__ == "__main__":
    main()
