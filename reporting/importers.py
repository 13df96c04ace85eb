"""Batch import of a filled upload template (批量导入): read safely, validate every row, save all or nothing.

Every row goes through the item's record form (``credit.forms.form_for_item``), the same validation as the
browser form and the API, after the spreadsheet's cell types are turned into what a clerk would have typed (Excel
numbers → digits, Excel dates → dates; numeric ID cells whose digits Excel already lost are refused). The form's
steps run without a form object per row (``_RowValidator``: its fields' ``clean()``, its ``clean()``, the model's
``full_clean()``); any row they refuse is run through the real form, whose messages are reported. All problems are
collected before anything is saved; one bad row saves nothing. A valid file is saved in one transaction by a bulk path
that performs ``credit.services.records.record_create``'s derivations (due date, validity end, subject, history,
lifecycle event) set-wise instead of row by row, with raw multi-row INSERTs whose values Django's fields prepare
(ID numbers encrypted as ``EncryptedCharField`` stores them).
"""

from __future__ import annotations

import copy
import datetime
import io
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import xlsxwriter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from credit import crypto
from credit.fields import EncryptedCharField
from credit.forms import form_for_item
from credit.models import Item, Office, Record, RecordStatus, Subject
from credit.models.lifecycle import EventAction, RecordEvent
from credit.registry import model_for_item
from credit.services.calendar import item_due_date
from credit.services.records import clerk_offices_for, validity_end_for
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
        self.row_validator = _RowValidator(self.form_class)
        self.memo: dict = {}  # prepared database values shared by the lookups and inserts of this import
        self._templates: dict[datetime.datetime, Record] = {}
        self._init_signals = signals.pre_init.has_listeners(self.model) or signals.post_init.has_listeners(self.model)
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
            instance = self._new_instance(now)
            record = None if row_errors else self.row_validator.validate(data, instance)
            if record is None:
                # Some check failed (or a cell was refused): the real form, on a fresh instance, says which and how,
                # so the messages are the form's own, word for word.
                form = self.form_class(data=data, instance=self._new_instance(now))
                if form.is_valid():
                    record = form.instance
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

    def _new_instance(self, now: datetime.datetime) -> Record:
        """A new unsaved record of the office, by the clerk, at ``now`` (what ``record_create`` starts from).

        Ten thousand ``Model(**kwargs)`` calls resolve the same defaults and foreign-key descriptors each time; without
        init signals a copy of the first instance's state is the same object, made in a fraction of the time.
        """
        template = self._templates.get(now)
        if template is None or self._init_signals:
            template = self._templates[now] = self.model(
                item=self.item,
                office=self.office,
                created_by=self.user,
                created_at=now,
                updated_by=self.user,
                updated_at=now,
            )
            if self._init_signals:
                return template
        instance = self.model.__new__(self.model)
        instance.__dict__.update(template.__dict__)
        instance._state = ModelState()
        instance._state.fields_cache = dict(template._state.fields_cache)
        return instance

    def _cipher(self, value: str) -> str:
        """The stored (encrypted) form of an identifier, computed once per import for lookups and inserts alike."""
        cache = self.memo.setdefault("encrypted", {})
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = crypto.encrypt(value)
            return result

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
        encrypted = isinstance(self.model._meta.get_field(first), EncryptedCharField)
        for start in range(0, len(firsts), 1000):
            chunk = firsts[start : start + 1000]
            if encrypted:  # the look-up would encrypt each value again; it takes a stored value as it is
                chunk = [self._cipher(v) if v else v for v in chunk]
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
            record.validity_end = validity_end_for(bd, validity_years)
            record.updated_by, record.updated_at = user, now
            if self.submit:
                record.status, record.submitted_at, record.version = RecordStatus.SUBMITTED, now, 2
            identity = record.subject_identity()
            per_record_identity.append(identity)
            if identity:
                kind, identifier, identifier_kind = identity
                identities[(kind, identifier)] = (identifier_kind, record.subject_name or identifier)
        memo = self.memo
        subjects = self._subjects(identities, memo, now)
        for record, identity in zip(records, per_record_identity, strict=True):
            if identity:
                record.subject_id = subjects[(identity[0], identity[1])]
        self._insert(records, memo)
        self._insert_history(records, user=user, now=now, memo=memo)
        event_fields = [RecordEvent._meta.get_field(n) for n in ("record", "action", "from_status", "to_status")]
        event_fields += [RecordEvent._meta.get_field(n) for n in ("user", "at", "reason", "change")]
        user_id = user.pk if user is not None else None
        events = [[r.pk, EventAction.CREATE, "", RecordStatus.DRAFT, user_id, now, "", None] for r in records]
        if self.submit:
            events += [
                [r.pk, EventAction.SUBMIT, RecordStatus.DRAFT, RecordStatus.SUBMITTED, user_id, now, "", None]
                for r in records
            ]
        _insert_rows(RecordEvent, event_fields, events, memo=memo)
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

    def _subjects(self, identities: dict[tuple[str, str], tuple[str, str]], memo: dict, now) -> dict[tuple, int]:
        """Get or create the subjects (their ids); names follow the latest record, as ``record_create`` does."""
        found: dict[tuple[str, str], int] = {}
        names: dict[tuple[str, str], str] = {}

        def fetch(keys: list[tuple[str, str]]) -> None:
            by_kind: dict[str, list[str]] = {}
            for kind, identifier in keys:
                by_kind.setdefault(kind, []).append(self._cipher(identifier))
            for kind, ciphers in by_kind.items():
                for start in range(0, len(ciphers), 1000):
                    chunk = ciphers[start : start + 1000]
                    rows = Subject.objects.filter(kind=kind, identifier__in=chunk).values_list(
                        "pk", "identifier", "name"
                    )
                    for pk, identifier, name in rows:
                        found[(kind, identifier)] = pk
                        names[(kind, identifier)] = name

        fetch(list(identities))
        missing = [key for key in identities if key not in found]
        if missing:
            fields = [Subject._meta.get_field(n) for n in ("kind", "identifier", "identifier_kind", "name")]
            fields += [Subject._meta.get_field("created_at"), Subject._meta.get_field("updated_at")]
            rows = [[kind, ident, *identities[(kind, ident)], now, now] for kind, ident in missing]
            # A subject created meanwhile by someone else is skipped (unique kind + identifier) and fetched after.
            returning = connection.features.can_return_rows_from_bulk_insert
            inserted = _insert_rows(
                Subject,
                fields,
                rows,
                memo=memo,
                ignore_conflicts=True,
                returning=returning,
                returning_fields=[Subject._meta.pk, fields[0], fields[1]],
            )
            plain = {cipher: value for value, cipher in memo.get("encrypted", {}).items()}
            for pk, kind, cipher in inserted:
                key = (kind, plain.get(cipher, cipher))
                found[key], names[key] = pk, identities[key][1]
            fetch([key for key in missing if key not in found])
        renamed = [
            Subject(pk=found[key], name=identities[key][1], updated_at=now)
            for key in found
            if identities[key][1] and names[key] != identities[key][1]
        ]
        Subject.objects.bulk_update(renamed, ["name", "updated_at"], batch_size=500)
        return found

    def _insert(self, records: list[Record], memo: dict | None = None) -> None:
        """Multi-table insert: base rows with RETURNING (their ids), then the typed rows with those ids."""
        memo = {} if memo is None else memo
        base_fields = [f for f in Record._meta.concrete_fields if not f.primary_key]
        get_base = operator.attrgetter(*[f.attname for f in base_fields])
        if connection.features.can_return_rows_from_bulk_insert:
            ids = [
                row[0] for row in _insert_rows(Record, base_fields, map(get_base, records), memo=memo, returning=True)
            ]
        else:  # no INSERT … RETURNING: Django's bulk_create knows how to get the ids back
            parents = [Record(**{f.attname: getattr(r, f.attname) for f in base_fields}) for r in records]
            Record.objects.bulk_create(parents, batch_size=1000)
            ids = [parent.pk for parent in parents]
        for record, pk in zip(records, ids, strict=True):
            record.pk = record.record_ptr_id = record.id = pk
            record._state.adding = False
        # Django's bulk_create refuses multi-table models: the typed rows go in with the base rows' ids.
        typed_fields = list(self.model._meta.local_concrete_fields)
        get_typed = operator.attrgetter(*[f.attname for f in typed_fields])
        _insert_rows(self.model, typed_fields, map(get_typed, records), memo=memo)

    def _insert_history(self, records: list[Record], *, user, now, memo: dict | None = None) -> None:
        """One simple-history row per record ("+", created), as the post_save signal of record_create writes it."""
        history_model = self.model.history.model
        fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
        constants = {
            "history_date": now,
            "history_user_id": user.pk if user is not None else None,
            "history_change_reason": "批量导入",
            "history_type": "+",
        }
        tracked = {f.attname for f in history_model.tracked_fields}
        unknown = [f.attname for f in fields if f.attname not in constants and f.attname not in tracked]
        if unknown:  # a history model with extra columns: let simple-history's own model fill them
            raise ImproperlyConfigured(f"history columns the import does not fill: {unknown}")
        sources = [(True, constants[f.attname]) if f.attname in constants else (False, f.attname) for f in fields]
        rows = (
            [value if is_constant else getattr(record, value) for is_constant, value in sources] for record in records
        )
        _insert_rows(history_model, fields, rows, memo=memo)

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


class _RowValidator:
    """The item form's validation of one row, run without building a form per row.

    The same steps, objects and order as ``ModelForm.full_clean``: every form field's ``clean()`` (and any
    ``clean_<field>()`` of the form), the form's own ``clean()`` (run on one real form instance whose
    ``cleaned_data`` is set per row), ``construct_instance``'s assignments, then the model's ``full_clean()`` with the
    form's validation exclusions and its ``validate_unique()``. It only decides "valid, here is the instance": at the
    first problem it returns None and the caller runs the real form on the row, so every message is the form's own.
    Forms this cannot mirror (custom widgets, disabled or inline fields) use the real form for every row.
    """

    def __init__(self, form_class: type):
        from django import forms
        from django.db import models
        from django.forms.models import InlineForeignKeyField

        self.form = form = form_class(data={})
        opts = form_class._meta
        simple_readers = {forms.Widget.value_from_datadict, forms.widgets.ChoiceWidget.value_from_datadict}
        self.usable = all(
            type(field.widget).value_from_datadict in simple_readers
            and not getattr(field.widget, "allow_multiple_selected", False)
            and not field.disabled
            and not isinstance(field, InlineForeignKeyField | forms.FileField)
            and type(field)._clean_bound_field is forms.Field._clean_bound_field
            for field in form.fields.values()
        )
        self.cleaners = [(name, field, getattr(form, f"clean_{name}", None)) for name, field in form.fields.items()]
        model_fields = form.instance._meta.fields
        # construct_instance: editable, non-auto model fields named in Meta.fields.
        self.assigned = [
            (f, f.name, f.has_default(), form.fields.get(f.name))
            for f in model_fields
            if f.editable
            and not isinstance(f, models.AutoField)
            and (opts.fields is None or f.name in opts.fields)
            and not (opts.exclude and f.name in opts.exclude)
        ]
        self.usable = self.usable and all(
            not isinstance(f, models.FileField) and (not has_default or field is not None)
            for f, _name, has_default, field in self.assigned
        )
        # _get_validation_exclusions: what does not depend on the row, and the fields excluded when left empty.
        self.static_exclude = frozenset(
            f.name
            for f in model_fields
            if f.name not in form.fields
            or (opts.fields and f.name not in opts.fields)
            or (opts.exclude and f.name in opts.exclude)
        )
        self.empty_exclude = [
            (f.name, form.fields[f.name])
            for f in model_fields
            if f.name not in self.static_exclude and not f.blank and not form.fields[f.name].required
        ]

    def validate(self, data: dict[str, Any], instance: Record) -> Record | None:
        if not self.usable:
            return None
        from django.core.exceptions import ValidationError
        from django.forms.utils import ErrorDict

        form = self.form
        cleaned: dict[str, Any] = {}
        form.cleaned_data = cleaned
        form._errors = ErrorDict(renderer=form.renderer)
        form._validate_unique = False
        try:
            for name, field, extra in self.cleaners:
                cleaned[name] = field.clean(data.get(name))
                if extra is not None:
                    cleaned[name] = extra()
            result = form.clean()
            if result is not None:
                cleaned = result
            if form._errors:
                return None
            for f, name, has_default, field in self.assigned:
                if name not in cleaned:
                    continue
                value = cleaned[name]
                if has_default and field.widget.value_omitted_from_data(data, {}, name) and value in field.empty_values:
                    continue
                f.save_form_data(instance, value)
            exclude = set(self.static_exclude)
            for name, field in self.empty_exclude:
                if cleaned.get(name) in field.empty_values:
                    exclude.add(name)
            instance.full_clean(exclude=exclude, validate_unique=False)
            if form._validate_unique:
                instance.validate_unique(exclude=exclude)
        except ValidationError:
            return None
        finally:
            form.cleaned_data = {}
        return instance


def _insert_rows(
    model,
    fields: list,
    rows: Iterable[list[Any]],
    *,
    memo: dict | None = None,
    returning: bool = False,
    ignore_conflicts: bool = False,
    returning_fields: list | None = None,
) -> list[tuple]:
    """INSERT ``rows`` (values in ``fields`` order, as on the instances) into ``model``'s table without instances.

    Each value is prepared exactly as Django's own insert prepares it (``get_db_prep_save``); the prepared values of
    the repetitive non-text columns (dates, foreign keys) and of encrypted identifiers are memoised for the import, so
    an ID number is encrypted once for its record, its history row and its subject. Without ``returning`` the rows go
    in with one prepared statement (executemany); with it, in multi-row statements whose RETURNING gives the new
    rows' ``returning_fields`` (the primary key by default) in insertion order.
    """
    memo = {} if memo is None else memo
    preparers = [_preparer(f, memo) for f in fields]
    prepared = [[prep(value) for prep, value in zip(preparers, row, strict=True)] for row in rows]
    if not prepared:
        return []
    ops = connection.ops
    qn = ops.quote_name
    on_conflict = None
    if ignore_conflicts:
        from django.db.models.constants import OnConflict

        on_conflict = OnConflict.IGNORE
    head = "{} {} ({}) VALUES ".format(
        ops.insert_statement(on_conflict=on_conflict), qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    tail = ops.on_conflict_suffix_sql(fields, on_conflict, None, None) if ignore_conflicts else ""
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        if not returning:
            sql = f"{head}{placeholders} {tail}".rstrip()
            for start in range(0, len(prepared), 5000):
                cursor.executemany(sql, prepared[start : start + 5000])
            return []
        returning_sql, _params = ops.return_insert_columns(returning_fields or [model._meta.pk])
        batch = max(1, ops.bulk_batch_size(fields, prepared))
        batch = min(batch, 1000)
        out: list[tuple] = []
        for start in range(0, len(prepared), batch):
            chunk = prepared[start : start + batch]
            sql = f"{head}{', '.join([placeholders] * len(chunk))} {tail} {returning_sql}"
            cursor.execute(sql, [value for row in chunk for value in row])
            out.extend(tuple(r) for r in cursor.fetchall())
        return out


def _preparer(field, memo: dict):
    """value → the field's database value, as ``field.get_db_prep_save(value)``."""
    from django.db import models

    from credit.fields import EncryptedCharField

    prep_save = field.get_db_prep_save
    if isinstance(field, EncryptedCharField):
        cache = memo.setdefault("encrypted", {})  # AES-SIV is deterministic and keyed per deployment, not per field
    elif (
        isinstance(field, models.CharField | models.TextField)
        and type(field).get_prep_value in (models.CharField.get_prep_value, models.TextField.get_prep_value)
        and type(field).get_db_prep_value is models.Field.get_db_prep_value
        and type(field).get_db_prep_save is models.Field.get_db_prep_save
    ):
        # A plain text column: a str goes to the database as it is.
        def prep_text(value):
            return value if value.__class__ is str else prep_save(value, connection=connection)

        return prep_text
    elif _is_plain_integer(field.target_field if field.is_relation else field):
        # An integer column (or a foreign key to one): an int goes to the database as it is.
        def prep_int(value):
            return value if value.__class__ is int else prep_save(value, connection=connection)

        return prep_int
    else:
        cache = memo.setdefault(field, {})

    def prep(value):
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = prep_save(value, connection=connection)
            return result
        except TypeError:  # unhashable
            return prep_save(value, connection=connection)

    return prep


def _is_plain_integer(field) -> bool:
    from django.db import models

    cls = type(field)
    return (
        isinstance(field, models.IntegerField | models.AutoField)
        and cls.get_prep_value is models.IntegerField.get_prep_value
        and cls.get_db_prep_value in (models.Field.get_db_prep_value, models.AutoField.get_db_prep_value)
        and cls.get_db_prep_save is models.Field.get_db_prep_save
    )


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
