"""Oversight's aggregates are recounted once per transaction: after it commits (nothing if it rolls back), or earlier
when a page inside the same transaction reads them; a recount that fails after the commit leaves the change standing
and the nightly rebuild puts the figures right."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_celery_beat.models import PeriodicTask

from credit.models import Record
from oversight import aggregates
from oversight.models import OfficeItemMonth
from oversight.tasks import rebuild_aggregates
from tests.factories.credit import create_record


def _due_total() -> int:
    return sum(OfficeItemMonth.objects.values_list("due", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_counted_without_anyone_reading_first():
    with transaction.atomic():
        record = create_record(3, status="submitted")
        assert _due_total() == 0  # not yet: once, at the commit
    assert _due_total() == 1
    assert OfficeItemMonth.objects.get(office_id=record.office_id, item_id=record.item_id, due__gt=0).unsubmitted == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_is_not_counted_and_the_next_transaction_is():
    with pytest.raises(RuntimeError), transaction.atomic():
        create_record(3)
        raise RuntimeError("the request failed")
    assert not Record.objects.exists()
    assert _due_total() == 0
    with transaction.atomic():
        create_record(3)
    assert _due_total() == 1


@pytest.mark.django_db(transaction=True)
def test_many_changes_in_one_transaction_are_recounted_once(monkeypatch):
    calls: list[set[int]] = []
    recount = aggregates.records_recount
    monkeypatch.setattr(aggregates, "records_recount", lambda ids: calls.append(set(ids)) or recount(ids))
    with transaction.atomic():
        records = [create_record(3, status="submitted") for _ in range(3)]  # created and submitted: 6 signals
    assert calls == [{r.pk for r in records}]
    assert _due_total() == 3


@pytest.mark.django_db
def test_a_page_inside_the_transaction_sees_the_transactions_own_changes():
    from credit.models import Office
    from oversight.periods import parse_period
    from oversight.selectors import timeliness_by_office

    record = create_record(3, status="submitted")  # the test's transaction never commits
    _rows, total = timeliness_by_office(
        period=parse_period(str(record.due_date.year)), offices=Office.objects.filter(pk=record.office_id)
    )
    assert total.due == 1


@pytest.mark.django_db(transaction=True)
def test_a_recount_failing_after_the_commit_keeps_the_change_and_the_nightly_rebuild_mends_it(monkeypatch):
    def broken(ids):
        raise ConnectionError("database went away after the commit")

    monkeypatch.setattr(aggregates, "records_recount", broken)
    with transaction.atomic():
        create_record(3, status="submitted")
    assert Record.objects.count() == 1  # the change stands
    assert _due_total() == 0
    monkeypatch.undo()
    assert PeriodicTask.objects.get(task="oversight.rebuild_aggregates").enabled
    rebuild_aggregates()
    assert _due_total() == 1
