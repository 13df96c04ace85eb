"""Bulk corrections (更新已有记录): an upload whose rows update existing records, all or nothing.

Each row names the record it updates by its number (the optional leading column 记录编号) or, without that column,
by the item's natural key (the catalogue's ``natural_key``), among the records of the importing office that the clerk
may change. Every row is validated as in create mode, then applied through the same service as a single correction
on the record's page: ``record_update`` for a draft or returned record (in place, submitted with the import's
``submit``), ``record_withdraw`` + ``record_update(submit=True)`` for a submitted one (back to review, as the
record's page does it), ``record_change_propose`` for an approved one (a change request, reviewed as today; the
approved, published values stay until a reviewer approves it). A submitted or approved record needs the reason
column (变更理由). Any error anywhere and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditOutcome
from core.errors import NON_FIELD, DomainError
from credit.models import Record, RecordStatus
from credit.selectors import records_in_force
from credit.services.records import record_change_propose, record_update, record_withdraw, serialise_item_writes
from reporting.columns import (
    BUSINESS_DATE_KEY,
    CHANGE_REASON_COLUMN,
    NATURAL_KEYS,
    RECORD_NUMBER_COLUMN,
    UPDATE_LEADING_COLUMNS,
)
from reporting.imports.importer import ImportResult, RecordImporter
from reporting.imports.reader import ImportRejected, cell_input, read_sheet, shown
from reporting.imports.rows import ROW_LEVEL, CellError, RecordRowValidator, _key_part
from reporting.models import ImportOutcome

# The records whose correction goes through review and therefore needs a reason.
_REVIEWED = {RecordStatus.SUBMITTED, RecordStatus.APPROVED}


class UpdateRowValidator(RecordRowValidator):
    """Create mode's row validation without its two refusals that concern stored records: in update mode a row
    matching a stored record is the point, and a changed subject name is checked by ``record_update`` itself (only
    when the row changes it). Keeps the valid rows with their numbers (``valid``) for matching."""

    valid: list[tuple[tuple, int, Record]]

    def _stored_duplicates(self, keyed):
        self.valid = keyed
        return []

    def _subject_name_conflicts(self, keyed):
        return []


@dataclass
class _Row:
    row_no: int
    cells: list[Any]  # the row as read: leading cells, then the template's
    data: dict[str, Any]  # the form input of the columns the file has
    reason: str
    record: Record | None = None


class RecordUpdater(RecordImporter):
    """Updates existing records of ``item`` of ``office`` from one upload by ``user`` (a clerk of that office)."""

    mode = "update"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validator = UpdateRowValidator(
            item=self.item,
            office=self.office,
            user=self.user,
            progress=kwargs.get("progress"),
            prepared=self.prepared,
        )
        self.model = self.validator.model
        self.columns = self.validator.columns
        self.leading: tuple[str, ...] = ()

    def run(self, data: bytes) -> ImportResult:
        """Read, validate, match and (when every row can be applied) apply ``data``; never raises for the clerk's
        mistakes."""
        self._check_office()
        result = ImportResult()
        try:
            sheet = read_sheet(data, item=self.item, max_rows=self.max_rows, leading=UPDATE_LEADING_COLUMNS)
        except ImportRejected as exc:
            return self._refused(result, str(exc))
        self.leading = result.leading = sheet.leading
        result.read = sheet.read
        result.total_rows = len(sheet.rows)
        result.rows = sheet.rows
        if not sheet.rows:
            return self._refused(result, _("文件中没有数据行：请在表头下方逐行填写要更新的记录。"))
        lead = len(sheet.leading)
        _records, errors = self.validator.validate([(row_no, cells[lead:]) for row_no, cells in sheet.rows])
        for error in errors:
            if error.col_index is not None:
                error.col_index += lead
        valid = {row_no for _key, row_no, _record in self.validator.valid}
        rows = {row_no: self._row(row_no, cells, read=sheet.read) for row_no, cells in sheet.rows if row_no in valid}
        if RECORD_NUMBER_COLUMN in sheet.leading:
            errors += self._match_by_number(rows)
        else:
            errors += self._match_by_natural_key(rows)
        errors += self._reasons_missing(rows)
        if not errors:
            ordered = [rows[r] for r in sorted(rows)]
            applied, errors = self.apply(ordered)
            if not errors:
                result.records = [record for record, _outcome, _change in applied]
                result.updated = [
                    {"row": row.row_no, "record": record.pk, "outcome": str(outcome), "change": change}
                    for row, (record, outcome, change) in zip(ordered, applied, strict=True)
                ]
        errors.sort(key=lambda e: (e.row, e.col_index if e.col_index is not None else -1))
        result.errors = errors
        if errors:
            result.records, result.updated = [], []
            self._audit(outcome=AuditOutcome.FAILURE, rows=len(sheet.rows), errors=len(errors))
        return result

    # --- reading ---------------------------------------------------------------------------------------------------

    def _row(self, row_no: int, cells: list[Any], *, read: int) -> _Row:
        lead = len(self.leading)
        data: dict[str, Any] = {}
        for column, raw in zip(self.columns[:read], cells[lead : lead + read], strict=True):
            value, _problem = cell_input(column, raw)  # a refused cell is already an error of this row
            if column.key == BUSINESS_DATE_KEY and value in ("", None):
                continue  # the record keeps its business date
            data[column.key] = value
        reason = ""
        if CHANGE_REASON_COLUMN in self.leading:
            reason = shown(cells[self.leading.index(CHANGE_REASON_COLUMN)]).strip()
        return _Row(row_no=row_no, cells=cells, data=data, reason=reason)

    def _leading_error(self, row: _Row, name: str, reason: str) -> CellError:
        index = self.leading.index(name) if name in self.leading else None
        value = shown(row.cells[index]) if index is not None else ""
        return CellError(row.row_no, name, value, reason, index)

    # --- matching ----------------------------------------------------------------------------------------------------

    def _candidates(self):
        """The records a row may update: of the item and the importing office, that the clerk may change, not revoked
        or expired. Any other record, another office's above all, is "not found": the message must not tell a clerk
        that another office holds a record of that person."""
        return records_in_force(self.model, self.user, "change").filter(item=self.item, office=self.office)

    def _not_found(self) -> str:
        return _("没有找到可更新的记录：本处室（%(office)s）没有这条“%(item)s”记录，或该记录已撤销、已过期") % {
            "office": self.office.name,
            "item": self.item.name,
        }

    def _match_by_number(self, rows: dict[int, _Row]) -> list[CellError]:
        errors: list[CellError] = []
        index = self.leading.index(RECORD_NUMBER_COLUMN)
        wanted: dict[int, _Row] = {}
        for row in rows.values():
            raw = row.cells[index]
            text = shown(raw).strip()
            if not text:
                errors.append(self._leading_error(row, RECORD_NUMBER_COLUMN, _("请填写要更新的记录编号")))
            elif not (text.isascii() and text.isdigit() and len(text) <= 18):
                errors.append(self._leading_error(row, RECORD_NUMBER_COLUMN, _("记录编号应为数字")))
            elif int(text) in wanted:
                first = wanted[int(text)].row_no
                errors.append(
                    self._leading_error(
                        row, RECORD_NUMBER_COLUMN, _("与本文件第 %(row)s 行是同一条记录") % {"row": first}
                    )
                )
            else:
                wanted[int(text)] = row
        found = {record.pk: record for record in self._candidates().filter(pk__in=list(wanted))}
        for pk, row in wanted.items():
            if pk in found:
                row.record = found[pk]
            else:
                errors.append(self._leading_error(row, RECORD_NUMBER_COLUMN, self._not_found()))
        return errors

    def _match_by_natural_key(self, rows: dict[int, _Row]) -> list[CellError]:
        """Each row to the one record whose natural key equals the row's (its values as the form cleaned them)."""
        keys = NATURAL_KEYS[self.item.no]
        # The error names the key's look-up column (the subject's identifier where the key holds it).
        _position, lead = self.validator.key_lead()
        column = next(i for i, c in enumerate(self.columns) if c.key == lead)
        wanted = {nkey: row_no for nkey, row_no, _record in self.validator.valid if row_no in rows}
        matches: dict[tuple, list[Record]] = {}
        for record in self.validator.stored_by_key(self._candidates(), wanted):
            nkey = tuple(_key_part(getattr(record, k)) for k in keys)
            if nkey in wanted:
                matches.setdefault(nkey, []).append(record)
        names = {c.key: c.name for c in self.columns}
        key_names = "、".join(names[k] for k in keys)
        errors = []
        lead = len(self.leading)
        for nkey, row_no in wanted.items():
            row = rows[row_no]
            found = matches.get(nkey, [])
            if len(found) == 1:
                row.record = found[0]
                continue
            if not found:
                reason = self._not_found() + _("（按 %(fields)s 查找）") % {"fields": key_names}
            else:
                reason = _(
                    "本处室有 %(n)s 条记录的 %(fields)s 与本行相同（记录 %(ids)s），无法确定更新哪一条：请在第一列前加"
                    "“%(column)s”列，填写要更新的记录编号"
                ) % {
                    "n": len(found),
                    "fields": key_names,
                    "ids": "、".join(str(r.pk) for r in sorted(found, key=lambda r: r.pk)),
                    "column": RECORD_NUMBER_COLUMN,
                }
            errors.append(
                CellError(row_no, self.columns[column].name, shown(row.cells[lead + column]), reason, lead + column)
            )
        return errors

    def _reasons_missing(self, rows: dict[int, _Row]) -> list[CellError]:
        """A submitted or approved record is corrected through review, which needs the reason (变更理由)."""
        errors = []
        for row in rows.values():
            if row.record is not None and row.record.status in _REVIEWED and not row.reason:
                errors.append(
                    self._leading_error(
                        row,
                        CHANGE_REASON_COLUMN,
                        _(
                            "记录 %(id)s 当前状态为“%(status)s”，修改须经审核：请在“%(column)s”列填写变更理由"
                            "（没有该列时请在第一列前加上）"
                        )
                        % {
                            "id": row.record.pk,
                            "status": row.record.get_status_display(),
                            "column": CHANGE_REASON_COLUMN,
                        },
                    )
                )
        return errors

    # --- applying ----------------------------------------------------------------------------------------------------

    @transaction.atomic
    def apply(self, rows: list[_Row]) -> tuple[list[tuple[Record, str, int | None]], list[CellError]]:
        """Apply every row through the record services in one transaction, rolled back if any row is refused."""
        applied: list[tuple[Record, str, int | None]] = []
        errors: list[CellError] = []
        serialise_item_writes(self.item.pk)  # before any record's row lock (withdraw locks one before updating it)
        for row in rows:
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves the transaction usable
                    applied.append(self._apply(row))
            except DomainError as exc:
                errors += self._service_errors(row, exc)
            except PermissionDenied as exc:
                errors.append(CellError(row.row_no, ROW_LEVEL, "", str(exc) or _("您无权修改该记录。")))
        if errors:
            transaction.set_rollback(True)
            return [], errors
        self._audit(outcome=AuditOutcome.SUCCESS, rows=len(applied), errors=0)  # same transaction as the updates
        return applied, []

    def _apply(self, row: _Row) -> tuple[Record, str, int | None]:
        record = row.record
        if record.status == RecordStatus.APPROVED:
            change = record_change_propose(record=record, user=self.user, data=row.data, note=row.reason)
            return record, ImportOutcome.CHANGE, change.pk
        if record.status == RecordStatus.SUBMITTED:
            record = record_withdraw(record=record, user=self.user, reason=row.reason)
            record = record_update(record=record, user=self.user, data=row.data, submit=True)
            return record, ImportOutcome.RESUBMITTED, None
        record = record_update(record=record, user=self.user, data=row.data, submit=self.submit)
        return record, (ImportOutcome.SUBMITTED if self.submit else ImportOutcome.UPDATED), None

    def _service_errors(self, row: _Row, exc: DomainError) -> list[CellError]:
        """The service's refusal of one row, under the columns its field keys name."""
        lead = len(self.leading)
        index = {column.key: i for i, column in enumerate(self.columns)}
        errors = []
        for key, messages in exc.errors.items():
            if key == "confirm_subject_name":
                name_key = self.model.SUBJECT_NAME_FIELD
                i = index.get(name_key)
                reason = _(
                    "该证件号码或代码对应的信用主体登记的名称与本行不同。批量导入不能确认主体名称不同：请核对名称和号码，"
                    "或在记录页面逐条修改并确认。"
                )
                if i is not None:
                    errors.append(
                        CellError(row.row_no, self.columns[i].name, shown(row.cells[lead + i]), reason, lead + i)
                    )
                    continue
                errors.append(CellError(row.row_no, ROW_LEVEL, "", reason))
                continue
            reason = "；".join(messages)
            if key in index and key != NON_FIELD:
                i = index[key]
                errors.append(CellError(row.row_no, self.columns[i].name, shown(row.cells[lead + i]), reason, lead + i))
            else:
                prefix = _("记录 %(id)s：") % {"id": row.record.pk}
                errors.append(CellError(row.row_no, ROW_LEVEL, "", prefix + reason))
        return errors
