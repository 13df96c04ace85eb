"""A clerk cannot learn through the API, the record page or the subject page that another office already holds a
record about a person or organisation: the API does not hand out internal subject ids, and a clerk sees the subject
under the name their own office entered, never the name another office gave it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from credit.models import Notice, Record
from credit.services.notices import reminders_send
from tests.factories import clerk_of, create_record, record_values

pytestmark = pytest.mark.django_db

CODE = "123601000003959541"
OURS = "南昌市外国语学校"  # what 组人处 (``clerk``) entered
THEIRS = "南昌外国语学校（义教处登记）"  # what 义教处 (``clerk_out``) entered for the same credit code


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ours(clerk):
    """组人处's 先进集体 (item 6) record about the school, entered first."""
    return create_record(6, clerk, org_name=OURS, org_code=CODE)


def test_api_record_bodies_carry_no_subject_id(clerk_out, ours):
    client = _api(clerk_out)
    response = client.post("/api/v1/items/2/records/", {**record_values(2), "org_name": THEIRS, "org_code": CODE})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "subject" not in body, body  # the id would say the school was already known (shared with 组人处's record)
    assert "subject" not in client.get(f"/api/v1/records/{body['id']}/").json()
    assert all("subject" not in r for r in client.get("/api/v1/items/2/records/").json()["results"])


def test_subject_page_shows_each_clerk_their_own_offices_name(client, clerk, clerk_out, ours):
    theirs = create_record(2, clerk_out, org_name=THEIRS, org_code=CODE)
    assert theirs.subject_id == ours.subject_id
    url = reverse("credit:subject-detail", args=[ours.subject_id])
    client.force_login(clerk)
    html = client.get(url).content.decode()
    assert OURS in html and THEIRS not in html
    client.force_login(clerk_out)
    html = client.get(url).content.decode()
    assert THEIRS in html and OURS not in html


def test_record_page_names_the_subject_as_the_record_does(client, clerk, clerk_out, ours):
    create_record(2, clerk_out, org_name=THEIRS, org_code=CODE)
    client.force_login(clerk)
    html = client.get(reverse("credit:record-detail", args=[ours.pk])).content.decode()
    assert OURS in html and THEIRS not in html


def test_reviewer_still_sees_the_subjects_name(client, reviewer, clerk_out, ours):
    client.force_login(reviewer)
    html = client.get(reverse("credit:subject-detail", args=[ours.subject_id])).content.decode()
    assert ours.subject.name in html


def test_a_known_id_number_gets_the_same_answer_as_an_unknown_one(client, clerk):
    """宣教处 enters, for item 8, the ID number of a teacher 组人处 holds a submitted item-1 record about, under another
    name: the answer is the one an unknown number gets (created, same body keys, nothing about a registered name),
    and the record page shows no sign that the number was known."""
    known = record_values(1, 0)["id_number"]
    teacher = create_record(1, clerk, status="submitted", seq=0, name="王晓明")
    xuanjiao = clerk_of("xuanjiao")
    api = _api(xuanjiao)
    answers = [
        api.post("/api/v1/items/8/records/", {**record_values(8, seq), "id_number": number, "name": "测试"})
        for seq, number in ((1, known), (2, record_values(8, 2)["id_number"]))
    ]
    assert [a.status_code for a in answers] == [201, 201], [a.json() for a in answers]
    first, second = (a.json() for a in answers)
    assert Record.objects.get(pk=first["id"]).subject_id == teacher.subject_id  # the number was indeed known
    assert set(first) == set(second)
    assert "王晓明" not in str(first) and "登记" not in str(first)
    client.force_login(xuanjiao)
    html = client.get(reverse("credit:record-detail", args=[first["id"]])).content.decode()
    assert "王晓明" not in html and "已登记" not in html


def test_record_list_names_each_record_as_it_was_entered(client, clerk, clerk_out, ours):
    create_record(2, clerk_out, org_name=THEIRS, org_code=CODE)
    client.force_login(clerk)
    html = client.get(reverse("credit:record-list")).content.decode()
    assert OURS in html and THEIRS not in html
    client.force_login(clerk_out)
    html = client.get(reverse("credit:record-list")).content.decode()
    assert THEIRS in html and OURS not in html


def test_reminder_names_the_subject_as_the_office_entered_it(clerk):
    """组人处's overdue item-8 draft about a teacher, then 宣教处's record about the same ID number under another name:
    组人处's reminder names the teacher as 组人处 entered them."""
    today = timezone.localdate()
    values = record_values(8, 5)
    late = create_record(8, clerk, day=today - datetime.timedelta(days=60), **{**values, "name": "李四"})
    create_record(8, clerk_of("xuanjiao"), day=today, status="submitted", id_number=values["id_number"], name="测试")
    reminders_send()
    message = Notice.objects.get(record=late).message
    assert "李四" in message and "测试" not in message
