"""Error pages in the portal's look and in Chinese, each saying what happened and what to do next (400, 403, 404, 405,
429 lockout, 500, CSRF failure); the same refusals under /api/ as the API's JSON; a refusal logged in one line; the demo's
settings run with DEBUG off and WhiteNoise."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (this module is a URLconf below)
from core.logging import ClientErrorWithoutTraceback
from credit.models import Item, RecordStatus
from tests.factories import PASSWORD, a_draft, clerk_of

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), path("", include("config.urls"))]


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


def test_a_form_too_large_to_read_is_refused_on_a_styled_page():
    # More text than a form may carry (DATA_UPLOAD_MAX_MEMORY_SIZE): Django refuses the request before any view.
    text = "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1)
    response = Client().post("/accounts/login/", {"username": "clerk", "password": text})
    assert response.status_code == 400
    page = response.content.decode()
    _styled_chinese(page)
    assert "请求无法处理" in page and "内容过大" in page
    assert "Bad Request" not in page


def _api_error(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"]
    return body["detail"]


@override_settings(ROOT_URLCONF=__name__)
def test_api_requests_no_endpoint_answers_get_the_apis_json_not_a_page(client):
    client.force_login(clerk_of("zuren"))
    # An address no endpoint has, as a client with a wrong path meets it; the same body as an endpoint's own 404.
    assert _api_error(client.get("/api/v1/no-such-endpoint/"), 404) == "未找到。"
    assert _api_error(client.get("/api/v1/records/999999999/"), 404) == "未找到。"
    # A body larger than the limit, refused before the endpoint reads it.
    too_large = '{"note": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    records = f"/api/v1/items/{Item.objects.order_by('no').first().no}/records/"
    assert _api_error(client.post(records, too_large, content_type="application/json"), 400) == "错误的请求。"
    # An unexpected error in an API request.
    failing = Client(raise_request_exception=False)
    assert _api_error(failing.get("/api/v1/boom/"), 500) == "服务器出现了错误。"
    # Pages keep their HTML error pages.
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]


def test_a_post_only_address_opened_directly_says_that_nothing_was_done(client):
    record, clerk = a_draft()
    client.force_login(clerk)
    # The 提交审核 button's address, from a bookmark or the browser's history; the sign-out button's, typed in.
    for address in (f"/workspace/records/{record.pk}/submit/", "/accounts/logout/"):
        response = client.get(address)
        assert response.status_code == 405 and "POST" in response["Allow"]
        page = response.content.decode()
        _styled_chinese(page)
        assert "不能直接打开" in page and "没有更改任何数据" in page
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    assert client.get("/workspace/").status_code == 200  # still signed in
    # The API's 405 stays its JSON.
    assert _api_error(client.get(f"/api/v1/records/{record.pk}/submit/"), 405)


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
