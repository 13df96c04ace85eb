"""How an import that is refused as a whole reaches the clerk: one DomainError on the ``file`` field, shown under the
upload form's file field and answered 400 ``{"file": [...]}`` by the API's exception handler."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from credit.models import Item, Office
from reporting.columns import import_columns
from reporting.imports import ImportRejected
from reporting.models import ImportJob
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

NOT_A_WORKBOOK = b"not a workbook at all"


def test_import_rejected_is_a_domain_error_on_the_file_field():
    exc = ImportRejected("第一个工作表是空的。")
    assert isinstance(exc, DomainError)
    assert exc.status_code == 400 and exc.detail == {"file": ["第一个工作表是空的。"]}
    assert str(exc) == "第一个工作表是空的。"


def test_page_and_api_show_the_same_message_for_a_refused_file(client, clerk):
    client.force_login(clerk)
    item = Item.objects.get(no=8)
    page = client.post(
        reverse("reporting:import-create"),
        {
            "item": item.pk,
            "office": Office.objects.get(code="zuren").pk,
            "file": SimpleUploadedFile("x.xlsx", NOT_A_WORKBOOK),
        },
    )
    assert page.status_code == 200
    shown = page.context["form"].errors["file"]
    assert len(shown) == 1 and "不是 .xlsx 工作簿" in shown[0]

    api = client.post(
        "/api/v1/reporting/imports/",
        {"item": 8, "office": "zuren", "file": SimpleUploadedFile("x.xlsx", NOT_A_WORKBOOK)},
    )
    assert api.status_code == 400
    assert api.json() == {"file": shown}
    assert ImportJob.objects.count() == 0


def test_a_wrong_header_is_reported_on_the_job_not_as_an_error(client, clerk):
    """A readable but wrong workbook is stored as an invalid job whose message names the columns (the clerk keeps
    the job's page), not refused up front."""
    client.force_login(clerk)
    data = workbook_bytes(1, template_rows(1, range(1)))  # item 1's template uploaded as item 8
    response = client.post(
        "/api/v1/reporting/imports/", {"item": 8, "office": "zuren", "file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "invalid" and "表头" in response.json()["message"]


def _post(client, data: bytes) -> dict:
    response = client.post(
        "/api/v1/reporting/imports/", {"item": 8, "office": "zuren", "file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert response.status_code == 201, response.content
    return response.json()


def _column_limit(settings) -> int:
    return len(import_columns(8)) + settings.REPORTING_IMPORT_EXTRA_COLUMNS


def test_a_value_far_right_of_the_template_refuses_the_file_naming_the_column_limit(client, clerk, settings):
    client.force_login(clerk)
    job = _post(client, workbook_bytes(8, template_rows(8, range(1)), stray=(1, 16383)))
    assert job["status"] == "invalid"
    assert "超出范围" in job["message"] and "XFD2" in job["message"]
    assert f"{_column_limit(settings)} 列" in job["message"]
    assert ImportJob.objects.get().created_count == 0


def test_a_value_below_the_row_limit_refuses_the_file_naming_the_row_limit(client, clerk, settings):
    settings.REPORTING_IMPORT_MAX_ROWS = 3
    client.force_login(clerk)
    job = _post(client, workbook_bytes(8, template_rows(8, range(1)), stray=(39, 0)))
    assert job["status"] == "invalid"
    assert "A40" in job["message"] and "3 行数据" in job["message"]


def test_a_workbook_just_inside_the_row_and_column_limits_still_imports(client, clerk, settings):
    settings.REPORTING_IMPORT_MAX_ROWS = 3
    client.force_login(clerk)
    # Rows 2–4 in every template column, and a stray value in the last column read (ignored as ever).
    job = _post(client, workbook_bytes(8, template_rows(8, range(3)), stray=(3, _column_limit(settings) - 1)))
    assert job["status"] == "succeeded", job["message"]
    assert ImportJob.objects.get().created_count == 3
