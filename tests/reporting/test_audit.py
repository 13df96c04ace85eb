"""Audit entries of the reporting app: imports (accepted and rejected), export batches, downloads, manual uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from credit.models import Item, Office
from reporting.imports import RecordImporter
from reporting.models import BatchKind, ExportBatch, ImportJob
from reporting.services.batches import batch_create
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def _upload(client, data: bytes, item=1, name="filled.xlsx"):
    return client.post(
        reverse("reporting:import-create"),
        {
            "item": Item.objects.get(no=item).pk,
            "office": Item.objects.get(no=item).offices.first().pk,
            "file": SimpleUploadedFile(name, data),
        },
        follow=True,
    )


def test_successful_import_is_audited_against_its_job(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    _upload(client, workbook_bytes(1, template_rows(1, range(3))))
    job = ImportJob.objects.get()
    [event] = _events("import")
    assert (event.outcome, event.object_type, event.object_id) == ("success", "reporting.importjob", str(job.pk))
    assert event.user == clerk_of_item_offices and event.path == reverse("reporting:import-create")
    assert event.detail["item"] == 1 and event.detail["rows"] == 3 and event.detail["errors"] == 0


def test_rejected_import_is_audited_with_counts_not_values(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    rows = template_rows(1, range(3))
    rows[1][1] = "12345"
    rows[2][1] = "360102"
    _upload(client, workbook_bytes(1, rows))
    [event] = _events("import")
    assert event.outcome == "failure" and event.object_type == "reporting.importjob"
    assert event.detail["rows"] == 3 and event.detail["errors"] == 2
    assert "12345" not in str(event.detail) and "360102" not in str(event.detail)


def test_file_refused_before_a_job_exists_is_audited_against_the_item(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    _upload(client, b"not a workbook", name="x.xlsx")
    assert not ImportJob.objects.exists()
    [event] = _events("import")
    assert event.outcome == "failure" and event.object_type == "credit.item" and event.detail["errors"] == 1


def test_command_line_import_is_audited_against_the_item(clerk_of_item_offices):
    item, office = Item.objects.get(no=8), Office.objects.get(code="zuren")
    result = RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(
        workbook_bytes(8, template_rows(8, range(2)))
    )
    assert result.ok
    [event] = _events("import")
    assert (event.outcome, event.object_type, event.object_id) == ("success", "credit.item", str(item.pk))
    assert event.detail["rows"] == 2


def test_import_audit_rolls_back_with_the_rows(clerk_of_item_offices, monkeypatch):
    """The success entry is written inside the import's transaction: a failure after it leaves neither."""
    from credit.services import records_bulk

    def boom(records, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(records_bulk, "_insert_history", boom)
    item, office = Item.objects.get(no=1), Office.objects.get(code="zuren")
    with pytest.raises(RuntimeError):
        RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(
            workbook_bytes(1, template_rows(1, range(2)))
        )
    assert not _events("import", outcome="success")


def test_batch_creation_is_audited_with_kind_rows_and_hash(make_records, reviewer):
    make_records(2, 3)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL, user=reviewer)
    [event] = _events("export")
    assert (event.object_type, event.object_id, event.user) == ("reporting.exportbatch", str(batch.pk), reviewer)
    assert event.detail == {
        "item": 2,
        "kind": "full",
        "format": "upload_template",
        "rows": 3,
        "sha256": batch.sha256,
        "scheduled": False,
    }


def test_batch_created_from_the_ledger_page_is_audited_with_the_request(client, make_records, reviewer):
    make_records(2, 2)
    client.force_login(reviewer)
    client.post(
        reverse("reporting:batch-create"),
        {"item": Item.objects.get(no=2).pk, "kind": BatchKind.FULL, "format": "upload_template"},
    )
    [event] = _events("export")
    assert event.path == reverse("reporting:batch-create") and event.detail["rows"] == 2


def test_downloads_are_audited(client, make_records, clerk_of_item_offices, reviewer):
    client.force_login(clerk_of_item_offices)
    client.get(reverse("reporting:template-download", args=[2]))
    rows = template_rows(1, range(2))
    rows[0][1] = "12345"
    _upload(client, workbook_bytes(1, rows))
    job = ImportJob.objects.get()
    client.get(reverse("reporting:import-errors", args=[job.pk]))
    make_records(2, 2)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    client.force_login(reviewer)
    client.get(reverse("reporting:batch-download", args=[batch.pk]))
    downloads = _events("download")
    assert [(e.object_type, e.detail["file"]) for e in downloads] == [
        ("credit.item", "blank_template"),
        ("reporting.importjob", "error_copy"),
        ("reporting.exportbatch", "batch"),
    ]
    assert downloads[2].user == reviewer and downloads[2].detail["sha256"] == batch.sha256


def test_refused_download_writes_no_download_entry(client, make_records, clerk_of_item_offices):
    make_records(2, 1)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    client.force_login(clerk_of_item_offices)
    assert client.get(reverse("reporting:batch-download", args=[batch.pk])).status_code in {403, 404}
    assert not _events("download")


def test_manual_upload_is_audited_as_a_change(client, make_records, reviewer):
    make_records(2, 1)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    client.force_login(reviewer)
    client.post(reverse("reporting:batch-manual", args=[batch.pk]), {"receipt": "HZ-2026-001", "note": ""})
    assert ExportBatch.objects.get().status == "delivered"
    [event] = _events("change")
    assert (event.object_type, event.object_id, event.user) == ("reporting.exportbatch", str(batch.pk), reviewer)
    assert event.detail["receipt"] == "HZ-2026-001" and event.detail["manual_upload"] is True
