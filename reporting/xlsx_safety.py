"""Checks an uploaded workbook before anything parses it: a real .xlsx, no macros, no zip bomb.

An .xlsx is a zip of XML parts. We refuse anything that is not a zip (old .xls, CSV, encrypted workbooks, which are
OLE2 containers), zips with too many entries or too much uncompressed data or an implausible compression ratio (zip
bombs), macro-enabled workbooks (``xl/vbaProject.bin`` or a macro content type) and zips lacking the workbook part.
Every entry is then decompressed once with a byte budget, so a central directory that lies about sizes is caught
too. The cells are read by python-calamine (Rust, no DTD or entity expansion); before that, ``check_sheet_bounds``
streams the first sheet's XML through expat handlers (declarations refused) to bound its rows and columns.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import ElementTree as defused_etree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A document type declaration is never part of a genuine workbook; it is how entity-expansion bombs
# ("billion laughs") and external entities get in. Refused in any part, before any parser sees it.
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_MARKER_OVERLAP = max(len(m) for m in DTD_MARKERS)
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject")


class UnsafeWorkbook(Exception):
    """The upload is not an acceptable .xlsx; the message says why, in Chinese, for the clerk."""


def check_xlsx(data: bytes) -> None:
    """Raise UnsafeWorkbook unless ``data`` is a plain, bounded .xlsx workbook."""
    max_bytes = settings.REPORTING_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        raise UnsafeWorkbook(_("文件过大（上限 %(max)s）。") % {"max": filesizeformat(max_bytes)})
    if data.startswith(OLE2_MAGIC):
        raise UnsafeWorkbook(
            _("文件是旧版 .xls 或已加密的工作簿，请在 Excel 中“另存为” .xlsx 格式（不设密码）后重新上传。")
        )
    if not data.startswith(b"PK"):
        raise UnsafeWorkbook(_("文件不是 .xlsx 工作簿，请使用下载的上传模板填写后上传。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnsafeWorkbook(_("文件已损坏，不是有效的 .xlsx 工作簿。")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > settings.REPORTING_IMPORT_MAX_ENTRIES:
            raise UnsafeWorkbook(_("工作簿结构异常（压缩包条目过多），已拒绝。"))
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UnsafeWorkbook(_("工作簿包含宏（VBA），出于安全原因不予接收；请另存为不含宏的 .xlsx 后上传。"))
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UnsafeWorkbook(_("文件不是 .xlsx 工作簿，请使用下载的上传模板填写后上传。"))
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise UnsafeWorkbook(_("工作簿已加密，请取消密码后重新上传。"))
        declared = sum(entry.file_size for entry in entries)
        compressed = sum(entry.compress_size for entry in entries) or 1
        if (
            declared > settings.REPORTING_IMPORT_MAX_UNCOMPRESSED
            or declared / compressed > settings.REPORTING_IMPORT_MAX_RATIO
        ):
            raise UnsafeWorkbook(_("工作簿解压后体积异常（疑似压缩炸弹），已拒绝。"))
        budget = settings.REPORTING_IMPORT_MAX_UNCOMPRESSED
        try:
            for entry in entries:
                with archive.open(entry) as fh:
                    tail = b""
                    while chunk := fh.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            raise UnsafeWorkbook(_("工作簿解压后体积异常（疑似压缩炸弹），已拒绝。"))
                        window = (tail + chunk).upper()
                        if any(marker in window for marker in DTD_MARKERS):
                            raise UnsafeWorkbook(_("工作簿包含文档类型定义（DTD/实体声明），出于安全原因不予接收。"))
                        tail = chunk[-_MARKER_OVERLAP:]
                        if entry.filename == "[Content_Types].xml" and any(m in chunk for m in MACRO_CONTENT_TYPES):
                            raise UnsafeWorkbook(
                                _("工作簿包含宏（VBA），出于安全原因不予接收；请另存为不含宏的 .xlsx 后上传。")
                            )
            # The package's own structure parts, parsed with defusedxml (no DTD, no entities, no external references).
            for part in ("[Content_Types].xml", "xl/workbook.xml"):
                defused_etree.fromstring(archive.read(part), forbid_dtd=True)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
            raise UnsafeWorkbook(_("文件已损坏，不是有效的 .xlsx 工作簿。")) from exc
        except (DefusedXmlException, ParseError) as exc:
            raise UnsafeWorkbook(_("工作簿的XML结构无效或不安全，已拒绝。")) from exc


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first sheet (the one the reader imports), from workbook.xml and its rels."""
    workbook = defused_etree.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    sheet = workbook.find(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
    rels_name = "xl/_rels/workbook.xml.rels"
    if sheet is None or rels_name not in archive.namelist():
        raise UnsafeWorkbook(_("工作簿中没有工作表，请使用下载的上传模板填写后上传。"))
    rid = sheet.get(f"{_REL_NS}id")
    rels = defused_etree.fromstring(archive.read(rels_name), forbid_dtd=True)
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part in archive.namelist():
                return part
    raise UnsafeWorkbook(_("工作簿中没有工作表，请使用下载的上传模板填写后上传。"))


def _sheet_part(archive: zipfile.ZipFile, index: int) -> str | None:
    """The zip path of the workbook's sheet at ``index`` (0-based, workbook order), None if it has none."""
    workbook = defused_etree.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    sheets = workbook.findall(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
    rels_name = "xl/_rels/workbook.xml.rels"
    if index >= len(sheets) or rels_name not in archive.namelist():
        return None
    rid = sheets[index].get(f"{_REL_NS}id")
    rels = defused_etree.fromstring(archive.read(rels_name), forbid_dtd=True)
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return part if part in archive.namelist() else None
    return None


def _bounds_parser(bounds: _SheetBounds):
    """An expat parser that reports each element to ``bounds`` and refuses document type and entity declarations."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = bounds.start
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def sheet_within_bounds(data: bytes, index: int, *, max_rows: int, max_columns: int) -> bool:
    """Whether the sheet at ``index`` exists and holds no value beyond row ``max_rows`` or column ``max_columns``: such
    a sheet can be read whole (``check_sheet_bounds`` for the others); streamed, in constant memory. Call
    ``check_xlsx`` first."""
    parser = _bounds_parser(_SheetBounds(max_rows, max_columns))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, index)
            if part is None:
                return False
            with archive.open(part) as fh:
                while chunk := fh.read(1 << 20):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except (_OutOfBounds, UnsafeWorkbook, zipfile.BadZipFile, EOFError, OSError, ValueError, expat.ExpatError):
        return False
    except (ParseError, DefusedXmlException, KeyError):
        return False
    return True


def _cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column), both 1-based, of an A1 reference such as ``XFD1048576``; None if malformed."""
    letters = ref.rstrip("0123456789").upper()
    digits = ref[len(letters) :]
    if not letters or not digits or not letters.isalpha() or not letters.isascii():
        return None
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits), column


class _OutOfBounds(Exception):
    def __init__(self, row: int, column: int):
        self.row, self.column = row, column


class _SheetBounds:
    """Expat handlers following the cell positions of a worksheet part the way the sheet reader assigns them."""

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.row = self.column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # Without namespace processing (faster): the local name, whatever the prefix of the spreadsheet namespace.
        local = name.rpartition(":")[2]
        if local == "c":
            position = _cell_position(attrs.get("r", ""))
            if position is None:  # no reference: the next cell of the row, as the reader counts it
                self.column += 1
            else:
                self.row, self.column = position
        elif local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.column = 0
        elif local in ("v", "is") and (self.row > self.max_rows or self.column > self.max_columns):
            # Only a cell with a value is part of the reader's table; a cell that only carries formatting is not.
            raise _OutOfBounds(self.row, self.column)


def _refuse_declarations(*args) -> None:
    raise UnsafeWorkbook(_("工作簿包含文档类型定义（DTD/实体声明），出于安全原因不予接收。"))


def check_sheet_bounds(data: bytes, *, max_rows: int, max_columns: int) -> None:
    """Raise UnsafeWorkbook if the first sheet holds a value beyond row ``max_rows`` or column ``max_columns``.

    The sheet reader builds a dense rows × columns table spanning every cell that holds a value, so a single cell at
    the sheet's far corner would make it allocate billions of cells (the process aborts) before any Python check ran.
    This streams the sheet XML through expat (no tree kept, constant memory; document type declarations refused) and
    stops at the first value out of bounds. Call ``check_xlsx`` first.
    """
    parser = _bounds_parser(_SheetBounds(max_rows, max_columns))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(_first_sheet_part(archive)) as fh:
            while chunk := fh.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _OutOfBounds as out:
        raise UnsafeWorkbook(
            _(
                "第一个工作表超出范围：单元格 %(cell)s 有内容，而导入最多读取 %(rows)s 行"
                "（含第1行表头，即 %(data_rows)s 行数据）、%(cols)s 列（A 至 %(last)s 列）。"
                "请删除范围外的内容；数据较多时请分批导入。"
            )
            % {
                "cell": f"{_column_name(out.column)}{out.row}",
                "rows": max_rows,
                "data_rows": max_rows - 1,
                "cols": max_columns,
                "last": _column_name(max_columns),
            }
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UnsafeWorkbook(_("文件已损坏，不是有效的 .xlsx 工作簿。")) from exc
    except expat.ExpatError as exc:
        raise UnsafeWorkbook(_("工作簿的XML结构无效或不安全，已拒绝。")) from exc


def _column_name(column: int) -> str:
    name = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        name = chr(65 + remainder) + name
    return name
