"""The workspace pages: dashboards, record entry with inline messages, lists, the record page and the review queue."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credit.models import ChangeStatus, EventAction, Record, RecordChange, RecordEvent, RecordStatus
from tests.factories import clerk_of, create_record, record_values
from tests.typed import typed

pytestmark = pytest.mark.django_db


def test_login_page_uses_the_portal_template(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "registration/login.html" in [t.name for t in response.templates]
    assert "工作人员登录" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workspace/")


def test_clerk_dashboard_counts_and_links(clerk_client, make_record):
    today = timezone.localdate()
    make_record(8, "returned")
    make_record(8, "draft", day=today - datetime.timedelta(days=60))  # long overdue
    make_record(8, "draft", day=today)  # due in seven working days: not yet "soon"
    response = clerk_client.get("/workspace/")
    html = response.content.decode()
    office = response.context["offices"][0]
    assert office.office.code == "zuren"
    assert office.returned == 1
    assert office.overdue >= 1
    assert {i.no for i in office.items} >= {1, 7, 8, 9}
    assert "?office=zuren&amp;status=returned" in html
    assert "?office=zuren&amp;due=overdue" in html
    assert reverse("credit:record-create", args=[8]) in html


def test_semiannual_periods_owed_for_item_1(clerk_client, make_record):
    response = clerk_client.get("/workspace/")
    periods = response.context["offices"][0].periods
    assert periods and all(p.item.no == 1 for p in periods)
    assert all(p.owed for p in periods)
    make_record(1, "submitted", day=periods[-1].start)
    response = clerk_client.get("/workspace/")
    latest = response.context["offices"][0].periods[-1]
    assert latest.submitted == 1 and not latest.owed
    assert "尚未报送" in response.content.decode()


def test_due_soon_filter_lists_records_due_within_three_working_days(clerk_client, clerk):
    from credit.services.calendar import due_date_for

    today = timezone.localdate()
    # A business date whose seventh working day is within the next three working days.
    day = today - datetime.timedelta(days=7)
    while due_date_for(day, 7).due > due_date_for(today, 3).due:
        day -= datetime.timedelta(days=1)
    while due_date_for(day, 7).due < today:
        day += datetime.timedelta(days=1)
    soon = create_record(8, clerk, day=day)
    create_record(8, clerk, day=today - datetime.timedelta(days=90))
    response = clerk_client.get("/workspace/records/?due=soon")
    assert [r.pk for r in response.context["records"]] == [soon.pk]
    assert response.context["view"].request.GET["due"] == "soon"


def test_reviewer_dashboard(reviewer_client, make_record):
    make_record(8, "submitted")
    response = reviewer_client.get("/workspace/")
    assert response.context["review"].queue == 1
    assert reverse("credit:review") in response.content.decode()


def test_entry_form_fields_in_catalog_order(clerk_client):
    from credit.models import ItemField

    response = clerk_client.get("/workspace/items/8/new/")
    assert response.status_code == 200
    form = response.context["form"]
    keys = list(ItemField.objects.filter(item__no=8).order_by("position").values_list("key", flat=True))
    assert list(form.fields)[: len(keys)] == keys
    html = response.content.decode()
    assert 'data-due-url="/api/v1/workdays/due-date/"' in html
    assert "workspace/record_form.js" in html


def test_bad_id_number_shows_chinese_message_under_the_field(clerk_client):
    data = {**record_values(8), "id_number": "360102198001010011"}
    response = clerk_client.post("/workspace/items/8/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-id_number"' in html
    assert "校验" in response.context["form"].errors["id_number"][0]
    assert not Record.objects.exists()


def test_create_and_submit_redirects_to_record_page(clerk_client):
    response = clerk_client.post("/workspace/items/8/new/", {**record_values(8), "submit": "1"})
    record = Record.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credit:record-detail", args=[record.pk])
    assert record.status == RecordStatus.SUBMITTED
    assert record.business_date == typed(record).penalty_date


def test_save_as_draft(clerk_client):
    clerk_client.post("/workspace/items/8/new/", {**record_values(8), "save": "1"})
    assert Record.objects.get().status == RecordStatus.DRAFT


def test_clerk_of_an_office_not_owning_the_item_gets_403(client, clerk_out):
    client.force_login(clerk_out)
    assert client.get("/workspace/items/8/new/").status_code == 403
    assert client.post("/workspace/items/8/new/", record_values(8)).status_code == 403


def test_any_office_item_asks_a_clerk_of_two_offices_which_office(client):
    user = clerk_of("zuren", username="two_offices")
    user.offices.add(clerk_of("yijiao").offices.get())
    client.force_login(user)
    html = client.get("/workspace/items/6/new/").content.decode()
    assert 'name="office"' in html
    response = client.post("/workspace/items/6/new/", record_values(6))
    assert response.status_code == 200
    assert "请选择报送处室" in html + response.content.decode()
    response = client.post("/workspace/items/6/new/", {**record_values(6), "office": "yijiao"})
    assert response.status_code == 302
    assert Record.objects.get().office.code == "yijiao"


def test_edit_returned_record_shows_reason_and_resubmits(clerk_client, make_record):
    record = make_record(8, "returned")
    response = clerk_client.get(f"/workspace/records/{record.pk}/edit/")
    assert "请补充处罚依据" in response.content.decode()
    data = {**{k: getattr(record, k) for k in record.field_keys()}, "offence": "补充后的违法事实"}
    data["penalty_date"] = record.penalty_date.isoformat()
    response = clerk_client.post(
        f"/workspace/records/{record.pk}/edit/", {**data, "version": record.version, "submit": "1"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert typed(record).offence == "补充后的违法事实"


def test_edit_of_submitted_record_redirects_with_message(clerk_client, make_record):
    record = make_record(8, "submitted")
    response = clerk_client.get(f"/workspace/records/{record.pk}/edit/", follow=True)
    assert "不能修改" in response.content.decode()


def test_approved_record_edit_proposes_a_change(clerk_client, make_record):
    record = make_record(8, "approved")
    data = {k: getattr(record, k) for k in record.field_keys()}
    data["penalty_date"] = record.penalty_date.isoformat()
    data["penalty_result"] = "变更后的处罚结果"
    response = clerk_client.post(f"/workspace/records/{record.pk}/edit/", {**data, "note": "更正"})
    assert response.status_code == 302
    change = RecordChange.objects.get()
    assert change.status == ChangeStatus.PENDING and change.values["penalty_result"] == "变更后的处罚结果"
    record.refresh_from_db()
    assert typed(record).penalty_result != "变更后的处罚结果"
    page = clerk_client.get(f"/workspace/records/{record.pk}/").content.decode()
    assert "有一项变更正在审核" in page and "变更后的处罚结果" in page


def test_record_page_shows_events_and_history(reviewer_client, make_record, clerk):
    from credit.services import records as services

    record = make_record(8, "returned")
    services.record_update(record=record, user=clerk, data={"offence": "新的违法事实"}, submit=True)
    response = reviewer_client.get(f"/workspace/records/{record.pk}/")
    html = response.content.decode()
    assert [e.action for e in response.context["events"]] == ["create", "submit", "return", "submit"]
    assert "请补充处罚依据" in html
    changed = [c for h in response.context["history"] for c in h.changes]
    assert any(c.label == "违法行为（案由）" and c.new == "新的违法事实" for c in changed)
    assert any(c.label == "状态" and c.old == "已退回" and c.new == "待审核" for c in changed)


def test_reviewer_approves_from_record_page_and_double_post_gets_message(reviewer_client, make_record):
    record = make_record(8, "submitted")
    url = f"/workspace/records/{record.pk}/approve/"
    response = reviewer_client.post(url)
    assert response.status_code == 302
    response = reviewer_client.post(url, follow=True)
    assert "已被审核" in response.content.decode()
    assert RecordEvent.objects.filter(record_id=record.pk, action=EventAction.APPROVE).count() == 1


def test_return_without_reason_is_refused(reviewer_client, make_record):
    record = make_record(8, "submitted")
    response = reviewer_client.post(f"/workspace/records/{record.pk}/return/", {"reason": ""}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_review_queue_bulk_approve_and_return(reviewer_client, make_record):
    today = timezone.localdate()
    a, b, c = (make_record(8, "submitted", day=today) for _ in range(3))
    response = reviewer_client.get("/workspace/review/")
    assert {r.pk for r in response.context["records"]} == {a.pk, b.pk, c.pk}
    assert "按时" in response.content.decode()
    reviewer_client.post("/workspace/review/", {"records": [a.pk, b.pk], "action": "approve"})
    response = reviewer_client.post("/workspace/review/", {"records": [c.pk], "action": "return"}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    reviewer_client.post("/workspace/review/", {"records": [c.pk], "action": "return", "reason": "材料不全"})
    statuses = dict(Record.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "approved", b.pk: "approved", c.pk: "returned"}
    response = reviewer_client.post("/workspace/review/", {"approve_one": a.pk}, follow=True)
    assert "已被审核" in response.content.decode()


def test_review_queue_filters_by_office(reviewer_client, make_record):
    zuren = make_record(8, "submitted")
    other = create_record(2, clerk_of("yijiao"), status="submitted")
    response = reviewer_client.get("/workspace/review/?office=yijiao")
    assert [r.pk for r in response.context["records"]] == [other.pk]
    response = reviewer_client.get("/workspace/review/?item=8")
    assert [r.pk for r in response.context["records"]] == [zuren.pk]


def test_timeliness_late_submission(reviewer_client, clerk):
    record = create_record(8, clerk, day=timezone.localdate() - datetime.timedelta(days=60), status="submitted")
    assert record.submitted_on_time is False
    assert 'data-timeliness="late"' in reviewer_client.get("/workspace/review/").content.decode()


def test_list_filters_search_and_sort(clerk_client, clerk):
    a = create_record(8, clerk, name="张三丰")
    b = create_record(8, clerk, status="submitted")
    assert [r.pk for r in clerk_client.get("/workspace/records/?q=张三").context["records"]] == [a.pk]
    ident = typed(a).id_number
    assert [r.pk for r in clerk_client.get(f"/workspace/records/?q={ident}").context["records"]] == [a.pk]
    assert [r.pk for r in clerk_client.get("/workspace/records/?status=submitted").context["records"]] == [b.pk]
    ordered = [r.pk for r in clerk_client.get("/workspace/records/?ordering=-status").context["records"]]
    assert ordered == [b.pk, a.pk]
    due = a.due_date.isoformat()
    found = clerk_client.get(f"/workspace/records/?due_after={due}&due_before={due}").context["records"]
    assert a.pk in [r.pk for r in found]


def test_list_pages_by_cursor_without_counting(clerk_client, clerk):
    for _ in range(27):
        create_record(7, clerk)
    response = clerk_client.get("/workspace/records/?item=7")
    page = response.context["page_obj"]
    assert len(response.context["records"]) == 25 and page.has_next and not page.has_previous
    html = response.content.decode()
    assert "下一页" in html and "item=7" in html.split('rel="next"')[0].rsplit("<a", 1)[1]
    second = clerk_client.get(f"/workspace/records/?item=7&after={page.next_cursor}")
    assert len(second.context["records"]) == 2 and not second.context["page_obj"].has_next
    assert "上一页" in second.content.decode() and "首页" in second.content.decode()


def test_clerk_list_shows_only_own_office(client, clerk, clerk_out):
    create_record(8, clerk)
    create_record(2, clerk_out)
    client.force_login(clerk_out)
    records = client.get("/workspace/records/").context["records"]
    assert {r.office.code for r in records} == {"yijiao"}


LIST_PAGES = [
    ("/workspace/records/", ("clerk", "reviewer")),
    ("/workspace/records/?ordering=-due&status=submitted", ("clerk", "reviewer")),
    ("/workspace/review/", ("reviewer",)),
    ("/workspace/notices/", ("clerk", "reviewer")),
    ("/workspace/", ("clerk", "reviewer")),
]


@pytest.mark.parametrize(("url", "roles"), LIST_PAGES)
def test_list_queries_do_not_grow_with_rows(client, clerk, reviewer, url, roles):
    """Pin: the same number of queries for 5 and for 30 rows (select_related, one count, no per-row queries)."""
    from credit.services.notices import reminders_send

    def queries(n: int) -> int:
        while Record.objects.count() < n:
            create_record(8, clerk, status="submitted", day=timezone.localdate() - datetime.timedelta(days=60))
        reminders_send()
        for user in [u for u in (clerk, reviewer) if u.role in roles]:
            client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            counts.setdefault(n, []).append(len(ctx))
        return counts[n]

    counts: dict[int, list[int]] = {}
    few = queries(5)
    many = queries(30)
    assert few == many, counts
    assert max(many) <= 25, counts


def test_record_page_of_expired_record_shows_system_event(reviewer_client, make_record):
    from credit.services import records as services

    record = make_record(7, "approved", day=datetime.date(2020, 9, 1))
    services.records_expire()
    response = reviewer_client.get(f"/workspace/records/{record.pk}/")
    assert response.status_code == 200
    assert "系统" in response.content.decode()


def test_the_review_queue_shows_each_records_entered_name_in_queries_that_do_not_grow_with_its_items(
    reviewer_client, clerk
):
    """Each row names the subject as its record entered it (the typed tables' name fields, every item on the page in
    one look-up): the same number of queries for a page of two items as for a page of every item."""
    from credit.catalog import ItemSpec
    from credit.registry import model_for_item

    def page_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = reviewer_client.get(reverse("credit:review"))
        assert response.status_code == 200
        return response.content.decode(), len(ctx)

    award = next(spec.no for spec in ItemSpec.all() if spec.is_recognition)  # the credit check's badge looks up
    first = [create_record(8, clerk, status="submitted"), create_record(award, status="submitted")]
    _html, two_items = page_queries()
    records = first + [
        create_record(spec.no, status="submitted") for spec in ItemSpec.all() if spec.no not in (8, award)
    ]
    html, every_item = page_queries()
    assert every_item == two_items
    named = 0
    for record in records:
        model = model_for_item(record.item.no)
        name = getattr(model.objects.get(pk=record.pk), model.SUBJECT_NAME_FIELD or "", None)
        row = html[html.index(f'data-record="{record.pk}"') :].split("</tr>")[0]
        if name:
            named += 1
            assert name in row, (record.item.no, name)
    assert named >= 5
