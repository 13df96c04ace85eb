"""Export benchmark: UploadTemplateExporter on 100,000 item-1 records vs writing the same rows straight to
xlsxwriter (constant_memory, write_string) from Python tuples already in memory. Prints time ratio and peak memory.

    .venv/bin/python bench/export_bench.py [ROWS]
"""

from __future__ import annotations

import os
import sys

from _setup import max_rss_mib, peak_memory, seed_records, setup_django, teardown_django, timed

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ITEM = 1


def main() -> None:
    tmp, dbname, vendor = setup_django()
    try:
        import xlsxwriter

        from credit.models import Item
        from credit.registry import model_for_item
        from reporting.columns import template_columns
        from reporting.exporters import FIXED_CREATED, UploadTemplateExporter

        seconds, _ = timed(seed_records, ITEM, ROWS)
        print(f"seeded {ROWS} item-{ITEM} records into {vendor} in {seconds:.1f}s")
        item = Item.objects.get(no=ITEM)
        queryset = model_for_item(ITEM).objects.filter(item=item)
        keys = [c.key for c in template_columns(ITEM)]
        headers = [c.name for c in template_columns(ITEM)]
        # The baseline's input: the same rows as tuples of strings, materialised before the clock starts.
        rows = [
            tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row)
            for row in queryset.order_by("pk").values_list(*keys)
        ]

        def baseline(path):
            wb = xlsxwriter.Workbook(path, {"constant_memory": True})
            wb.set_properties({"created": FIXED_CREATED})
            ws = wb.add_worksheet("baseline")
            for col, name in enumerate(headers):
                ws.write_string(0, col, name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    ws.write_string(r, c, value)
            wb.close()

        def ours(path):
            return UploadTemplateExporter(item, queryset).write(path)

        runs = RUNS
        base_times, our_times = [], []
        # Alternating runs, best of each: the machine is shared, and the minimum is the run least disturbed.
        for i in range(runs):
            base_times.append(timed(baseline, os.path.join(tmp, f"b{i}.xlsx"))[0])
            our_times.append(timed(ours, os.path.join(tmp, f"o{i}.xlsx"))[0])
        base, our = min(base_times), min(our_times)
        rows.clear()  # the baseline input must not count in the exporter peak below
        our_peak = peak_memory(ours, os.path.join(tmp, "mem.xlsx"))
        same = open(os.path.join(tmp, "o0.xlsx"), "rb").read() == open(os.path.join(tmp, "o1.xlsx"), "rb").read()
        print(f"rows: {ROWS}  database: {vendor}  best of {runs}")
        print(f"baseline xlsxwriter from tuples : {base:6.2f} s")
        print(f"UploadTemplateExporter (DB→xlsx): {our:6.2f} s   ratio {our / base:.2f}x  (target ≤ 1.30x)")
        paired = sorted(o / b for o, b in zip(our_times, base_times, strict=True))
        print("ratio of each alternating pair: " + ", ".join(f"{r:.2f}x" for r in paired))
        print(f"exporter peak Python heap (tracemalloc): {our_peak:.1f} MiB  (target < 150 MiB)")
        print(f"process max RSS (incl. baseline's in-memory tuples): {max_rss_mib():.0f} MiB")
        print(f"byte-identical repeated export: {same}")
    finally:
        teardown_django(dbname)


if __name__ == "__main__":
    main()
