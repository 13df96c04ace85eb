"""A subject's whole credit history in the workspace: scoped to the clerk's offices, ID numbers masked unless shown
on request (audited)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from credit.models import Subject
from credit.validators import mask_cn_id
from tests.factories import clerk_of, create_record
from tests.typed import typed

pytestmark = pytest.mark.django_db

SCHOOL = {"org_name": "南昌市外国语学校", "org_code": "123601000003959541"}


@pytest.fixture
def school_records(clerk, clerk_out):
    """One school with a 先进集体 (item 6) from 组人处 and a penalty (item 2) from 义教处."""
    award = create_record(6, clerk, **SCHOOL)
    penalty = create_record(2, clerk_out, **SCHOOL)
    assert award.subject_id == penalty.subject_id
    return award, penalty


def _url(subject_id) -> str:
    return reverse("credit:subject-detail", args=[subject_id])


def test_reviewer_sees_the_whole_history(client, reviewer, school_records):
    award, penalty = school_records
    client.force_login(reviewer)
    response = client.get(_url(award.subject_id))
    assert response.status_code == 200
    assert {r.pk for r in response.context["records"]} == {award.pk, penalty.pk}
    html = response.content.decode()
    assert "南昌市外国语学校" in html and SCHOOL["org_code"] in html  # credit codes are not personal data
    assert "显示完整号码" not in html


def test_clerk_sees_only_their_offices_records(client, clerk, school_records):
    award, penalty = school_records
    client.force_login(clerk)
    response = client.get(_url(award.subject_id))
    assert [r.pk for r in response.context["records"]] == [award.pk]
    assert reverse("credit:record-detail", args=[penalty.pk]) not in response.content.decode()


def test_clerk_without_a_record_of_the_subject_gets_404(client, school_records):
    award, _ = school_records
    client.force_login(clerk_of("pugao"))
    assert client.get(_url(award.subject_id)).status_code == 404


@pytest.mark.parametrize("pk", [987654, 10**20])
def test_unknown_subject_is_404(client, reviewer, pk):
    client.force_login(reviewer)
    assert client.get(f"/workspace/subjects/{pk}/").status_code == 404


def test_admin_roles_are_refused(client, sysadmin, auditor, school_records):
    award, _ = school_records
    for user in (sysadmin, auditor):
        client.force_login(user)
        assert client.get(_url(award.subject_id)).status_code in (403, 404)


def test_person_id_is_masked_unless_shown_and_the_showing_is_audited(client, clerk, make_record):
    record = make_record(8, "approved")
    number = typed(record).id_number
    client.force_login(clerk)
    html = client.get(_url(record.subject_id)).content.decode()
    assert number not in html and mask_cn_id(number) in html
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()

    html = client.get(_url(record.subject_id) + "?reveal=1").content.decode()
    assert number in html
    event = AuditEvent.objects.get(action="view_personal_data")
    assert event.object_type == "credit.subject" and event.object_id == str(record.subject_id)
    assert number not in str(event.detail)


def test_subject_page_queries_do_not_grow_with_records(client, reviewer, clerk):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(Subject.objects.get().pk))
        assert response.status_code == 200
        return len(ctx)

    client.force_login(reviewer)
    create_record(6, clerk, **SCHOOL)
    few = count()
    for _ in range(5):
        create_record(6, clerk, **SCHOOL)
    assert count() == few
