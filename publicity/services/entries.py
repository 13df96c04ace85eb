"""Filling the public columns of an entry from its source, masked: the one place that decides what a public entry
may say about its subject (credit code for organisations, masked ID number for natural persons, never a phone or an
address)."""

from __future__ import annotations

from credit.models import Record, SubjectKind
from credit.validators import mask_cn_id
from publicity.models.base import PublicEntryColumns


def public_code_for(kind: str, identifier: str) -> str:
    """What the public may see of a subject's identifier."""
    if not identifier:
        return ""
    return identifier if kind == SubjectKind.LEGAL else mask_cn_id(identifier)


def fill_from_record(entry: PublicEntryColumns, record: Record) -> None:
    """Set name, kind and public code of ``entry`` from the typed ``record``'s subject fields."""
    ident = getattr(record, record.SUBJECT_ID_FIELD, "") if record.SUBJECT_ID_FIELD else ""
    entry.subject_kind = SubjectKind.NATURAL if record.item.is_natural_person else SubjectKind.LEGAL
    entry.subject_name = record.subject_name or (record.subject.name if record.subject_id else "")
    entry.public_code = public_code_for(entry.subject_kind, ident)
    entry.search_text = entry.build_search_text()
