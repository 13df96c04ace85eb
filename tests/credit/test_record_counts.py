"""The per office × item × status counts behind the dashboards are kept by the database on every write path and equal
a recount of the records; the dashboards read them, so their query count does not grow with the records."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit.models import Office, Record, RecordCount, RecordStatus
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def _kept() -> dict:
    return {(o, i, s): n for o, i, s, n in RecordCount.objects.values_list("office_id", "item_id", "status", "n") if n}


def _recount() -> dict:
    rows = Record.objects.order_by().values_list("office_id", "item_id", "status").annotate(n=Count("id"))
    return {(o, i, s): n for o, i, s, n in rows}


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "status", "office", "delete", "bulk_status", "noop_update"]),
        st.integers(min_value=0, max_value=50),
        st.sampled_from(RecordStatus.values),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_counts_equal_a_recount_after_any_sequence_of_writes(clerk, operations):
    offices = list(Office.objects.order_by("id"))
    for op, n, status in operations:
        records = list(Record.objects.order_by("id").values_list("id", flat=True))
        pick = records[n % len(records)] if records else None
        if op == "create" or pick is None:
            create_record(7 if n % 2 else 8, clerk, status="submitted" if n % 3 == 0 else "draft")
        elif op == "status":  # a single save, as the services' transitions do
            record = Record.objects.get(pk=pick)
            record.status = status
            record.save(update_fields=["status"])
        elif op == "office":
            Record.objects.filter(pk=pick).update(office=offices[n % len(offices)])
        elif op == "delete":
            Record.objects.get(pk=pick).delete()
        elif op == "bulk_status":  # QuerySet.update, as the expiry task does
            Record.objects.filter(pk__in=records[: n % 4 + 1]).update(status=status)
        else:
            Record.objects.filter(pk=pick).update(status=models_status(pick))
        assert _kept() == _recount()


def models_status(pk: int) -> str:
    return Record.objects.values_list("status", flat=True).get(pk=pk)


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/workspace/").status_code == 200
    return len(ctx)


def test_clerk_dashboard_queries_do_not_grow_with_records(clerk_client, clerk):
    create_record(8, clerk, status="approved")
    create_record(8, clerk, status="submitted")
    few = _dashboard_queries(clerk_client)
    for status in ["approved", "approved", "draft", "returned", "submitted", "approved"]:
        create_record(8, clerk, status=status)
    assert _dashboard_queries(clerk_client) == few
    office = clerk_client.get("/workspace/").context["offices"][0]
    mine = Record.objects.filter(office=office.office)
    assert office.by_status[RecordStatus.APPROVED] == mine.filter(status="approved").count() == 4
    assert office.by_status[RecordStatus.SUBMITTED] == mine.filter(status="submitted").count() == 2


def test_review_dashboard_reads_the_kept_counts(reviewer_client, clerk):
    for status in ["submitted", "submitted", "approved", "draft"]:
        create_record(8, clerk, status=status)
    review = reviewer_client.get("/workspace/").context["review"]
    assert review.queue == Record.objects.filter(status="submitted").count() == 2
    office_counts = {office.pk: counts for office, counts, _overdue in review.by_office}
    assert office_counts[clerk.offices.first().pk]["approved"] == 1


def test_overdue_tile_stops_counting_at_the_cap(clerk_client, clerk, monkeypatch):
    import datetime

    from django.utils import timezone

    from credit import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(selectors.capped_count, "__defaults__", (2,))
    old = timezone.localdate() - datetime.timedelta(days=90)
    for _ in range(3):
        create_record(8, clerk, status="draft", day=old)
    response = clerk_client.get("/workspace/")
    office = response.context["offices"][0]
    assert office.overdue == 2 and office.overdue.capped
    assert 'data-count="overdue">2+<' in response.content.decode()
