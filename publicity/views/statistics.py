"""公示统计: the public statistics page of the column, its two CSV files and its chart (``publicity.statistics``)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from publicity import pagecache
from publicity.opendata import csv_safe
from publicity.services.errors import PublicityError
from publicity.statistics import Statistics, parse_year, public_statistics, year_choices

CSV_TABLES = ("monthly", "penalties")


@pagecache.public_page("statistics", pagecache.EVERYTHING, params=("year",))
def statistics(request):
    """/statistics/?year=: the monthly counts, the annual 行政处罚实施情况 table and the chart of one year (default:
    this year, Beijing time). A year that is not offered answers 400 with the reason on the form, never a 500."""
    years = year_choices()
    try:
        year = parse_year(request.GET.get("year"))
    except PublicityError as exc:
        context = {"years": years, "year": None, "errors": exc.messages}
        return render(request, "publicity/statistics.html", context, status=400)
    stats = public_statistics(year)
    context = {
        "years": years,
        "year": year,
        "stats": stats,
        "monthly_header": Statistics.monthly_header(),
        "penalty_header": Statistics.penalty_header(),
        "penalty_cells": stats.penalty_cells(),
        "chart": stats.chart(),
    }
    return render(request, "publicity/statistics.html", context)


def statistics_csv(request, table: str):
    """/statistics/<monthly|penalties>.csv?year=: the page's table as CSV, the same cells, UTF-8 with a BOM so Excel
    reads it; the file is named after the year and today's date in Beijing time."""
    try:
        year = parse_year(request.GET.get("year"))
    except PublicityError as exc:
        return HttpResponse("\n".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    stats = public_statistics(year)
    if table == "monthly":
        header, rows = Statistics.monthly_header(), stats.monthly_cells()
    else:
        header, rows = Statistics.penalty_header(), stats.penalty_cells()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    name = f"statistics-{table}-{year}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
