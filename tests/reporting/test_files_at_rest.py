"""Files at rest (M6): batch files, kept uploads and error copies are encrypted on disk, read back in clear by the
audited downloads and the delivery, and deleted after the retention period while the ledger keeps their metadata."""

import datetime
import hashlib
import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from audit.models import AuditEvent
from core.files import CHUNK, FileDecryptionError, private_storage
from credit.demo import person_id
from credit.models import Item
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, ExportBatch, ImportJob, ImportStatus
from reporting.services.batches import batch_create, batch_deliver
from reporting.services.imports import import_job_create
from tests.factories import reporting_office
from tests.reporting.fake_platform import FakePlatform
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

ID_0 = person_id(0)  # the ID number of the first sample record of item 1 (a person)


def _on_disk(field_file) -> bytes:
    return Path(field_file.storage.path(field_file.name)).read_bytes()


def _zip_text(data: bytes) -> str:
    """Every XML part of an .xlsx, uncompressed: where an ID number would be in clear."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def _batch(make_records, n: int = 2) -> ExportBatch:
    make_records(1, n)
    return batch_create(item=Item.objects.get(no=1), kind=BatchKind.FULL)


def _invalid_job(clerk) -> ImportJob:
    rows = template_rows(1, range(2))
    rows[1][2] = "女" if rows[1][2] == "男" else "男"  # sex disagrees with the ID: refused, error copy kept
    return import_job_create(
        user=clerk, item=Item.objects.get(no=1), office=reporting_office(1), data=workbook_bytes(1, rows)
    )


def _age(**days) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**days)


# Encryption at rest


def test_batch_file_on_disk_is_not_a_workbook_and_holds_no_id_number(make_records):
    batch = _batch(make_records)
    raw = _on_disk(batch.file)
    assert not raw.startswith(b"PK") and not zipfile.is_zipfile(io.BytesIO(raw))
    assert ID_0.encode() not in raw
    with batch.file.open("rb") as fh:
        plain = fh.read()
    assert ID_0 in _zip_text(plain)  # the workbook itself carries the full ID number
    assert hashlib.sha256(plain).hexdigest() == batch.sha256  # the ledger hash is the workbook's
    assert batch.file_size == len(plain) == batch.file.size


def test_kept_upload_and_error_copy_are_encrypted_on_disk(clerk_of_item_offices):
    job = _invalid_job(clerk_of_item_offices)
    assert job.status == ImportStatus.INVALID and job.error_file
    for field_file in (job.file, job.error_file):
        raw = _on_disk(field_file)
        assert not zipfile.is_zipfile(io.BytesIO(raw)) and ID_0.encode() not in raw
        with field_file.open("rb") as fh:
            assert ID_0 in _zip_text(fh.read())


def test_batch_download_returns_the_plaintext_workbook(client, reviewer, make_records):
    batch = _batch(make_records)
    client.force_login(reviewer)
    response = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) == batch.file_size
    assert hashlib.sha256(body).hexdigest() == batch.sha256
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    assert ID_0 in [c.value for row in sheet.iter_rows() for c in row]


def test_error_copy_download_returns_the_plaintext_workbook(client, clerk_of_item_offices):
    job = _invalid_job(clerk_of_item_offices)
    client.force_login(clerk_of_item_offices)
    response = client.get(reverse("reporting:import-errors", args=[job.pk]))
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]["B2"].value == ID_0


def test_drop_folder_receives_the_plaintext_workbook_with_the_ledger_hash(make_records, settings):
    batch = batch_deliver(batch_id=_batch(make_records).pk)
    assert batch.status == BatchStatus.DELIVERED
    [delivered] = list(settings.REPORTING_DROP_DIR.iterdir())
    assert zipfile.is_zipfile(delivered)
    assert hashlib.sha256(delivered.read_bytes()).hexdigest() == batch.sha256


def _multipart_fields(body: bytes) -> dict[str, bytes]:
    boundary = body.split(b"\r\n", 1)[0]
    fields = {}
    for part in body.split(boundary)[1:-1]:
        head, _, content = part.partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = content[:-2]  # the CRLF before the next boundary
    return fields


def test_http_platform_receives_the_plaintext_workbook_with_the_ledger_hash(make_records, settings, platform):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{platform.server_port}/upload"
    settings.REPORTING_HTTP_TOKEN = "s3cret"
    batch = batch_deliver(batch_id=_batch(make_records).pk)
    assert batch.status == BatchStatus.DELIVERED
    [body] = FakePlatform.received
    fields = _multipart_fields(body)
    assert hashlib.sha256(fields["file"]).hexdigest() == batch.sha256 == fields["sha256"].decode()
    assert zipfile.is_zipfile(io.BytesIO(fields["file"]))


def test_a_file_altered_on_disk_is_refused_not_read(make_records):
    batch = _batch(make_records)
    path = Path(batch.file.storage.path(batch.file.name))
    raw = bytearray(path.read_bytes())
    raw[40] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(FileDecryptionError), batch.file.open("rb") as fh:
        fh.read()


def test_large_files_are_stored_and_read_in_constant_memory(settings, tmp_path):
    size = 24 * 1024 * 1024
    source = tmp_path / "big.bin"
    with source.open("wb") as out:
        for i in range(size // CHUNK):
            out.write(bytes([i % 251]) * CHUNK)
    storage = private_storage()
    tracemalloc.start()
    with source.open("rb") as fh:
        name = storage.save("reporting/batches/big.xlsx", File(fh))
    digest = hashlib.sha256()
    with storage.open(name) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert digest.hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()
    assert storage.size(name) == size
    assert peak < 4 * 1024 * 1024  # a few chunks, never the file (24 MB)


def test_files_written_before_encryption_are_encrypted_in_place_by_the_command(make_records):
    batch = _batch(make_records)
    with batch.file.open("rb") as fh:
        plain = fh.read()
    path = Path(batch.file.storage.path(batch.file.name))
    path.write_bytes(plain)  # as the files of a release without encryption were written
    with batch.file.open("rb") as fh:
        assert fh.read() == plain  # still readable meanwhile
    out = io.StringIO()
    call_command("encrypt_files_at_rest", "--dry-run", stdout=out)
    assert "待加密 1 个文件" in out.getvalue() and zipfile.is_zipfile(path)  # counted, left alone
    call_command("encrypt_files_at_rest", stdout=out)
    assert "已加密 1 个文件" in out.getvalue()
    assert not zipfile.is_zipfile(path) and ID_0.encode() not in path.read_bytes()
    with batch.file.open("rb") as fh:
        assert fh.read() == plain
    call_command("encrypt_files_at_rest", stdout=out)  # again: nothing left to do
    assert "已加密 0 个文件；原已加密 1 个" in out.getvalue()


def test_private_storage_has_no_public_url():
    with pytest.raises(ValueError):
        private_storage().url("reporting/batches/01/x.xlsx")


# Retention


def test_purge_deletes_old_uploads_error_copies_and_acknowledged_batches_and_keeps_their_metadata(
    make_records, clerk_of_item_offices, settings
):
    settings.FILE_RETENTION_DAYS = 90
    job = _invalid_job(clerk_of_item_offices)
    ImportJob.objects.filter(pk=job.pk).update(created_at=_age(days=91))
    batch = batch_deliver(batch_id=_batch(make_records).pk)
    ExportBatch.objects.filter(pk=batch.pk).update(delivered_at=_age(days=91))
    job_paths = [Path(job.file.path), Path(job.error_file.path)]
    batch_path = Path(batch.file.path)

    assert tasks.purge_expired_files.delay().get() == {"import_jobs": 1, "batches": 1}

    assert not any(p.exists() for p in [*job_paths, batch_path])
    job.refresh_from_db()
    assert job.files_purged_at and not job.file and not job.error_file
    assert job.status == ImportStatus.INVALID and job.errors  # the outcome and the error list stay
    kept = ExportBatch.objects.get(pk=batch.pk)
    assert kept.purged_at and not kept.file
    assert (kept.sha256, kept.file_size, kept.row_count, kept.receipt) == (
        batch.sha256,
        batch.file_size,
        batch.row_count,
        batch.receipt,
    )
    events = AuditEvent.objects.filter(action="delete", detail__reason="retention")
    assert {(e.object_type, e.object_id) for e in events} == {
        ("reporting.importjob", str(job.pk)),
        ("reporting.exportbatch", str(batch.pk)),
    }
    assert events.get(object_type="reporting.exportbatch").detail["sha256"] == batch.sha256


def test_purge_spares_recent_files_and_unacknowledged_batches(make_records, clerk_of_item_offices, settings):
    settings.FILE_RETENTION_DAYS = 90
    recent_job = _invalid_job(clerk_of_item_offices)
    ImportJob.objects.filter(pk=recent_job.pk).update(created_at=_age(days=89))
    make_records(1, 1)
    item = Item.objects.get(no=1)
    pending = batch_create(item=item, kind=BatchKind.FULL)
    failed = batch_create(item=item, kind=BatchKind.FULL)
    no_receipt = batch_create(item=item, kind=BatchKind.FULL)
    recent = batch_create(item=item, kind=BatchKind.FULL)
    old = _age(days=200)
    ExportBatch.objects.filter(pk=pending.pk).update(created_at=old)
    ExportBatch.objects.filter(pk=failed.pk).update(created_at=old, status=BatchStatus.FAILED)
    ExportBatch.objects.filter(pk=no_receipt.pk).update(
        created_at=old, status=BatchStatus.DELIVERED, delivered_at=old, receipt=""
    )
    ExportBatch.objects.filter(pk=recent.pk).update(
        created_at=old, status=BatchStatus.DELIVERED, delivered_at=_age(days=10), receipt="R-1"
    )

    assert tasks.purge_expired_files.delay().get() == {"import_jobs": 0, "batches": 0}

    for batch in ExportBatch.objects.all():
        assert batch.purged_at is None and Path(batch.file.path).exists()
    recent_job.refresh_from_db()
    assert recent_job.files_purged_at is None and Path(recent_job.error_file.path).exists()


def test_purged_batch_page_says_so_and_its_download_answers_a_chinese_page_not_500(
    client, reviewer, make_records, settings
):
    batch = batch_deliver(batch_id=_batch(make_records).pk)
    ExportBatch.objects.filter(pk=batch.pk).update(delivered_at=_age(days=settings.FILE_RETENTION_DAYS + 1))
    tasks.purge_expired_files.delay()
    client.force_login(reviewer)
    page = client.get(reverse("reporting:batch-detail", args=[batch.pk])).content.decode()
    assert "文件已按保留期限删除" in page and batch.sha256 in page
    assert reverse("reporting:batch-download", args=[batch.pk]) not in page
    download = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert download.status_code == 410 and "文件已按保留期限删除" in download.content.decode()


def test_purged_error_copy_page_says_so_and_its_download_answers_a_chinese_page_not_500(
    client, clerk_of_item_offices, settings
):
    job = _invalid_job(clerk_of_item_offices)
    ImportJob.objects.filter(pk=job.pk).update(created_at=_age(days=settings.FILE_RETENTION_DAYS + 1))
    tasks.purge_expired_files.delay()
    client.force_login(clerk_of_item_offices)
    page = client.get(reverse("reporting:import-detail", args=[job.pk])).content.decode()
    assert "文件已按保留期限删除" in page and reverse("reporting:import-errors", args=[job.pk]) not in page
    download = client.get(reverse("reporting:import-errors", args=[job.pk]))
    assert download.status_code == 410 and "文件已按保留期限删除" in download.content.decode()


def test_batch_file_missing_from_storage_answers_a_chinese_page_not_500(client, reviewer, make_records):
    batch = _batch(make_records)
    Path(batch.file.path).unlink()
    client.force_login(reviewer)
    response = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert response.status_code == 404 and "文件已不存在" in response.content.decode()


def test_retention_purge_is_scheduled_daily():
    task = PeriodicTask.objects.get(task="reporting.tasks.purge_expired_files")
    assert task.enabled and (task.crontab.hour, task.crontab.minute, task.crontab.day_of_month) == ("3", "30", "*")


def test_upload_saved_from_memory_is_encrypted_too():
    name = private_storage().save("reporting/imports/x.xlsx", ContentFile(b"PK\x03\x04" + ID_0.encode()))
    raw = Path(private_storage().path(name)).read_bytes()
    assert ID_0.encode() not in raw and not raw.startswith(b"PK")
