"""双公示 timeliness end to end (迟报率): a penalty is due public, and due at the municipal platform, by the 7th working
day after its decision; one published on working day 9 counts as late, on the dashboard, the office page and in the
bulletin. A submission deadline that leaves the reviewers no time to publish is flagged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.catalog import PENALTY, ItemSpec
from credit.models import Item, Office, Record
from credit.services.calendar import WorkingCalendar, working_days_between
from credit.services.publication_facts import records_mark_delivered
from oversight import selectors
from oversight.periods import parse_period
from oversight.services import bulletin_generate
from tests.factories.publicity import PublicationFactory

pytestmark = pytest.mark.django_db

PENALTY_NO = ItemSpec.items_with(publicity=PENALTY)[-1].no


def decided_working_days_ago(n: int) -> datetime.date:
    """The latest decision date of which today is at least the ``n``-th working day after (today counted)."""
    today = timezone.localdate()
    calendar = WorkingCalendar(today - datetime.timedelta(days=60), today)
    day = today
    while working_days_between(day, today, calendar=calendar) < n:
        day -= datetime.timedelta(days=1)
    return day


def published_today(decision_date: datetime.date, reviewer) -> Record:
    """A penalty decided on ``decision_date``, approved and published by the reviewer now (publicity's service)."""
    return PublicationFactory(no=PENALTY_NO, reviewer=reviewer, day=decision_date).record


def _office_row(rows, office):
    return next(r for r in rows if r.office.pk == office.pk)


def test_a_penalty_published_on_working_day_9_counts_as_late(reviewer):
    decided = decided_working_days_ago(9)
    # A weekend lies between the decision and today: working days, not calendar days, are counted.
    assert any((decided + datetime.timedelta(days=i)).weekday() >= 5 for i in range(1, 12))
    assert (timezone.localdate() - decided).days > 9
    record = published_today(decided, reviewer)
    assert record.first_published_at is not None
    rows, _total = selectors.timeliness_by_office(
        period=parse_period(f"{decided:%Y-%m}"), offices=Office.objects.filter(pk=record.office_id)
    )
    publication = rows[0].publication
    assert (publication.published, publication.published_late, publication.late_rate) == (1, 1, 1.0)


def test_a_penalty_published_within_7_working_days_is_on_time_and_delivery_is_measured_too(reviewer):
    decided = decided_working_days_ago(5)
    record = published_today(decided, reviewer)
    records_mark_delivered(record_ids=[record.pk])
    rows, _total = selectors.timeliness_by_office(
        period=parse_period(f"{decided:%Y-%m}"), offices=Office.objects.filter(pk=record.office_id)
    )
    publication = rows[0].publication
    assert (publication.published_on_time, publication.published_late, publication.late_rate) == (1, 0, 0.0)
    assert (publication.delivered_on_time, publication.delivered_late) == (1, 0)


def test_publishing_again_does_not_move_the_first_publication(reviewer):
    record = published_today(decided_working_days_ago(9), reviewer)
    first = Record.objects.get(pk=record.pk).first_published_at
    records_mark_delivered(record_ids=[record.pk])
    assert records_mark_delivered(record_ids=[record.pk]) == []
    assert Record.objects.get(pk=record.pk).first_published_at == first


def test_late_rate_on_dashboard_office_page_and_bulletin(client, reviewer):
    late = published_today(decided_working_days_ago(9), reviewer)
    period = str(late.business_date.year)
    client.force_login(reviewer)
    office = Office.objects.get(pk=late.office_id)
    dashboard = client.get(reverse("oversight:dashboard"), {"period": period}).content.decode()
    assert 'id="publication-table"' in dashboard and "迟报率" in dashboard
    table = dashboard.split('id="publication-table"')[1]
    row = table.split(f'<tr data-office="{office.code}">')[1].split("</tr>")[0]
    assert '<td data-figure="late_rate">100.0%</td>' in row
    page = client.get(reverse("oversight:office", args=[office.code]), {"period": period}).content.decode()
    assert '<td data-figure="published_late" class="bad">1</td>' in page
    bulletin = bulletin_generate(period=parse_period(period), user=reviewer)
    data = next(o for o in bulletin.data["offices"] if o["office_code"] == office.code)
    assert (data["publication_published"], data["publication_published_late"]) == (1, 1)
    assert data["publication_late_rate_text"] == "100.0%"
    detail = client.get(reverse("oversight:bulletin-detail", args=[bulletin.pk])).content.decode()
    assert 'id="bulletin-publication"' in detail
    api = client.get("/api/v1/oversight/timeliness/", {"period": period, "office": office.code}).json()
    assert api["offices"][0]["publication"]["published_late"] == 1
    assert api["offices"][0]["publication"]["late_rate"] == 1.0


def test_a_submission_deadline_that_leaves_no_time_to_publish_is_flagged(settings):
    item = Item.objects.get(no=PENALTY_NO)
    owner = item.offices.order_by("pk").first()
    offices = Office.objects.filter(pk=owner.pk)
    # The catalogue's deadline is the same 7 working days as publication: a record submitted on its due date can
    # only be published late, however quick the review.
    assert item in selectors.tight_deadline_items(offices)[owner.pk]
    Item.objects.filter(publicity=PENALTY).update(deadline_days=settings.PUBLICITY_PUBLISH_WORKING_DAYS - 2)
    assert owner.pk not in selectors.tight_deadline_items(offices)
    settings.OVERSIGHT_REVIEW_WORKING_DAYS = 3
    assert item in selectors.tight_deadline_items(offices)[owner.pk]


def test_the_flag_is_on_the_dashboard(client, reviewer):
    item = Item.objects.get(no=PENALTY_NO)
    owner = item.offices.order_by("pk").first()
    client.force_login(reviewer)
    page = client.get(reverse("oversight:dashboard")).content.decode()
    row = page.split('id="publication-table"')[1].split(f'<tr data-office="{owner.code}">')[1].split("</tr>")[0]
    assert "不留公示时间" in row and item.name in row
