"""The audit pages: the audit admin reads, filters and exports; no other role sees them."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_log

pytestmark = pytest.mark.django_db

LIST = "/workspace/audit/"
EXPORT = "/workspace/audit/export.csv"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["clerk", "reviewer", "sysadmin", "secadmin"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_only_the_audit_admin_reads_the_log(client, request, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    denied = AuditEvent.objects.filter(action="access_denied", path=url).get()
    assert denied.outcome == "denied" and denied.role == role


def test_audit_admin_lists_and_filters(client, auditor, clerk, reviewer):
    audit_log(user=clerk, action="export", object_type="reporting.batch", object_id=7, object_repr="批次7")
    audit_log(user=reviewer, action="login")
    old = AuditEvent.objects.create(
        user=clerk, username=clerk.username, action="login", at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(auditor)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "审计日志" in page.content.decode()

    def listed(**params):
        return {e.pk for e in client.get(LIST, params).context["events"]}

    assert listed(user=clerk.username, action="export") == {AuditEvent.objects.get(action="export").pk}
    assert listed(object_type="reporting.batch", object_id="7") == {AuditEvent.objects.get(action="export").pk}
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert old.pk not in listed(date_from=since)
    assert listed(date_to=(timezone.localdate() - datetime.timedelta(days=29)).isoformat()) == {old.pk}


def test_export_is_csv_formula_safe_and_itself_audited(client, auditor, clerk):
    audit_log(user=clerk, action="export", object_repr='=HYPERLINK("http://x")')
    client.force_login(auditor)
    response = client.get(EXPORT, {"action": "export"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "时间"
    assert any(cell.startswith("'=HYPERLINK") for row in rows[1:] for cell in row)
    export = AuditEvent.objects.filter(action="export", username=auditor.username).get()
    assert export.object_type == "audit.auditevent" and export.detail["filters"] == {"action": "export"}


def test_audit_admin_cannot_write_anywhere(client, auditor):
    client.force_login(auditor)
    assert client.post(LIST).status_code in {403, 405}
    assert client.post("/api/v1/items/8/records/", {}, content_type="application/json").status_code == 403


def test_export_reads_in_words_like_the_page_and_keeps_the_detail_as_recorded(client, auditor, reviewer):
    """The CSV carried the role code, the model label and a JSON dict where the page shows Chinese words."""
    audit_log(
        user=reviewer,
        action="export",
        object_type="audit.auditevent",
        object_id=5,
        detail={"rows": 3, "filters": {"action": "login"}},
    )
    client.force_login(auditor)
    body = b"".join(client.get(EXPORT, {"user": reviewer.username}).streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))[:2]
    shown = dict(zip(header, row, strict=True))
    assert shown["角色"] == "审核员"
    assert shown["对象类型"] == str(AuditEvent._meta.verbose_name) and shown["对象编号"] == "5"
    page = client.get(LIST, {"user": reviewer.username}).context["events"][0]
    assert shown["详情"] == "；".join(f"{label}：{value}" for label, value in page.detail_pairs)
    assert "reviewer" not in shown["详情"] and "{" not in shown["详情"] and "登录" in shown["详情"]
    assert json.loads(shown["详情（原始记录）"]) == {"rows": 3, "filters": {"action": "login"}}
