"""The reviewer's to-do page lists the most urgent entries of each kind and says how many there are in all."""

import pytest

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
