"""Validating the rows of an upload: every row through the item's record form, duplicates in the file and stored.

Every row goes through the item's record form (``credit.forms.form_for_item``), the same validation as the
browser form and the API. The form's steps run without a form object per row (``FormRowValidator`` in
``core.django_internals``); any row they refuse is run through the real form, whose messages are reported. All
problems are collected; nothing is saved here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.chunks import in_chunks, serial_plans
from core.django_internals import FormRowValidator, copy_unsaved, has_init_receivers, shared_fields_form
from credit.fields import EncryptedCharField
from credit.forms import form_for_item
from credit.models import Item, Office, Record
from credit.registry import model_for_item
from credit.selectors import records_in_force
from credit.services.records_bulk import PreparedValues, known_subjects
from credit.validators import USCC_PLACEHOLDER
from reporting.columns import BUSINESS_DATE_KEY, NATURAL_KEYS, Column, import_columns
from reporting.imports.reader import cell_input, shown

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


class RecordRowValidator:
    """Turns the rows of one upload of ``item`` for ``office`` by ``user`` into unsaved records, or cell errors."""

    def __init__(
        self,
        *,
        item: Item,
        office: Office,
        user,
        business_date: datetime.date | None = None,
        progress: ProgressCallback | None = None,
        prepared: PreparedValues | None = None,
    ):
        self.item = item
        self.office = office
        self.user = user
        # Items whose business date is not one of their fields: a row's own date (the optional trailing column) wins,
        # else this one, else the import's date.
        self.business_date = business_date
        self.progress = progress or (lambda done, total: None)
        # Encrypted identifiers of the duplicate look-ups, reused by the inserts of the same import.
        self.prepared = PreparedValues() if prepared is None else prepared
        self.model = model_for_item(item.no)
        self.form_class = shared_fields_form(form_for_item(item.no))
        self.row_validator = FormRowValidator(self.form_class)
        self.columns: tuple[Column, ...] = import_columns(item.no)
        self._templates: dict[datetime.datetime, Record] = {}
        self.keyed: list[tuple[tuple, int, Record]] = []  # the valid rows of the last ``validate``, with their keys
        self._init_receivers = has_init_receivers(self.model)

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
                value, problem = cell_input(column, raw)
                if problem:
                    row_errors.append(CellError(row_no, column.name, shown(raw), problem, i))
                data[column.key] = value
            if needs_bd and not data.get(BUSINESS_DATE_KEY):
                data[BUSINESS_DATE_KEY] = default_bd
            instance = self.new_instance(now)
            record = None if row_errors else self.row_validator.validate(data, instance)
            if record is None:
                # Some check failed (or a cell was refused): the real form, on a fresh instance, says which and how,
                # so the messages are the form's own, word for word.
                form = self.form_class(data=data, instance=self.new_instance(now))
                if form.is_valid():
                    record = form.instance
                # The columns' errors first, so that an error of a field derived from a column (below) can see them.
                for key, messages in sorted(form.errors.items(), key=lambda error: error[0] not in column_index):
                    key = self._column_key(key, column_index)
                    if key in column_index and any(e.col_index == column_index[key] for e in row_errors):
                        continue  # the conversion error (or the column's own error) already explains this cell
                    if key in column_index:
                        i = column_index[key]
                        row_errors.append(
                            CellError(row_no, self.columns[i].name, shown(cells[i]), "；".join(messages), i)
                        )
                    else:
                        label = form.fields[key].label if key in form.fields else ""
                        reason = "；".join(messages)
                        row_errors.append(CellError(row_no, ROW_LEVEL, "", f"{label}：{reason}" if label else reason))
            if row_errors:
                errors.extend(row_errors)
            else:
                nkey = self._natural_key([getattr(record, k) for k in keys], record.subject_name)
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
        self.keyed = keyed
        errors.extend(self._stored_duplicates(keyed))
        errors.extend(self._subject_name_conflicts(keyed))
        errors.sort(key=lambda e: (e.row, e.col_index if e.col_index is not None else -1))
        return instances, errors

    def _column_key(self, key: str, column_index: dict[str, int]) -> str:
        """The column a form error of ``key`` belongs to: the business date's errors belong to the catalogue's
        ``business_date_field`` (处罚日期…) when the business date derives from it and the file has no column of its
        own; a future 处罚日期 is then one error on 处罚日期, not a second one on a 业务发生日期 the template lacks."""
        if key == BUSINESS_DATE_KEY and key not in column_index and self.model.BUSINESS_DATE_FIELD in column_index:
            return self.model.BUSINESS_DATE_FIELD
        return key

    def new_instance(self, now: datetime.datetime) -> Record:
        """A new unsaved record of the office, by the clerk, at ``now`` (what ``record_create`` starts from)."""
        template = self._templates.get(now)
        if template is None or self._init_receivers:
            template = self._templates[now] = self.model(
                item=self.item,
                office=self.office,
                created_by=self.user,
                created_at=now,
                updated_by=self.user,
                updated_at=now,
            )
            if self._init_receivers:
                return template
        return copy_unsaved(template)

    def stored_duplicates_now(self) -> list[CellError]:
        """The valid rows of the last ``validate`` that a stored record now repeats: asked again under the item's write
        lock just before the rows are saved, for a record saved since they were checked (the form, or the same file
        uploaded twice at once) would otherwise be saved a second time."""
        return self._stored_duplicates(self.keyed)

    def _key_names(self) -> str:
        names = {c.key: c.name for c in self.columns}
        return "、".join(names[k] for k in NATURAL_KEYS[self.item.no])

    def _stored_duplicates(self, keyed: list[tuple[tuple, int, Record]]) -> list[CellError]:
        """Rows whose natural key matches a stored record of the item that the user may see (revoked and expired
        records excepted).

        Only records in the user's scope (``restrict(user, "view")``) count: a refusal naming the row would otherwise
        tell a clerk that another office holds a record, public or not, about that person on that date (one upload per
        guessed date finds it). The natural key is therefore per scope: a record that matches only another office's
        record is imported, and both stay, like two offices deciding about the same person.
        """
        if not keyed:
            return []
        keys = NATURAL_KEYS[self.item.no]
        wanted = {k: row for k, row, _rec in keyed}
        # The scope names the user's offices by their keys (core.scoping.user_offices), so PostgreSQL looks the keys up
        # by the key's index and keeps the user's offices' among them, at any size of the offices' history.
        stored = records_in_force(self.model, self.user).order_by()
        errors = []
        reason = _("系统中已有相同记录（%(fields)s 相同），请勿重复报送") % {"fields": self._key_names()}
        name = self.model.SUBJECT_NAME_FIELD
        for *values, stored_name in self.stored_by_key(stored.values_list(*keys, name or keys[0]), wanted):
            nkey = self._natural_key(values, stored_name if name else "")
            if nkey in wanted:
                errors.append(CellError(wanted.pop(nkey), ROW_LEVEL, "", reason))
        return errors

    def _natural_key(self, values: list, name: str) -> tuple:
        """The natural key of a record's ``values`` (``NATURAL_KEYS``' fields) and subject ``name``: with the name too
        when the identifier is the code every unlicensed 个体工商户 shares (as the form's check,
        ``credit.services.records.natural_key_duplicate``): two such businesses' decisions of one day are not one."""
        nkey = tuple(_key_part(v) for v in values)
        keys = NATURAL_KEYS[self.item.no]
        lead = self.model.SUBJECT_ID_FIELD
        if lead in keys and str(values[keys.index(lead)] or "").strip().upper() == USCC_PLACEHOLDER:
            nkey += (name or "",)
        return nkey

    def key_lead(self) -> tuple[int, str]:
        """(position, field) of the natural key's field the stored records are looked up by: the subject's identifier
        where the key holds it (every item's does), for the typed table's natural-key index starts with it
        (credit.models.records) and the cost then follows the rows of the file, not the records stored. The key's
        first field may be as unselective as item 9's document type."""
        keys = NATURAL_KEYS[self.item.no]
        position = keys.index(self.model.SUBJECT_ID_FIELD) if self.model.SUBJECT_ID_FIELD in keys else 0
        return position, keys[position]

    def stored_by_key(self, queryset, nkeys: Iterable[tuple]) -> list:
        """The rows of ``queryset`` (records of the item, or their values) whose look-up field (``key_lead``) holds
        one of ``nkeys``' values there, a thousand values per query, planned without parallel workers
        (``core.chunks.serial_plans``); whether the rest of the key matches is the caller's to check."""
        position, lead = self.key_lead()
        leads = sorted({nkey[position] for nkey in nkeys})
        encrypted = isinstance(self.model._meta.get_field(lead), EncryptedCharField)
        chunks = [
            # The look-up would encrypt each value again; it takes a stored value as it is.
            [self.prepared.encrypted(v) if v else v for v in chunk] if encrypted else chunk
            for chunk in in_chunks(leads)
        ]
        with serial_plans():
            return [row for chunk in chunks for row in queryset.filter(**{f"{lead}__in": chunk})]

    def _subject_name_conflicts(self, keyed: list[tuple[tuple, int, Record]]) -> list[CellError]:
        """Rows naming a subject (its ID number or credit code) otherwise than it is registered, or than an earlier row
        of the file names it.

        An import cannot confirm a different name row by row as the form does (确认主体名称不同), so such rows are
        refused; the clerk corrects the name or number, or enters that record through the form and confirms there.
        Only subjects the user may see are checked (a reviewer, or a clerk whose offices hold a record of it): the
        others are imported as entered, as the form saves them, so that nothing reveals another office's record.
        """
        name_key = self.model.SUBJECT_NAME_FIELD
        column = next((i for i, c in enumerate(self.columns) if c.key == name_key), None)
        if not name_key or column is None:
            return []
        rows: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for _nkey, row_no, record in keyed:
            identity, name = record.subject_identity(), (record.subject_name or "").strip()
            if identity and name:
                rows.setdefault((identity[0], identity[1]), []).append((row_no, name))
        known = known_subjects(rows, prepared=self.prepared)
        visible = set(
            Record.objects.restrict(self.user)
            .filter(subject_id__in=[pk for pk, _name in known.values()])
            .values_list("subject_id", flat=True)
        )
        errors = []
        for key, entered in rows.items():
            first_row, first_name = entered[0]
            for row_no, name in entered:
                if key in known:
                    pk, registered = known[key]
                    if name == registered:
                        continue
                    if not (getattr(self.user, "is_reviewer", False) or pk in visible):
                        # Known only to other offices: saying so would reveal their record (as the form does not).
                        continue
                    reason = _("该证件号码或代码对应的信用主体已登记为“%(known)s”，本行填写“%(name)s”") % {
                        "known": registered,
                        "name": name,
                    }
                elif name != first_name:
                    reason = _("与本文件第 %(row)s 行同一证件号码或代码，名称却为“%(first)s”") % {
                        "row": first_row,
                        "first": first_name,
                    }
                else:
                    continue
                reason += _("。批量导入不能确认主体名称不同：请核对名称和号码，或在填报页面逐条确认后报送。")
                errors.append(CellError(row_no, self.columns[column].name, name, reason, column))
        return errors


def _key_part(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value
