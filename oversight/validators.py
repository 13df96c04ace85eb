"""Checks on the evidence files attached to indicator progress entries (size, type and content)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Allowed suffix → leading bytes a genuine file of that type starts with. Office documents are ZIP containers.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
}
ALLOWED_SUFFIXES = tuple(_SIGNATURES)


def validate_attachment(upload) -> None:
    """At most 10 MB, one of PDF / PNG / JPEG / DOCX / XLSX / OFD, and the content matches the suffix."""
    if upload is None:
        return
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("附件不能超过 10 MB。"), code="too_large")
    suffix = Path(upload.name).suffix.lower()
    if suffix not in _SIGNATURES:
        raise ValidationError(
            _("附件类型不支持：只接受 %(types)s 文件。") % {"types": "PDF、PNG、JPG、DOCX、XLSX、OFD"}, code="type"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise ValidationError(_("附件内容与扩展名“%(suffix)s”不符。") % {"suffix": suffix}, code="content")
