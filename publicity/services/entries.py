"""Filling the public columns of an entry from its source, masked: the one place that decides what a public entry
may say about its subject (credit code for organisations, masked ID number for natural persons, never a phone or an
address)."""

from __future__ import annotations

from credit.models import Record, SubjectKind
from credit.validators import mask_cn_id
from publicity.masking import mask_free_text
from publicity.models import BlackListEntry, LicenceDecision, Publication
from publicity.models.base import PublicEntryColumns

# Text columns of each public entry that are shown as typed, so masked whenever the entry is saved (the models
# declare them). A licence's own xk_* columns stay as entered on the decision; the column shows
# ``LicenceDecision.public``.
PUBLIC_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "Publication": Publication.PUBLIC_TEXT_FIELDS,
    "BlackListEntry": BlackListEntry.PUBLIC_TEXT_FIELDS,
    "LicenceDecision": LicenceDecision.PUBLIC_TEXT_FIELDS,
}

__all__ = ["PUBLIC_TEXT_FIELDS", "fill_from_record", "mask_free_text", "mask_public_text", "public_code_for"]


def public_code_for(kind: str, identifier: str) -> str:
    """What the public may see of a subject's identifier."""
    if not identifier:
        return ""
    return identifier if kind == SubjectKind.LEGAL else mask_cn_id(identifier)


def mask_public_text(entry: PublicEntryColumns) -> None:
    """Mask ID numbers (18- and 15-digit), mobile and landline numbers in ``entry``'s free-text public columns
    (see ``publicity.masking``)."""
    entry.mask_public_columns()


def fill_from_record(entry: PublicEntryColumns, record: Record) -> None:
    """Set name, kind and public code of ``entry`` from the typed ``record``'s subject fields, and mask the free text
    already copied onto it (call it last, once the content columns are set)."""
    ident = getattr(record, record.SUBJECT_ID_FIELD, "") if record.SUBJECT_ID_FIELD else ""
    entry.subject_kind = SubjectKind.NATURAL if record.item.is_natural_person else SubjectKind.LEGAL
    entry.subject_name = record.subject_name or (record.subject.name if record.subject_id else "")
    entry.public_code = public_code_for(entry.subject_kind, ident)
    entry.search_text = entry.build_search_text()
    mask_public_text(entry)
