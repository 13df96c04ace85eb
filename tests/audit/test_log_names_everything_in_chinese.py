"""The audit log page shows every key and coded value the portal writes into its entries in Chinese: field names as
the models' verbose names, statuses as the statuses' own labels (待审核, as on every other screen), object types as
the models' names, lists joined with 、 and before/after pairs as 由 … 改为 …. An entry with a key the page does not
know yet still shows, as recorded.

The entries are those of real work: a record's whole lifecycle (create, submit, return, edit, resubmit, approve and
publish, change, revoke), an account created and changed by the security admin, a showing of personal data and a
credit check before an award."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import detail_pairs
from audit.services import audit_log
from credit.catalog import ItemSpec
from credit.registry import model_for_item
from credit.services import records as services
from publicity.services.approvals import record_approve_and_publish
from tests.factories import create_record, office
from tests.factories.publicity import PublicationFactory

pytestmark = pytest.mark.django_db

AUDIT_PAGE = "/workspace/audit/"
PASSWORD = "Hui7#Lan9a"
# An English identifier left on the page: a snake_case key or code (history_id, sysadmin_approval) or a model label
# (credit.teacherpenaltyrecord).
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z]+\b")
# Any other English word (admin, hit, records, Last name), bar the abbreviations a Chinese page keeps.
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")
ABBREVIATIONS = {"API", "SHA", "TOTP", "HTTP", "CSV"}
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<td\b[^>]*>(.*?)</td>", re.S)
# The request column's path (a URL, data) is not the entry's wording.
REQUEST = re.compile(r"<small>.*?</small>", re.S)
TAG = re.compile(r"<[^>]+>")

AWARD_ORG = next(i.no for i in ItemSpec.all() if i.is_recognition and not i.is_natural_person and i.publicity)
PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)


def record_lifecycle(clerk, reviewer):
    """Item 8 (教师行政处罚, 组人处): every step of a record's life, as the services do them."""
    record = create_record(8, clerk)
    record = services.record_submit(record=record, user=clerk)
    record = services.record_return(record=record, user=reviewer, reason="请补充处罚依据。")
    record = services.record_update(record=record, user=clerk, data={"penalty_authority": "南昌市教育局（更正）"})
    record = services.record_submit(record=record, user=clerk)
    record = record_approve_and_publish(record=record, user=reviewer).record
    change = services.record_change_propose(
        record=record, user=clerk, data={"penalty_authority": "南昌市教育局（再更正）"}, note="更正处罚机关"
    )
    record = services.record_change_approve(change=change, user=reviewer)
    return services.record_revoke(record=record, user=reviewer, reason="行政复议撤销原处罚决定")


def account_granted_and_changed(client, secadmin, sysadmin):
    """The security admin creates a clerk of two offices (held for the system admin's approval), the system admin
    approves, and the security admin then changes the account's details."""
    client.force_login(secadmin)
    offices = [office("yijiao").pk, office("zuren").pk]
    data = {"username": "wangfang", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/admin/accounts/user/add/", {**data, "role": Role.CLERK, "offices": offices})
    assert response.status_code == 302
    account = User.objects.get(username="wangfang")
    from accounts.services import role_grant_approve

    role_grant_approve(approver=sysadmin, user=account)
    change = {"username": "wangfang", "last_name": "王", "first_name": "芳", "email": "", "phone": ""}
    response = client.post(
        f"/admin/accounts/user/{account.pk}/change/",
        {**change, "role": Role.CLERK, "offices": offices[1:], "is_active": "on"},
    )
    assert response.status_code == 302
    return account


def shown_personal_data(client, clerk, record_pk: int):
    """The clerk opens the edit form (full ID number in its input) and the record page with 显示完整号码."""
    client.force_login(clerk)
    assert client.get(reverse("credit:record-detail", args=[record_pk]) + "?reveal=1").status_code == 200
    return client


def credit_checked_award(reviewer):
    """An award for an organisation with a published penalty, approved with the reviewer's reasoned override."""
    penalty = model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=41).record_id)
    award = create_record(AWARD_ORG, status="submitted", seq=77, org_code=penalty.org_code)
    record_approve_and_publish(record=award, user=reviewer, override_reason="经核查，处罚已履行完毕")
    return award


def rendered_rows(client) -> list[list[str]]:
    """The text of every cell of every row of the log, page after page."""
    rows, page_no = [], 1
    while True:
        response = client.get(AUDIT_PAGE, {"page": page_no})
        page = response.content.decode()
        body = page[page.index("<tbody") : page.index("</tbody>")]
        for row in ROW.findall(body):
            cells = [html.unescape(TAG.sub(" ", REQUEST.sub(" ", cell))) for cell in CELL.findall(row)]
            rows.append([" ".join(cell.split()) for cell in cells])
        if not response.context["page_obj"].has_next():
            return rows
        page_no += 1


@pytest.fixture
def world(client, clerk, reviewer, secadmin, sysadmin):
    record = record_lifecycle(clerk, reviewer)
    draft = create_record(8, clerk)
    client.force_login(clerk)
    assert client.get(reverse("credit:record-edit", args=[draft.pk])).status_code == 200
    shown_personal_data(client, clerk, record.pk)
    credit_checked_award(reviewer)
    account = account_granted_and_changed(client, secadmin, sysadmin)
    return {"record": record, "account": account}


def test_every_entry_of_real_work_reads_in_chinese(client, world, auditor):
    client.force_login(auditor)
    rows = rendered_rows(client)
    assert len(rows) == AuditEvent.objects.count()

    usernames = set(User.objects.values_list("username", flat=True))
    offenders = []
    for cells in rows:
        # 时间, 用户名, 角色, 来源地址, 操作, 结果, 对象, 详情: the user name and address are data, the rest is wording.
        for text in [cells[2], *cells[4:]]:
            for name in usernames:
                text = text.replace(name, " ")
            words = IDENTIFIER.findall(text) + [w for w in WORD.findall(text) if w not in ABBREVIATIONS]
            offenders += [(word, cells[4], cells[6], cells[7]) for word in words]
    assert offenders == [], "\n".join(map(str, offenders))

    shown = "\n".join(" | ".join(cells) for cells in rows)
    record = world["record"]
    # The status every other screen calls 待审核, not 已提交.
    assert "原状态 草稿 新状态 待审核" in shown
    assert "已提交" not in shown
    # Object types by the models' names.
    assert f"教师行政处罚 #{record.pk}" in shown
    assert "credit.teacherpenaltyrecord" not in shown
    # A history reason keeps its words after the status's label; a change's number is named as a change request.
    assert "原因 已撤销：行政复议撤销原处罚决定" in shown
    assert "原因 已退回：请补充处罚依据。" in shown
    # A reason that only repeats the new status ("approved:") is not shown twice.
    assert "新状态 已通过 原因" not in shown
    assert re.search(r"原因 依变更申请 #\d+ 修改", shown)
    # The fields changed, by their Chinese names.
    assert re.search(r"修改的字段 [^|]*处罚机关", shown)
    assert "历史版本号" in shown
    # The grant: role and offices before and after, the offices joined with 、.
    assert "角色 由 — 改为 处室填报员" in shown
    assert "所属处室 由 — 改为 义教处、组人处" in shown
    assert "待处理 系统管理员批准" in shown
    # The personal data shown, and through which page.
    assert "途径 修改页面" in shown
    # The account changed in the admin: Django's own fields by their Chinese names too.
    assert "途径 管理后台" in shown
    # The credit check: when, what it found and where.
    assert "审查时点 审核通过" in shown and "审查结果 说明理由后例外通过" in shown
    assert "失信信息来源 失信记录" in shown
    assert "例外通过理由 经核查，处罚已履行完毕" in shown


def test_an_unknown_key_or_value_shows_as_recorded(auditor, client):
    from audit.selectors import object_type_label

    audit_log(
        user=auditor,
        action="change",
        object_type="nowhere.gone",
        detail={"future_key": "some_code", "nested": {"a": [1, None, True]}, "changed_fields": ["no_such_field"]},
    )
    pairs = detail_pairs(
        {"future_key": "some_code", "nested": {"a": [1, None, True]}, "changed_fields": ["no_such_field"]},
        object_type="nowhere.gone",
    )
    assert ("future_key", "some_code") in pairs
    assert ("nested", "a：1、—、是") in pairs
    assert ("修改的字段", "no_such_field") in pairs
    assert object_type_label("nowhere.gone") == "nowhere.gone"
    client.force_login(auditor)
    assert client.get(AUDIT_PAGE).status_code == 200


def test_a_session_expiry_without_an_object_names_its_reason_and_status(auditor):
    pairs = dict(detail_pairs({"reason": "idle", "status": "submitted", "from": "draft", "to": "returned"}))
    assert pairs == {"原因": "空闲超时", "状态": "待审核", "原状态": "草稿", "新状态": "已退回"}


# The shapes the other writers give their entries (grep ``audit_log(``), each with the object type it is logged on.
OTHER_WRITERS = [
    ("reporting.exportbatch", {"step": "platform_feedback", "source": "dropfolder", "stored": 3, "invalid": 0}),
    (
        "reporting.deliverysettings",
        {
            "changed_fields": ["http_timeout", "transport"],
            "changes": {"transport": {"old": "dropfolder", "new": "http"}, "http_token": {"old": "", "new": "changed"}},
            "token_action": "replaced",
            "awaiting_confirmation": ["transport", "http_token"],
            "status": "pending_confirmation",
        },
    ),
    ("reporting.deliverysettings", {"changes": {"drop_dir": {"old": "/a", "new": "/b"}}, "proposed_by": "sec2"}),
    (
        "reporting.importjob",
        {"reason": "retention", "retention_days": 180, "files": ["upload", "error_copy"], "item": 3},
    ),
    (
        "reporting.exportbatch",
        {"item": 3, "kind": "incremental", "format": "upload_template", "rows": 2, "scheduled": True, "notices": 1},
    ),
    ("reporting.exportbatch", {"step": "delivery", "delivery": {"transport": "http", "host": "h", "status": 503}}),
    ("reporting.exportbatch", {"manual_upload": True, "receipt": "R1", "changed_fields": ["status", "receipt"]}),
    ("credit.item", {"item": 3, "office": "yijiao", "rows": 0, "errors": 1, "submit": False, "mode": "update"}),
    ("credit.item", {"item": 3, "kind": "command_line", "rows": 2, "since": "", "all": True}),
    ("credit.item", {"kind": "double_publicity_penalty", "item": 8, "rows": 2, "incomplete": 0}),
    ("publicity.licencedecision", {"kind": "double_publicity_licence", "rows": 2}),
    ("credit.item", {"file": "blank_template"}),
    ("reporting.importjob", {"file": "error_copy", "item": 3, "errors": 2}),
    ("vetting.externallist", {"entries": 2, "replaced": True}),
    ("vetting.batchcheck", {"batch_check": "SC1", "candidates": 2, "with_hits": 1}),
    ("vetting.commitment", {"status": "broken", "breach_record": 4}),
    ("", {"status": 403}),
    ("audit.auditevent", {"cutoff": "2026-01-01T00:00:00+08:00", "deleted": 3, "retention_days": 180}),
    ("audit.auditevent", {"filters": {"action": "view_personal_data", "outcome": "denied"}, "rows": 1}),
    ("credit.record", {"fields": ["id_number"], "records": [1, 2]}),
    ("credit.recordchange", {"from": "pending", "to": "withdrawn", "record": 1}),
    ("oversight.nilreport", {"nil_report": "2026-01"}),
    ("publicity.objection", {"file": "evidence", "error": "missing"}),
    ("publicity.repairapplication", {"file": "commitment"}),
    ("accounts.user", {"reason": "admin"}),
    ("accounts.apitoken", {"token_prefix": "ab12", "expiry": "2026-01-01", "via": "command"}),
    ("accounts.apitoken", {"via": "api_token", "token_id": 3, "reason": "API 令牌已过期，请重新申请。"}),
    ("", {"reason": "absolute"}),
    ("", {"rule": "role_separation"}),
    ("accounts.user", {"stage": "enrol"}),
    ("otp_totp.totpdevice", {"otp": "totp"}),
    ("accounts.user", {"self_service": True}),
    ("accounts.apitoken", {"page": "admin_api_tokens", "rows": 2}),
    ("vetting.creditcheck", {"credit_check": "import", "outcome": "clear", "hits": 0, "sources": []}),
    ("vetting.creditreport", {"fields": ["identifier", "name"], "credit_report": "CR1"}),
    ("credit.subject", {"fields": ["identifier"]}),
    ("publicity.objection", {"history_id": 3, "changed_fields": ["status"], "from": "received", "to": "decided"}),
    ("credit.teacherpenaltyrecord", {"reason": "expired"}),
    ("", {"username": "nobody", "known_account": False}),
    ("", {"username": "", "ip": "10.0.0.1"}),
]


@pytest.mark.parametrize(("object_type", "detail"), OTHER_WRITERS)
def test_the_other_writers_entries_read_in_chinese(object_type, detail):
    pairs = detail_pairs(detail, object_type=object_type)
    assert len(pairs) == len(detail) - (detail.get("reason") == f"{detail.get('to')}:")
    text = " ".join(f"{label} {value}" for label, value in pairs)
    for data in ("/a", "/b", "ab12", "sec2", "nobody", "SC1", "CR1", "R1"):
        text = text.replace(data, " ")
    words = IDENTIFIER.findall(text) + [w for w in WORD.findall(text) if w not in ABBREVIATIONS]
    assert words == [], pairs


def test_a_setting_change_reads_as_old_and_new():
    pairs = dict(detail_pairs(OTHER_WRITERS[1][1], object_type="reporting.deliverysettings"))
    assert pairs["变更"] == "报送通道：由 投递目录 改为 HTTP 接口；接口令牌：由 — 改为 已更换"
    assert pairs["待确认的设置"] == "报送通道、接口令牌"
    imported = dict(detail_pairs(OTHER_WRITERS[7][1], object_type="credit.item"))
    assert imported["处室"] == "义教处" and imported["导入方式"] == "更新已有记录"


def test_the_object_type_filter_finds_the_chinese_name_the_page_shows(client, auditor, clerk):
    record = create_record(8, clerk)
    client.force_login(auditor)
    for typed in ("教师行政处罚", "teacherpenaltyrecord"):
        response = client.get(AUDIT_PAGE, {"object_type": typed})
        assert {e.object_id for e in response.context["events"]} == {str(record.pk)}, typed
