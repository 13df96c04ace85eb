"""The workspace record list pages by cursor (keyset): every record exactly once forwards and backwards, in every sort
order the list offers, and a page costs the same number of queries however many records there are."""

import datetime

import pytest
from django.utils import timezone

from credit.models import Record
from tests.factories import create_record

pytestmark = pytest.mark.django_db

SORTS = [
    "",
    "due",
    "-due",
    "business",
    "-business",
    "updated",
    "-updated",
    "submitted",
    "-submitted",
    "status",
    "-status",
    "item",
    "-item",
]


def _walk(client, query: str, size: int):
    """All pages forwards (following 下一页), then back from the last page (following 上一页)."""
    pages = []
    response = client.get(f"/workspace/records/?{query}")
    pages.append([r.pk for r in response.context["records"]])
    while response.context["page_obj"].has_next:
        response = client.get(f"/workspace/records/?{query}&after={response.context['page_obj'].next_cursor}")
        pages.append([r.pk for r in response.context["records"]])
    back = [pages[-1]]
    while response.context["page_obj"].has_previous:
        response = client.get(f"/workspace/records/?{query}&before={response.context['page_obj'].previous_cursor}")
        back.insert(0, [r.pk for r in response.context["records"]])
    return pages, back


@pytest.fixture
def many(clerk, monkeypatch):
    from credit.views.records import RecordListView

    monkeypatch.setattr(RecordListView, "paginate_by", 4)
    today = timezone.localdate()
    made = []
    for i, status in enumerate(
        [
            "draft",
            "submitted",
            "approved",
            "returned",
            "draft",
            "approved",
            "submitted",
            "approved",
            "draft",
            "approved",
            "submitted",
        ]
    ):
        # Equal sort values on purpose (same business day for pairs): the id breaks the tie.
        made.append(create_record(8 if i % 2 else 7, clerk, status=status, day=today - datetime.timedelta(days=i // 2)))
    # Same creation time for several records (a bulk import): the default order's tie as well.
    Record.objects.filter(pk__in=[r.pk for r in made[:4]]).update(created_at=made[0].created_at)
    return made


FIELDS = {
    "due": "due_date",
    "business": "business_date",
    "updated": "updated_at",
    "submitted": "submitted_at",
    "status": "status",
    "item": "item",
}


def _expected(records, sort: str) -> list[int]:
    """The order the list promises, worked out here in Python: the sort field (empty values last), then the id in the
    same direction; no sort is newest first."""
    if not sort:
        key, desc = (lambda r: (r.created_at, r.pk)), True
        return [r.pk for r in sorted(records, key=key, reverse=desc)]
    desc, name = sort.startswith("-"), FIELDS[sort.lstrip("-")]

    def value(r):
        return r.item.no if name == "item" else getattr(r, name)

    present = sorted((r for r in records if value(r) is not None), key=lambda r: (value(r), r.pk), reverse=desc)
    return [r.pk for r in present] + sorted((r.pk for r in records if value(r) is None), reverse=desc)


def test_every_record_once_forwards_and_backwards_in_each_order(clerk_client, many):
    records = list(Record.objects.filter(pk__in=[r.pk for r in many]).select_related("item"))
    for sort in SORTS:
        query = f"ordering={sort}" if sort else "q="
        pages, back = _walk(clerk_client, query, 4)
        flat = [pk for page in pages for pk in page]
        assert flat == _expected(records, sort), sort  # each once, none left out, in the promised order
        assert all(len(page) == 4 for page in pages[:-1])
        assert [pk for page in back for pk in page] == flat, sort


def test_a_forged_or_stale_cursor_shows_the_first_page(clerk_client, many):
    first = [r.pk for r in clerk_client.get("/workspace/records/").context["records"]]
    for cursor in ["x", "WzEsMl0", "bnVsbA", "W251bGwsbnVsbF0", "%00", "W1siYSJdLDFd", "WyIyMDI2LTEzLTAxIiwxXQ"]:
        response = clerk_client.get(f"/workspace/records/?after={cursor}&before={cursor}")
        assert response.status_code == 200
        assert [r.pk for r in response.context["records"]] == first


def test_a_deep_page_takes_as_many_queries_as_the_first(clerk_client, clerk, monkeypatch):
    from credit.views.records import RecordListView

    monkeypatch.setattr(RecordListView, "paginate_by", 3)
    for _ in range(7):
        create_record(7, clerk)
    first = _queries(clerk_client, "/workspace/records/")
    cursor = clerk_client.get("/workspace/records/?ordering=-due").context["page_obj"].next_cursor
    deep = _queries(clerk_client, f"/workspace/records/?ordering=-due&after={cursor}")
    for _ in range(9):
        create_record(7, clerk)
    assert _queries(clerk_client, f"/workspace/records/?ordering=-due&after={cursor}") == deep == first
    counts = [q["sql"] for q in _captured(clerk_client, f"/workspace/records/?after={cursor}") if "COUNT(" in q["sql"]]
    assert not [sql for sql in counts if "credit_record" in sql]  # no page counts the records


def _captured(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries


def _queries(client, url) -> int:
    return len(_captured(client, url))
