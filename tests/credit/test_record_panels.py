"""The record page shows what the apps above credit know about a record through ``credit.panels``: publicity and
reporting register their panels when they load, and credit's page renders them in their slots without importing
either app."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from credit import panels
from publicity.services.approvals import record_approve_and_publish
from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch

pytestmark = pytest.mark.django_db

COMPLETE = {"penalty_basis": "《教师资格条例》第十九条", "penalty_category": "警告"}


def _page(client, record) -> str:
    return client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()


def test_the_apps_above_credit_register_their_record_panels():
    registered = {(p.name, p.slot) for p in panels._panels.values()}
    assert {
        ("publicity-publication", "facts"),
        ("publicity-approve", "approve"),
        ("reporting-batches", "cards"),
    } <= registered


def test_record_page_shows_the_publication_and_the_batches_from_their_panels(client, reviewer, make_record):
    record = make_record(8, "submitted")
    approval = record_approve_and_publish(record=record, user=reviewer, publication=COMPLETE)
    batch = ExportBatch.objects.create(
        item=record.item, kind=BatchKind.INCREMENTAL, row_count=1, status=BatchStatus.DELIVERED, receipt="R-1"
    )
    BatchRecord.objects.create(batch=batch, record_id=record.pk, record_version=record.version)
    client.force_login(reviewer)
    html = _page(client, record)
    facts = html[html.index("报送信息") : html.index('id="actions"')]
    assert 'id="publication-status"' in facts  # inside the 报送信息 list
    assert f"公示至 {approval.publication.valid_until.isoformat()}" in facts
    cards = html[html.index('id="history"') :]
    assert 'id="batches"' in cards and f'data-batch="{batch.pk}"' in cards and "R-1" in cards


def test_approve_panel_is_shown_only_while_a_reviewer_decides(client, clerk, reviewer, make_record):
    record = make_record(8, "submitted")
    client.force_login(clerk)
    assert 'id="approve-publication"' not in _page(client, record)
    client.force_login(reviewer)
    assert 'id="approve-publication"' in _page(client, record)
    decided = make_record(8, "approved")
    assert 'id="approve-publication"' not in _page(client, decided)


def test_a_panel_renders_in_its_slot_with_what_the_view_gives_it(reviewer, make_record, monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})
    seen = []

    def context(request, record, note="default"):
        seen.append(note)
        return {"publication": None, "publishes": True} if note != "hide" else None

    panels.register_record_panel(
        name="probe", slot="facts", template="publicity/workspace/record_publication.html", context=context
    )
    record = make_record(8, "approved")
    request = RequestFactory().get("/")
    request.user = reviewer
    rendered = panels.record_panels(request, record, given={"probe": {"note": "given"}})
    assert seen == ["given"]
    assert len(rendered["facts"]) == 1 and "尚未公示" in rendered["facts"][0]
    assert rendered["approve"] == [] and rendered["cards"] == []
    assert panels.record_panels(request, record, given={"probe": {"note": "hide"}})["facts"] == []


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError):
        panels.register_record_panel(name="x", slot="sidebar", template="x.html", context=lambda request, record: {})
