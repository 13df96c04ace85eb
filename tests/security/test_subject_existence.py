"""A clerk cannot learn through the API, the record page or the subject page that another office already holds a
record about a person or organisation: the API does not hand out internal subject ids, and a clerk sees the subject
under the name their own office entered, never the name another office gave it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import create_record, record_values

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
