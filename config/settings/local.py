"""The embedded default for a first run: SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

# Off unless asked for (DEBUG=true): the demo shows the portal's own error pages, never Django's debug pages with
# every URL pattern; WhiteNoise serves the collected static files (``make demo`` runs collectstatic first).
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
