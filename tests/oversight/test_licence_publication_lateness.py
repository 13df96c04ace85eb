"""The licensing decisions (行政许可) count in 双公示 timeliness beside the penalties: the work plan's indicator 3 is
"报送本部门行政许可和行政处罚等双公示内容", and a licence is due public, and due at the municipal platform, by the 7th
working day after its decision date as a penalty is. The dashboard's 迟报率 had counted penalties alone: an office
that published every licence a month late showed no 迟报 at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit.models import Office
from oversight import selectors
from oversight.periods import parse_period
from publicity.services import licences as lic
from reporting.services.batches import batch_record_manual_upload, decision_batches_create
from tests.factories import clerk_of
from tests.factories.publicity import licence_values
from tests.oversight.test_publication_lateness import decided_working_days_ago

pytestmark = pytest.mark.django_db


def _licence(clerk, decided, *, seq: int, approve=None):
    data = {**licence_values(seq=seq), "jdrq": decided.isoformat(), "yxqz": decided.isoformat()}
    licence = lic.licence_create(user=clerk, data=data, submit=approve is not None)
    return lic.licence_approve(licence=licence, user=approve) if approve is not None else licence


def _publication(office, decided):
    rows, _total = selectors.timeliness_by_office(
        period=parse_period(f"{decided:%Y-%m}"), offices=Office.objects.filter(pk=office.pk)
    )
    return rows[0].publication


def test_a_licence_published_on_working_day_9_is_late_and_one_within_7_on_time(reviewer):
    clerk = clerk_of("yijiao")
    office = clerk.offices.get()
    late, on_time = decided_working_days_ago(9), decided_working_days_ago(5)
    _licence(clerk, late, seq=901, approve=reviewer)
    _licence(clerk, on_time, seq=902, approve=reviewer)
    _licence(clerk, late, seq=903)  # a draft: no decision the public is owed yet

    if late.month == on_time.month:
        publication = _publication(office, late)
        assert (publication.published, publication.published_on_time, publication.published_late) == (2, 1, 1)
        assert publication.late_rate == 0.5
    else:  # the two fall in different months: each month counts its own
        assert (_publication(office, late).published_late, _publication(office, on_time).published_on_time) == (1, 1)


def test_a_licence_delivered_to_the_municipal_platform_after_7_working_days_counts_as_delivered_late(reviewer):
    clerk = clerk_of("yijiao")
    office = clerk.offices.get()
    decided = decided_working_days_ago(9)
    _licence(clerk, decided, seq=911, approve=reviewer)
    assert _publication(office, decided).delivered == 0  # made public, not yet delivered
    (batch,) = decision_batches_create(user=reviewer)
    batch_record_manual_upload(batch=batch, user=reviewer, receipt="SG-2026-0911")
    publication = _publication(office, decided)
    assert (publication.delivered, publication.delivered_late, publication.delivery_late_rate) == (1, 1, 1.0)


def test_the_dashboard_shows_the_late_licence_in_its_offices_row(client, reviewer):
    clerk = clerk_of("yijiao")
    office = clerk.offices.get()
    decided = decided_working_days_ago(9)
    _licence(clerk, decided, seq=921, approve=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("oversight:dashboard"), {"period": f"{decided:%Y-%m}"}).content.decode()
    row = page.split('id="publication-table"')[1].split(f'<tr data-office="{office.code}">')[1].split("</tr>")[0]
    assert '<td data-figure="published_late" class="bad">1</td>' in row
    assert '<td data-figure="late_rate">100.0%</td>' in row
    api = client.get("/api/v1/oversight/timeliness/", {"period": f"{decided:%Y-%m}", "office": office.code}).json()
    assert api["offices"][0]["publication"]["published_late"] == 1
