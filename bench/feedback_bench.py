"""Feedback benchmark: reading the platform's feedback file on a 100,000-row batch (``feedback_file_ingest``: parse,
check, map each row to its record and version, store, resolve earlier refusals, audit) vs the bare minimum in the same
run: the same verdicts, already resolved to records in memory, stored with one ``bulk_create``. Prints the time ratio,
the absolute time (target < 5 s) and the peak Python heap (target < 200 MB).

    .venv/bin/python bench/feedback_bench.py [ROWS]
"""

from __future__ import annotations

import csv
import os
import sys
import time

from _setup import max_rss_mib, peak_memory, seed_records, setup_django, teardown_django, timed

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
ITEM = 1
REFUSED_EVERY = 100  # 1 % of the rows are 问题数据


def main() -> None:
    tmp, dbname, vendor = setup_django()
    try:
        from credit.models import Item, Record
        from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch, FeedbackResult, RowFeedback
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

        ours_batch, base_batch = delivered_batch(), delivered_batch()
        path = os.path.join(tmp, "feedback.csv")
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["batch_id", "row", "result", "reason"])
            for row in range(1, ROWS + 1):
                refused = row % REFUSED_EVERY == 0
                writer.writerow(
                    [
                        ours_batch.pk,
                        row,
                        "refused" if refused else "accepted",
                        "统一社会信用代码校验失败" if refused else "",
                    ]
                )

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
                        reason="统一社会信用代码校验失败" if n % REFUSED_EVERY == 0 else "",
                        source="file",
                    )
                    for n, (record_id, version, office_id) in enumerate(lines, start=1)
                ],
                batch_size=5000,
            )

        cpu = time.process_time()
        base, _ = timed(baseline)
        base_cpu, cpu = time.process_time() - cpu, time.process_time()
        our, summary = timed(feedback_file_ingest, batch=ours_batch, path=path)
        our_cpu = time.process_time() - cpu
        assert summary.stored == ROWS and summary.refused == ROWS // REFUSED_EVERY, summary
        # Peak heap on a second, fresh batch (the first one's rows are stored: a re-read would only skip them).
        third = delivered_batch()
        with open(path, encoding="utf-8") as fh, open(path + ".3", "w", encoding="utf-8") as out:
            for n, line in enumerate(fh):
                out.write(line if n == 0 else line.replace(f"{ours_batch.pk},", f"{third.pk},", 1))
        our_peak = peak_memory(feedback_file_ingest, batch=third, path=path + ".3")
        RowFeedback.objects.filter(batch=base_batch).delete()
        base_peak = peak_memory(baseline)

        print(f"rows: {ROWS}  database: {vendor}  refused: {ROWS // REFUSED_EVERY}")
        print(f"baseline bulk_create of resolved rows : {base:6.2f} s   peak heap {base_peak:.1f} MiB")
        print(
            f"feedback_file_ingest (CSV→ledger)    : {our:6.2f} s   ratio {our / base:.2f}x   "
            f"(target < 5 s: {'ok' if our < 5 else 'MISSED'})"
        )
        print(f"CPU time of this process (load-independent): baseline {base_cpu:.2f} s, ours {our_cpu:.2f} s")
        print(f"feedback peak Python heap (tracemalloc): {our_peak:.1f} MiB  (target < 200 MiB)")
        print(f"process max RSS: {max_rss_mib():.0f} MiB")
    finally:
        teardown_django(dbname)


if __name__ == "__main__":
    main()
