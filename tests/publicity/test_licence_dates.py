"""Licence decision dates: not after today, not after the end of validity; and the reviewer's dashboard copes with
any date already stored (no overflow, no year-long loops)."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from credit.demo import credit_code
from credit.services.calendar import WorkingCalendar, working_days_between
from publicity.models import LicenceDecision
from publicity.services import licences as lic
from publicity.services.errors import PublicityError

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _data(**days) -> dict:
    """The form's values with dates given as days from today (today read when the test runs, not when the module is
    collected: a run that passes midnight in Beijing would otherwise find "tomorrow" become today)."""
    today = timezone.localdate()
    data = {
        "xdr_mc": "南昌市新知培训学校",
        "xdr_lb": "法人及非法人组织",
        "xdr_shxym": credit_code(77),
        "xkws": "民办学校办学许可证",
        "wsh": "洪教许〔2026〕77号",
        "xklb": "普通",
        "nr": "准予设立",
        "jdrq": today.isoformat(),
        "yxqz": today.isoformat(),
        "yxqzi": (today + 900 * DAY).isoformat(),
        "xkjg": "南昌市教育局",
        "xkjgdm": settings.BUREAU_CREDIT_CODE,
        "lydw": "南昌市教育局",
        "lydwdm": settings.BUREAU_CREDIT_CODE,
    }
    data.update({k: (today + n * DAY).isoformat() for k, n in days.items()})
    return data


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"jdrq": 1}, "许可决定日期不能晚于今天"),
        ({"jdrq": 0, "yxqz": -30, "yxqzi": -1}, "许可决定日期不能晚于有效期至"),
    ],
)
def test_decision_date_rules_on_the_form_and_in_the_service(build, client, dates, message):
    client.force_login(build.yijiao)
    response = client.post("/workspace/publicity/licences/new/", _data(**dates))
    assert response.status_code == 200 and message in response.content.decode()
    with pytest.raises(PublicityError) as exc:
        lic.licence_create(user=build.yijiao, data=_data(**dates))
    assert message in str(exc.value) and "jdrq" in exc.value.errors
    assert not LicenceDecision.objects.exists()


def test_decision_today_is_accepted(build, client):
    client.force_login(build.yijiao)
    assert client.post("/workspace/publicity/licences/new/", _data()).status_code == 302


@pytest.mark.parametrize("stored", [datetime.date(9999, 12, 31), 3650, datetime.date(1, 1, 1)])
def test_dashboard_copes_with_any_stored_decision_date(build, client, stored):
    if isinstance(stored, int):
        stored = timezone.localdate() + stored * DAY
    licence = build.licence(publish=False)
    LicenceDecision.objects.filter(pk=licence.pk).update(jdrq=stored)
    client.force_login(build.reviewer)
    response = client.get("/workspace/publicity/")
    assert response.status_code == 200
    html = response.content.decode()
    assert licence.wsh in html
    if stored > timezone.localdate():
        assert "晚于今天，请核对" in html
    else:
        assert "期限 0001-01-" in html


def test_working_days_between_matches_a_day_by_day_count():
    start = datetime.date(2025, 12, 20)
    cal = WorkingCalendar(start - 400 * DAY, start + 400 * DAY)
    for a in range(0, 400, 37):
        for b in range(0, 400, 23):
            lo, hi = start - a * DAY, start + b * DAY
            naive = sum(cal.is_working_day(lo + i * DAY) for i in range(1, (hi - lo).days + 1))
            assert working_days_between(lo, hi, calendar=cal) == naive
            assert working_days_between(hi, lo, calendar=cal) == -naive
