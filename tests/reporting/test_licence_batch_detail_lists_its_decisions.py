"""A licence batch carries licensing decisions, not records: its page lists the decisions a municipal batch carries,
or says in words that the reviewer's national file carries N decisions, never an empty record table with
"仅显示前 0 条"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit.models import Office
from reporting.models import BatchFormat, BatchKind
from reporting.services.batches import decision_batches_create, licence_batch_create
from tests.factories.publicity import stored_licence

pytestmark = pytest.mark.django_db


def _licences(clerk):
    office = Office.objects.get(code="sheguan")
    stored_licence(office=office, created_by=clerk, status="approved")
    stored_licence(
        office=office,
        created_by=clerk,
        status="approved",
        wsh="洪教许〔2026〕2号",
        xdr_mc="南昌市远航学校",
        subject_name="南昌市远航学校",
    )


def test_national_licence_batch_page_says_it_carries_n_decisions_without_a_record_list(
    client, reviewer, clerk_of_item_offices
):
    _licences(clerk_of_item_offices)
    batch = licence_batch_create(user=reviewer)
    assert batch.format == BatchFormat.DOUBLE_PUBLICITY_LICENCE and batch.row_count == 2
    client.force_login(reviewer)
    page = client.get(reverse("reporting:batch-detail", args=[batch.pk])).content.decode()
    assert "仅显示前 0 条" not in page and "批次包含的记录" not in page
    assert "共 2 条决定，不含信用记录" in page


def test_municipal_licence_batch_page_lists_the_decisions_it_carries(client, reviewer, clerk_of_item_offices):
    _licences(clerk_of_item_offices)
    (batch,) = decision_batches_create(user=reviewer)
    assert batch.format == BatchFormat.LICENCE_MUNICIPAL and batch.kind == BatchKind.INCREMENTAL
    client.force_login(reviewer)
    page = client.get(reverse("reporting:batch-detail", args=[batch.pk])).content.decode()
    assert "仅显示前" not in page and "批次包含的行政许可决定" in page
    assert "洪教许〔2026〕2号" in page and "南昌市远航学校" in page
