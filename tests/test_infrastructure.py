"""The infrastructure itself: PostgreSQL, Redis, /healthz, the production settings' refusals, and the browser."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEY",
    "FILE_ENCRYPTION_KEY",
)
PRODUCTION_ENV = {
    "SECRET_KEY": "test-only-dummy-key-0123456789-abcdefghijklmnopqrstuvwxyz-not-secret",
    "ALLOWED_HOSTS": "credit.example.gov.cn",
    "DATABASE_URL": "postgres://credit@db.invalid:5432/credit",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "FIELD_ENCRYPTION_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw==",
    "FILE_ENCRYPTION_KEY": "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=",
}
START_PRODUCTION = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.production'; django.setup()"
)


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_in_utf8_with_c_collation():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 + 1")
        assert cursor.fetchone() == (2,)
        # Django creates the test database from the cluster's template, so this is the cluster's locale too.
        cursor.execute(
            "SELECT datcollate, datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        )
        assert cursor.fetchone() == ("C.UTF-8", "C.UTF-8", "UTF8")


@pytest.mark.redis
def test_redis_cache_round_trip():
    from core.cache import RedisCache

    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-infrastructure-{uuid.uuid4().hex}"})
    try:
        value = {"office": "南昌市教育局", "count": 3}
        assert cache.get("probe") is None
        cache.set("probe", value, timeout=30)
        assert cache.get("probe") == value
        assert cache.delete("probe") is True
        assert cache.get("probe") is None
    finally:
        cache.close()


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] in {"ok", "in-process"}


def _start_production(*, without: str = "", **overrides: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with exactly PRODUCTION_ENV (less ``without``)."""
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_REQUIRED and k != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION_ENV, **overrides)
    env.pop(without, None)
    return subprocess.run(
        [sys.executable, "-c", START_PRODUCTION],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("name", PRODUCTION_REQUIRED)
def test_production_settings_refuse_to_start_without(name):
    # (A developer's own .env file would fill the variable in: config/env.py reads it. CI's clean clone has none.)
    result = _start_production(without=name)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_settings_refuse_a_short_secret_key():
    result = _start_production(SECRET_KEY="too-short-for-production")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_file_key_that_is_the_field_key_or_malformed():
    same = _start_production(FILE_ENCRYPTION_KEY=PRODUCTION_ENV["FIELD_ENCRYPTION_KEY"])
    short = _start_production(FILE_ENCRYPTION_KEY="c2hvcnQ=")

    assert same.returncode != 0 and "FILE_ENCRYPTION_KEY must differ" in same.stderr
    assert short.returncode != 0 and "FILE_ENCRYPTION_KEY must be 32 random bytes" in short.stderr


def test_production_settings_start_with_everything_set():
    result = _start_production()

    assert result.returncode == 0, result.stderr


@pytest.mark.browser
def test_chromium_reads_healthz_from_the_live_server(live_server, page):
    response = page.goto(f"{live_server.url}/healthz")

    assert response is not None and response.status == 200
    body = json.loads(page.locator("body").inner_text())
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_openapi_schema_generates_without_warnings():
    """Every endpoint documents itself: schema generation (also run by check --deploy) raises no warning."""
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--file", os.devnull],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
