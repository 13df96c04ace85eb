"""The public column's masking: free text through ``core.masking`` (the rules are there, shared with the workspace's
pages), and read-only masked views of an entry's columns.

ID and phone numbers are masked in every public text (``mask_free_text``). A natural person's entry also has the
door-level detail of any street address in its free text masked (``mask_personal_text``): a teacher's penalty may say
where the tutoring took place, at home. A school's or company's address is public (its licence, its registered
premises) and is kept; so are names and document numbers, which are never addresses."""

from core.masking import mask_addresses, mask_free_text
from credit.models import SubjectKind

__all__ = ["NAME_COLUMNS", "MaskedColumns", "mask_free_text", "mask_personal_text", "mask_text_of"]

# The columns that name a subject or a decision (never an address): ID and phone numbers masked, nothing else.
NAME_COLUMNS = frozenset({"subject_name", "document_number", "public_code"})


def mask_personal_text(text: str | None) -> str:
    """Free text about a natural person as the public may read it: ID and phone numbers and home addresses masked."""
    return mask_addresses(mask_free_text(text))


def mask_text_of(subject_kind: str, text: str | None) -> str:
    """Free text of an entry about a subject of ``subject_kind``, masked for the public."""
    return mask_personal_text(text) if subject_kind == SubjectKind.NATURAL else mask_free_text(text)


class MaskedColumns:
    """Read-only view of ``entry`` whose text attributes come masked (public pages of a decision that keeps its
    columns as entered)."""

    def __init__(self, entry) -> None:
        self._entry = entry

    def __getattr__(self, name: str):
        value = getattr(self._entry, name)
        if not isinstance(value, str):
            return value
        if name in NAME_COLUMNS:
            return mask_free_text(value)
        return mask_text_of(self._entry.subject_kind, value)
