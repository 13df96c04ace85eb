"""Logging filters of the project."""

from __future__ import annotations

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Keeps a refused request (403, 404, any 4xx) to its one warning line: Django logs the PermissionDenied or Http404
    behind it with its traceback, which says nothing about a refusal working as meant and buries real errors (every
    denied page printed a full traceback). Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
