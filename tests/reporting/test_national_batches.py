"""National 双公示 batches: not counted as delivered to the municipal platform, never auto-delivered, refused when a
row lacks a required national column; the ledger's ``?item=`` filter takes any text without a 500."""

import pytest
from django.urls import reverse

from credit.models import Item
from reporting import tasks
from reporting.models import BatchFormat, BatchKind, BatchStatus, ExportBatch
from reporting.services.batches import BatchError, batch_create
from tests.factories.publicity import stored_penalty_publication

pytestmark = pytest.mark.django_db


def _complete(record):
    """Give a penalty record the publication that fills the national columns Annex 1 lacks."""
    return stored_penalty_publication(
        record,
        document_number="洪教罚〔2026〕7号",
        offence_type="违规办学",
        offence_facts="未经批准擅自招生",
        penalty_basis="《民办教育促进法》第六十二条",
        penalty_category="警告",
    )


def test_national_batch_does_not_stop_the_municipal_incremental_delivery(make_records, settings):
    records = make_records(2, 2)
    for record in records:
        _complete(record)
    item = Item.objects.get(no=2)
    national = batch_create(item=item, kind=BatchKind.FULL, format=BatchFormat.DOUBLE_PUBLICITY)
    assert national.row_count == 2

    tasks.deliver_incremental(item_no=2)

    national.refresh_from_db()
    assert national.status == BatchStatus.PENDING and national.attempts == 0  # never sent to the municipal transport
    incremental = ExportBatch.objects.get(kind=BatchKind.INCREMENTAL)
    assert incremental.format == BatchFormat.UPLOAD_TEMPLATE
    assert incremental.status == BatchStatus.DELIVERED
    assert set(incremental.lines.values_list("record_id", flat=True)) == {r.pk for r in records}
    assert [f.name for f in settings.REPORTING_DROP_DIR.iterdir()] == [incremental.receipt]


def test_national_batch_from_the_page_is_not_dispatched_and_says_so(client, reviewer, make_records, settings):
    _complete(make_records(2, 1)[0])
    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:batch-create"),
        {
            "item": Item.objects.get(no=2).pk,
            "kind": BatchKind.FULL,
            "format": BatchFormat.DOUBLE_PUBLICITY,
            "deliver": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.PENDING and batch.attempts == 0
    assert not settings.REPORTING_DROP_DIR.exists() or not any(settings.REPORTING_DROP_DIR.iterdir())
    assert "不会自动报送市公共信用信息平台" in page


def test_national_batch_with_missing_required_columns_is_refused_naming_records_and_columns(
    client, reviewer, make_records
):
    complete, bare = make_records(2, 2)
    _complete(complete)
    with pytest.raises(BatchError) as excinfo:
        batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL, format=BatchFormat.DOUBLE_PUBLICITY)
    message = str(excinfo.value)
    assert f"记录 #{bare.pk}" in message and f"记录 #{complete.pk}" not in message
    assert "行政处罚决定书文号" in message and "违法事实" in message
    assert not ExportBatch.objects.exists()

    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:batch-create"),
        {"item": Item.objects.get(no=2).pk, "kind": BatchKind.FULL, "format": BatchFormat.DOUBLE_PUBLICITY},
    )
    assert response.status_code == 200
    assert f"记录 #{bare.pk}" in response.content.decode()
    assert not ExportBatch.objects.exists()


def test_upload_template_batch_is_not_checked_against_the_national_standard(make_records):
    make_records(2, 1)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    assert batch.row_count == 1


@pytest.mark.parametrize("value", ["²", "1²", "9" * 5000, "-1", "٣", " "])
def test_ledger_and_import_item_filter_take_any_text(client, reviewer, clerk_of_item_offices, value):
    client.force_login(reviewer)
    assert client.get(reverse("reporting:batch-list"), {"item": value}).status_code == 200
    client.force_login(clerk_of_item_offices)
    assert client.get(reverse("reporting:import-create"), {"item": value}).status_code == 200


def test_ledger_item_filter_still_filters(client, reviewer, make_records):
    make_records(1, 1)
    batch = batch_create(item=Item.objects.get(no=1), kind=BatchKind.FULL)
    client.force_login(reviewer)
    assert f"#{batch.pk}<" in client.get(reverse("reporting:batch-list"), {"item": "1"}).content.decode()
    assert "还没有报送批次" in client.get(reverse("reporting:batch-list"), {"item": "2"}).content.decode()


def test_national_incremental_counts_only_national_batches(make_records):
    records = make_records(2, 2)
    for record in records:
        _complete(record)
    item = Item.objects.get(no=2)
    batch_create(item=item, kind=BatchKind.FULL)  # municipal: does not make the national file redundant
    first = batch_create(item=item, kind=BatchKind.INCREMENTAL, format=BatchFormat.DOUBLE_PUBLICITY)
    assert first.row_count == 2
    assert batch_create(item=item, kind=BatchKind.INCREMENTAL, format=BatchFormat.DOUBLE_PUBLICITY) is None
