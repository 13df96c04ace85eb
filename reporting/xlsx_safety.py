"""Checks an uploaded workbook before anything parses it: a real .xlsx, no macros, no zip bomb.

An .xlsx is a zip of XML parts. We refuse anything that is not a zip (old .xls, CSV, encrypted workbooks, which are
OLE2 containers), zips with too many entries or too much uncompressed data or an implausible compression ratio (zip
bombs), macro-enabled workbooks (``xl/vbaProject.bin`` or a macro content type) and zips lacking the workbook part.
Every entry is then decompressed once with a byte budget, so a central directory that lies about sizes is caught
too. The XML itself is parsed by python-calamine (Rust, no DTD or entity expansion), never by the stdlib parsers.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError

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
