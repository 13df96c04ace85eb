"""Scheduled jobs of the column (Celery beat: see the data migration that registers them)."""

from celery import shared_task

from publicity import opendata_files
from publicity.opendata_files import write_open_data  # noqa: F401  (registered here, where Celery looks for tasks)
from publicity.services.period_end import publications_end


@shared_task(name="publicity.end_publications")
def end_publications() -> dict[str, int]:
    """Daily: publications past their end leave the column (the queries already hide them) and are marked ended;
    revoked or expired records' publications are withdrawn and a correction is queued. Then the open-data files of
    the new day are written."""
    result = publications_end()
    result["open_data_written"] = len(opendata_files.write_all_due())
    return result
