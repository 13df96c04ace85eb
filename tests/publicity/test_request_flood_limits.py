"""Objections and repair applications from the anonymous column are limited per client address and overall: over
the limit the form answers 429 in Chinese with the time to try again, and nothing is saved."""

import pytest
from django.core.cache import cache

from publicity.models import Objection, RepairApplication
from tests.factories import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PUBLICITY_REQUEST_LIMIT_PER_ADDRESS = 5
    settings.PUBLICITY_REQUEST_LIMIT_GLOBAL = 200
    settings.PUBLICITY_REQUEST_WINDOW_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


def _post(client, url, ip, **extra):
    data = {
        "applicant_name": "南昌市豫章中学",
        "applicant_contact": "0791-86000000",
        "content": "处罚内容有误",
        **extra,
    }
    return client.post(url, data, REMOTE_ADDR=ip)


def test_sixth_objection_from_one_address_is_refused_and_not_saved(build, client):
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    for _ in range(5):
        assert _post(client, url, "203.0.113.5").status_code == 302
    response = _post(client, url, "203.0.113.5")
    assert response.status_code == 429
    page = response.content.decode()
    assert "过于频繁" in page and "后再试" in page and "未提交" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Objection.objects.count() == 5
    # Another client is not held back by the first one.
    assert _post(client, url, "198.51.100.7").status_code == 302
    assert Objection.objects.count() == 6


def test_objections_and_repairs_share_one_address_limit(build, client):
    pub = build.penalty(2, day=days_ago(120))
    for _ in range(3):
        assert _post(client, f"/penalties/{pub.pk}/objection/", "203.0.113.5").status_code == 302
    for _ in range(2):
        assert (
            _post(client, f"/penalties/{pub.pk}/repair/", "203.0.113.5", commitment=commitment_pdf()).status_code == 302
        )
    assert _post(client, f"/penalties/{pub.pk}/repair/", "203.0.113.5", commitment=commitment_pdf()).status_code == 429
    assert RepairApplication.objects.count() == 2


def test_global_limit_refuses_every_address(build, client, settings):
    settings.PUBLICITY_REQUEST_LIMIT_GLOBAL = 3
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    for n in range(3):
        assert _post(client, url, f"203.0.113.{n + 1}").status_code == 302
    response = _post(client, url, "198.51.100.99")
    assert response.status_code == 429
    assert "受理上限" in response.content.decode()
    assert Objection.objects.count() == 3


def test_invalid_submissions_do_not_use_up_the_limit(build, client):
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    for _ in range(6):
        assert _post(client, url, "203.0.113.5", content="").status_code == 200
    assert _post(client, url, "203.0.113.5").status_code == 302


def test_forwarded_header_from_an_untrusted_client_does_not_reset_the_limit(build, client):
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    for n in range(5):
        assert _post(client, url, "203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 302
    assert _post(client, url, "203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429
