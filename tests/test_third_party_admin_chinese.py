"""The third-party admins (sign-in failures, second-factor devices, periodic tasks) speak Chinese where the packages
hard-code English: the crontab's description, the lockout status, the objects' names, the boolean columns.

The whole pages are crawled by ``tests/test_rendered_pages_chinese.py::test_third_party_admin_pages_are_chinese``;
these tests pin the texts built by the project's code.
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from reporting.schedule_admin import crontab_description

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _english(text: str) -> list[str]:
    return [w for w in ENGLISH_WORD.findall(text.replace("Asia/Shanghai", "")) if w != "UTC"]


def test_crontab_description_names_months_and_weekdays_in_chinese():
    weekdays = CrontabSchedule(minute="*/10", hour="8-18", day_of_week="mon-fri", timezone="Asia/Shanghai")
    semiannual = CrontabSchedule(
        minute="0", hour="2", day_of_month="20", month_of_year="6,12", timezone="Asia/Shanghai"
    )

    assert "星期一" in crontab_description(weekdays) and "星期五" in crontab_description(weekdays)
    assert "6月" in crontab_description(semiannual) and "12月" in crontab_description(semiannual)
    assert "02:00" in crontab_description(semiannual)
    assert _english(crontab_description(weekdays)) == [] and _english(crontab_description(semiannual)) == []


def test_sign_in_failures_are_named_in_chinese():
    moment = timezone.now()
    failure = AccessFailureLog(username="u1001", ip_address="10.0.0.8", attempt_time=moment, locked_out=True)
    attempt = AccessAttempt(username="u1001", attempt_time=moment)

    assert str(failure).startswith("登录失败：u1001，") and "10.0.0.8" in str(failure) and "已锁定" in str(failure)
    assert str(attempt).startswith("登录失败记录：u1001，")
    assert _english(str(failure)) == [] and _english(str(attempt)) == []


@pytest.mark.django_db
def test_lockout_list_tells_the_security_admin_the_attempts_left_in_chinese(client, secadmin, settings):
    visit = {"user_agent": "", "http_accept": "*/*", "path_info": "/accounts/login/", "get_data": "", "post_data": ""}
    AccessAttempt.objects.create(username="u1001", failures_since_start=2, **visit)
    AccessAttempt.objects.create(username="li", failures_since_start=settings.AXES_FAILURE_LIMIT, **visit)
    client.force_login(secadmin)

    page = client.get("/admin/axes/accessattempt/").content.decode()

    assert f"还可尝试 {settings.AXES_FAILURE_LIMIT - 2} 次" in page
    assert "已锁定" in page
    assert "Attempt Remaining" not in page and "Locked Out" not in page
    # A missing browser header is shown as unknown, not as axes' "<unknown>" placeholder.
    assert "（未知）" in page
