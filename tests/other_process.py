"""What a process a test starts (a gunicorn node, the demo server) needs to reach the test database."""

from __future__ import annotations

from urllib.parse import quote


def postgres_url(settings_dict: dict) -> str:
    """``DATABASE_URL`` of the PostgreSQL database a connection's ``settings_dict`` names (after the test runner's set-up:
    the test database), user and password quoted."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
