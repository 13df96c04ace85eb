"""The workspace record list as a clerk reads it: search by decision number (and saying what it searches), the overdue
filter's badges, the sort choices in Chinese, Chinese messages for odd input."""

import datetime
import re

import pytest
from django.utils import timezone

from credit.models import Record
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def test_search_finds_a_record_by_its_decision_number(clerk_client, clerk):
    wanted = create_record(8, clerk, decision_number="洪教罚〔2026〕77号")
    create_record(8, clerk, decision_number="洪教罚〔2026〕78号")
    response = clerk_client.get("/workspace/records/", {"q": "〔2026〕77号"})
    assert [r.pk for r in response.context["records"]] == [wanted.pk]


def test_search_says_what_it_searches(clerk_client):
    page = clerk_client.get("/workspace/records/").content.decode()
    assert "文书号" in page and "证件号码" in page and "主体名称" in page


def test_overdue_filter_never_shows_an_on_time_badge(clerk_client, clerk, reviewer):
    today = timezone.localdate()
    record = create_record(8, clerk, day=today - datetime.timedelta(days=90), status="returned", reviewer=reviewer)
    # Submitted before its due date, then returned: it is unsubmitted again and now past due (逾期未报).
    on_time = datetime.datetime.combine(record.due_date, datetime.time(9), tzinfo=timezone.get_current_timezone())
    Record.objects.filter(pk=record.pk).update(submitted_at=on_time)
    response = clerk_client.get("/workspace/records/", {"due": "overdue"})
    assert [r.pk for r in response.context["records"]] == [record.pk]
    page = response.content.decode()
    assert 'data-timeliness="on_time"' not in page and "按时" not in page
    assert 'data-timeliness="overdue"' in page


def test_sort_choices_are_chinese(clerk_client):
    page = clerk_client.get("/workspace/records/").content.decode()
    select = re.search(r'<select name="ordering".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert "截止日期" in options and "截止日期（降序）" in options
    assert not [o for o in options if re.search("[A-Za-z]{2}", o)], options


def test_nul_character_message_is_correct_chinese(clerk_client):
    response = clerk_client.get("/workspace/records/", {"q": "a\x00b"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不允许包含空字符" in page and "不允许是用空字符串" not in page
