"""Django REST Framework, API tokens (django-rest-knox) and drf-spectacular."""

import datetime

from config.env import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.PortalTokenAuthentication",
    ],
    # Deny by default: every endpoint that is public says so itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Domain errors → 400/409, PermissionDenied → 403, Http404 → 404: no view catches them itself.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"],
}

# API tokens: django-rest-knox stores a SHA-512 digest of each key (never the key) in ``accounts.ApiToken``. A token
# expires API_TOKEN_TTL_DAYS after it was made (at least 1 day) and is never renewed by use; it also dies with its
# owner's password change, password expiry, deactivation and forced sign-out (accounts.authentication).
API_TOKEN_TTL_DAYS = max(1, env.int("API_TOKEN_TTL_DAYS", default=90))
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own model is swapped out; its migrations would still create an unused, empty ``knox_authtoken`` table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "南昌市教育局信用信息报送与公示平台 API",
    "DESCRIPTION": "信用信息事项、记录报送、工作日计算与公示数据接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Offline: Swagger UI and ReDoc assets come from drf-spectacular-sidecar, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
