"""The full open-data CSVs are files written by a task (publicity.opendata_files), served as files: a download never
builds a whole list in a page worker. While a new file is being written the last one is served. Anonymous downloads
are limited per client address (429 in Chinese, with Retry-After)."""

import csv
import io
import re
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from publicity import opendata_files
from publicity.services.publications import publication_withdraw

pytestmark = pytest.mark.django_db


def _download(client, section: str = "penalties"):
    response = client.get(f"/api/v1/public/{section}.csv")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8-sig")


def test_full_csv_is_served_from_the_file_the_task_wrote(build, client):
    pub = build.penalty(2)
    response, text = _download(client)
    found = opendata_files.current("penalties")
    assert found is not None and found.rows == 1 and found.day == timezone.localdate().isoformat()
    assert found.path.read_bytes().decode("utf-8-sig") == text
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="penalties-{timezone.localdate():%Y%m%d}.csv"'
    # Beijing time with its offset, like the times in the file.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", response["X-Open-Data-Generated-At"])
    assert pub.document_number in text and next(csv.reader(io.StringIO(text)))[0] == "编号"


def test_a_fresh_file_is_not_rewritten_for_each_download(build, client):
    build.penalty(2)
    _download(client)
    with mock.patch.object(opendata_files, "write", wraps=opendata_files.write) as write:
        _download(client)
        _download(client)
    assert write.call_count == 0


def test_a_queued_write_finding_the_file_written_meanwhile_does_not_write_it_again(build, client):
    # A change queues the task; before it runs, the nightly rewrite (or another node) writes the current data.
    build.penalty(2)
    opendata_files.write("penalties")
    with mock.patch.object(opendata_files, "write", wraps=opendata_files.write) as write:
        assert opendata_files.write_open_data(section="penalties") == 1
    assert write.call_count == 0


def test_a_change_queues_a_new_file_and_the_last_one_is_served_meanwhile(build, client):
    pub, other = build.penalty(2), build.penalty(2)
    _download(client)
    # A worker that has not got round to it yet: the task is queued, not run.
    with mock.patch.object(opendata_files.write_open_data, "apply_async") as queued:
        publication_withdraw(publication=pub, user=build.reviewer, reason="信用修复")
        _response, text = _download(client)
        _download(client)
    assert queued.call_count == 1  # once per debounce window, however many downloads find the file stale
    assert pub.document_number in text and other.document_number in text  # the last file, served as it is
    # The task runs: the next download has the new file.
    opendata_files.write_open_data(section="penalties")
    _response, text = _download(client)
    assert pub.document_number not in text and other.document_number in text


def test_a_change_is_queued_once_it_commits(build, django_capture_on_commit_callbacks):
    pub = build.penalty(2)
    with mock.patch.object(opendata_files.write_open_data, "apply_async") as queued:
        with django_capture_on_commit_callbacks(execute=True):
            publication_withdraw(publication=pub, user=build.reviewer, reason="信用修复")
    assert queued.call_args.kwargs == {"args": ["penalties"], "countdown": 60}


def test_before_the_first_file_the_download_says_to_come_back(build, client, settings, tmp_path):
    settings.PUBLICITY_OPEN_DATA_DIR = str(tmp_path)  # a new installation: no file written yet
    build.penalty(2)
    with mock.patch.object(opendata_files.write_open_data, "apply_async"):
        response = client.get("/api/v1/public/penalties.csv")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "正在生成" in response.content.decode()


def test_nightly_job_writes_the_new_days_files(build):
    from publicity.tasks import end_publications

    build.penalty(2)
    result = end_publications()
    assert result["open_data_written"] == 4
    assert opendata_files.current("penalties").rows == 1
    assert end_publications()["open_data_written"] == 0


def test_the_proxy_serves_the_file_when_configured(build, client, settings):
    settings.PUBLICITY_OPEN_DATA_ACCEL_PREFIX = "/_open-data/"
    build.penalty(2)
    response = client.get("/api/v1/public/penalties.csv")
    assert response.status_code == 200 and response["X-Accel-Redirect"] == "/_open-data/penalties.csv"
    assert response.content == b""
    # The proxy sends it at the rate the portal would (nginx: X-Accel-Limit-Rate), or at once when there is none.
    assert response["X-Accel-Limit-Rate"] == str(settings.PUBLICITY_OPEN_DATA_RATE)
    settings.PUBLICITY_OPEN_DATA_RATE = 0
    assert "X-Accel-Limit-Rate" not in client.get("/api/v1/public/penalties.csv")


def test_a_download_keeps_to_the_rate_after_its_first_part(build, client, settings, monkeypatch):
    """Each full download is sent at ``PUBLICITY_OPEN_DATA_RATE`` bytes a second after its first part: a few visitors
    downloading the large lists do not take the line (and the cores) the pages are served by."""
    from core import downloads

    for _ in range(40):
        build.penalty(2)
    clock, slept = [0.0], []
    monkeypatch.setattr(downloads, "_now", lambda: clock[0])

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(downloads, "_sleep", sleep)
    monkeypatch.setattr(downloads, "BURST", 1000)
    monkeypatch.setattr(downloads, "CHUNK", 500)
    settings.PUBLICITY_OPEN_DATA_RATE = 2000
    response, text = _download(client)
    size = opendata_files.current("penalties").path.stat().st_size
    assert size > 10_000 and int(response["Content-Length"]) == size
    assert text == opendata_files.current("penalties").path.read_bytes().decode("utf-8-sig")
    # Nothing waited for the first part; the rest at 2,000 bytes a second.
    assert sum(slept) == pytest.approx((size - 1000) / 2000, abs=0.3)
    assert len(slept) == pytest.approx((size - 1000) / 500, abs=2)

    slept.clear()
    settings.PUBLICITY_OPEN_DATA_RATE = 0  # no bound: the server's sendfile, at once
    _download(client)
    assert slept == []


def test_an_abandoned_download_closes_its_file():
    from core.downloads import paced_chunks

    fh = io.BytesIO(b"x" * 300_000)
    chunks = paced_chunks(fh, rate=10**9)
    assert len(next(chunks)) == 64 * 1024 and not fh.closed
    chunks.close()  # the client went away: Django closes the response, and with it the generator
    assert fh.closed


def test_search_csv_is_built_at_once_and_bounded(build, client, settings):
    settings.PUBLICITY_CSV_SEARCH_MAX_ROWS = 2
    for _ in range(3):
        build.penalty(2)
    response = client.get("/api/v1/public/penalties.csv", {"q": "洪教罚"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 2


def test_anonymous_downloads_are_limited_per_address(build, client, settings, clerk, window_clock):
    settings.PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS = 2
    build.penalty(2)
    _download(client)
    _download(client, "red-list")
    refused = client.get("/api/v1/public/penalties.csv")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS
    page = refused.content.decode()
    assert "下载开放数据文件过于频繁" in page and "后再试" in page
    # Another address is not affected, nor is a signed-in member of staff.
    assert Client(REMOTE_ADDR="10.0.0.8").get("/api/v1/public/penalties.csv").status_code == 200
    staff = Client()
    staff.force_login(clerk)
    assert staff.get("/api/v1/public/penalties.csv").status_code == 200


def _workbook_rows(content: bytes) -> list[list]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_xlsx_has_the_csvs_rows_as_text_so_excel_keeps_every_digit_of_a_code(build, client):
    # Opened in Excel, the CSV's 18-digit all-digit credit codes (the bureau's own 113601000145008695 on every licence)
    # became 1.13601E+17 and were saved as 113601000145008000. The workbook holds them as text cells.
    build.penalty(2)
    build.licence()
    for section in ("penalties", "licences"):
        _, text = _download(client, section)
        response = client.get(f"/api/v1/public/{section}.xlsx")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"{section}-{timezone.localdate():%Y%m%d}.xlsx"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        rows = _workbook_rows(b"".join(response.streaming_content))
        expected = [[cell or None for cell in row] for row in csv.reader(io.StringIO(text))]
        assert rows == expected
        assert all(isinstance(cell, str) for row in rows for cell in row if cell is not None)
    digits = [c for row in rows for c in row if isinstance(c, str) and re.fullmatch(r"\d{18}", c)]
    assert digits  # the all-digit codes are there, whole, as text


def test_a_searched_xlsx_is_built_at_once(build, client):
    pub = build.penalty(2)
    response = client.get("/api/v1/public/penalties.xlsx", {"q": pub.document_number})
    assert response.status_code == 200
    rows = _workbook_rows(response.content)
    assert len(rows) == 2 and pub.document_number in rows[1]


def test_the_open_data_page_offers_the_workbooks(client):
    page = client.get("/open-data/").content.decode()
    assert 'href="/api/v1/public/licences.xlsx"' in page and "不会被改成数字或科学计数法" in page
