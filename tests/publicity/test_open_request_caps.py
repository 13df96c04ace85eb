"""What anonymous visitors may keep open at once, whatever their address: at most N undecided objections and repairs
per contact (phone or e-mail, however written) and per public entry, and a daily total of evidence bytes. Over a cap
the form says which limit in Chinese and nothing is saved; decided cases no longer count."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.models import Objection, RepairApplication
from publicity.models.requests import contact_key
from publicity.services.requests import request_decide
from tests.factories import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db

PDF = b"%PDF-" + b"0" * 995  # 1000 bytes


@pytest.fixture(autouse=True)
def _caps(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLICITY_OPEN_REQUESTS_PER_CONTACT = 3
    settings.PUBLICITY_OPEN_REQUESTS_PER_ENTRY = 20
    cache.clear()


_CASES = itertools.count(1)


def _post(client, url, contact, **extra):
    """A new case each time (the same words again on the same entry would be the open case sent twice, answered with
    that case: ``test_request_filed_twice``)."""
    content = f"处罚内容有误（第 {next(_CASES)} 处）"
    data = {"applicant_name": "王晓明", "applicant_contact": contact, "content": content, **extra}
    return client.post(url, data)


def _errors(page: str, field: str) -> str:
    found = re.search(rf'id="id_{field}-errors">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


def test_contact_is_compared_however_it_is_written():
    assert contact_key("138 0791 0000") == contact_key("+86 138-0791-0000") == contact_key("１３８０７９１００００")
    assert contact_key(" Wang@Example.COM ") == "wang@example.com"
    assert contact_key("0791-86000000") == "079186000000"


def test_fourth_open_case_from_one_contact_is_refused_naming_the_limit(build, client):
    pub = build.penalty(2, day=days_ago(120))
    other = build.penalty(8)
    assert _post(client, f"/penalties/{pub.pk}/objection/", "13807910000").status_code == 302
    assert (
        _post(client, f"/penalties/{pub.pk}/repair/", "138 0791 0000", commitment=commitment_pdf()).status_code == 302
    )
    assert _post(client, f"/penalties/{other.pk}/objection/", "+86 138-0791-0000").status_code == 302
    response = _post(client, f"/penalties/{other.pk}/objection/", "8613807910000")
    assert response.status_code == 200
    message = _errors(response.content.decode(), "applicant_contact")
    assert "该联系方式" in message and "最多同时办理 3 件" in message and "未提交" in message
    assert Objection.objects.count() + RepairApplication.objects.count() == 3
    # Another contact is not held back.
    assert _post(client, f"/penalties/{other.pk}/objection/", "wang@example.com").status_code == 302


def test_decided_cases_no_longer_count_towards_the_contact_cap(build, client):
    pub = build.penalty(2)
    for _ in range(3):
        assert _post(client, f"/penalties/{pub.pk}/objection/", "wang@example.com").status_code == 302
    assert _post(client, f"/penalties/{pub.pk}/objection/", "WANG@example.com").status_code == 200
    request_decide(request=Objection.objects.first(), user=build.reviewer, outcome="upheld", reply="维持")
    assert _post(client, f"/penalties/{pub.pk}/objection/", "wang@example.com").status_code == 302


def test_entry_with_its_cap_of_open_cases_refuses_another(build, client, settings):
    settings.PUBLICITY_OPEN_REQUESTS_PER_ENTRY = 4
    pub = build.penalty(2, day=days_ago(120))
    for n in range(2):
        assert _post(client, f"/penalties/{pub.pk}/objection/", f"1380791000{n}").status_code == 302
        assert (
            _post(client, f"/penalties/{pub.pk}/repair/", f"1390791000{n}", commitment=commitment_pdf()).status_code
            == 302
        )
    response = _post(client, f"/penalties/{pub.pk}/repair/", "13707910000", commitment=commitment_pdf())
    assert response.status_code == 200
    page = response.content.decode()
    assert "该公示信息正在办理中" in page and "每条公示信息最多同时办理 4 件" in page
    assert Objection.objects.count() + RepairApplication.objects.count() == 4
    # Another entry is not held back.
    assert _post(client, f"/penalties/{build.penalty(8).pk}/objection/", "13707910000").status_code == 302


def test_daily_evidence_quota_refuses_evidence_beyond_it(build, client, settings, tmp_path):
    settings.PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES = 2500
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    for n in range(2):
        evidence = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
        assert _post(client, url, f"1380791000{n}", evidence=evidence).status_code == 302
    evidence = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    response = _post(client, url, "13807910009", evidence=evidence)
    assert response.status_code == 200
    message = _errors(response.content.decode(), "evidence")
    assert "每日接收总量上限" in message and "2KB" in message and "未提交" in message
    assert Objection.objects.count() == 2
    # Two files kept (stored encrypted, so a little larger than the 1,000 bytes sent), none for the refused one.
    assert len(list(tmp_path.rglob("*.pdf"))) == 2
    # Without evidence the same visitor can still file.
    assert _post(client, url, "13807910009").status_code == 302


def test_repair_commitment_counts_towards_the_daily_evidence_quota(build, client, settings, tmp_path):
    settings.PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES = 2500
    url = f"/penalties/{build.penalty(2, day=days_ago(400)).pk}/repair/"

    def pdf(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    # Evidence and commitment together: 2000 bytes of the day's 2500.
    assert _post(client, url, "13807910001", evidence=pdf("证明.pdf"), commitment=pdf("承诺书.pdf")).status_code == 302
    assert RepairApplication.objects.get().evidence_bytes == 2000
    # A second repair's commitment alone (1000 bytes) is past the quota: refused under the commitment, not saved.
    response = _post(client, url, "13807910002", commitment=pdf("承诺书.pdf"))
    assert response.status_code == 200
    message = _errors(response.content.decode(), "commitment")
    assert "每日接收总量上限" in message and "2KB" in message and "未提交" in message
    assert "不附证明材料" not in message
    assert RepairApplication.objects.count() == 1


def test_repair_commitment_over_the_size_limit_is_refused_naming_it(build, client, settings):
    settings.PUBLICITY_EVIDENCE_MAX_BYTES = 500
    url = f"/penalties/{build.penalty(2, day=days_ago(400)).pk}/repair/"
    page = client.get(url).content.decode()
    assert "信用承诺书（PDF、JPG、PNG，必须上传，不超过1KB）" in page
    response = _post(client, url, "13807910003", commitment=SimpleUploadedFile("承诺书.pdf", PDF))
    assert response.status_code == 200
    assert "不能超过" in _errors(response.content.decode(), "commitment")
    assert not RepairApplication.objects.exists()
