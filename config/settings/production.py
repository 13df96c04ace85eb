"""Deployment settings: refuse to start without secrets, hosts, PostgreSQL and Redis."""

import base64

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
ALLOWED_HOSTS = [h for h in _required("ALLOWED_HOSTS").split(",") if h]
DATABASES = {"default": env.db_url_config(_required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES.update(replica_databases(DATABASES["default"]))  # noqa: F405 (config/settings/nodes.py)
if not REDIS_URL:  # noqa: F405 (base.py reads it and sets the Redis cache and the Celery broker from it)
    raise ImproperlyConfigured("REDIS_URL must be set in the environment for production")
FIELD_ENCRYPTION_KEY = _required("FIELD_ENCRYPTION_KEY")  # ID numbers at rest (credit.crypto)
FILE_ENCRYPTION_KEY = _required("FILE_ENCRYPTION_KEY")  # batch, import and evidence files at rest (core.files)
if FILE_ENCRYPTION_KEY == FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured("FILE_ENCRYPTION_KEY must differ from FIELD_ENCRYPTION_KEY")
try:
    _file_key_length = len(base64.urlsafe_b64decode(FILE_ENCRYPTION_KEY.encode()))
except ValueError:
    _file_key_length = 0
if _file_key_length != 32:
    raise ImproperlyConfigured("FILE_ENCRYPTION_KEY must be 32 random bytes in URL-safe base64")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from any client that reaches gunicorn. The scheme
# is wsgi.url_scheme, which gunicorn sets from that header only for FORWARDED_ALLOW_IPS (config/gunicorn.conf.py).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)

LOGGING = {
    **LOGGING,  # noqa: F405 - base.py's: a refused request (4xx) is logged without a traceback
    "root": {"handlers": ["console"], "level": "INFO"},
}
