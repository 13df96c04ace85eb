"""Oversight's maintained aggregates (office × item × month) equal a full recount from the records after any sequence
of creates, submits, returns, approvals, revocations, publications, deliveries, nil reports and calendar changes, each
made through the services (property-based, hypothesis); and ``oversight_rebuild_aggregates`` recounts them all."""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.errors import DomainError
from credit.catalog import PENALTY, ItemSpec
from credit.models import CalendarDay, DayKind, Item, Record, RecordStatus
from credit.registry import model_for_item
from credit.services import records as services
from credit.services.calendar import calendar_days_changed, due_date_for
from credit.services.publication_facts import record_mark_published, records_mark_delivered
from oversight.models import NilReport, OfficeItemMonth
from oversight.services import nil_report_confirm
from tests.factories.credit import clerk_for_item, create_record, default_reviewer

pytestmark = pytest.mark.django_db

ITEMS = (3, ItemSpec.items_with(publicity=PENALTY)[-1].no)  # a monthly item and a 双公示 penalty item

index = st.integers(0, 40)
OPERATIONS = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(ITEMS), st.integers(0, 50)),
    st.tuples(st.just("submit"), index),
    st.tuples(st.just("return"), index),
    st.tuples(st.just("approve"), index),
    st.tuples(st.just("revoke"), index),
    # Around the 7 working days after the decision (9 to 11 calendar days): a calendar change flips them.
    st.tuples(st.just("publish"), index, st.integers(5, 14)),
    st.tuples(st.just("deliver"), index, st.integers(5, 14)),
    st.tuples(st.just("nil"), st.integers(1, 2)),
    st.tuples(st.just("calendar"), st.integers(0, 60), st.integers(1, 7)),
)


def recount() -> dict:
    """Every cell's figures counted afresh from every record and nil report (zero figures left out)."""
    cells: dict = defaultdict(Counter)
    double = set(Item.objects.filter(publicity=PENALTY).values_list("pk", flat=True))
    for r in Record.objects.all():
        due = cells[(r.office_id, r.item_id, r.due_date.replace(day=1))]
        due["due"] += 1
        due["provisional"] += r.due_date_provisional
        submitted = r.submitted_at is not None and r.status not in (RecordStatus.DRAFT, RecordStatus.RETURNED)
        if not submitted:
            due["unsubmitted"] += 1
        else:
            due["on_time" if timezone.localdate(r.submitted_at) <= r.due_date else "late"] += 1
        business = cells[(r.office_id, r.item_id, r.business_date.replace(day=1))]
        business["reported"] += submitted
        if r.item_id in double:
            deadline = due_date_for(r.business_date, settings.PUBLICITY_PUBLISH_WORKING_DAYS).due
            for fact, name in ((r.first_published_at, "published"), (r.first_delivered_at, "delivered")):
                if fact is not None:
                    business[f"{name}_on_time" if timezone.localdate(fact) <= deadline else f"{name}_late"] += 1
    for cell in NilReport.objects.values_list("office_id", "item_id", "month"):
        cells[cell]["nil"] = 1
    return {cell: {k: v for k, v in c.items() if v} for cell, c in cells.items() if any(c.values())}


def maintained() -> dict:
    result = {}
    for row in OfficeItemMonth.objects.all():
        counts = {k: int(v) for k, v in row.counts().items() if v}
        if counts:
            result[(row.office_id, row.item_id, row.month)] = counts
    return result


def _apply(operation: tuple, reviewer) -> None:
    kind, *args = operation
    today = timezone.localdate()
    if kind == "create":
        no, days_ago = args
        create_record(no, day=today - datetime.timedelta(days=days_ago))
        return
    if kind == "nil":
        month = (today.replace(day=1) - datetime.timedelta(days=28 * args[0])).replace(day=1)
        item = Item.objects.get(no=ITEMS[0])
        office = item.offices.order_by("pk").first()
        nil_report_confirm(user=clerk_for_item(ITEMS[0]), office=office, item=item, month=month)
        return
    if kind == "calendar":
        # A run of days made holidays (or 调休 working days at weekends), or taken back out of the calendar.
        first, length = today - datetime.timedelta(days=args[0]), args[1]
        days = [first + datetime.timedelta(days=i) for i in range(length)]
        stored = CalendarDay.objects.filter(date__in=days)
        if stored.exists():
            stored.delete()
        else:
            CalendarDay.objects.bulk_create(
                CalendarDay(date=d, kind=DayKind.WORKDAY if d.weekday() >= 5 else DayKind.HOLIDAY) for d in days
            )
        calendar_days_changed(dates=days)
        return
    # Any record made so far (by this sequence or an earlier one: the database keeps them through the test).
    pks = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    if not pks:
        return
    record = Record.objects.select_related("item").get(pk=pks[args[0] % len(pks)])
    typed = model_for_item(record.item.no).objects.get(pk=record.pk)
    clerk = clerk_for_item(record.item.no)
    if kind == "submit":
        services.record_submit(record=typed, user=clerk)
    elif kind == "return":
        services.record_return(record=typed, user=reviewer, reason="请补充。")
    elif kind == "approve":
        services.record_approve(record=typed, user=reviewer)
    elif kind == "revoke":
        services.record_revoke(record=typed, user=reviewer, reason="原决定已撤销。")
    else:
        moment = datetime.datetime.combine(
            record.business_date + datetime.timedelta(days=args[1]), datetime.time(10), timezone.get_current_timezone()
        )
        moment = min(moment, timezone.now())
        if kind == "publish":
            record_mark_published(record=record, at=moment)
        else:
            records_mark_delivered(record_ids=[record.pk], at=moment)


@hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same sequences on every run: a failure reproduces, the suite's time is stable
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each step goes through the database
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, min_size=4, max_size=12))
def test_aggregates_equal_a_recount_after_any_sequence(operations):
    reviewer = default_reviewer()
    for operation in operations:
        # on_commit work (approval's, a calendar change's recount) runs as it would after the commit.
        with TestCase.captureOnCommitCallbacks(execute=True):
            try:
                _apply(operation, reviewer)
            except DomainError:  # a step the record's state refuses (approve a draft …): nothing changed
                pass
    assert maintained() == recount()


def test_the_rebuild_command_recounts_everything_from_the_records():
    for no in ITEMS:
        create_record(no, status="approved")
    create_record(ITEMS[0], status="submitted")
    OfficeItemMonth.objects.update(due=99, reported=0)  # drifted, whatever the cause
    assert maintained() != recount()
    call_command("oversight_rebuild_aggregates", stdout=io.StringIO())
    assert maintained() == recount()


def test_migrating_an_installation_that_holds_records_fills_the_empty_aggregates():
    """An upgrade: the records are there, the new table is empty; ``migrate`` ends with the aggregates counted."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    for no in ITEMS:
        create_record(no, status="approved")
    OfficeItemMonth.objects.all().delete()
    assert maintained() != recount()
    post_migrate.send(
        sender=apps.get_app_config("oversight"), app_config=apps.get_app_config("oversight"), using="default"
    )
    assert maintained() == recount()


def test_a_migrate_to_a_target_before_the_aggregates_table_passes_over_it():
    """``migrate credit 0015`` on an older installation ends with post_migrate while oversight's table is not there
    yet: the fill waits for the migrate that creates it (it raised "relation does not exist")."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    create_record(ITEMS[0], status="approved")
    table = OfficeItemMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")  # undone with the test's transaction
    config = apps.get_app_config("oversight")
    post_migrate.send(sender=config, app_config=config, using="default")
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
