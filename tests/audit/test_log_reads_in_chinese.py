"""The audit log page names roles in Chinese and shows each event's detail as labelled values, not a Python dict."""

import pytest

from audit.services import audit_log

pytestmark = pytest.mark.django_db


def test_log_shows_role_names_and_readable_details(client, auditor, clerk):
    audit_log(user=clerk, action="session_expired", detail={"reason": "idle", "rows": 3, "status": "submitted"})
    client.force_login(auditor)
    page = client.get("/workspace/audit/").content.decode()
    row = page[page.index("<tbody") :]
    assert "填报员" in row
    assert ">clerk<" not in row
    assert "{&#x27;" not in row and "{'" not in row  # no Python dict
    # The record status's own label, as every other screen shows it (not 已提交).
    assert "原因" in row and "空闲超时" in row and "待审核" in row and "已提交" not in row
