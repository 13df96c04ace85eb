"""What reporting adds to credit's record page (``credit.panels``): the batches that carried the record (报送记录)."""

from __future__ import annotations

from credit.panels import register_record_panel
from reporting.selectors import record_batches


def _batches(request, record) -> dict:
    return {"batches": record_batches(record)}


def register() -> None:
    register_record_panel(
        name="reporting-batches", slot="cards", template="reporting/record_batches.html", context=_batches
    )
