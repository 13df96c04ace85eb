"""Open data: the public lists as JSON (cursor-paginated, ``?q=`` search) and CSV, anonymous and read-only."""

from __future__ import annotations

import csv

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from publicity import selectors
from publicity.opendata import COLUMNS, csv_safe, row_dict


class PublicCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


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


def public_csv(request, section: str):
    """GET /api/v1/public/<section>.csv: the same rows as the JSON, streamed, with a BOM so Excel reads UTF-8."""
    qs = _queryset(section, request.GET.get("q", ""))
    writer = csv.writer(_Echo())
    columns = COLUMNS[section]

    def rows():
        yield "\ufeff" + writer.writerow([label for _k, label, _g in columns])
        for entry in qs.iterator(chunk_size=2000):
            yield writer.writerow([csv_safe(get(entry)) for _k, _l, get in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = f"{section}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
