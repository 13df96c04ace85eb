"""Error pages in the portal's look and in Chinese, each saying what happened and what to do next (403, 404, 429 lockout,
500, CSRF failure); a refusal logged in one line; the demo's settings run with DEBUG off and WhiteNoise."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import include, path

from core.logging import ClientErrorWithoutTraceback
from tests.factories import PASSWORD, clerk_of

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


def _styled_chinese(page: str) -> None:
    assert "/static/publicity/site.css" in page  # the portal's look, not bare HTML
    assert 'lang="zh-hans"' in page
    assert "您可以" in page  # what to do next
    assert 'href="/"' in page


def test_404_is_styled_and_says_what_to_do(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    _styled_chinese(page)
    assert "页面不存在" in page


def test_403_is_styled_and_names_the_security_admin(client):
    client.force_login(clerk_of("zuren"))
    response = client.get("/workspace/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    _styled_chinese(page)
    assert "无权访问" in page and "安全管理员" in page


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_styled_and_says_what_to_do():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    _styled_chinese(page)
    assert "系统暂时出错" in page and "系统管理员" in page


def test_csrf_failure_explains_the_expired_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    _styled_chinese(page)
    assert "页面已过期" in page and "Cookie" in page


def test_lockout_page_is_styled(client):
    cache.clear()
    user = clerk_of("zuren", username="lockout_clerk")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD + "x"})
    assert response.status_code == 429
    page = response.content.decode()
    _styled_chinese(page)
    assert "30分钟" in page and "安全管理员" in page
    cache.clear()


def test_a_refusal_is_logged_without_its_traceback():
    try:
        raise PermissionError("denied")
    except PermissionError:
        exc_info = sys.exc_info()
    refused = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), exc_info)
    refused.status_code = 403
    failed = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error", (), exc_info)
    failed.status_code = 500
    keep = ClientErrorWithoutTraceback()
    assert keep.filter(refused) and refused.exc_info is None
    assert keep.filter(failed) and failed.exc_info is not None
    handler = settings.LOGGING["handlers"][settings.LOGGING["loggers"]["django.request"]["handlers"][0]]
    assert "client_error_without_traceback" in handler["filters"]


def test_demo_settings_run_with_debug_off_and_whitenoise():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, any(m.startswith('whitenoise.') for m in s.MIDDLEWARE))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]


def test_403_leads_a_signed_in_user_back_to_its_own_home(client, auditor):
    client.force_login(auditor)
    page = client.get("/workspace/").content.decode()
    assert 'href="/workspace/audit/"' in page and "返回审计日志" in page
