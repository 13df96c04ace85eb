"""Headers, deployment settings, error pages and request size limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_every_page(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client):
    from tests.factories import PASSWORD, UserFactory

    UserFactory(username="cookie")
    response = client.post("/accounts/login/", {"username": "cookie", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def _production_env(**extra) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "q7Vw!n2#Lr9$Kx4@Zp8&Tm3*Hs6^Bc1(Gd5)Fy0-Je7+Wu2=Ra4",
        "ALLOWED_HOSTS": "credit.jyj.nc.gov.cn",
        "DATABASE_URL": "postgres://credit@127.0.0.1:5432/credit",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "FIELD_ENCRYPTION_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw==",
        "FILE_ENCRYPTION_KEY": "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=",
        **extra,
    }


def test_production_settings_pass_the_deploy_security_checks():
    """Django's deployment checklist (HSTS, SSL redirect, secure cookies, secret key, DEBUG, hosts, frames).

    CI also runs the whole ``check --deploy --fail-level WARNING``, which includes the other apps' checks."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_short_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=_production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_values():
    from importlib import import_module

    env = _production_env()
    old = dict(os.environ)
    os.environ.update(env)
    import sys as _sys

    # As in a fresh process: base.py reads the environment too (REDIS_URL), so it is imported anew and put back after.
    loaded = {name: module for name, module in _sys.modules.items() if name.startswith("config.settings.")}
    try:
        for name in loaded:
            del _sys.modules[name]
        prod = import_module("config.settings.production")
    finally:
        os.environ.clear()
        os.environ.update(old)
        for name in [n for n in _sys.modules if n.startswith("config.settings.")]:
            del _sys.modules[name]
        _sys.modules.update(loaded)
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and prod.SECURE_SSL_REDIRECT


@override_settings(ROOT_URLCONF="tests.security.error_urls", DEBUG=False)
def test_error_pages_are_chinese_and_never_show_a_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500 and "系统错误" in body
    assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body
    response = client.get("/forbidden/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_oversized_requests_are_refused_before_parsing(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = client.post("/accounts/login/", data=b"x" * 2048, content_type="application/octet-stream")
    assert response.status_code == 413
    page = response.content.decode()  # the portal's error page, not a line of plain text
    assert response["Content-Type"].startswith("text/html") and "/static/publicity/site.css" in page
    assert "上传内容过大" in page and "没有保存任何内容" in page and "您可以" in page
    response = client.post("/api/v1/items/8/records/", data=b"x" * 2048, content_type="application/json")
    assert response.status_code == 413 and "上传内容过大" in response.json()["detail"]


def test_upload_limits_are_sane():
    from django.conf import settings

    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.REQUEST_BODY_MAX_BYTES <= 50 * 1024 * 1024
