"""Security settings (MLPS 2.0 / 等保2.0 level 2, OWASP ASVS level 2). Imported at the end of base.py, which also
lists the security middleware in its place in the chain (body limit, CSP, OTP, session timeout, denied-request
audit, password expiry, role separation, lockout); production-only switches (HSTS, secure cookies) are in
production.py. See docs/security.md for the reasons and the deviations."""

import datetime

from config.env import env


def security_apps() -> list[str]:
    """Lockout, second factor, database triggers (the append-only audit log) and CSP (for base.py's INSTALLED_APPS)."""
    # Named in Chinese in the admin (config/third_party_apps.py); the same apps and labels.
    return [
        "config.third_party_apps.AxesConfig",
        "django_otp",
        "config.third_party_apps.TOTPConfig",
        "config.third_party_apps.StaticOTPConfig",
        "pgtrigger",
        "csp",
    ]


# --- Authentication --------------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# 等保2.0: ≥ 8 characters of ≥ 3 classes, not the username, not a common or locally predictable password, none of
# the last 5; changed every 90 days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_validation.ComplexityValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "accounts.password_validation.UsernameNotContainedValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.LocalPatternValidator", "OPTIONS": {"min_other": 4}},
    {"NAME": "accounts.password_validation.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
    {"NAME": "accounts.signals.PasswordChangeAuditor"},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)

# Lockout (accounts.lockout): 5 failures lock an account *from that address* only (no one can lock an administrator
# out from everywhere); 20 failures from one address, whatever the usernames, lock the address (password spraying).
# 30 minutes; a successful sign-in clears only that account's failures from that address.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_HANDLER = "accounts.lockout.AccountAndAddressLockoutHandler"
AXES_FAILURE_LIMIT = 5
PORTAL_ADDRESS_FAILURE_LIMIT = env.int("PORTAL_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
# Order matters to accounts.lockout: the account key first, the address second.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
AXES_VERBOSE = False

# Sessions: idle 30 minutes, absolute 12 hours (accounts.middleware.SessionTimeoutMiddleware); the cookie dies with
# the browser; the key is rotated at sign-in by Django and the session flushed at sign-out.
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"

# TOTP second factor for admins who registered a device (django-otp).
OTP_TOTP_ISSUER = "南昌市教育局信用信息平台"
# An existing device's secret (key, configuration URL, QR code) is never shown in the admin, not even to the security
# admin: each admin binds their own device at /admin/two-factor/, where only they see the secret, once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Headers ---------------------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        # No inline scripts, no eval: every script is a file under /static/.
        "script-src": [_SELF],
        # Inline style *attributes* remain allowed (the Django admin and Swagger UI set some); styles cannot run code.
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}

# --- Uploads ---------------------------------------------------------------------------------------------------------
# Form fields (not files) held in memory per request; the batch-import workbook goes through FILE_UPLOAD_* and the
# reporting app's own size check. Whole requests above REQUEST_BODY_MAX_BYTES are refused (413) before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=25 * 1024 * 1024)

# --- Audit log -------------------------------------------------------------------------------------------------------
# Events are kept at least this long (等保2.0: ≥ 6 months); ``manage.py audit_purge`` deletes only older ones.
AUDIT_RETENTION_DAYS = max(180, env.int("AUDIT_RETENTION_DAYS", default=180))
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks); empty: REMOTE_ADDR only.
AUDIT_TRUSTED_PROXIES = env.list("AUDIT_TRUSTED_PROXIES", default=[])
