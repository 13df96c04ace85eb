"""Settings shared by every environment. Anything secret or host-specific comes from the environment."""

from config.env import BASE_DIR, env
from config.settings.nodes import media_storages, replica_databases
from config.settings.publicity import postgres_apps
from config.settings.security import security_apps

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens stored hashed; its model is swapped for accounts.ApiToken (KNOX_TOKEN_MODEL)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.third_party_apps.BeatConfig",  # django_celery_beat, its task field named in Chinese
    "import_export",
    "simple_history",
    "accounts",
    "credit",
    "reporting",
    "publicity",
    "oversight",
    "vetting",
    "audit",
    "demo",
]

# The whole chain in its order; the security middleware's reasons are in config/settings/security.py and
# docs/security.md.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Full ID numbers never reach a cache (core.privacy).
    "core.privacy.PrivateResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before everything that reads the body.
    "accounts.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public reads from the replica, when there is one (core/replica.py); asks who is signed in.
    "core.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page's address asked with a method it does not take: the portal's 405 page, not an empty one.
    "core.error_pages.MethodNotAllowedPageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "audit.middleware.AuditDeniedMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    "accounts.middleware.RoleSeparationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns its lockout exception into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The footer's 网站标识码 / ICP / 公安备案 numbers (config/settings/publicity.py).
                "publicity.context_processors.site_identity",
                # Who owns the form drafts kept in the browser tab (static/core/drafts.js).
                "accounts.context_processors.draft_owner",
            ],
        },
    },
]

# Embedded default: SQLite beside the project when DATABASE_URL is unset.
DATABASES = {"default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0)
# The covering index ``record_scope`` (credit.Record) is for PostgreSQL; SQLite builds it on its key alone, as intended,
# and says so on every ``migrate`` (models.W040), which would be the first thing ``make demo`` prints.
SILENCED_SYSTEM_CHECKS = []
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    # Several requests at once (the demo server's processes and threads): a transaction that reads, then writes (an
    # audit entry: the chain's head, then the entry after it) took SQLite's write lock only at its first write, and
    # when another such transaction had read meanwhile, SQLite refused one at once ("database is locked", a 500 on the
    # sign-in page; tests/audit/test_concurrent_appends.py). Each transaction takes the write lock when it begins,
    # waiting up to 20 s for it: SQLite's counterpart of the chain's advisory lock on PostgreSQL (audit.chain).
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# With DATABASE_REPLICA_URL, a streaming replica for anonymous public reads (config/settings/nodes.py, core/replica.py).
DATABASES.update(replica_databases(DATABASES["default"]))

# Apps that the components bring, after the project's own: pg_trgm search on PostgreSQL, the security stack.
INSTALLED_APPS = [*INSTALLED_APPS, *postgres_apps(DATABASES), *security_apps()]

# Redis serves the cache and Celery (broker, results); without it, a local cache and in-process tasks.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # One redis-py client per connection pool, not one per cache operation (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/workspace/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Key of the files at rest (core.files, STORAGES["private"]): 32 random bytes, URL-safe base64, kept apart from
# FIELD_ENCRYPTION_KEY and from the backups. Required in production; elsewhere derived from SECRET_KEY. Generate with:
#   python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"
FILE_ENCRYPTION_KEY = env("FILE_ENCRYPTION_KEY", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files holding personal data (export batches, kept import uploads and error copies, evidence): encrypted at rest
    # under FILE_ENCRYPTION_KEY, in MEDIA_ROOT but never served by URL (core/files.py).
    "private": {"BACKEND": "core.files.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# MEDIA_STORAGE=s3: both in an S3-compatible bucket instead (config/settings/nodes.py).
STORAGES = media_storages(STORAGES)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's own logging, plus: a refused request (4xx) is one line, without the traceback of its PermissionDenied.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_error_without_traceback": {"()": "core.logging.ClientErrorWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_error_without_traceback"]},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="credit@jyj.nc.gov.cn")

from config.settings.api import *  # noqa: E402,F403
from config.settings.celery import *  # noqa: E402,F403
from config.settings.credit import *  # noqa: E402,F403
from config.settings.nodes import *  # noqa: E402,F403
from config.settings.publicity import *  # noqa: E402,F403
from config.settings.reporting import *  # noqa: E402,F403
from config.settings.security import *  # noqa: E402,F403
