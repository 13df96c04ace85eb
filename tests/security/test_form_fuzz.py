"""No 500 on any input, HTML side: the inputs that were a 500, one test per fix (the systematic form fuzz of every
role's pages joins them here)."""

import pytest
from django.test import Client

from accounts.roles import Role
from publicity.models import NewsItem
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


def test_crontab_admin_shows_the_errors_of_a_negative_value(db):
    """The form shown again described the refused schedule with celery's parser, which raised: a 500."""
    from django_celery_beat.models import CrontabSchedule

    client = _signed_in(UserFactory(username="sysadmin", role=Role.SYSADMIN))
    before = CrontabSchedule.objects.count()
    fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    response = client.post(
        "/admin/django_celery_beat/crontabschedule/add/",
        {**dict.fromkeys(fields, "-1"), "timezone": "Asia/Shanghai", **_empty_inline("periodictask_set")},
    )
    assert response.status_code == 200
    assert "请更正以下错误。" in response.content.decode()
    assert CrontabSchedule.objects.count() == before


def _empty_inline(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_article_publication_time_out_of_range_is_refused(db):
    """0001-01-01 in Beijing time is year 0 in UTC: saving it raised OverflowError."""
    client = _signed_in(UserFactory(username="reviewer", role=Role.REVIEWER))
    data = {"title": "信用动态", "source": "南昌市教育局", "body": "正文", "is_published": "on"}
    response = client.post("/workspace/publicity/news/new/", {**data, "published_at": "0001-01-01 00:00"})
    assert response.status_code == 200
    assert "发布时间应在 2000 年至 2099 年之间。" in response.content.decode()
    assert not NewsItem.objects.exists()
    response = client.post("/workspace/publicity/news/new/", {**data, "published_at": "2026-03-02 09:00"})
    assert response.status_code == 302
    assert NewsItem.objects.get().title == "信用动态"
