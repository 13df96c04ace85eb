"""The public column's masking: free text through ``core.masking`` (the rules are there, shared with the workspace's
pages), and read-only masked views of an entry's columns."""

from core.masking import mask_free_text

__all__ = ["MaskedColumns", "mask_free_text"]


class MaskedColumns:
    """Read-only view of ``entry`` whose text attributes come masked (public pages of a decision that keeps its
    columns as entered)."""

    def __init__(self, entry) -> None:
        self._entry = entry

    def __getattr__(self, name: str):
        value = getattr(self._entry, name)
        return mask_free_text(value) if isinstance(value, str) else value
