"""A published entry never changes because another office entered a record about the same ID number or credit code
under another name: the public column keeps the name the published record was entered with."""

import pytest

from credit.models import Item, Subject
from credit.services import records as rs
from publicity.models import Publication
from tests.factories import clerk_of, record_values
from tests.typed import typed

pytestmark = pytest.mark.django_db

SCHOOL = {"org_name": "南昌市外国语学校", "org_code": "123601000003959541"}


def _public_texts(client, pub) -> str:
    return (
        client.get(f"/penalties/{pub.pk}/").content.decode() + client.get("/api/v1/public/penalties/").content.decode()
    )


def test_a_published_school_penalty_keeps_its_name_after_another_office_enters_the_code(build, client):
    pub = build.penalty(2, **SCHOOL)
    assert SCHOOL["org_name"] in _public_texts(client, pub)
    data = {**record_values(6), **SCHOOL, "org_name": "南昌市某某培训学校", "confirm_subject_name": "1"}
    other = rs.record_create(item=Item.objects.get(no=6), user=clerk_of("zuren"), data=data, submit=True)
    assert other.subject_id == pub.record.subject_id
    assert Publication.objects.get(pk=pub.pk).subject_name == SCHOOL["org_name"]
    assert Subject.objects.get(pk=pub.record.subject_id).name == SCHOOL["org_name"]
    texts = _public_texts(client, pub)
    assert SCHOOL["org_name"] in texts and "南昌市某某培训学校" not in texts


def test_a_published_teacher_penalty_keeps_its_name_after_another_office_enters_the_id(build, client):
    pub = build.penalty(8)
    name, number = typed(pub.record).name, typed(pub.record).id_number
    data = {**record_values(8), "id_number": number, "name": "另一个名字", "confirm_subject_name": "1"}
    other = rs.record_create(item=Item.objects.get(no=8), user=clerk_of("xuanjiao"), data=data, submit=True)
    assert other.subject_id == pub.record.subject_id
    assert Publication.objects.get(pk=pub.pk).subject_name == pub.subject_name
    assert Subject.objects.get(pk=pub.record.subject_id).name == name
    assert "另一个名字" not in _public_texts(client, pub)


def test_a_licence_under_another_name_does_not_rename_the_subject(build):
    pub = build.penalty(2, **SCHOOL)
    licence = build.licence(code=SCHOOL["org_code"], name="南昌市某某培训学校")
    assert licence.subject_id == pub.record.subject_id and licence.subject_name == "南昌市某某培训学校"
    assert Subject.objects.get(pk=pub.record.subject_id).name == SCHOOL["org_name"]
    assert Publication.objects.get(pk=pub.pk).subject_name == SCHOOL["org_name"]
