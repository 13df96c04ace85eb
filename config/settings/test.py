"""Test settings: fast hasher, local cache unless the test run provides Redis, mail kept in memory."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache outlives each test, and every test client posts from 127.0.0.1: the column's filing limits are set per
# test where they are the subject (tests/publicity/test_request_flood_limits.py).
PUBLICITY_REQUEST_LIMIT_PER_ADDRESS = PUBLICITY_REQUEST_LIMIT_GLOBAL = 1_000_000
PUBLICITY_REQUEST_CEILING_PER_ADDRESS = PUBLICITY_REQUEST_CEILING_GLOBAL = 1_000_000
# Task bodies are unit-tested in-process; the real-worker test configures its own app.
CELERY_TASK_ALWAYS_EAGER = True

# The suite's tests write in transactions a replica never sees: with DATABASE_REPLICA_URL set, only the tests about the
# replica route reads to it (tests/core/test_read_replica.py switches this on).
DATABASE_REPLICA_ROUTING = False

# Static files are served by the test server itself; WhiteNoise would only warn that STATIC_ROOT is not collected.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405

# The SQLite test database is a file kept between runs (``--reuse-db`` in pyproject.toml), so a run does not migrate a
# new database first. Its name carries a digest of the migrations and the seed data they load: adding, editing or
# removing either (a later checkout, another branch) names a new file, which pytest-django creates and migrates.
# A run started while another holds the kept files uses its own folder, named in the environment variable below for
# the xdist workers it starts (tests/kept_database.py).
KEPT_TEST_DATABASE_DIR = BASE_DIR / "var" / "test-db"  # noqa: F405
TEST_DATABASE_DIR_ENV = "NC_TEST_DATABASE_DIR"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405

    def _kept_test_database() -> str:
        import hashlib
        import os
        from pathlib import Path

        from config.env import BASE_DIR

        digest = hashlib.sha256()
        # Migrations and what data migrations load beside them (JSON copies in migrations/, seed data in fixtures/).
        for path in sorted([*BASE_DIR.glob("*/migrations/*.*"), *BASE_DIR.glob("fixtures/**/*.*")]):
            digest.update(str(path.relative_to(BASE_DIR)).encode() + b"\0" + path.read_bytes())
        directory = Path(os.environ.get(TEST_DATABASE_DIR_ENV) or KEPT_TEST_DATABASE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        return str(directory / f"{digest.hexdigest()[:12]}.sqlite3")

    DATABASES["default"]["TEST"] = {"NAME": _kept_test_database()}  # noqa: F405
