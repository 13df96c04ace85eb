"""Validators of what visitors upload to the column: checks only, no writes (forms and services both use them)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def size_text(size: int) -> str:
    """A byte count as the column states its limits: whole megabytes as "5MB", anything else in KB."""
    mb = 1024 * 1024
    return f"{size // mb}MB" if size >= mb and size % mb == 0 else f"{max(1, size // 1024)}KB"


def validate_evidence(upload) -> None:
    """PDF, JPG or PNG of at most ``PUBLICITY_EVIDENCE_MAX_BYTES``, by extension *and* by the file's leading bytes."""
    if upload.size > settings.PUBLICITY_EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("证明材料不能超过%(size)s。") % {"size": size_text(settings.PUBLICITY_EVIDENCE_MAX_BYTES)}
        )
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    magic = settings.PUBLICITY_EVIDENCE_TYPES.get(ext)
    if magic is None:
        raise ValidationError(_("证明材料只接受PDF、JPG、PNG文件。"))
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(_("文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。"))
