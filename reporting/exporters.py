"""Exporters: iterate records and stream them to an .xlsx writer (pretix ``base/exporter.py`` style).

Both exporters write with xlsxwriter's ``constant_memory`` mode (each row is flushed to a temp file as soon as the
next begins), read rows with ``values_list(...).iterator(chunk_size=2000)`` (no model instances) and write every value
with ``write_string``: never a formula, whatever the first character (= + - @), and ID numbers stay text. The
workbook's creation time is fixed, so the same records give byte-identical files.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property
from typing import IO

import xlsxwriter
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from credit import crypto
from credit.catalog import ItemSpec
from credit.fields import EncryptedCharField
from credit.models import Item
from credit.registry import model_for_item
from publicity.services.periods import period_rules
from reporting import double_publicity
from reporting.columns import Column, item_sheet_name, optional_columns, template_columns, upload_columns

# Fixed document properties: files must not differ by when they were written.
FIXED_CREATED = datetime.datetime(2000, 1, 1, 0, 0, 0)
CHUNK_SIZE = 2000
INSTRUCTIONS_SHEET = "填写说明"
# Drop-downs and text formats reach this row, so rows a clerk adds to a blank template get them too.
VALIDATION_ROWS = 10_000


def _workbook(target: str | IO[bytes]) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    workbook.set_properties({"created": FIXED_CREATED, "title": "", "author": "", "company": ""})
    return workbook


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class UploadTemplateExporter:
    """The upload template (上传模板) of one item: its records under the catalog's header, plus 填写说明.

    ``queryset`` gives the records (of the item's typed model), under the Annex 1 columns only (what is delivered);
    ``None`` writes the blank template, which also has the optional trailing business-date column of an item whose
    business date is not among its Annex 1 fields (``reporting.columns.business_date_column``).
    """

    def __init__(self, item: Item | int, queryset: QuerySet | None = None):
        self.no = item if isinstance(item, int) else item.no
        self.name = Item.objects.values_list("name", flat=True).get(no=self.no) if isinstance(item, int) else item.name
        self.columns: tuple[Column, ...] = upload_columns(self.no) if queryset is None else template_columns(self.no)
        self.queryset = queryset

    @cached_property
    def _encrypted(self) -> frozenset[int]:
        """Positions of the columns stored encrypted (ID numbers): ``_stored_rows`` gives them as stored, ``write`` decrypts."""
        if self.queryset is None:
            return frozenset()
        opts = self.queryset.model._meta
        return frozenset(i for i, c in enumerate(self.columns) if isinstance(opts.get_field(c.key), EncryptedCharField))

    def _stored_rows(self) -> Iterable[tuple]:
        """The data rows as tuples of text, in column order; encrypted columns still encrypted (see ``write``)."""
        if self.queryset is None:
            return ()
        # Dates come out of the database as YYYY-MM-DD text (ISO is what both SQLite and PostgreSQL give a date cast
        # to text): no date objects to build and format again for every cell. Encrypted columns come out as stored,
        # cast to text so the field's per-value decryption is skipped: ``write`` decrypts them with one cipher.
        encrypted = self._encrypted
        as_text = {
            f"_text_{c.key}": Cast(c.key, output_field=CharField())
            for i, c in enumerate(self.columns)
            if c.type == "date" or i in encrypted
        }
        names = [f"_text_{c.key}" if f"_text_{c.key}" in as_text else c.key for c in self.columns]
        return self.queryset.order_by("pk").annotate(**as_text).values_list(*names).iterator(chunk_size=CHUNK_SIZE)

    def write(self, target: str | IO[bytes]) -> int:
        """Write the workbook to a path or binary file object; returns the number of data rows."""
        workbook = _workbook(target)
        sheet = workbook.add_worksheet(item_sheet_name(self.name))
        text_format = workbook.add_format({"num_format": "@"})
        header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
        for col, column in enumerate(self.columns):
            width = 24 if column.type in {"long_text", "org_code", "cn_id", "doc_number"} else 14
            # Text format only where Excel would otherwise turn a typed number into a float and lose digits (ID
            # numbers, codes, certificate and document numbers: ``Column.is_code``): a column format also styles every
            # written cell, which costs a fifth of the writing time on a large export.
            sheet.set_column(col, col, width, text_format if column.is_code else None)
            if column.values:
                sheet.data_validation(
                    1,
                    col,
                    VALIDATION_ROWS,
                    col,
                    {
                        "validate": "list",
                        "source": list(column.values),
                        "error_title": "输入值无效",
                        "error_message": "请从下拉列表中选择：" + "、".join(column.values),
                    },
                )
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(self.columns):
            sheet.write_string(0, col, column.name, header_format)

        write = sheet.write_string
        decrypt = crypto.decryptor()
        encrypted = self._encrypted
        plain = [col for col in range(len(self.columns)) if col not in encrypted]
        count = 0
        for count, values in enumerate(self._stored_rows(), start=1):
            for col in plain:
                value = values[col]
                if value is None or value == "":
                    continue
                if value.__class__ is not str:
                    value = _text(value)
                write(count, col, value)
            # constant_memory keeps the current row open, so these cells may follow the others.
            for col in encrypted:
                value = values[col]
                if value:
                    write(count, col, decrypt(value))
        self._write_instructions(workbook)
        workbook.close()
        return count

    def _write_instructions(self, workbook: xlsxwriter.Workbook) -> None:
        sheet = workbook.add_worksheet(INSTRUCTIONS_SHEET)
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        headers = ["列名", "格式", "是否必填", "可选值", "规则"]
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, bold)
        sheet.set_column(0, 0, 30, wrap)
        sheet.set_column(1, 1, 50, wrap)
        sheet.set_column(2, 2, 10, wrap)
        sheet.set_column(3, 4, 40, wrap)
        described = self.columns
        if self.queryset is None:
            # The blank template also describes the optional columns a clerk may append (the national ones).
            described += tuple(c for c in optional_columns(self.no) if c not in self.columns)
        for row, column in enumerate(described, start=1):
            sheet.write_string(row, 0, column.name, wrap)
            sheet.write_string(row, 1, column.format_text, wrap)
            sheet.write_string(row, 2, "是" if column.required else "否", wrap)
            sheet.write_string(row, 3, "、".join(column.values), wrap)
            sheet.write_string(row, 4, column.rule_text, wrap)
        codes = "、".join(c.name for c in self.columns if c.is_code)
        notes = [
            "第一个工作表的表头须与模板完全一致（列名与顺序均不可更改），每行一条记录。",
            (f"号码列（{codes}）已设为文本格式，请勿改为数字格式。" if codes else "")
            + "Excel 只保留数字的前 15 位：其他列中如要填写一长串数字，请先把该列设为“文本”格式再输入，"
            "否则导入时该单元格被拒绝。",
            "日期请填写为 YYYY-MM-DD，例如 2026-02-28。",
            "导入时逐行逐格校验，任何一行有误则整个文件不导入，并给出标注错误的文件供下载修改；"
            "在该文件中改正后可直接上传（其“错误说明”列与“错误汇总”工作表不会被读取）。",
        ]
        optional = [c.name for c in optional_columns(self.no)]
        if self.queryset is None and optional:
            notes.append(
                "附件1的列之后可依次追加选填列："
                + "、".join(optional)
                + "（须按此顺序，可只保留前几列，不用的末尾列可删除）；选填列留空时取默认值或不填。"
            )
        start = len(described) + 2
        for offset, note in enumerate(notes):
            sheet.write_string(start + offset, 0, note)


def _write_national_sheet(target, sheet_name: str, columns: tuple[tuple[str, str], ...], rows: Iterable[list]) -> int:
    """A 双公示 sheet: row 1 the field codes, row 2 the Chinese names, data from row 3, every cell text."""
    workbook = _workbook(target)
    sheet = workbook.add_worksheet(sheet_name)
    text_format = workbook.add_format({"num_format": "@"})
    bold = workbook.add_format({"bold": True, "num_format": "@"})
    sheet.set_column(0, len(columns) - 1, 18, text_format)
    # constant_memory: rows must be written in order, so the code row entirely before the name row.
    for col, (code, _name) in enumerate(columns):
        sheet.write_string(0, col, code, bold)
    for col, (_code, name) in enumerate(columns):
        sheet.write_string(1, col, name, bold)
    sheet.freeze_panes(2, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(count + 1, col, _text(value))
    workbook.close()
    return count


class DoublePublicityPenaltyExporter:
    """Penalty records of items 2 and 8 in the national 双公示 columns (see ``reporting.double_publicity``).

    The columns Annex 1 lacks come from the record's publication (``publicity.models.Publication``) when it has one;
    ``incomplete`` counts the rows written with a required column still empty.
    """

    SHEET = "行政处罚"

    def __init__(self, item: Item | int, queryset: QuerySet | None = None):
        self.no = item if isinstance(item, int) else item.no
        if self.no not in double_publicity.PENALTY_SOURCE_FIELDS:
            raise ValueError(f"item {self.no} is not a penalty item")
        self.queryset = queryset if queryset is not None else model_for_item(self.no).objects.none()
        # A record the catalogue withholds (a 处分 is not a 行政处罚) is never a 双公示 penalty row.
        for look_up, values in ItemSpec.get(self.no).withheld_filter().items():
            self.queryset = self.queryset.exclude(**{look_up: values})
        self.incomplete = 0

    def _rows_by_record(self) -> Iterable[tuple[int, list[str]]]:
        fields = double_publicity.PENALTY_SOURCE_FIELDS[self.no]
        width = len(fields)
        published = [f"publication__{field}" for field, _code in double_publicity.PUBLICATION_FIELDS]
        values = self.queryset.order_by("pk").values_list("pk", *fields, *published).iterator(chunk_size=CHUNK_SIZE)
        rules = period_rules()
        for row_values in values:
            yield (
                row_values[0],
                double_publicity.row_for(self.no, row_values[1 : width + 1], row_values[width + 1 :], rules=rules),
            )

    def rows(self) -> Iterable[list[str]]:
        for _pk, row in self._rows_by_record():
            if double_publicity.missing_required(row):
                self.incomplete += 1
            yield row

    def incomplete_records(self) -> list[tuple[int, list[str]]]:
        """(record id, required national columns it leaves empty) of every row the standard would refuse."""
        return [
            (pk, missing) for pk, row in self._rows_by_record() if (missing := double_publicity.missing_required(row))
        ]

    def write(self, target: str | IO[bytes]) -> int:
        self.incomplete = 0
        return _write_national_sheet(target, self.SHEET, double_publicity.PENALTY_COLUMNS, self.rows())


class DoublePublicityLicenceExporter:
    """Approved licensing decisions (``publicity.models.LicenceDecision``) in the national 双公示 licensing columns."""

    SHEET = "行政许可"

    def __init__(self, queryset: QuerySet | None = None):
        from publicity.models.licences import LicenceDecision, LicenceStatus

        if queryset is None:
            queryset = LicenceDecision.objects.filter(status=LicenceStatus.APPROVED)
        self.queryset = queryset

    def rows(self) -> Iterable[list[str]]:
        from django.utils import timezone

        from publicity.models.licences import LicenceStatus

        today = timezone.localdate()
        fields = double_publicity.LICENCE_SOURCE_FIELDS
        values = self.queryset.order_by("pk").values_list(*fields, "status").iterator(chunk_size=CHUNK_SIZE)
        for row_values in values:
            yield double_publicity.licence_row(
                row_values[:-1], today=today, approved=row_values[-1] == LicenceStatus.APPROVED
            )

    def write(self, target: str | IO[bytes]) -> int:
        return _write_national_sheet(target, self.SHEET, double_publicity.LICENSING_COLUMNS, self.rows())


class CorrectionExporter:
    """A corrections batch (更正报送): the correction notices, then the revoked records, one sheet each.

    Only what the platform needs to find the entry it holds: the public columns of a notice (a natural person's code is
    already masked there) and, for a revoked record, its item, subject and decision; never an ID number in clear.
    """

    NOTICE_COLUMNS = (
        "类型",
        "来源",
        "来源编号",
        "公示类别",
        "事项编号",
        "主体名称",
        "主体代码",
        "决定文书号",
        "更正说明",
        "生成时间",
    )
    REVOKED_COLUMNS = ("事项编号", "事项名称", "记录编号", "记录版本", "主体名称", "主体代码", "撤销时间", "撤销理由")

    def __init__(self, notices: list, revoked: QuerySet):
        self.notices = notices
        self.revoked = revoked

    def _notice_row(self, notice) -> list[str]:
        entry = notice.publication or notice.licence or notice.blacklist_entry
        if notice.publication is not None:
            category, item_no = notice.publication.get_kind_display(), str(notice.publication.item_no)
        elif notice.licence is not None:
            category, item_no = "行政许可", ""
        elif notice.blacklist_entry is not None:
            category, item_no = "黑名单", ""
        else:
            category, item_no = "", ""
        name = getattr(entry, "subject_name", "") if entry is not None else ""
        code = getattr(entry, "public_code", "") if entry is not None else ""
        document = getattr(entry, "document_number", "") if entry is not None else ""
        return [
            notice.get_kind_display(),
            notice.source,
            notice.source_reference,
            category,
            item_no,
            name,
            code,
            document,
            notice.description,
            timezone.localtime(notice.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        ]

    def write(self, target: str | IO[bytes]) -> int:
        from credit.validators import mask_cn_id

        workbook = _workbook(target)
        bold = workbook.add_format({"bold": True, "num_format": "@"})
        text_format = workbook.add_format({"num_format": "@"})
        count = 0
        sheet = workbook.add_worksheet("更正通知")
        sheet.set_column(0, len(self.NOTICE_COLUMNS) - 1, 18, text_format)
        for col, title in enumerate(self.NOTICE_COLUMNS):
            sheet.write_string(0, col, title, bold)
        for row, notice in enumerate(self.notices, start=1):
            for col, value in enumerate(self._notice_row(notice)):
                if value:
                    sheet.write_string(row, col, _text(value))
            count += 1
        sheet = workbook.add_worksheet("撤销记录")
        sheet.set_column(0, len(self.REVOKED_COLUMNS) - 1, 18, text_format)
        for col, title in enumerate(self.REVOKED_COLUMNS):
            sheet.write_string(0, col, title, bold)
        values = self.revoked.order_by("pk").values_list(
            "item__no",
            "item__name",
            "pk",
            "version",
            "subject__name",
            "subject__kind",
            "subject__identifier",
            "decided_at",
            "decision_reason",
        )
        for row, (no, name, pk, version, subject, kind, identifier, at, reason) in enumerate(values, start=1):
            code = mask_cn_id(identifier) if kind == "natural" and identifier else identifier
            at_text = timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else ""
            for col, value in enumerate([no, name, pk, version, subject, code, at_text, reason]):
                if value not in (None, ""):
                    sheet.write_string(row, col, _text(value))
            count += 1
        workbook.close()
        return count


class BlackListExporter:
    """Black-list decisions (黑名单认定) for the municipal platform. The national 双公示 standard covers licences and
    penalties only, so these are the decision's own columns; a natural person's code is the public (masked) one."""

    SHEET = "黑名单"
    COLUMNS = (
        ("subject_name", "主体名称"),
        ("subject_kind", "主体类别"),
        ("public_code", "主体代码"),
        ("document_number", "认定文书号"),
        ("reason", "列入事由"),
        ("legal_basis", "列入依据"),
        ("decision_date", "认定日期"),
        ("notified_on", "事先告知日期"),
        ("listed_on", "列入日期"),
        ("end_date", "列入截止日期"),
        ("removal_conditions", "移出条件"),
        ("authority", "认定机关"),
        ("status", "状态"),
    )

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset

    def rows(self) -> Iterable[list[str]]:
        from credit.models import SubjectKind
        from publicity.models.blacklist import BlackListStatus

        kinds, statuses = dict(SubjectKind.choices), dict(BlackListStatus.choices)
        keys = [key for key, _name in self.COLUMNS]
        for values in self.queryset.order_by("pk").values_list(*keys).iterator(chunk_size=CHUNK_SIZE):
            row = dict(zip(keys, values, strict=True))
            row["subject_kind"] = str(kinds.get(row["subject_kind"], row["subject_kind"]))
            row["status"] = str(statuses.get(row["status"], row["status"]))
            yield [_text(row[key]) for key in keys]

    def write(self, target: str | IO[bytes]) -> int:
        return _write_national_sheet(target, self.SHEET, self.COLUMNS, self.rows())
