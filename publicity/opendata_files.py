"""The full open-data CSVs as files, written by a Celery task, so a download never holds a worker that serves pages.

A full list at a million records takes seconds to read and write; streamed from the view, four downloads at once took
four page workers for that long. Instead each list's CSV is written to ``PUBLICITY_OPEN_DATA_DIR`` (default
``MEDIA_ROOT/open-data``, shared by web and worker like the media) by ``publicity.write_open_data``, with a small JSON
beside it naming the data version it was written from (the list's page-cache version, ``publicity.pagecache``) and
its Beijing date. A change to a list (``publicity.receivers``) queues the task once per
``PUBLICITY_OPEN_DATA_DEBOUNCE_SECONDS`` after the change commits; a download that finds its file stale (another
version, or written on an earlier day: entries leave the lists at midnight) queues it too, and the nightly job
rewrites every list. Meanwhile the last file is served. The file is written beside the old one and renamed over it,
so a download in progress keeps reading the file it opened.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.transactions import on_commit_batched
from publicity import pagecache, selectors
from publicity.opendata import COLUMNS, cell_text, csv_safe

logger = logging.getLogger(__name__)

_PENDING = "publicity:opendata:pending:"
CHUNK = 2000


@dataclass(frozen=True)
class OpenDataFile:
    section: str
    path: Path
    version: str
    day: str  # the Beijing date it was written on, ISO
    generated_at: str  # Beijing time, ISO with offset
    rows: int

    @property
    def xlsx_path(self) -> Path:
        """The same rows as an Excel workbook, every cell text (an 18-digit credit code opened from the CSV in Excel
        became 1.13601E+17 and was saved with its last digits lost)."""
        return self.path.with_suffix(".xlsx")


def directory() -> Path:
    configured = settings.PUBLICITY_OPEN_DATA_DIR
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "open-data"


def _csv_path(section: str) -> Path:
    return directory() / f"{section}.csv"


def _meta_path(section: str) -> Path:
    return directory() / f"{section}.json"


def current(section: str) -> OpenDataFile | None:
    """The last file written for ``section``, fresh or not; None before the first one."""
    try:
        meta = json.loads(_meta_path(section).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = _csv_path(section)
    if not path.exists():
        return None
    return OpenDataFile(section, path, meta["version"], meta["day"], meta["generated_at"], meta["rows"])


def is_fresh(found: OpenDataFile | None) -> bool:
    if found is None:
        return False
    return found.day == timezone.localdate().isoformat() and found.version == pagecache.versions([found.section])[0]


def write(section: str) -> OpenDataFile:
    """Write the CSV of ``section`` as the public sees it now (the same rows and columns as the JSON, a BOM so Excel
    reads UTF-8) and the same rows as an .xlsx of text cells, then rename both into place."""
    # The version is read before the rows: a change committed while writing makes this file stale, not lost.
    version = pagecache.versions([section])[0]
    now, today = timezone.localtime(), timezone.localdate()
    target = directory()
    target.mkdir(parents=True, exist_ok=True)
    columns = COLUMNS[section]
    rows = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{section}-", suffix=".csv.part", dir=target)
    xfd, xtmp = tempfile.mkstemp(prefix=f".{section}-", suffix=".xlsx.part", dir=target)
    os.close(xfd)
    try:
        sheet = XlsxSheet(xtmp, [label for _k, label, _g in columns])
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write("\ufeff")
            writer = csv.writer(out)
            writer.writerow([label for _k, label, _g in columns])
            for entry in selectors.public_entries(section, today=today).iterator(chunk_size=CHUNK):
                values = [get(entry) for _k, _l, get in columns]
                writer.writerow([csv_safe(value) for value in values])
                sheet.add([cell_text(value) for value in values])
                rows += 1
        sheet.close()
        for path in (tmp, xtmp):
            os.chmod(path, 0o644)
        os.replace(xtmp, _csv_path(section).with_suffix(".xlsx"))
        os.replace(tmp, _csv_path(section))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        Path(xtmp).unlink(missing_ok=True)
        raise
    meta = {"version": version, "day": today.isoformat(), "generated_at": now.isoformat(timespec="seconds")}
    meta["rows"] = rows
    meta_tmp = _meta_path(section).with_suffix(".json.part")
    meta_tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(meta_tmp, _meta_path(section))
    return OpenDataFile(section, _csv_path(section), version, meta["day"], meta["generated_at"], rows)


class XlsxSheet:
    """One worksheet of text cells written row by row (xlsxwriter ``constant_memory``: a million rows in little
    memory): codes, dates and amounts stay exactly as the CSV has them, and nothing is read as a formula."""

    def __init__(self, target, header: list[str]) -> None:
        options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        # ``target``: a path, or a file object (a search's workbook, built in memory).
        self.book = xlsxwriter.Workbook(target, {**options, "strings_to_urls": False, "in_memory": False})
        self.sheet = self.book.add_worksheet("data")
        bold = self.book.add_format({"bold": True})
        for col, label in enumerate(header):
            self.sheet.set_column(col, col, max(12, min(40, 2 * len(label) + 2)))
            self.sheet.write_string(0, col, label, bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def add(self, values: list[str]) -> None:
        for col, value in enumerate(values):
            if value:
                self.sheet.write_string(self.row, col, value)
        self.row += 1

    def close(self) -> None:
        self.book.close()


def schedule(section: str, *, countdown: int | None = None) -> bool:
    """Queue the writing of ``section``'s file unless it is queued already (one task per debounce window)."""
    debounce = settings.PUBLICITY_OPEN_DATA_DEBOUNCE_SECONDS if countdown is None else countdown
    if not cache.add(_PENDING + section, 1, max(debounce, 1) + 600):
        return False
    try:
        write_open_data.apply_async(args=[section], countdown=debounce)
    except Exception:
        cache.delete(_PENDING + section)
        raise
    return True


def mark_written(section: str) -> None:
    """The task has started: a change from now on queues a new one."""
    cache.delete(_PENDING + section)


def sections_changed(sections) -> None:
    """Lists whose data changed: their files are rewritten once the change has committed (queued once per list,
    however many changes the transaction made)."""
    on_commit_batched("publicity.opendata", sections, _queue)


def _queue(sections: set[str]) -> None:
    for section in sorted(sections):
        try:
            schedule(section)
        except Exception:  # the broker is down: the next download finds its file stale and queues it again
            logger.exception("open data: the CSV of %s was not queued", section)


def freshest(section: str) -> OpenDataFile | None:
    """The file to serve for ``section``: queue a new one when it is stale, and serve the last one meanwhile (where
    tasks run in-process, as in the demo, the new one is written before this returns)."""
    found = current(section)
    if is_fresh(found):
        return found
    try:
        schedule(section, countdown=0)
    except Exception:
        logger.exception("open data: the CSV of %s was not queued", section)
    return current(section) or found


@shared_task(name="publicity.write_open_data")
def write_open_data(section: str) -> int:
    """Write the open-data CSV of ``section`` (queued by ``schedule``); answers its number of rows."""
    mark_written(section)
    if section not in selectors.SECTIONS:
        return 0
    found = current(section)
    if is_fresh(found):  # written meanwhile (the nightly rewrite, another node's task): of the current data already
        return found.rows
    return write(section).rows


def write_all_due() -> list[str]:
    """The nightly rewrite: every list whose file is not of today or of the current data."""
    done = []
    for section in selectors.SECTIONS:
        if not is_fresh(current(section)):
            mark_written(section)
            write(section)
            done.append(section)
    return done
