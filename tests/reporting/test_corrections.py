"""Corrections batches: queued correction notices and revocations since delivery, delivered once, picked up once."""

import io
import os

import openpyxl
import pytest
from django.urls import reverse

from credit.models import Item
from credit.services.records import record_revoke
from publicity.models import CorrectionNotice, Publication
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, ExportBatch
from reporting.services.batches import batch_create, batch_deliver

pytestmark = pytest.mark.django_db


def _published(record):
    import datetime

    return Publication.objects.create(
        record=record,
        kind="penalty",
        item_no=record.item.no,
        subject_kind="natural",
        subject_name=record.name,
        public_code="3601**********0019",
        document_number=record.decision_number,
        decision_date=record.penalty_date,
        valid_until=record.penalty_date + datetime.timedelta(days=365),
    )


def _delivered(item_no: int) -> ExportBatch:
    batch = batch_create(item=Item.objects.get(no=item_no), kind=BatchKind.FULL)
    return batch_deliver(batch_id=batch.pk)


def test_correction_task_is_seeded_in_celery_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reporting.tasks.deliver_corrections")
    assert task.enabled and task.crontab.hour == "1" and str(task.crontab.timezone) == "Asia/Shanghai"


def test_corrections_and_revocations_are_delivered_once_and_picked_up(make_records, reviewer, settings):
    teacher, kept, never_delivered = make_records(8, 3)
    assert _delivered(8).status == BatchStatus.DELIVERED
    notice = CorrectionNotice.objects.create(
        kind="withdrawn",
        source="objection",
        source_reference="YY-2026-0001",
        publication=_published(teacher),
        description="异议成立，撤下该处罚信息",
    )
    done = CorrectionNotice.objects.create(
        kind="corrected", source="repair", description="已报送", picked_up_at="2026-01-01T00:00:00+08:00"
    )
    teacher = record_revoke(record=teacher, user=reviewer, reason="原处罚决定已撤销")
    # Revoked before the platform ever had it: nothing to correct there.
    make_records(8, 1, start=20)  # approved, not yet delivered
    later = make_records(8, 1, start=21)[0]
    record_revoke(record=later, user=reviewer, reason="录入错误")

    batch_id = tasks.deliver_corrections()
    batch = ExportBatch.objects.get(pk=batch_id)
    assert (batch.kind, batch.item, batch.row_count, batch.status) == (BatchKind.CORRECTION, None, 2, "delivered")
    assert [(line.record_id, line.record_version) for line in batch.lines.all()] == [(teacher.pk, teacher.version)]
    notice.refresh_from_db()
    assert notice.picked_up_at is not None and notice.batch_reference == f"ExportBatch #{batch.pk}"
    done.refresh_from_db()
    assert done.batch_reference == ""  # picked up before: not carried again
    dropped = sorted(os.listdir(settings.REPORTING_DROP_DIR))
    assert sum("corrections" in name for name in dropped) == 1

    wb = openpyxl.load_workbook(batch.file.open("rb"))  # decrypted as it is read
    notices = list(wb["更正通知"].iter_rows(min_row=2, values_only=True))
    assert notices == [
        (
            "撤下",
            "objection",
            "YY-2026-0001",
            "行政处罚",
            "8",
            teacher.name,
            notices[0][6],
            teacher.decision_number,
            "异议成立，撤下该处罚信息",
            notices[0][9],
        )
    ]
    assert "*" in notices[0][6] and teacher.id_number not in str(notices)  # the public (masked) code only
    revoked = list(wb["撤销记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[7]) for r in revoked] == [("8", str(teacher.pk), "原处罚决定已撤销")]
    assert teacher.id_number not in str(revoked)  # masked

    assert tasks.deliver_corrections() is None  # nothing left: no second batch, nothing delivered twice
    assert ExportBatch.objects.filter(kind=BatchKind.CORRECTION).count() == 1
    assert sum("corrections" in name for name in os.listdir(settings.REPORTING_DROP_DIR)) == 1
    batch_deliver(batch_id=batch.pk)  # the same delivery run again
    assert ExportBatch.objects.get(pk=batch.pk).attempts == 1


def test_revocation_carried_again_only_after_it_changes(make_records, reviewer):
    record = make_records(2, 1)[0]
    _delivered(2)
    record_revoke(record=record, user=reviewer, reason="撤销")
    assert tasks.deliver_corrections() is not None
    assert tasks.deliver_corrections() is None


def test_correction_batch_is_audited_and_shown_in_the_ledger(client, reviewer):
    from audit.models import AuditEvent

    CorrectionNotice.objects.create(kind="corrected", source="repair", description="信用修复完成")
    batch = ExportBatch.objects.get(pk=tasks.deliver_corrections())
    event = AuditEvent.objects.get(action="export", object_id=str(batch.pk))
    assert event.detail["kind"] == "correction" and event.detail["notices"] == 1 and event.detail["scheduled"]
    client.force_login(reviewer)
    assert "更正报送（全部事项）" in client.get(reverse("reporting:batch-list")).content.decode()
    assert "更正报送（全部事项）" in client.get(reverse("reporting:batch-detail", args=[batch.pk])).content.decode()
    response = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames == [
        "更正通知",
        "撤销记录",
    ]
    api = client.get(f"/api/v1/reporting/batches/{batch.pk}/")
    assert api.status_code in {200, 401, 403} and (api.status_code != 200 or api.json()["item"] is None)
