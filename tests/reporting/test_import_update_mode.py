"""Bulk corrections (更新已有记录): an upload in update mode changes the records its rows name, through the same
correction services as a record's page, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from credit.models import ChangeStatus, EventAction, Item, Office, RecordChange, RecordEvent, RecordStatus
from credit.registry import model_for_item
from credit.services.records import record_change_approve
from publicity.models import Publication
from reporting.columns import CHANGE_REASON_COLUMN, RECORD_NUMBER_COLUMN, template_columns, template_headers
from reporting.imports import RecordUpdater
from reporting.models import ImportJob, ImportOutcome
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _workbook(no: int, rows: list[list], lead: tuple[str, ...] = ()) -> bytes:
    """Item ``no``'s template with the update mode's ``lead`` columns first; each row's first cells fill them."""
    return workbook_bytes(no, rows, header=[*lead, *template_headers(no)])


def _row(no: int, seq: int, **changes) -> list:
    """The template row of sample ``seq`` of item ``no`` with ``changes`` (by field key)."""
    keys = [c.key for c in template_columns(no)]
    row = template_rows(no, [seq])[0]
    for key, value in changes.items():
        row[keys.index(key)] = value
    return row


def _column(no: int, key: str) -> str:
    return next(c.name for c in template_columns(no) if c.key == key)


def _update(no: int, user, data: bytes, office: Office | None = None, submit: bool = False):
    return RecordUpdater(
        item=Item.objects.get(no=no), office=office or reporting_office(no), user=user, submit=submit
    ).run(data)


def _typed(record):
    return model_for_item(record.item.no).objects.get(pk=record.pk)


def test_rows_naming_a_record_number_update_those_drafts_in_place(make_records, clerk_of_item_offices):
    first, second = make_records(8, 2, status=RecordStatus.DRAFT)
    history_before = _typed(first).history.count()
    data = _workbook(
        8,
        [[first.pk, *_row(8, 0, penalty_result="给予通报批评")], [second.pk, *_row(8, 1, offence="违规收受礼金")]],
        lead=(RECORD_NUMBER_COLUMN,),
    )
    result = _update(8, clerk_of_item_offices, data)
    assert result.ok, result.errors
    assert [e["outcome"] for e in result.updated] == [ImportOutcome.UPDATED, ImportOutcome.UPDATED]
    first, second = _typed(first), _typed(second)
    assert first.penalty_result == "给予通报批评" and first.status == RecordStatus.DRAFT
    assert second.offence == "违规收受礼金"
    assert first.history.count() == history_before + 1  # the correction is in the record's history
    assert model_for_item(8).objects.count() == 2  # updated, not created


def test_rows_without_a_record_number_are_matched_by_the_items_natural_key(make_records, clerk_of_item_offices):
    """Item 8's natural key (catalogue ``natural_key``): the teacher's ID number and the decision number."""
    records = make_records(8, 2, status=RecordStatus.DRAFT)
    result = _update(8, clerk_of_item_offices, _workbook(8, [_row(8, 1, penalty_result="给予通报批评")]))
    assert result.ok, result.errors
    assert [e["record"] for e in result.updated] == [records[1].pk]
    assert _typed(records[1]).penalty_result == "给予通报批评"
    assert _typed(records[0]).penalty_result == "给予警告处分"


def test_the_import_page_offers_the_update_mode_and_lists_what_went_to_review(
    client, make_records, clerk_of_item_offices
):
    draft = make_records(8, 1, status=RecordStatus.DRAFT)[0]
    approved = make_records(8, 1, start=1)[0]
    data = _workbook(
        8,
        [
            [draft.pk, "", *_row(8, 0, penalty_result="给予通报批评")],
            [approved.pk, "决定书送达后更正处理结果", *_row(8, 1, penalty_result="给予通报批评")],
        ],
        lead=(RECORD_NUMBER_COLUMN, CHANGE_REASON_COLUMN),
    )
    client.force_login(clerk_of_item_offices)
    form = client.get(reverse("reporting:import-create"))
    assert "更新已有记录" in form.content.decode()
    page = client.post(
        reverse("reporting:import-create"),
        {
            "item": Item.objects.get(no=8).pk,
            "office": reporting_office(8).pk,
            "mode": "update",
            "file": SimpleUploadedFile("corrections.xlsx", data),
        },
        follow=True,
    )
    html = page.content.decode()
    assert page.status_code == 200 and "已更新 2 条记录" in html, html
    assert reverse("credit:record-detail", args=[draft.pk]) in html
    assert reverse("credit:record-detail", args=[approved.pk]) in html
    assert "已提出变更申请，待审核" in html and "其中 1 条已送审核" in html
    job = ImportJob.objects.get()
    assert job.mode == "update" and job.status == "succeeded"


def test_the_api_takes_the_update_mode(client, make_records, clerk_of_item_offices):
    record = make_records(8, 1, status=RecordStatus.RETURNED)[0]  # returned: corrected in place, like a draft
    client.force_login(clerk_of_item_offices)
    response = client.post(
        "/api/v1/reporting/imports/",
        {
            "item": 8,
            "office": reporting_office(8).code,
            "mode": "update",
            "file": SimpleUploadedFile("t.xlsx", _workbook(8, [_row(8, 0, offence="违规收受礼金")])),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mode"] == "update" and body["status"] == "succeeded"
    assert body["updated"] == [{"row": 2, "record": record.pk, "outcome": "updated", "change": None}]


def test_a_row_matching_nothing_is_an_error_naming_row_and_column_and_nothing_is_changed(
    make_records, clerk_of_item_offices
):
    record = make_records(8, 1, status=RecordStatus.DRAFT)[0]
    data = _workbook(
        8,
        [_row(8, 0, penalty_result="给予通报批评"), _row(8, 5, decision_number="洪教罚〔2026〕999号")],
    )
    result = _update(8, clerk_of_item_offices, data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, _column(8, "id_number"))]
    assert "没有找到可更新的记录" in result.errors[0].reason
    assert _typed(record).penalty_result == "给予警告处分"  # the good row 2 was not applied

    by_number = _update(
        8,
        clerk_of_item_offices,
        _workbook(
            8,
            [[record.pk, *_row(8, 0, penalty_result="给予通报批评")], [987654, *_row(8, 1)]],
            lead=(RECORD_NUMBER_COLUMN,),
        ),
    )
    assert [(e.row, e.column, e.value) for e in by_number.errors] == [(3, RECORD_NUMBER_COLUMN, "987654")]
    assert _typed(record).penalty_result == "给予警告处分"


def test_a_row_refused_by_the_service_rolls_back_the_rows_already_applied(make_records, clerk_of_item_offices):
    """Row 2 passes and is applied first; row 3's approved record has a change under review, which the change
    service refuses: row 2's update is rolled back."""
    draft = make_records(8, 1, status=RecordStatus.DRAFT)[0]
    approved = make_records(8, 1, start=1)[0]
    first = _update(
        8,
        clerk_of_item_offices,
        _workbook(8, [["更正", *_row(8, 1, offence="违规收受礼金")]], lead=(CHANGE_REASON_COLUMN,)),
    )
    assert first.ok, first.errors
    data = _workbook(
        8,
        [["", *_row(8, 0, penalty_result="给予通报批评")], ["再次更正", *_row(8, 1, offence="违规收受财物")]],
        lead=(CHANGE_REASON_COLUMN,),
    )
    result = _update(8, clerk_of_item_offices, data)
    assert [e.row for e in result.errors] == [3] and "已有一项变更正在审核" in result.errors[0].reason
    assert _typed(draft).penalty_result == "给予警告处分"
    assert RecordChange.objects.filter(record_id=approved.pk).count() == 1


def test_another_offices_record_is_not_found_with_the_same_message(make_records, clerk_news):
    """Item 10 (any office reports it): 办公室 holds the record; 新闻中心's clerk naming it, by number or by natural
    key, is told exactly what a record that does not exist gets, and the record is untouched."""
    theirs = make_records(10, 1, status=RecordStatus.DRAFT)[0]
    news = Office.objects.get(code="news")
    lead = (RECORD_NUMBER_COLUMN,)
    other = _update(10, clerk_news, _workbook(10, [[theirs.pk, *_row(10, 0, reason="改")]], lead), office=news)
    missing = _update(10, clerk_news, _workbook(10, [[theirs.pk + 1000, *_row(10, 0)]], lead), office=news)
    assert [(e.row, e.column) for e in other.errors] == [(2, RECORD_NUMBER_COLUMN)]
    assert [e.reason for e in other.errors] == [e.reason for e in missing.errors]

    by_key = _update(10, clerk_news, _workbook(10, [_row(10, 0, reason="改")]), office=news)
    by_missing_key = _update(10, clerk_news, _workbook(10, [_row(10, 9)]), office=news)
    assert [e.reason for e in by_key.errors] == [e.reason for e in by_missing_key.errors]
    assert _typed(theirs).reason == "提交虚假材料骗取专业机构资格"


def test_an_approved_published_record_changes_only_once_a_reviewer_approves_the_change(
    make_records, clerk_of_item_offices, reviewer
):
    """Item 6 (red list): approved means published. The import proposes a change; the record and its publication
    keep the approved values until the reviewer approves the change."""
    record = make_records(6, 1)[0]
    publication = Publication.objects.get(record_id=record.pk)
    content_before = publication.content
    without_reason = _update(6, clerk_of_item_offices, _workbook(6, [_row(6, 0, award_content="表彰内容已更正")]))
    assert [(e.row, e.column) for e in without_reason.errors] == [(2, CHANGE_REASON_COLUMN)]
    assert not RecordChange.objects.exists()

    data = _workbook(
        6, [["表彰文件内容录入有误", *_row(6, 0, award_content="表彰内容已更正")]], lead=(CHANGE_REASON_COLUMN,)
    )
    result = _update(6, clerk_of_item_offices, data)
    assert result.ok, result.errors
    assert [e["outcome"] for e in result.updated] == [ImportOutcome.CHANGE]
    change = RecordChange.objects.get(record_id=record.pk)
    assert change.status == ChangeStatus.PENDING and change.note == "表彰文件内容录入有误"
    assert change.values["award_content"] == "表彰内容已更正"
    assert _typed(record).award_content != "表彰内容已更正"
    publication.refresh_from_db()
    assert publication.content == content_before
    assert RecordEvent.objects.filter(record_id=record.pk, action=EventAction.CHANGE_PROPOSE).exists()

    record_change_approve(change=change, user=reviewer)
    assert _typed(record).award_content == "表彰内容已更正"
    publication.refresh_from_db()
    assert "表彰内容已更正" in publication.content


def test_a_submitted_record_is_withdrawn_corrected_and_back_in_review_with_the_reason(
    make_records, clerk_of_item_offices
):
    record = make_records(8, 1, status=RecordStatus.SUBMITTED)[0]
    data = _workbook(
        8, [["处理结果录入有误", *_row(8, 0, penalty_result="给予通报批评")]], lead=(CHANGE_REASON_COLUMN,)
    )
    result = _update(8, clerk_of_item_offices, data)
    assert result.ok, result.errors
    assert [e["outcome"] for e in result.updated] == [ImportOutcome.RESUBMITTED]
    record = _typed(record)
    assert record.status == RecordStatus.SUBMITTED and record.penalty_result == "给予通报批评"
    actions = list(RecordEvent.objects.filter(record_id=record.pk).order_by("id").values_list("action", "reason"))
    assert actions[-2:] == [(EventAction.WITHDRAW, "处理结果录入有误"), (EventAction.SUBMIT, "")]


def test_a_refused_update_gives_an_error_copy_with_the_leading_columns(client, make_records, clerk_of_item_offices):
    make_records(8, 1, status=RecordStatus.DRAFT)
    client.force_login(clerk_of_item_offices)
    data = _workbook(8, [[123456, *_row(8, 0)]], lead=(RECORD_NUMBER_COLUMN,))
    client.post(
        reverse("reporting:import-create"),
        {
            "item": Item.objects.get(no=8).pk,
            "office": reporting_office(8).pk,
            "mode": "update",
            "file": SimpleUploadedFile("t.xlsx", data),
        },
    )
    job = ImportJob.objects.get()
    assert job.status == "invalid" and "未更新任何记录" in job.message
    assert job.errors[0]["row"] == 2 and job.errors[0]["column"] == RECORD_NUMBER_COLUMN
    copy = client.get(reverse("reporting:import-errors", args=[job.pk]))
    assert copy.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(copy.streaming_content))).get_sheet_by_index(0)
    header, row = sheet.to_python()[:2]
    assert header[:2] == [RECORD_NUMBER_COLUMN, template_headers(8)[0]]
    assert row[0] == "123456" and "没有找到可更新的记录" in row[header.index("错误说明")]


def test_a_row_matching_two_records_asks_for_the_record_number(make_records, clerk_of_item_offices):
    """Two drafts with the same natural key (stored before the form refused such a record: the form and the import
    now both refuse it): the row cannot tell which, and says how to."""
    first = make_records(8, 1, status=RecordStatus.DRAFT)[0]
    second = make_records(8, 1, start=1, status=RecordStatus.DRAFT)[0]
    typed = _typed(first)
    model_for_item(8).objects.filter(pk=second.pk).update(
        id_number=typed.id_number, decision_number=typed.decision_number, subject=typed.subject
    )
    result = _update(8, clerk_of_item_offices, _workbook(8, [_row(8, 0, penalty_result="给予通报批评")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, _column(8, "id_number"))]
    assert (
        f"记录 {first.pk}、{second.pk}" in result.errors[0].reason and RECORD_NUMBER_COLUMN in result.errors[0].reason
    )
    assert _typed(first).penalty_result == _typed(second).penalty_result == "给予警告处分"


@pytest.mark.parametrize("number", ["999999999999999999", "12a", "-3", 1.5])
def test_a_record_number_no_record_can_have_is_a_row_error(make_records, clerk_of_item_offices, number):
    record = make_records(8, 1, status=RecordStatus.DRAFT)[0]
    data = _workbook(8, [[number, *_row(8, 0, penalty_result="给予通报批评")]], lead=(RECORD_NUMBER_COLUMN,))
    result = _update(8, clerk_of_item_offices, data)
    assert [(e.row, e.column) for e in result.errors] == [(2, RECORD_NUMBER_COLUMN)]
    assert _typed(record).penalty_result == "给予警告处分"
