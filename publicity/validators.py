"""Validators of what visitors upload to the column: checks only, no writes (forms and services both use them)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def size_text(size: int) -> str:
    """A byte count as the column states its limits: whole megabytes as "5MB", anything else in KB."""
    mb = 1024 * 1024
    return f"{size // mb}MB" if size >= mb and size % mb == 0 else f"{max(1, size // 1024)}KB"


def validate_evidence(upload, *, field: str | None = None) -> None:
    """PDF, JPG or PNG of at most ``PUBLICITY_EVIDENCE_MAX_BYTES``, by extension *and* by the file's leading bytes.

    ``field`` is the name the visitor knows the upload by, in every message (``证明材料`` unless told: a repair's
    ``信用承诺书`` is held to the same rules, and its errors must not send the visitor to the evidence box)."""
    field = field or _("证明材料")
    if upload.size > settings.PUBLICITY_EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(field)s不能超过%(size)s。")
            % {"field": field, "size": size_text(settings.PUBLICITY_EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    magic = settings.PUBLICITY_EVIDENCE_TYPES.get(ext)
    if magic is None:
        raise ValidationError(_("%(field)s只接受PDF、JPG、PNG文件。") % {"field": field}, code="file_type")
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("%(field)s：文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。") % {"field": field},
            code="file_content",
        )
