"""One person, one identity: a subject is its ID number or credit code; a record keeps the name as entered, a
different name needs the clerk's confirmation, no write renames the subject, and reviewers and the subject page show
the names side by side."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.forms import form_for_item
from credit.models import Item, Office, Subject
from credit.registry import model_for_item
from credit.services import records as services
from credit.services.records_bulk import records_create_bulk
from tests.factories import create_record, record_values
from tests.typed import typed

pytestmark = pytest.mark.django_db

SCHOOL = {"org_name": "南昌市外国语学校", "org_code": "123601000003959541"}
OTHER_NAME = "南昌市某某培训学校"


@pytest.fixture
def penalty(clerk_out, reviewer):
    """An approved penalty (item 2) of 义教处 about the school."""
    return create_record(2, clerk_out, status="approved", reviewer=reviewer, **SCHOOL)


def _award_data(name: str = OTHER_NAME, **extra) -> dict:
    return {**record_values(6), "org_name": name, "org_code": SCHOOL["org_code"], **extra}


def test_another_offices_record_with_another_name_does_not_rename_the_subject(clerk, penalty):
    award = services.record_create(
        item=Item.objects.get(no=6), user=clerk, data=_award_data(confirm_subject_name="1"), submit=True
    )
    assert award.subject_id == penalty.subject_id  # the credit code is the identity
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]
    assert typed(award).org_name == OTHER_NAME  # the record keeps the name as entered
    assert typed(penalty).org_name == SCHOOL["org_name"]


def test_a_different_name_is_refused_unless_confirmed_naming_both_names(clerk, reviewer, penalty):
    create_record(6, clerk, **SCHOOL)  # 组人处 has a record of the school: its clerk may see the registered name
    with pytest.raises(services.RecordError) as refused:
        services.record_create(item=Item.objects.get(no=6), user=clerk, data=_award_data())
    [message] = refused.value.errors["confirm_subject_name"]
    assert SCHOOL["org_name"] in message and OTHER_NAME in message and "确认主体名称不同" in message


def test_a_subject_known_only_to_other_offices_is_saved_as_entered_without_a_warning(clerk, penalty):
    """A warning would tell the clerk that another office holds a record of the school (a cross-office oracle): the
    record is saved under the name entered, the subject keeps its name, and the reviewer sees the conflict."""
    award = services.record_create(item=Item.objects.get(no=6), user=clerk, data=_award_data())
    assert typed(award).org_name == OTHER_NAME and award.subject_id == penalty.subject_id
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def test_the_same_name_needs_no_confirmation(clerk, penalty):
    record = services.record_create(item=Item.objects.get(no=6), user=clerk, data=_award_data(SCHOOL["org_name"]))
    assert record.subject_id == penalty.subject_id


def test_editing_a_draft_to_another_name_needs_confirmation(clerk, penalty):
    draft = create_record(6, clerk, **SCHOOL)
    with pytest.raises(services.RecordError) as refused:
        services.record_update(record=typed(draft), user=clerk, data={"org_name": OTHER_NAME})
    assert "confirm_subject_name" in refused.value.errors
    services.record_update(record=typed(draft), user=clerk, data={"org_name": OTHER_NAME, "confirm_subject_name": "1"})
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def test_a_person_entered_again_under_another_name_keeps_their_name(clerk, reviewer):
    first = create_record(8, clerk, status="approved", reviewer=reviewer)
    data = {**record_values(8), "id_number": typed(first).id_number, "name": "另一个人", "confirm_subject_name": "1"}
    second = services.record_create(item=Item.objects.get(no=8), user=clerk, data=data)
    assert second.subject_id == first.subject_id
    assert Subject.objects.get(pk=first.subject_id).name == typed(first).name != "另一个人"


def test_bulk_creation_does_not_rename_the_subject(clerk, penalty):
    item, office = Item.objects.get(no=6), Office.objects.get(code="zuren")
    instance = model_for_item(6)(item=item, office=office, created_by=clerk, updated_by=clerk)
    form = form_for_item(6)(data=_award_data(), instance=instance)
    assert form.is_valid(), form.errors
    [record] = records_create_bulk(item=item, office=office, user=clerk, records=[form.instance])
    assert record.subject_id == penalty.subject_id
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def test_the_form_shows_the_warning_and_saves_once_confirmed(clerk_client, clerk, penalty):
    create_record(6, clerk, **SCHOOL)  # 组人处 has a record of the school
    url = reverse("credit:record-create", args=[6])
    data = _award_data()
    response = clerk_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="subject-name-warning"' in html and OTHER_NAME in html
    assert 'name="confirm_subject_name"' in html and "确认主体名称不同" in html
    assert Subject.objects.count() == 1 and model_for_item(6).objects.count() == 1

    response = clerk_client.post(url, {**data, "confirm_subject_name": "1"})
    assert response.status_code == 302
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def test_the_api_needs_confirm_subject_name_true(clerk_client, clerk, penalty):
    create_record(6, clerk, **SCHOOL)  # 组人处 has a record of the school
    url = "/api/v1/items/6/records/"
    body = _award_data()
    response = clerk_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "confirm_subject_name" in response.content.decode()

    response = clerk_client.post(
        url, json.dumps({**body, "confirm_subject_name": True}), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["org_name"] == OTHER_NAME
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def _confirmed_award(clerk):
    return services.record_create(
        item=Item.objects.get(no=6), user=clerk, data=_award_data(confirm_subject_name="1"), submit=True
    )


def test_the_reviewer_sees_the_conflict_on_the_record_page_and_in_the_queue(reviewer_client, clerk, penalty):
    award = _confirmed_award(clerk)
    page = reviewer_client.get(reverse("credit:record-detail", args=[award.pk])).content.decode()
    assert "subject-name-conflict" in page and OTHER_NAME in page and SCHOOL["org_name"] in page
    queue = reviewer_client.get(reverse("credit:review")).content.decode()
    assert "subject-name-conflict" in queue and OTHER_NAME in queue and SCHOOL["org_name"] in queue
    penalty_page = reviewer_client.get(reverse("credit:record-detail", args=[penalty.pk])).content.decode()
    assert "subject-name-conflict" not in penalty_page


def test_the_subject_page_shows_the_names_with_office_and_date(reviewer_client, clerk, penalty):
    award = _confirmed_award(clerk)
    response = reviewer_client.get(reverse("credit:subject-detail", args=[penalty.subject_id]))
    names = [(n.name, n.office) for n in response.context["names"]]
    assert names == [(SCHOOL["org_name"], penalty.office.name), (OTHER_NAME, award.office.name)]
    html = response.content.decode()
    assert 'id="subject-names"' in html and timezone.localtime(award.created_at).strftime("%Y-%m-%d") in html


def test_a_clerk_sees_only_the_names_their_offices_entered(clerk_client, clerk, penalty):
    _confirmed_award(clerk)
    response = clerk_client.get(reverse("credit:subject-detail", args=[penalty.subject_id]))
    assert [n.name for n in response.context["names"]] == [OTHER_NAME]
    assert SCHOOL["org_name"] not in response.content.decode()


def test_the_record_list_names_each_record_as_entered(client, clerk, clerk_out, penalty):
    award = _confirmed_award(clerk)
    client.force_login(clerk)
    html = client.get(reverse("credit:record-list")).content.decode()
    assert OTHER_NAME in html and SCHOOL["org_name"] not in html  # 义教处's penalty and its name stay out of sight
    client.force_login(clerk_out)
    html = client.get(reverse("credit:record-list")).content.decode()
    assert SCHOOL["org_name"] in html and OTHER_NAME not in html and award.pk


def test_an_approved_change_of_the_name_does_not_rename_the_subject(clerk, reviewer, penalty):
    award = create_record(6, clerk, status="approved", reviewer=reviewer, **SCHOOL)
    change = services.record_change_propose(record=typed(award), user=clerk, data={"org_name": OTHER_NAME})
    services.record_change_approve(change=change, user=reviewer)
    assert model_for_item(6).objects.get(pk=award.pk).org_name == OTHER_NAME
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]
    assert typed(penalty).org_name == SCHOOL["org_name"]
