"""A search for a pasted paragraph, against the server ``make demo`` starts (gunicorn, ``config/gunicorn.conf.py``).

Gunicorn's default request-line limit (4,094 bytes) answered some 450 Chinese characters, percent-encoded nine bytes
each, with its own English page "Request Line is too large" (414) before the portal saw the request; the portal
searches by the first 100 characters and says so in Chinese. The search boxes also take no more than 100 characters.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.demo_server import DemoServer, demo_environment

PARAGRAPH = "南昌市教育局关于进一步加强教育系统信用体系建设的通知，" * 30  # 780 characters, 7,020 bytes encoded


@pytest.mark.slow(3)
@pytest.mark.django_db(transaction=True)
def test_a_pasted_paragraph_is_searched_by_its_first_words_with_a_chinese_note(tmp_path):
    from django.db import connection

    with DemoServer(demo_environment(connection, tmp_path)) as server:
        for path in ("/search/", "/penalties/"):
            answer = requests.get(f"{server.url}{path}", params={"q": PARAGRAPH}, timeout=60)
            assert answer.status_code == 200, (path, answer.text[:300])
            assert "搜索词过长：仅按前 100 个字符检索。" in answer.text, path
        page = requests.get(f"{server.url}/search/", params={"q": "南昌"}, timeout=60).text
    boxes = re.findall(r'<input[^>]*name="q"[^>]*>', page)
    assert boxes and all('maxlength="100"' in box for box in boxes), boxes
