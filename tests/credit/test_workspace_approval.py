"""Approving in the workspace confirms publication where the item publishes (双公示 penalties, the red list), one by
one from the record page or in bulk from the queue; bad review input gets a message, never a 500."""

import datetime

import pytest
from django.urls import reverse

from credit.models import Record, RecordStatus
from publicity.models import Publication, PublicationKind
from publicity.services.publications import default_period, penalty_defaults
from tests.typed import typed

pytestmark = pytest.mark.django_db

COMPLETE = {"penalty_basis": "《教师资格条例》第十九条", "penalty_category": "警告"}


def _approve(client, record, data=None, *, from_form=True):
    body = {"publication_form": "True", "publish": "on", **(data or {})} if from_form else dict(data or {})
    return client.post(reverse("credit:record-approve", args=[record.pk]), body, follow=True)


def test_penalty_approve_form_offers_publication_prefilled(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = reviewer_client.get(reverse("credit:record-detail", args=[record.pk]))
    html = response.content.decode()
    assert "同时公示" in html
    form = response.context["approve_form"]
    assert form["publish"].value() is True and "checked" in str(form["publish"])  # ticked by default
    assert form["decision_number"].value() == typed(record).decision_number
    # The default end is the minimum the period rules allow (here a 警告: three months), not the maximum.
    assert form["publicity_end"].value() == default_period(penalty_defaults(record))[3]
    assert "违法行为类型" in html and "处罚类别" in html


def test_approve_with_complete_data_publishes_in_the_same_step(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = _approve(reviewer_client, record, COMPLETE)
    html = response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    pub = Publication.objects.get(record=record)
    assert pub.kind == PublicationKind.PENALTY and pub.published_at is not None
    assert pub.penalty_basis == COMPLETE["penalty_basis"] and pub.penalty_category == "警告"
    assert pub.document_number == typed(record).decision_number
    assert "已审核通过" in html and "已同时在信用信息专栏公示" in html


def test_approve_with_incomplete_publication_data_approves_and_says_what_is_missing(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = _approve(reviewer_client, record)
    html = response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert not Publication.objects.filter(record=record).exists()
    assert "公示信息不完整" in html and "处罚依据" in html and "处罚类别" in html
    assert reverse("publicity-workspace:publish", args=[record.pk]) in html


def test_unticked_publish_approves_without_publishing(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = reviewer_client.post(
        reverse("credit:record-approve", args=[record.pk]), {"publication_form": "True", **COMPLETE}, follow=True
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert not Publication.objects.filter(record=record).exists()
    assert "未同时公示" in response.content.decode()


def test_publicity_end_out_of_bounds_approves_and_warns(reviewer_client, make_record):
    record = make_record(8, "submitted")
    too_late = typed(record).penalty_date + datetime.timedelta(days=5 * 366)
    response = _approve(reviewer_client, record, {**COMPLETE, "publicity_end": too_late.isoformat()})
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert not Publication.objects.filter(record=record).exists()
    assert "公示截止日期应在" in response.content.decode()


def test_malformed_approve_form_approves_nothing(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = _approve(reviewer_client, record, {"publicity_end": "明年", "penalty_category": "枪毙"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "审核未执行" in html
    assert response.context["approve_form"].errors.keys() == {"publicity_end", "penalty_category"}
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert not Publication.objects.exists()


def test_red_list_item_approve_form_says_it_joins_the_red_list(reviewer_client, make_record):
    record = make_record(7, "submitted")
    html = reviewer_client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    assert "红名单" in html and 'id="red-list-note"' in html
    assert "同时公示" not in html
    response = _approve(reviewer_client, record, from_form=False)
    assert "已列入红名单" in response.content.decode()
    assert Publication.objects.get(record=record).kind == PublicationKind.RED_LIST


def test_non_publishing_item_approves_plainly(reviewer_client, make_record):
    record = make_record(9, "submitted")
    html = reviewer_client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    assert "同时公示" not in html and 'id="red-list-note"' not in html
    response = _approve(reviewer_client, record, from_form=False)
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert "公示" not in "".join(str(m) for m in response.context["messages"])
    assert not Publication.objects.exists()


def test_bulk_approve_publishes_what_it_can_and_lists_what_needs_completing(reviewer_client, make_record):
    a, b = make_record(8, "submitted"), make_record(8, "submitted")
    red = make_record(7, "submitted")
    plain = make_record(9, "submitted")
    response = reviewer_client.post(
        "/workspace/review/", {"records": [a.pk, b.pk, red.pk, plain.pk], "action": "approve"}, follow=True
    )
    html = response.content.decode()
    assert set(Record.objects.values_list("status", flat=True)) == {RecordStatus.APPROVED}
    assert "已通过 4 条记录" in html
    # Item 8 lacks the national 处罚依据 and 处罚类别: approved, not published, each linked for completion.
    assert "2 条行政处罚的公示信息不完整" in html
    for record in (a, b):
        assert reverse("publicity-workspace:publish", args=[record.pk]) in html
    assert "处罚依据、处罚类别" in html
    assert "1 条守信记录已列入红名单" in html
    assert list(Publication.objects.values_list("record_id", flat=True)) == [red.pk]


def test_bulk_approve_counts_published_penalties(reviewer_client, make_record, monkeypatch):
    """With defaults that answer every national column, bulk approval publishes and says how many."""
    from publicity.services import publications

    original = publications.penalty_defaults

    def complete(record):
        return {**original(record), **COMPLETE}

    monkeypatch.setattr(publications, "penalty_defaults", complete)
    a = make_record(8, "submitted")
    response = reviewer_client.post("/workspace/review/", {"approve_one": a.pk}, follow=True)
    assert "其中 1 条行政处罚已同时公示" in response.content.decode()
    assert Publication.objects.get(record=a).published_at is not None


def test_bulk_return_with_overlong_reason_is_a_form_error(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = reviewer_client.post(
        "/workspace/review/", {"records": [record.pk], "action": "return", "reason": "理" * 2001}, follow=True
    )
    assert response.status_code == 200
    assert "理由：" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("value", ["²", "١", "9" * 30, " ", "1e3"])
def test_bulk_form_with_malformed_ids_answers_a_message(reviewer_client, make_record, value):
    record = make_record(8, "submitted")
    response = reviewer_client.post("/workspace/review/", {"records": [value], "action": "approve"}, follow=True)
    assert response.status_code == 200
    assert "请先勾选要处理的记录" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_single_return_with_overlong_reason_is_refused_with_message(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = reviewer_client.post(
        reverse("credit:record-return", args=[record.pk]), {"reason": "理" * 2001}, follow=True
    )
    assert response.status_code == 200
    assert "理由：" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_record_page_shows_publication_state_after_approval(reviewer_client, make_record):
    unpublished, published = make_record(8, "submitted"), make_record(8, "submitted")
    _approve(reviewer_client, unpublished)
    _approve(reviewer_client, published, COMPLETE)
    html = reviewer_client.get(reverse("credit:record-detail", args=[unpublished.pk])).content.decode()
    assert "尚未公示" in html and reverse("publicity-workspace:publish", args=[unpublished.pk]) in html
    html = reviewer_client.get(reverse("credit:record-detail", args=[published.pk])).content.decode()
    end = Publication.objects.get(record=published).valid_until.isoformat()
    assert "尚未公示" not in html and f"公示至 {end}" in html


def test_an_unexpected_failure_while_publishing_undoes_the_approval(reviewer, make_record, monkeypatch):
    """Approval and publication are one transaction: only a refused publication (missing national columns) leaves
    the approval in place; anything else rolls both back, so no record is approved half-published."""
    from publicity.services import approvals, publications

    record = make_record(8, "submitted")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publications, "publication_publish", broken)
    with pytest.raises(RuntimeError):
        approvals.record_approve_and_publish(record=record, user=reviewer, publication=COMPLETE)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.decided_at is None
    assert not record.events.filter(action="approve").exists()
