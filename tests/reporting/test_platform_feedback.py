"""The platform's per-row verdicts (入库 / 问题数据): read from the HTTP answer and from the drop folder's feedback file,
queued per office, fixed records resent in the next 更正报送 batch, 合规率 per office; driven by the simulator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit.catalog import ItemSpec
from credit.models import Item
from credit.services.records import record_change_approve, record_change_propose
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, ExportBatch, FeedbackResult, RowFeedback
from reporting.selectors import compliance_by_office, problem_rows
from reporting.services.feedback import FeedbackError, feedback_text_ingest
from reporting.simulator import PlatformSimulator, parse_refusals
from tests.factories import UserFactory, reporting_office

pytestmark = pytest.mark.django_db


def _editable_field(no: int) -> str | None:
    """A free-text field of item ``no`` outside its natural key: changing it is a plain correction."""
    spec = ItemSpec.get(no)
    return next((f.key for f in spec.fields if f.type == "long_text" and f.key not in spec.natural_key), None)


def _two_items_of_two_offices() -> tuple[int, int]:
    """Two items with an editable text field whose reporting offices differ (taken from the catalogue)."""
    chosen: list[int] = []
    for item in Item.objects.order_by("no"):
        if _editable_field(item.no) and all(reporting_office(item.no) != reporting_office(n) for n in chosen):
            chosen.append(item.no)
        if len(chosen) == 2:
            return chosen[0], chosen[1]
    pytest.skip("the catalogue has no two such items")


@pytest.fixture
def simulator():
    return PlatformSimulator()


@pytest.fixture
def over_http(settings, simulator):
    """Deliveries go over real HTTP to the simulator on the loopback interface (test-only setting)."""
    server = simulator.serve("127.0.0.1", 0)
    settings.REPORTING_DELIVERY_TEST_LOOPBACK = True
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/upload"
    settings.REPORTING_HTTP_TOKEN = "sim-token"
    simulator.token = "sim-token"
    yield server
    server.shutdown()
    server.server_close()


def _records(make_records, no: int, texts: list[str]) -> list:
    """One approved record of item ``no`` per text, the text in its editable field (what the simulator matches)."""
    key = _editable_field(no)
    return [make_records(no, 1, start=i, **{key: text})[0] for i, text in enumerate(texts)]


def _deliver_items(*nos: int) -> dict[int, ExportBatch]:
    batches = {}
    for no in nos:
        tasks.deliver_incremental(item_no=no)
        batches[no] = ExportBatch.objects.filter(item__no=no, kind=BatchKind.INCREMENTAL).latest("pk")
        assert batches[no].status == BatchStatus.DELIVERED, batches[no].outcome
    return batches


def _fix(record, clerk, reviewer):
    key = _editable_field(record.item.no)
    change = record_change_propose(record=record, user=clerk, data={key: "已按平台意见更正的内容"})
    return record_change_approve(change=change, user=reviewer)


def test_two_refused_rows_over_http_land_in_the_right_offices_queues(over_http, simulator, make_records):
    first, second = _two_items_of_two_offices()
    made = {
        first: _records(make_records, first, ["内容一", "拒收甲", "内容三"]),
        second: _records(make_records, second, ["拒收乙", "内容五"]),
    }
    simulator.refuse_text = {"拒收甲": "处罚决定日期晚于公示日期", "拒收乙": "统一社会信用代码校验失败"}

    _deliver_items(first, second)

    refused = RowFeedback.objects.filter(result=FeedbackResult.REFUSED)
    assert sorted((f.record_id, f.office_id, f.reason) for f in refused) == sorted(
        [
            (made[first][1].pk, reporting_office(first).pk, "处罚决定日期晚于公示日期"),
            (made[second][0].pk, reporting_office(second).pk, "统一社会信用代码校验失败"),
        ]
    )
    assert RowFeedback.objects.filter(result=FeedbackResult.ACCEPTED).count() == 3
    clerk_first = UserFactory(username="c1", role="clerk", offices=[reporting_office(first)])
    assert [p.record_id for p in problem_rows(clerk_first)] == [made[first][1].pk]


def test_fixed_record_goes_in_the_next_correction_batch_and_acceptance_clears_it(
    over_http, simulator, make_records, clerk_of_item_offices, reviewer
):
    first, second = _two_items_of_two_offices()
    records = _records(make_records, first, ["拒收甲", "内容二", "拒收乙"])
    simulator.refuse_text = {"拒收甲": "缺少法定代表人", "拒收乙": "缺少处罚依据"}
    _deliver_items(first)
    fixed, unfixed = records[0], records[2]

    _fix(fixed, clerk_of_item_offices, reviewer)
    # The daily incremental batch leaves a refused record to the correction batch.
    assert tasks.deliver_incremental(item_no=first) == []
    tasks.deliver_corrections()

    correction = ExportBatch.objects.get(kind=BatchKind.CORRECTION, item__no=first)
    assert correction.status == BatchStatus.DELIVERED
    assert list(correction.lines.values_list("record_id", flat=True)) == [fixed.pk]
    assert [p.record_id for p in problem_rows(reviewer)] == [unfixed.pk]
    assert tasks.deliver_corrections() is None and ExportBatch.objects.filter(kind=BatchKind.CORRECTION).count() == 1


def test_folder_feedback_file_fills_the_queue_once(settings, simulator, make_records, reviewer):
    first, _second = _two_items_of_two_offices()
    records = _records(make_records, first, ["内容一", "拒收甲", "内容三"])
    _deliver_items(first)
    simulator.refuse_text = parse_refusals(["拒收甲=名称与登记信息不一致"])[0]

    assert simulator.answer_folder(settings.REPORTING_DROP_DIR) == 1
    tasks.collect_feedback()
    tasks.collect_feedback()  # the same file again: nothing added

    assert RowFeedback.objects.count() == 3
    assert [(p.record_id, p.reason) for p in problem_rows(reviewer)] == [(records[1].pk, "名称与登记信息不一致")]


def test_compliance_rate_per_office_equals_a_hand_count(over_http, simulator, make_records, reviewer):
    first, second = _two_items_of_two_offices()
    _records(make_records, first, ["拒收甲", "内容", "内容", "拒收乙"])
    _records(make_records, second, ["内容", "拒收丙"])
    simulator.refuse_text = {"拒收甲": "甲", "拒收乙": "乙", "拒收丙": "丙"}
    _deliver_items(first, second)

    rates = {
        row["office__code"]: (row["total"], row["accepted"], row["rate"]) for row in compliance_by_office(reviewer)
    }
    assert rates == {reporting_office(first).code: (4, 2, 50.0), reporting_office(second).code: (2, 1, 50.0)}


def test_queue_page_shows_only_the_clerks_offices_rows(over_http, simulator, make_records, client):
    first, second = _two_items_of_two_offices()
    _records(make_records, first, ["拒收甲"])
    _records(make_records, second, ["拒收乙"])
    simulator.refuse_text = {"拒收甲": "甲方原因", "拒收乙": "乙方原因"}
    _deliver_items(first, second)

    client.force_login(UserFactory(username="c2", role="clerk", offices=[reporting_office(second)]))
    page = client.get(reverse("reporting:problem-queue")).content.decode()
    assert "乙方原因" in page and "甲方原因" not in page
    assert "50.0%" not in page and "0.0%" in page


def test_feedback_file_of_another_batch_is_refused_whole(make_records):
    first, _second = _two_items_of_two_offices()
    make_records(first, 1)
    (batch,) = _deliver_items(first).values()
    with pytest.raises(FeedbackError):
        feedback_text_ingest(batch=batch, text=f"batch_id,row,result,reason\n{batch.pk + 1},1,refused,x\n")
    assert not RowFeedback.objects.exists()


def test_unknown_rows_and_results_are_skipped_not_stored(make_records):
    first, _second = _two_items_of_two_offices()
    make_records(first, 1)
    (batch,) = _deliver_items(first).values()
    text = f"batch_id,row,result,reason\n{batch.pk},7,refused,x\n{batch.pk},1,maybe,x\n{batch.pk},1,问题数据,\n"
    summary = feedback_text_ingest(batch=batch, text=text)
    assert (summary.stored, len(summary.invalid)) == (1, 2)
    assert RowFeedback.objects.get().reason == "平台未说明原因"


def test_simulator_listens_on_loopback_only():
    with pytest.raises(ValueError):
        PlatformSimulator().serve("0.0.0.0", 0)


@pytest.mark.parametrize(
    "set_based", [pytest.param(True, marks=pytest.mark.postgres, id="copy"), pytest.param(False, id="chunked")]
)
def test_each_verdict_lands_on_the_record_and_version_of_its_row_once(make_records, set_based):
    """PostgreSQL stores the verdicts by COPY and one insert, other databases in chunks: the same rows either way."""
    from unittest import mock

    from reporting.services import feedback

    first, _second = _two_items_of_two_offices()
    make_records(first, 4)
    (batch,) = _deliver_items(first).values()
    lines = list(batch.lines.order_by("record_id").values_list("record_id", "record_version", "record__office_id"))
    text = "batch_id,row,result,reason\n" + "".join(
        f"{batch.pk},{row},{result},{reason}\n"
        for row, result, reason in [
            (3, "入库", ""),
            (1, "accepted", "ignored"),
            (4, "问题数据", "缺少处罚依据"),
            (2, "ok", ""),
            (1, "refused", "repeated row"),
            (9, "refused", "no such row"),
        ]
    )

    with mock.patch.object(feedback, "_set_based", return_value=set_based):
        summary = feedback_text_ingest(batch=batch, text=text)
        again = feedback_text_ingest(batch=batch, text=text)

    counts = (summary.stored, summary.accepted, summary.refused, summary.duplicates, len(summary.invalid))
    assert counts == (4, 3, 1, 1, 1)
    assert (again.stored, again.duplicates) == (0, 5)
    stored = {
        f.row: (f.record_id, f.record_version, f.office_id, f.result, f.reason, f.source)
        for f in RowFeedback.objects.filter(batch=batch)
    }
    accepted, refused = FeedbackResult.ACCEPTED, FeedbackResult.REFUSED
    assert stored == {
        1: (*lines[0], accepted, "", "file"),
        2: (*lines[1], accepted, "", "file"),
        3: (*lines[2], accepted, "", "file"),
        4: (*lines[3], refused, "缺少处罚依据", "file"),
    }


def test_simulator_answers_one_verdict_per_decision_of_a_national_sheet(tmp_path):
    """A 双公示 sheet has two header rows (field codes, then Chinese names): the simulator answered the second as a
    decision, so a one-licence batch got two verdicts. The upload template's single header row is unchanged."""
    from openpyxl import Workbook

    from reporting.exporters import _write_national_sheet
    from reporting.simulator import record_rows

    national = tmp_path / "licences.xlsx"
    columns = (("xk_xdr_mc", "行政相对人名称"), ("xk_wsh", "行政许可决定文书号"))
    _write_national_sheet(national, "行政许可", columns, [["南昌市远航培训学校", "洪教许〔2026〕9号"]])
    assert list(record_rows(national)) == [("南昌市远航培训学校", "洪教许〔2026〕9号")]
    assert len(PlatformSimulator().verdicts(1, national)) == 1

    template = tmp_path / "item.xlsx"
    workbook = Workbook()
    workbook.active.append(["单位名称", "文书号"])
    workbook.active.append(["南昌市第一中学", "洪教罚〔2026〕1号"])
    workbook.active.append(["南昌市第二中学", "洪教罚〔2026〕2号"])
    workbook.save(template)
    assert len(PlatformSimulator().verdicts(2, template)) == 2
