"""The batch page makes an item's batch only in a format of an item's records: the licence and black-list files of the
municipal platform carry decisions, made by the daily task. Such a batch for an item once got the item's upload
template under a decision label, and its records were sent again by the next incremental batch."""

import pytest
from django.urls import reverse

from credit.models import Item
from reporting.models import BatchFormat, BatchKind, ExportBatch
from reporting.services.batches import BatchError, batch_create

pytestmark = pytest.mark.django_db

DECISION_FORMATS = [BatchFormat.BLACKLIST, BatchFormat.LICENCE_MUNICIPAL]


@pytest.mark.parametrize("format", DECISION_FORMATS)
def test_the_page_refuses_a_decision_format_for_an_item_naming_the_field(client, reviewer, make_records, format):
    make_records(3, 2)
    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:batch-create"),
        {"item": Item.objects.get(no=3).pk, "kind": BatchKind.FULL, "format": format, "deliver": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["format"]
    (message,) = errors["format"]
    assert message.startswith("文件格式：") and str(BatchFormat(format).label) in message and "每日报送任务" in message
    assert message in response.content.decode()
    assert not ExportBatch.objects.exists()


@pytest.mark.parametrize("format", DECISION_FORMATS)
def test_the_service_refuses_a_decision_format_for_an_item(make_records, format):
    make_records(3, 2)
    with pytest.raises(BatchError) as refused:
        batch_create(item=Item.objects.get(no=3), kind=BatchKind.FULL, format=format)
    assert list(refused.value.errors) == ["format"]
    assert "事项 3" in refused.value.errors["format"][0]
    assert not ExportBatch.objects.exists()


def test_the_service_refuses_a_national_penalty_file_of_an_item_that_is_not_a_penalty(make_records):
    make_records(3, 1)
    with pytest.raises(BatchError) as refused:
        batch_create(item=Item.objects.get(no=3), kind=BatchKind.FULL, format=BatchFormat.DOUBLE_PUBLICITY)
    assert "只适用于行政处罚事项" in refused.value.errors["format"][0]
    assert not ExportBatch.objects.exists()


def test_the_form_offers_only_the_formats_a_reviewer_may_make(client, reviewer):
    client.force_login(reviewer)
    for name in ("batch-list", "batch-create"):
        page = client.get(reverse(f"reporting:{name}")).content.decode()
        assert f'value="{BatchFormat.UPLOAD_TEMPLATE}"' in page
        assert f'value="{BatchFormat.DOUBLE_PUBLICITY_LICENCE}"' in page
        for format in DECISION_FORMATS:
            assert f'value="{format}"' not in page


def test_an_upload_template_batch_of_the_item_is_still_made(client, reviewer, make_records):
    make_records(3, 2)
    client.force_login(reviewer)
    client.post(
        reverse("reporting:batch-create"),
        {"item": Item.objects.get(no=3).pk, "kind": BatchKind.FULL, "format": BatchFormat.UPLOAD_TEMPLATE},
    )
    batch = ExportBatch.objects.get()
    assert (batch.item.no, batch.format, batch.row_count) == (3, BatchFormat.UPLOAD_TEMPLATE, 2)
