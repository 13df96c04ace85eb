"""Licensing and black-list decisions reach the municipal platform on the daily schedule, through the configured
transport, each once: licences in the national 双公示 licensing columns, the black list in its decision columns."""

from __future__ import annotations

import openpyxl
import pytest

from reporting import tasks
from reporting.models import BatchFormat, BatchStatus, ExportBatch
from tests.factories.publicity import BlackListEntryFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def _sheet(path):
    return list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))


def test_licence_and_blacklist_decision_go_in_the_next_scheduled_delivery_once(settings, reviewer):
    licence = LicenceFactory(name="南昌市晨光培训学校", reviewer=reviewer)
    entry = BlackListEntryFactory(reviewer=reviewer)

    created = tasks.deliver_incremental()

    licence_batch = ExportBatch.objects.get(format=BatchFormat.LICENCE_MUNICIPAL)
    blacklist_batch = ExportBatch.objects.get(format=BatchFormat.BLACKLIST)
    assert {licence_batch.pk, blacklist_batch.pk} <= set(created)
    for batch in (licence_batch, blacklist_batch):
        assert batch.status == BatchStatus.DELIVERED and batch.delivered_via == "dropfolder", batch.outcome
    files = {p.name: p for p in settings.REPORTING_DROP_DIR.iterdir()}
    licence_file = next(p for name, p in files.items() if "licences" in name)
    blacklist_file = next(p for name, p in files.items() if "blacklist" in name)
    rows = _sheet(licence_file)
    assert rows[0][0] == "xk_xdr_mc" and rows[2][0] == "南昌市晨光培训学校" and len(rows) == 3
    rows = _sheet(blacklist_file)
    assert rows[2][3] == entry.document_number and len(rows) == 3
    assert list(licence_batch.decision_lines.values_list("licence_id", flat=True)) == [licence.pk]

    # The next run finds both carried: no second batch, nothing delivered twice.
    tasks.deliver_incremental()
    assert ExportBatch.objects.filter(format__in=[BatchFormat.LICENCE_MUNICIPAL, BatchFormat.BLACKLIST]).count() == 2


def test_a_licence_approved_after_a_delivery_goes_in_the_following_one_alone(reviewer):
    LicenceFactory(reviewer=reviewer)
    tasks.deliver_incremental()
    later = LicenceFactory(name="南昌市远航培训学校", reviewer=reviewer)

    tasks.deliver_incremental()

    batches = ExportBatch.objects.filter(format=BatchFormat.LICENCE_MUNICIPAL).order_by("pk")
    assert [b.row_count for b in batches] == [1, 1]
    assert list(batches.last().decision_lines.values_list("licence_id", flat=True)) == [later.pk]


def test_the_reviewers_full_licence_file_stays_for_the_provincial_platform(reviewer, client):
    from reporting.services.batches import licence_batch_create

    LicenceFactory(reviewer=reviewer)
    batch = licence_batch_create(user=reviewer)
    tasks.deliver_incremental()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and not batch.is_municipal


def test_feedback_on_a_licence_batch_is_not_put_in_any_queue(reviewer):
    from reporting.models import RowFeedback
    from reporting.services.feedback import feedback_text_ingest

    LicenceFactory(reviewer=reviewer)
    tasks.deliver_incremental()
    batch = ExportBatch.objects.get(format=BatchFormat.LICENCE_MUNICIPAL)
    summary = feedback_text_ingest(batch=batch, text=f"batch_id,row,result,reason\n{batch.pk},1,refused,x\n")
    assert summary.stored == 0 and not RowFeedback.objects.exists()
