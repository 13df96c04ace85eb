"""The record page's 报送记录 (which batches carried which version) and the audited showing of ID numbers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch
from tests.typed import typed

pytestmark = pytest.mark.django_db


def _carry(record, *, version=None, **batch):
    b = ExportBatch.objects.create(item=record.item, kind=BatchKind.INCREMENTAL, row_count=1, **batch)
    BatchRecord.objects.create(batch=b, record_id=record.pk, record_version=version or record.version)
    return b


def test_record_page_lists_the_batches_that_carried_it(client, clerk, reviewer, make_record):
    record = make_record(8, "approved")
    old = _carry(record, version=record.version - 1, status=BatchStatus.FAILED, outcome="连接超时")
    new = _carry(record, status=BatchStatus.DELIVERED, receipt="XY-2026-001")
    url = reverse("credit:record-detail", args=[record.pk])

    client.force_login(clerk)
    html = client.get(url).content.decode()
    section = html[html.index('id="batches"') :]
    assert "报送记录" in html
    assert f'data-batch="{new.pk}"' in section and f'data-batch="{old.pk}"' in section
    assert section.index(f'data-batch="{new.pk}"') < section.index(f'data-batch="{old.pk}"')  # newest first
    assert "已报送" in section and "XY-2026-001" in section and "报送失败" in section and "连接超时" in section
    assert f"第 {record.version} 版" in section and "当前版本" in section
    assert reverse("reporting:batch-detail", args=[new.pk]) not in section  # the ledger is the reviewers'

    client.force_login(reviewer)
    html = client.get(url).content.decode()
    assert reverse("reporting:batch-detail", args=[new.pk]) in html


def test_record_page_without_batches_says_so(client, clerk, make_record):
    record = make_record(8, "draft")
    client.force_login(clerk)
    assert "该记录尚未被任何批次报送" in client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()


def test_record_page_queries_do_not_grow_with_batches(client, reviewer, make_record):
    record = make_record(8, "approved")
    url = reverse("credit:record-detail", args=[record.pk])
    client.force_login(reviewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    _carry(record)
    one = count()
    for _ in range(4):
        _carry(record)
    assert count() == one


def test_edit_form_showing_full_id_numbers_is_audited(client, clerk, make_record):
    record = make_record(8, "draft")
    client.force_login(clerk)
    response = client.get(reverse("credit:record-edit", args=[record.pk]))
    assert typed(record).id_number in response.content.decode()
    event = AuditEvent.objects.get(action="view_personal_data")
    assert event.object_id == str(record.pk)
    assert event.detail["fields"] == ["id_number"]
    assert typed(record).id_number not in str(event.detail)


def test_record_page_links_its_subject(client, clerk, make_record):
    record = make_record(8, "draft")
    client.force_login(clerk)
    html = client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    assert reverse("credit:subject-detail", args=[record.subject_id]) in html
