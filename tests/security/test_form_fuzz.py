"""No 500 on any input, HTML side: the inputs that were a 500, one test per fix (the systematic form fuzz of every
role's pages joins them here)."""

import pytest
from django.test import Client

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of

pytestmark = pytest.mark.django_db

LONG_TEXT = "\n".join(f"第{n}行：情节说明 line {n} " + "很长" * 40 for n in range(300))


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_search_and_lists_take_pasted_text_and_nul(client):
    """SQLite refused the pasted text as a LIKE pattern, PostgreSQL the NUL: both were a 500."""
    for url in ("/search/", "/penalties/", "/black-list/"):
        long = client.get(url, {"q": LONG_TEXT})
        assert long.status_code == 200, url
        assert "搜索词过长：仅按前 100 个字符检索。" in long.content.decode()
        assert client.get(url, {"q": "南昌\x00市"}).status_code == 200, url


def test_record_lists_name_a_search_longer_than_any_name(db):
    """The workspace search went straight into LIKE: pasted text was a 500 on SQLite; now 搜索 names the limit."""
    clerk = clerk_of("zuren")
    response = _signed_in(clerk).get("/workspace/records/", {"q": LONG_TEXT, "status": "draft"})
    assert response.status_code == 200
    assert "搜索：" in response.content.decode()
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    response = _signed_in(reviewer).get("/workspace/review/", {"q": "x" * 101})
    assert response.status_code == 200
    assert "搜索：" in response.content.decode()
    assert "搜索：" not in _signed_in(reviewer).get("/workspace/review/", {"q": "x" * 100}).content.decode()


def test_admin_search_is_cut_and_nul_dropped(db):
    """Pasted text was thousands of conditions (SQLite: expression tree too large), a NUL a PostgreSQL error."""
    client = _signed_in(UserFactory(username="sysadmin", role=Role.SYSADMIN))
    response = client.get("/admin/credit/item/", {"q": LONG_TEXT})
    assert response.status_code == 200
    assert "搜索词过长：仅按前 100 个字符检索。" in response.content.decode()
    assert client.get("/admin/credit/office/", {"q": "组人\x00"}).status_code == 200
    response = client.get("/admin/credit/item/", {"q": "\x00", "deadline_kind__exact": "working\x00days"})
    assert response.status_code in (200, 302)
