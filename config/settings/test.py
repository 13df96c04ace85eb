"""Test settings: fast hasher, local cache unless the test run provides Redis, mail kept in memory."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Task bodies are unit-tested in-process; the real-worker test configures its own app.
CELERY_TASK_ALWAYS_EAGER = True

# Static files are served by the test server itself; WhiteNoise would only warn that STATIC_ROOT is not collected.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
