"""Open data: the public lists as JSON (cursor-paginated, ``?q=`` search), CSV and .xlsx, anonymous and read-only."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.downloads import paced_file_response
from publicity import opendata_files, selectors
from publicity.opendata import COLUMNS, cell_text, csv_safe, row_dict
from publicity.ratelimit import download_slot_take
from publicity.sections import TITLES

# A cursor's position is the id of the last entry shown: ASCII digits that fit the database's bigint.
_POSITION = re.compile(r"[0-9]{1,18}")


class PublicCursorPagination(CursorPagination):
    """Pages of a public list, newest first. The cursor is the visitor's to edit: a position that is not an entry id
    (``p=abc``, ``p=1e5``, a NUL, digits past the database's range) is an invalid cursor, 404 as for one that does
    not decode, rather than reaching the ``id < position`` filter and failing there (500)."""

    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def decode_cursor(self, request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        if not _POSITION.fullmatch(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor._replace(position=str(int(cursor.position)))


def _queryset(section: str, q: str):
    if section not in selectors.SECTIONS:
        raise Http404
    return selectors.search_entries(section, q) if q.strip() else selectors.public_entries(section)


class PublicListApi(APIView):
    """GET /api/v1/public/<licences|penalties|red-list|black-list>/?q=…: what the column shows, masked."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="名称、统一社会信用代码或文书号（至少两个字）")],
        responses={200: dict},
    )
    def get(self, request, section: str):
        qs = _queryset(section, request.query_params.get("q", ""))
        paginator = PublicCursorPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([row_dict(section, e) for e in page])


class _Echo:
    def write(self, value):
        return value


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def public_xlsx(request, section: str):
    """GET /api/v1/public/<section>.xlsx: the CSV's rows as an Excel workbook of text cells (Excel turns a CSV's
    18-digit credit codes into numbers and loses their last digits); served like the CSV, limits included."""
    return public_csv(request, section, fmt="xlsx")


def public_csv(request, section: str, fmt: str = "csv"):
    """GET /api/v1/public/<section>.csv: the same rows as the JSON, with a BOM so Excel reads UTF-8 (``fmt`` "xlsx":
    the workbook written beside it, ``public_xlsx``).

    The full list is a file written by a Celery task (``publicity.opendata_files``), served as it is (or by the reverse
    proxy through X-Accel-Redirect) at ``PUBLICITY_OPEN_DATA_RATE`` bytes a second (``core.downloads``): no page worker
    spends seconds reading a million rows for it, and downloads do not take the line and the cores that serve pages.
    A search (``?q=``) is built while the visitor waits, so it stops at ``PUBLICITY_CSV_SEARCH_MAX_ROWS`` rows.
    Anonymous downloads are counted per client address (``PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS`` per window): beyond
    it, 429 and Retry-After.
    """
    if section not in selectors.SECTIONS:
        raise Http404
    if not request.user.is_authenticated and (refusal := download_slot_take(request)):
        retry_at = timezone.localtime(datetime.datetime.fromtimestamp(refusal.retry_at, tz=datetime.UTC))
        response = render(
            request,
            "publicity/download_limited.html",
            {"retry_at": retry_at, "retry_minutes": max(1, -(-refusal.retry_after // 60))},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
    q = request.GET.get("q", "")
    if q.strip():
        return _search_xlsx(section, q) if fmt == "xlsx" else _search_csv(section, q)
    found = opendata_files.freshest(section)
    if found is None:
        return _pending(request, section)
    path = found.xlsx_path if fmt == "xlsx" else found.path
    content_type = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    name = f"{section}-{found.day.replace('-', '')}.{fmt}"
    accel = settings.PUBLICITY_OPEN_DATA_ACCEL_PREFIX
    rate = max(0, settings.PUBLICITY_OPEN_DATA_RATE)
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{path.name}"
        if rate:
            response["X-Accel-Limit-Rate"] = str(rate)
        stat = path.stat()
    else:
        try:
            fh = path.open("rb")
        except FileNotFoundError:  # a CSV written before the workbooks were: the next write brings it
            opendata_files.schedule(section, countdown=0)
            return _pending(request, section)
        stat = os.fstat(fh.fileno())  # of the file being sent, should the task replace it meanwhile
        response = paced_file_response(fh, stat.st_size, rate, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Last-Modified"] = http_date(stat.st_mtime)
    # Beijing time, with its offset, of the data in the file (HTTP dates are GMT by definition).
    response["X-Open-Data-Generated-At"] = found.generated_at
    return response


def _pending(request, section: str):
    """503 "come back in a minute": the list's file is being written."""
    response = render(request, "publicity/download_pending.html", {"title": TITLES[section]}, status=503)
    response["Retry-After"] = "60"
    return response


def _search_csv(section: str, q: str):
    qs = _queryset(section, q)
    writer = csv.writer(_Echo())
    columns = COLUMNS[section]
    limit = settings.PUBLICITY_CSV_SEARCH_MAX_ROWS

    def rows():
        yield "\ufeff" + writer.writerow([label for _k, label, _g in columns])
        for entry in qs[:limit].iterator(chunk_size=2000):
            yield writer.writerow([csv_safe(get(entry)) for _k, _l, get in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = f"{section}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _search_xlsx(section: str, q: str):
    """The search's rows (as many as the CSV's, ``PUBLICITY_CSV_SEARCH_MAX_ROWS``) as a workbook, built at once."""
    columns = COLUMNS[section]
    out = io.BytesIO()
    sheet = opendata_files.XlsxSheet(out, [label for _k, label, _g in columns])
    for entry in _queryset(section, q)[: settings.PUBLICITY_CSV_SEARCH_MAX_ROWS].iterator(chunk_size=2000):
        sheet.add([cell_text(get(entry)) for _k, _l, get in columns])
    sheet.close()
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{section}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
