"""Batch import of a filled upload template (批量导入): read safely, validate every row, save all or nothing.

Reading is ``reader``, row validation ``rows``; a valid file is saved in one transaction by credit's
``records_create_bulk`` (what ``record_create`` does, set-wise), together with the import's audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from credit.models import Item, Office, Record
from credit.services.records import clerk_offices_for, serialise_item_writes
from credit.services.records_bulk import PreparedValues, records_create_bulk
from reporting.imports.reader import ImportRejected, read_sheet
from reporting.imports.rows import CellError, ProgressCallback, RecordRowValidator

# The history rows of imported records say where they came from.
IMPORT_CHANGE_REASON = "批量导入"


@dataclass
class ImportResult:
    total_rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    message: str = ""  # a file-level problem (not .xlsx, macro, wrong header)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list, repr=False)  # as read, for the error copy
    # The template's columns the file had (the Annex 1 ones and the first few optional ones, ``Sheet.read``): the
    # error copy has these and no others, so that a column the clerk left out stays left out when it is uploaded again.
    read: int = 0
    # Update mode: the leading columns the file had, and per row {"row", "record", "outcome", "change"}.
    leading: tuple[str, ...] = ()
    updated: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.message and not self.errors


class RecordImporter:
    """Imports one filled upload template of ``item`` for ``office`` as ``user`` (a clerk of that office)."""

    mode = "create"  # the audit entry's; ``RecordUpdater`` (update mode) says "update"

    def __init__(
        self,
        *,
        item: Item,
        office: Office,
        user,
        submit: bool = False,
        business_date: datetime.date | None = None,
        progress: ProgressCallback | None = None,
        max_rows: int | None = None,
        job=None,
        request=None,
    ):
        self.item = item
        # The audit entry names the import job when there is one (workspace, API), else the item (command line).
        self.job = job
        self.request = request
        self.office = office
        self.user = user
        self.submit = submit
        self.max_rows = max_rows
        # One cache of prepared values (encrypted ID numbers) for the duplicate look-ups and the inserts.
        self.prepared = PreparedValues()
        self.validator = RecordRowValidator(
            item=item, office=office, user=user, business_date=business_date, progress=progress, prepared=self.prepared
        )

    def run(self, data: bytes) -> ImportResult:
        """Read, validate and (when every row is valid) save ``data``; never raises for the clerk's mistakes."""
        self._check_office()
        result = ImportResult()
        try:
            sheet = read_sheet(data, item=self.item, max_rows=self.max_rows)
        except ImportRejected as exc:
            return self._refused(result, str(exc))
        rows = sheet.rows
        result.read = sheet.read
        result.total_rows = len(rows)
        result.rows = rows
        if not rows:
            return self._refused(result, _("文件中没有数据行：请在表头下方逐行填写记录。"))
        records, errors = self.validator.validate(rows)
        result.errors = errors
        if errors:
            # Counts only: the rejected values may be ID numbers, which the audit log must not hold.
            self._audit(outcome=AuditOutcome.FAILURE, rows=len(rows), errors=len(errors))
            return result
        with transaction.atomic():
            # The rows were checked against the stored records before this lock: a record of the same decision saved
            # meanwhile (on the form, or by the same file uploaded twice at once) refuses its row now, as it would
            # have then; the form takes the same lock, so nothing slips in between this look and the inserts.
            serialise_item_writes(self.item.pk)
            if late := self.validator.stored_duplicates_now():
                result.errors = late
                self._audit(outcome=AuditOutcome.FAILURE, rows=len(rows), errors=len(late))
                return result
            result.records = self.save(records)
        return result

    def _refused(self, result: ImportResult, message: str) -> ImportResult:
        """The whole file refused (unreadable, or no rows): the message for the clerk, one failure in the audit log."""
        result.message = message
        self._audit(outcome=AuditOutcome.FAILURE, rows=0, errors=1, reason=message)
        return result

    def _check_office(self) -> None:
        if not any(o.pk == self.office.pk for o in clerk_offices_for(self.user, self.item)):
            raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": self.item.name})

    @transaction.atomic
    def save(self, records: list[Record]) -> list[Record]:
        """Create the validated records and write the import's audit entry, in one transaction."""
        if not records:
            return []
        saved = records_create_bulk(
            item=self.item,
            office=self.office,
            user=self.user,
            records=records,
            submit=self.submit,
            change_reason=IMPORT_CHANGE_REASON,
            prepared=self.prepared,
        )
        self._audit(outcome=AuditOutcome.SUCCESS, rows=len(saved), errors=0)  # same transaction as the rows
        return saved

    def _audit(self, *, outcome: str, rows: int, errors: int, reason: str = "") -> None:
        detail: dict[str, Any] = {
            "item": self.item.no,
            "office": self.office.code,
            "rows": rows,
            "errors": errors,
            "submit": self.submit,
        }
        if self.mode != "create":
            detail["mode"] = self.mode
        if reason:
            detail["reason"] = reason[:500]
        audit_log(
            request=self.request,
            user=self.user,
            action=AuditAction.IMPORT,
            obj=self.job if self.job is not None else self.item,
            outcome=outcome,
            detail=detail,
        )
