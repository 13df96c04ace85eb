"""The work bulletin: .xlsx with one row per office, printable page, list, the monthly task and its beat entry."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from credit.models import Office
from oversight.exporters import OFFICE_COLUMNS
from oversight.models import Bulletin, BulletinTrigger
from oversight.periods import parse_period
from oversight.services import bulletin_generate
from oversight.tasks import generate_monthly_bulletin
from tests.oversight.conftest import HAND_COUNT

COLUMN = {str(header): i for i, (header, _key, _kind) in enumerate(OFFICE_COLUMNS)}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sheet_rows(content: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "排名")
    header = rows[header_at]
    body = [r for r in rows[header_at + 1 :] if r[1] and r[1] != "合计"]
    return wb, header, body


@pytest.mark.django_db
def test_xlsx_has_one_row_per_office_with_the_figures(client, general_office_reviewer, march_records):
    client.force_login(general_office_reviewer)
    response = client.post(reverse("oversight:bulletins"), {"period": "2026-03"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/bulletins/{bulletin.pk}/")
    download = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk]))
    assert download.status_code == 200
    wb, header, body = _sheet_rows(b"".join(download.streaming_content))
    assert [str(h) for h, _k, _t in OFFICE_COLUMNS] == list(header)
    assert sorted(r[1] for r in body) == sorted(Office.objects.values_list("name", flat=True))
    yijiao = next(r for r in body if r[1] == "义教处")
    labels = {"due": "应报记录", "on_time": "按时报送", "late": "迟报", "overdue": "逾期未报", "pending": "未到期"}
    for key, label in labels.items():
        assert yijiao[COLUMN[label]] == HAND_COUNT[key], key
    assert yijiao[COLUMN["截止日期暂定"]] == 1
    assert yijiao[COLUMN["及时率"]] == pytest.approx(3 / 7, abs=1e-4)
    assert yijiao[COLUMN["排名"]] == 2
    assert wb.sheetnames == ["处室报送情况", "考核指标进展", "指标说明"]
    assert [r[0] for r in wb["考核指标进展"].iter_rows(min_row=2, values_only=True)] == list(range(1, 9))


@pytest.mark.django_db
def test_printable_page_and_list(client, general_office_reviewer, march_records):
    bulletin = bulletin_generate(period=parse_period("2026Q1"), user=general_office_reviewer)
    client.force_login(general_office_reviewer)
    html = client.get(reverse("oversight:bulletin-detail", args=[bulletin.pk])).content.decode()
    row = html.split('data-office="yijiao"', 1)[1].split("</tr>", 1)[0]
    assert 'data-figure="due">7<' in row and 'data-figure="overdue">2<' in row
    assert "oversight.css" in html  # print rules
    assert "2026年第一季度" in html
    listing = client.get(reverse("oversight:bulletins")).content.decode()
    assert f'data-bulletin="{bulletin.pk}"' in listing


@pytest.mark.django_db
def test_bulletin_only_for_months_and_quarters(client, general_office_reviewer):
    client.force_login(general_office_reviewer)
    response = client.post(reverse("oversight:bulletins"), {"period": "2026"})
    assert response.status_code == 200 and not Bulletin.objects.exists()


@pytest.mark.django_db
def test_clerk_gets_404_for_a_bulletin(client, clerk_yijiao, general_office_reviewer):
    bulletin = bulletin_generate(period=parse_period("2026-03"), user=general_office_reviewer)
    client.force_login(clerk_yijiao)
    assert client.get(reverse("oversight:bulletin-detail", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("oversight:bulletin-download", args=[bulletin.pk])).status_code == 404


@pytest.mark.django_db
def test_same_figures_give_identical_bytes(general_office_reviewer):
    a = bulletin_generate(
        period=parse_period("2026-03"), user=general_office_reviewer, today=datetime.date(2026, 11, 25)
    )
    b = bulletin_generate(
        period=parse_period("2026-03"), user=general_office_reviewer, today=datetime.date(2026, 11, 25)
    )
    assert a.sha256 == b.sha256


@pytest.mark.django_db
def test_monthly_task_generates_last_months_bulletin(time_machine=None):
    from unittest import mock

    with mock.patch("oversight.tasks.timezone.localdate", return_value=datetime.date(2026, 12, 1)):
        pk = generate_monthly_bulletin()
    bulletin = Bulletin.objects.get(pk=pk)
    assert (bulletin.period, bulletin.trigger, bulletin.generated_by) == ("2026-11", BulletinTrigger.SCHEDULED, None)


@pytest.mark.django_db
def test_beat_entries_are_registered():
    task = PeriodicTask.objects.get(task="oversight.generate_monthly_bulletin")
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week) == (
        "0",
        "7",
        "1",
        "*",
        "*",
    )
    assert str(cron.timezone) == "Asia/Shanghai"
    assert task.enabled
    assert PeriodicTask.objects.get(task="oversight.ensure_year_indicators").crontab.month_of_year == "1"
