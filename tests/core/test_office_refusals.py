"""One answer when a clerk names an office that is not theirs, in every write that takes an office: 403 keyed by
``office`` (an authorization refusal about a value the client sent), 400 when the code names no office at all."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from core.api import exception_handler
from core.errors import DomainError, ForbiddenError
from credit.models import Item, Office, Record
from credit.services.records import RecordError, record_create
from publicity.models import LicenceDecision
from publicity.services import licences as lic
from publicity.services.errors import PublicityError
from reporting.models import ImportJob
from tests.factories import clerk_of, record_values
from tests.factories.publicity import licence_values

pytestmark = pytest.mark.django_db

NOT_YOURS = "报送处室：您不能以“yijiao”的名义报送该事项。"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_handler_answers_a_forbidden_value_403_under_its_field():
    exc = ForbiddenError({"office": ["报送处室：不是您的处室。"]})
    assert isinstance(exc, DomainError) and isinstance(exc, PermissionDenied)
    response = exception_handler(exc, {})
    assert response.status_code == 403
    assert response.data == {"office": ["报送处室：不是您的处室。"]}


def test_record_api_refuses_an_office_that_is_not_the_clerks_with_403():
    clerk = clerk_of("zuren")  # 组人处 reports item 8; 义教处 does not employ this clerk
    response = api(clerk).post("/api/v1/items/8/records/", {**record_values(8), "office": "yijiao"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"office": [NOT_YOURS]}
    assert not Record.objects.exists()


def test_record_api_answers_an_unknown_office_code_400():
    clerk = clerk_of("zuren")
    response = api(clerk).post("/api/v1/items/8/records/", {**record_values(8), "office": "nosuch"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"office": ["报送处室：没有该处室。"]}


def test_record_page_still_shows_the_refused_office_on_the_form(client):
    clerk = clerk_of("zuren")
    client.force_login(clerk)
    page = client.post(reverse("credit:record-create", args=[8]), {**record_values(8), "office": "yijiao"})
    assert page.status_code == 200
    assert NOT_YOURS in page.content.decode()
    assert not Record.objects.exists()


def test_import_api_refuses_an_office_of_the_clerk_that_does_not_report_the_item_with_403(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    clerk = clerk_of("zuren")
    clerk.offices.add(Office.objects.get(code="yijiao"))  # a member of 义教处, which does not report item 8
    response = api(clerk).post(
        "/api/v1/reporting/imports/",
        {"item": 8, "office": "yijiao", "file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04")},
        format="multipart",
    )
    assert response.status_code == 403
    body = response.json()
    assert list(body) == ["office"] and body["office"][0].startswith("报送处室：")
    assert not ImportJob.objects.exists()


def test_import_api_refuses_another_offices_code_like_the_record_api(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    clerk = clerk_of("zuren")
    record = api(clerk).post("/api/v1/items/8/records/", {**record_values(8), "office": "yijiao"}, format="json")
    upload = api(clerk).post(
        "/api/v1/reporting/imports/",
        {"item": 8, "office": "yijiao", "file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04")},
        format="multipart",
    )
    assert record.status_code == upload.status_code == 403
    assert list(record.json()) == list(upload.json()) == ["office"]


def test_import_page_shows_the_refused_office_under_the_office_field(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    clerk = clerk_of("zuren")
    clerk.offices.add(Office.objects.get(code="yijiao"))
    client.force_login(clerk)
    page = client.post(
        reverse("reporting:import-create"),
        {
            "item": Item.objects.get(no=8).pk,
            "office": Office.objects.get(code="yijiao").pk,
            "file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04"),
        },
    )
    assert page.status_code == 200
    item = Item.objects.get(no=8).name
    assert page.context["form"].errors["office"] == [f"报送处室：您不能以“义教处”的名义报送“{item}”。"]


def test_licence_write_refuses_an_office_that_is_not_the_clerks_with_403():
    """Licensing decisions have no REST endpoint: the service is the one place their office is decided."""
    clerk = clerk_of("yijiao")
    with pytest.raises(PublicityError) as refused:
        lic.licence_create(user=clerk, data=licence_values(seq=901), office=Office.objects.get(code="zuren"))
    assert isinstance(refused.value, ForbiddenError)
    response = exception_handler(refused.value, {})
    assert response.status_code == 403
    assert list(response.data) == ["office"] and response.data["office"][0].startswith("报送处室：")
    assert not LicenceDecision.objects.exists()


def test_a_record_office_refusal_is_still_a_record_error():
    """Pages that show a RecordError on the form keep showing the refused office there."""
    clerk = clerk_of("zuren")
    with pytest.raises(RecordError) as refused:
        record_create(item=Item.objects.get(no=8), user=clerk, data={**record_values(8), "office": "yijiao"})
    assert refused.value.status_code == 403 and refused.value.errors == {"office": [NOT_YOURS]}
