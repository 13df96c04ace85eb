"""Licensing decisions (行政许可) in the ledger: a national-format batch from the batch page, hashed, downloadable."""

import hashlib
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from credit.models import Item, Office
from reporting import tasks
from reporting.models import BatchFormat, BatchKind, BatchStatus, ExportBatch
from tests.factories.publicity import stored_licence

pytestmark = pytest.mark.django_db


def _licence(clerk_of_item_offices, status="approved", **fields):
    return stored_licence(
        office=Office.objects.get(code="sheguan"), created_by=clerk_of_item_offices, status=status, **fields
    )


def _post(client, **data):
    form = {"item": "", "kind": BatchKind.FULL, "format": BatchFormat.DOUBLE_PUBLICITY_LICENCE, **data}
    return client.post(reverse("reporting:batch-create"), form, follow=True)


def test_reviewer_creates_a_licence_batch_recorded_hashed_and_downloadable(
    client, reviewer, clerk_of_item_offices, settings
):
    _licence(clerk_of_item_offices)
    _licence(clerk_of_item_offices, wsh="洪教许〔2026〕2号", xdr_mc="南昌市远航学校", subject_name="南昌市远航学校")
    _licence(clerk_of_item_offices, status="draft", wsh="洪教许〔2026〕3号")  # not approved: not exported
    client.force_login(reviewer)
    response = _post(client, deliver="on")
    assert response.status_code == 200
    batch = ExportBatch.objects.get()
    assert (batch.item, batch.format, batch.kind, batch.row_count) == (
        None,
        BatchFormat.DOUBLE_PUBLICITY_LICENCE,
        BatchKind.FULL,
        2,
    )
    assert batch.created_by == reviewer and batch.status == BatchStatus.PENDING
    page = response.content.decode()
    assert "行政许可决定" in page and batch.sha256 in page and "不会自动报送市公共信用信息平台" in page
    assert AuditEvent.objects.filter(object_type="reporting.exportbatch", object_id=str(batch.pk)).exists()

    download = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == batch.sha256
    sheet = openpyxl.load_workbook(io.BytesIO(body))["行政许可"]
    assert sheet.cell(1, 1).value == "xk_xdr_mc"
    assert {sheet.cell(r, 1).value for r in (3, 4)} == {"南昌市启航培训学校", "南昌市远航学校"}
    assert f"行政许可-全量报送-{batch.pk}.xlsx" in unquote(download["Content-Disposition"])

    ledger = client.get(reverse("reporting:batch-list")).content.decode()
    assert f"#{batch.pk}" in ledger and "双公示国家标准（行政许可）" in ledger

    tasks.deliver_incremental()  # the daily sweep never sends it to the municipal transport
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and batch.attempts == 0


def test_licence_batch_form_errors(client, reviewer, clerk_of_item_offices):
    client.force_login(reviewer)
    response = _post(client)
    assert "没有已通过的行政许可决定" in response.content.decode()
    _licence(clerk_of_item_offices)
    response = _post(client, item=Item.objects.get(no=2).pk)
    assert "请不要选择事项" in response.content.decode()
    response = _post(client, kind=BatchKind.INCREMENTAL)
    assert "只能全量生成" in response.content.decode()
    response = _post(client, format=BatchFormat.UPLOAD_TEMPLATE)
    assert "请选择信用信息事项" in response.content.decode()
    assert not ExportBatch.objects.exists()


def test_licence_batch_is_for_reviewers_only(client, clerk_of_item_offices):
    _licence(clerk_of_item_offices)
    client.force_login(clerk_of_item_offices)
    response = client.post(
        reverse("reporting:batch-create"),
        {"item": "", "kind": BatchKind.FULL, "format": BatchFormat.DOUBLE_PUBLICITY_LICENCE},
    )
    assert response.status_code in (403, 404)
    assert not ExportBatch.objects.exists()
