"""Corrections (更正) queued for the municipal platform whenever something leaves or changes on the column: a
withdrawn publication, a removed black-list entry, a withdrawn licence, a corrected content."""

from __future__ import annotations

from publicity.models import CorrectionNotice


def correction_notice_create(
    *,
    kind: str,
    source: str,
    description: str,
    source_reference: str = "",
    publication=None,
    licence=None,
    blacklist_entry=None,
) -> CorrectionNotice:
    """Queue a correction for the municipal platform; ``reporting`` picks up those without ``picked_up_at``."""
    return CorrectionNotice.objects.create(
        kind=kind,
        source=source,
        source_reference=source_reference,
        description=description,
        publication=publication,
        licence=licence,
        blacklist_entry=blacklist_entry,
    )
