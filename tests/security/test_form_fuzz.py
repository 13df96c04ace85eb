"""No 500 on any input, HTML side: the inputs that were a 500, one test per fix (the systematic form fuzz of every
role's pages joins them here)."""

import pytest
from django.test import Client

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
