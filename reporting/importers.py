"""Batch import of a filled upload template (批量导入): read safely, validate every row, save all or nothing.

Every row goes through the item's record form (``credit.registry.form_for_item``), the same validation as the
browser form and the API, after the spreadsheet's cell types are turned into what a clerk would have typed (Excel
numbers → digits, Excel dates → dates; numeric ID cells whose digits Excel already lost are refused). All problems
are collected before anything is saved; one bad row saves nothing. A valid file is saved in one transaction by a bulk
path that performs ``credit.services.records.record_create``'s derivations (due date, validity end, subject, history,
lifecycle event) set-wise instead of row by row.
"""

from __future__ import annotations

import copy
import datetime
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from credit.models import Item, Office, Record, RecordStatus, Subject
from credit.models.lifecycle import EventAction, RecordEvent
from credit.registry import form_for_item, model_for_item
from credit.services.calendar import item_due_date
from credit.services.records import _validity_end, clerk_offices_for
from reporting.columns import NATURAL_KEYS, Column, template_columns, template_headers
from reporting.xlsx_safety import UnsafeWorkbook, check_xlsx

ProgressCallback = Callable[[int, int], None]
ROW_LEVEL = ""  # column name of an error that concerns the whole row


@dataclass
class CellError:
    """One problem: Excel row number (header = 1), column name ('' for the whole row), the cell's value, the reason."""

    row: int
    column: str
    value: str
    reason: str
    col_index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportResult:
    total_rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    message: str = ""  # a file-level problem (not .xlsx, macro, wrong header)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list, repr=False)  # as read, for the error copy

    @property
    def ok(self) -> bool:
        return not self.message and not self.errors


class ImportRejected(Exception):
    """The file as a whole cannot be imported (unsafe, unreadable, wrong header); ``str(exc)`` is the message."""


def _digits_text(number: float) -> str:
    if number.is_integer():
        return str(int(number))
    return repr(number)


class RecordImporter:
    """Imports one filled upload template of ``item`` for ``office`` as ``user`` (a clerk of that office)."""

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
        # Items 3, 5 and 6 have no date field of their own: their business date is the import date unless given.
        self.business_date = business_date
        self.progress = progress or (lambda done, total: None)
        self.model = model_for_item(item.no)
        self.form_class = _shared_fields_form(form_for_item(item.no))
        self.columns: tuple[Column, ...] = template_columns(item.no)
        self.max_rows = max_rows

    # -- reading -------------------------------------------------------------------------------------------------

    def read(self, data: bytes) -> list[tuple[int, list[Any]]]:
        """(Excel row number, cells) of every non-empty data row; raises ImportRejected for file-level problems."""
        try:
            check_xlsx(data)
        except UnsafeWorkbook as exc:
            raise ImportRejected(str(exc)) from exc
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = workbook.get_sheet_by_index(0)
            table = sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError, IndexError, OSError) as exc:
            raise ImportRejected(_("无法读取工作簿：%(error)s") % {"error": exc}) from exc
        if not table:
            raise ImportRejected(_("第一个工作表是空的：请在上传模板的第一个工作表中填写。"))
        self._check_header(table[0])
        width = len(self.columns)
        rows = []
        for index, cells in enumerate(table[1:], start=2):
            cells = list(cells[:width]) + [""] * (width - len(cells))
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            rows.append((index, cells))
        limit = self.max_rows
        if limit is None:
            from django.conf import settings

            limit = settings.REPORTING_IMPORT_MAX_ROWS
        if len(rows) > limit:
            raise ImportRejected(
                _("数据行过多（%(n)s 行，上限 %(max)s 行），请分批导入。") % {"n": len(rows), "max": limit}
            )
        return rows

    def _check_header(self, header: list[Any]) -> None:
        expected = template_headers(self.item.no)
        actual = [str(c).strip() if c is not None else "" for c in header]
        while actual and not actual[-1]:
            actual.pop()
        if actual == expected:
            return
        problems = []
        for i in range(max(len(expected), len(actual))):
            want = expected[i] if i < len(expected) else None
            got = actual[i] if i < len(actual) else None
            if want != got:
                col = xlsxwriter.utility.xl_col_to_name(i)
                if want is None:
                    problems.append(_("%(col)s列“%(got)s”是多余的列") % {"col": col, "got": got})
                elif not got:
                    problems.append(_("%(col)s列应为“%(want)s”，实为空") % {"col": col, "want": want})
                else:
                    problems.append(
                        _("%(col)s列应为“%(want)s”，实为“%(got)s”") % {"col": col, "want": want, "got": got}
                    )
            if len(problems) >= 5:
                break
        raise ImportRejected(
            _(
                "表头与“%(item)s”上传模板不符（第一个工作表第1行须依次为：%(names)s）。%(problems)s。请下载最新模板填写。"
            )
            % {"item": self.item.name, "names": "、".join(expected), "problems": "；".join(problems)}
        )

    # -- cell conversion -----------------------------------------------------------------------------------------

    def _cell(self, column: Column, value: Any) -> tuple[Any, str | None]:
        """The form input for one cell, or an error reason."""
        if value is None:
            return "", None
        if isinstance(value, str):
            return value.strip(), None
        if isinstance(value, bool):
            return ("是" if value else "否"), None
        if isinstance(value, datetime.datetime):
            return (value if column.type == "date" else value.date().isoformat()), None
        if isinstance(value, datetime.date):
            return (value if column.type == "date" else value.isoformat()), None
        if isinstance(value, datetime.time | datetime.timedelta):
            return str(value), None
        if isinstance(value, int | float):
            number = float(value)
            if not math.isfinite(number):
                return "", _("数值无效")
            if column.type == "date":
                return number, None  # an Excel date serial without a date format: parse_date handles it
            if column.is_identifier and (abs(number) >= 1e15 or not number.is_integer()):
                return "", _(
                    "该号码被 Excel 存成了数字（显示为 %(shown)s），末几位已丢失；请把该列设为“文本”格式后重新输入完整号码"
                ) % {"shown": f"{number:.14E}"}
            return _digits_text(number), None
        return str(value), None

    # -- validation ----------------------------------------------------------------------------------------------

    def validate(self, rows: list[tuple[int, list[Any]]]) -> tuple[list[Record], list[CellError]]:
        """Every row through the item's form; duplicates in the file and against stored records. Nothing is saved."""
        errors: list[CellError] = []
        instances: list[Record] = []
        now = timezone.now()
        default_bd = self.business_date or timezone.localdate()
        needs_bd = self.model.BUSINESS_DATE_FIELD is None
        column_index = {column.key: i for i, column in enumerate(self.columns)}
        keys = NATURAL_KEYS[self.item.no]
        seen: dict[tuple, int] = {}
        keyed: list[tuple[tuple, int, Record]] = []
        total = len(rows)
        for done, (row_no, cells) in enumerate(rows, start=1):
            data: dict[str, Any] = {}
            row_errors: list[CellError] = []
            for i, (column, raw) in enumerate(zip(self.columns, cells, strict=True)):
                value, problem = self._cell(column, raw)
                if problem:
                    row_errors.append(CellError(row_no, column.name, _shown(raw), problem, i))
                data[column.key] = value
            if needs_bd:
                data["business_date"] = default_bd
            instance = self.model(
                item=self.item,
                office=self.office,
                created_by=self.user,
                created_at=now,
                updated_by=self.user,
                updated_at=now,
            )
            form = self.form_class(data=data, instance=instance)
            if not form.is_valid():
                for key, messages in form.errors.items():
                    if any(e.col_index == column_index.get(key) for e in row_errors):
                        continue  # the conversion error already explains this cell
                    if key in column_index:
                        i = column_index[key]
                        row_errors.append(
                            CellError(row_no, self.columns[i].name, _shown(cells[i]), "；".join(messages), i)
                        )
                    else:
                        label = form.fields[key].label if key in form.fields else ""
                        reason = "；".join(messages)
                        row_errors.append(CellError(row_no, ROW_LEVEL, "", f"{label}：{reason}" if label else reason))
            if row_errors:
                errors.extend(row_errors)
            else:
                record = form.instance
                nkey = tuple(_key_part(getattr(record, k)) for k in keys)
                if nkey in seen:
                    errors.append(
                        CellError(
                            row_no,
                            ROW_LEVEL,
                            "",
                            _("与本文件第 %(row)s 行重复（%(fields)s 相同）")
                            % {"row": seen[nkey], "fields": self._key_names()},
                        )
                    )
                else:
                    seen[nkey] = row_no
                    keyed.append((nkey, row_no, record))
                    instances.append(record)
            if done % 500 == 0 or done == total:
                self.progress(done, total)
        errors.extend(self._stored_duplicates(keyed))
        errors.sort(key=lambda e: (e.row, e.col_index if e.col_index is not None else -1))
        return instances, errors

    def _key_names(self) -> str:
        names = {c.key: c.name for c in self.columns}
        return "、".join(names[k] for k in NATURAL_KEYS[self.item.no])

    def _stored_duplicates(self, keyed: list[tuple[tuple, int, Record]]) -> list[CellError]:
        """Rows whose natural key matches a stored record of the item (revoked and expired records excepted)."""
        if not keyed:
            return []
        keys = NATURAL_KEYS[self.item.no]
        first = keys[0]
        wanted = {k: row for k, row, _rec in keyed}
        firsts = sorted({k[0] for k in wanted})
        stored = self.model.objects.exclude(status__in=[RecordStatus.REVOKED, RecordStatus.EXPIRED])
        errors = []
        for start in range(0, len(firsts), 500):
            chunk = firsts[start : start + 500]
            for values in stored.filter(**{f"{first}__in": chunk}).values_list(*keys):
                nkey = tuple(_key_part(v) for v in values)
                if nkey in wanted:
                    errors.append(
                        CellError(
                            wanted.pop(nkey),
                            ROW_LEVEL,
                            "",
                            _("系统中已有相同记录（%(fields)s 相同），请勿重复报送") % {"fields": self._key_names()},
                        )
                    )
        return errors

    # -- saving --------------------------------------------------------------------------------------------------

    @transaction.atomic
    def save(self, records: list[Record]) -> list[Record]:
        """Insert the validated records (and their subjects, history and lifecycle events) in one transaction."""
        if not records:
            return []
        now = timezone.now()
        user = self.user
        due_cache: dict[datetime.date, Any] = {}
        validity_years = self.item.validity_years or _default_validity_years()
        identities: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, identifier) → (identifier kind, name)
        per_record_identity = []
        for record in records:
            bd = record.business_date
            result = due_cache.get(bd)
            if result is None:
                result = due_cache[bd] = item_due_date(self.item, bd)
            record.due_date, record.due_date_provisional = result.due, result.provisional
            record.validity_end = _validity_end(bd, validity_years)
            record.updated_by, record.updated_at = user, now
            if self.submit:
                record.status, record.submitted_at, record.version = RecordStatus.SUBMITTED, now, 2
            identity = record.subject_identity()
            per_record_identity.append(identity)
            if identity:
                kind, identifier, identifier_kind = identity
                identities[(kind, identifier)] = (identifier_kind, record.subject_name or identifier)
        subjects = self._subjects(identities)
        for record, identity in zip(records, per_record_identity, strict=True):
            if identity:
                record.subject = subjects[(identity[0], identity[1])]
        self._insert(records)
        self._insert_history(records, user=user, now=now)
        events = [
            RecordEvent(record_id=r.pk, action=EventAction.CREATE, to_status=RecordStatus.DRAFT, user=user, at=now)
            for r in records
        ]
        if self.submit:
            events += [
                RecordEvent(
                    record_id=r.pk,
                    action=EventAction.SUBMIT,
                    from_status=RecordStatus.DRAFT,
                    to_status=RecordStatus.SUBMITTED,
                    user=user,
                    at=now,
                )
                for r in records
            ]
        RecordEvent.objects.bulk_create(events, batch_size=1000)
        self._audit(outcome=AuditOutcome.SUCCESS, rows=len(records), errors=0)  # same transaction as the rows
        return records

    def _audit(self, *, outcome: str, rows: int, errors: int, reason: str = "") -> None:
        detail: dict[str, Any] = {
            "item": self.item.no,
            "office": self.office.code,
            "rows": rows,
            "errors": errors,
            "submit": self.submit,
        }
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

    def _subjects(self, identities: dict[tuple[str, str], tuple[str, str]]) -> dict[tuple[str, str], Subject]:
        """Get or create the subjects; names follow the latest record, as ``record_create`` does one by one."""
        found: dict[tuple[str, str], Subject] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, identifier in identities:
            by_kind.setdefault(kind, []).append(identifier)
        for kind, identifiers in by_kind.items():
            for start in range(0, len(identifiers), 500):
                for subject in Subject.objects.filter(kind=kind, identifier__in=identifiers[start : start + 500]):
                    found[(subject.kind, subject.identifier)] = subject
        missing = [
            Subject(kind=kind, identifier=identifier, identifier_kind=ikind, name=name)
            for (kind, identifier), (ikind, name) in identities.items()
            if (kind, identifier) not in found
        ]
        Subject.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
        if missing:
            for kind, identifiers in by_kind.items():
                for start in range(0, len(identifiers), 500):
                    for subject in Subject.objects.filter(kind=kind, identifier__in=identifiers[start : start + 500]):
                        found[(subject.kind, subject.identifier)] = subject
        renamed = []
        for key, subject in found.items():
            name = identities[key][1]
            if name and subject.name != name:
                subject.name = name
                subject.updated_at = timezone.now()
                renamed.append(subject)
        Subject.objects.bulk_update(renamed, ["name", "updated_at"], batch_size=500)
        return found

    def _insert(self, records: list[Record]) -> None:
        """Multi-table insert: base rows with bulk_create (returns their ids), then the typed rows with those ids."""
        base_fields = [f for f in Record._meta.concrete_fields if not f.primary_key]
        parents = [Record(**{f.attname: getattr(r, f.attname) for f in base_fields}) for r in records]
        Record.objects.bulk_create(parents, batch_size=1000)
        for record, parent in zip(records, parents, strict=True):
            record.pk = record.record_ptr_id = parent.pk
            record.id = parent.pk
            record._state.adding = False
        # Django's bulk_create refuses multi-table models: the typed rows go in with the base rows' ids.
        _executemany_insert(self.model, list(self.model._meta.local_concrete_fields), records)

    def _insert_history(self, records: list[Record], *, user, now) -> None:
        """One simple-history row per record ("+", created), as the post_save signal of record_create writes it."""
        history_model = self.model.history.model
        tracked = history_model.tracked_fields
        rows = [
            history_model(
                history_date=now,
                history_user=user,
                history_change_reason="批量导入",
                history_type="+",
                **{f.attname: getattr(record, f.attname) for f in tracked},
            )
            for record in records
        ]
        _executemany_insert(history_model, [f for f in history_model._meta.concrete_fields if not f.primary_key], rows)

    # -- the whole thing -----------------------------------------------------------------------------------------

    def run(self, data: bytes) -> ImportResult:
        """Read, validate and (when every row is valid) save ``data``; never raises for the clerk's mistakes."""
        result = ImportResult()
        if not any(o.pk == self.office.pk for o in clerk_offices_for(self.user, self.item)):
            raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": self.item.name})
        try:
            rows = self.read(data)
        except ImportRejected as exc:
            result.message = str(exc)
            self._audit(outcome=AuditOutcome.FAILURE, rows=0, errors=1, reason=result.message)
            return result
        result.total_rows = len(rows)
        result.rows = rows
        if not rows:
            result.message = _("文件中没有数据行：请在表头下方逐行填写记录。")
            self._audit(outcome=AuditOutcome.FAILURE, rows=0, errors=1, reason=result.message)
            return result
        records, errors = self.validate(rows)
        result.errors = errors
        if errors:
            # Counts only: the rejected values may be ID numbers, which the audit log must not hold.
            self._audit(outcome=AuditOutcome.FAILURE, rows=len(rows), errors=len(errors))
            return result
        result.records = self.save(records)
        return result


def _executemany_insert(model, fields, objs) -> None:
    """INSERT the objects' rows with one prepared statement (executemany): each value prepared exactly as Django's
    own insert does (``pre_save`` + ``get_db_prep_save``), without compiling a multi-row statement per batch."""
    if not objs:
        return
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    preparers = [_preparer(f) for f in fields]
    rows = [[prep(obj) for prep in preparers] for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _preparer(field):
    """obj → the field's database value, as ``get_db_prep_save(pre_save(obj))``; memoised for the repetitive
    non-text values of an import (dates, times, foreign keys), where the adaptation is the expensive part."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection=connection)
    if field.get_internal_type() in {"CharField", "TextField", "SlugField"}:

        def prep_text(obj):
            value = getattr(obj, attname)
            return value if value.__class__ is str else field.get_db_prep_save(value, connection=connection)

        return prep_text
    cache: dict = {}

    def prep(obj):
        value = getattr(obj, attname)
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = field.get_db_prep_save(value, connection=connection)
            return result
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection=connection)

    return prep


class _SharedFields(dict):
    """A form's ``base_fields`` that every instance shares instead of deep-copying (see ``_shared_fields_form``)."""

    def __deepcopy__(self, memo):
        return self


def _shared_fields_form(form_class: type) -> type:
    """The item's record form, unchanged (same fields, clean(), model validation), except that its field objects are
    copied once per import rather than once per row: Django deep-copies ``base_fields`` in every form's __init__ so
    that one form may alter its fields, which the import never does; at 10,000 rows that copy was half the time."""
    shared = type(f"Import{form_class.__name__}", (form_class,), {"__module__": __name__})
    shared.base_fields = _SharedFields(copy.deepcopy(form_class.base_fields))
    return shared


def _default_validity_years() -> int:
    from django.conf import settings

    return settings.RECORD_VALIDITY_YEARS


def _key_part(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _digits_text(value) if abs(value) < 1e15 else f"{value:.14E}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_error_copy(target, *, item: Item, rows: Iterable[tuple[int, list[Any]]], errors: list[CellError]) -> None:
    """A copy of the uploaded data with every bad cell filled red and commented, and a sheet listing all errors.

    Rows are written at their original Excel row numbers so the clerk finds them where they were; every value as
    text (``write_string``) so nothing in the copy can become a formula.
    """
    from reporting.columns import item_sheet_name

    columns = template_columns(item.no)
    workbook = xlsxwriter.Workbook(
        target, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    workbook.set_properties({"created": datetime.datetime(2000, 1, 1)})
    sheet = workbook.add_worksheet(item_sheet_name(item.name))
    bad = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "@"})
    bad_row = workbook.add_format({"bg_color": "#FFEB9C", "num_format": "@"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, len(columns), 20, text)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.name, header)
    sheet.write_string(0, len(columns), "错误说明", header)
    by_cell: dict[tuple[int, int], list[str]] = {}
    by_row: dict[int, list[str]] = {}
    for error in errors:
        if error.col_index is not None:
            by_cell.setdefault((error.row, error.col_index), []).append(error.reason)
        by_row.setdefault(error.row, []).append(f"{error.column}：{error.reason}" if error.column else error.reason)
    for row_no, cells in rows:
        r = row_no - 1
        for col, value in enumerate(cells):
            shown = _shown(value)
            reasons = by_cell.get((row_no, col))
            if reasons:
                sheet.write_string(r, col, shown, bad)
                sheet.write_comment(r, col, "；".join(reasons), {"x_scale": 2, "y_scale": 2})
            elif shown:
                sheet.write_string(r, col, shown, bad_row if row_no in by_row else text)
        if row_no in by_row:
            sheet.write_string(r, len(columns), "；".join(by_row[row_no]), bad_row)
    summary = workbook.add_worksheet("错误汇总")
    for col, title in enumerate(["行号", "列名", "填写的值", "原因"]):
        summary.write_string(0, col, title, header)
    summary.set_column(0, 0, 8)
    summary.set_column(1, 2, 24)
    summary.set_column(3, 3, 80)
    for i, error in enumerate(errors, start=1):
        summary.write_number(i, 0, error.row)
        summary.write_string(i, 1, error.column or "（整行）")
        summary.write_string(i, 2, error.value)
        summary.write_string(i, 3, error.reason)
    workbook.close()
