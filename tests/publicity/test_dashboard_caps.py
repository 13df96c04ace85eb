"""The reviewer's to-do page lists the most urgent entries of each kind and says how many there are in all."""

import pytest
from django.urls import reverse

from publicity.services.requests import objection_file
from publicity.views import workspace

pytestmark = pytest.mark.django_db


def test_full_lists_say_how_many_there_are(build, client, monkeypatch):
    monkeypatch.setattr(workspace, "DASHBOARD_ROWS", 2)
    records = [build.record(8, seq=7100 + n) for n in range(3)]  # approved, not yet published
    pubs = [build.penalty(2, seq=7200 + n) for n in range(3)]
    codes = [
        objection_file(target=p, applicant_name="甲", applicant_contact="x", content="有误").tracking_code for p in pubs
    ]
    client.force_login(build.reviewer)
    html = client.get("/workspace/publicity/").content.decode()
    assert "仅列出最早到期的 2 条，共 3 条待公示" in html
    assert sum(f"#{r.pk} " in html for r in records) == 2
    assert "仅列出最早到期的 2 件，共 3 件待办理" in html
    assert sum(code in html for code in codes) == 2


def test_lists_below_the_cap_carry_no_notice(build, client):
    build.record(8, seq=7300)
    client.force_login(build.reviewer)
    html = client.get("/workspace/publicity/").content.decode()
    assert "仅列出" not in html and "每类仅列出" not in html


def test_the_news_list_in_the_workspace_pages_instead_of_stopping(build, client):
    from publicity.models import NewsItem

    NewsItem.objects.bulk_create(
        [NewsItem(title=f"信用动态第{n}期", body="正文", created_by=build.reviewer) for n in range(53)]
    )
    client.force_login(build.reviewer)
    url = reverse("publicity-workspace:articles", args=["news"])
    first = client.get(url).content.decode()
    assert first.count("信用动态第") == 50 and "第 1 / 2 页，共 53 条" in first
    assert client.get(url, {"page": 2}).content.decode().count("信用动态第") == 3
