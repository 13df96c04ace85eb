"""What every public entry shares: the denormalised, already-masked columns the public pages, search and open data
read, so that a public query never touches a full ID number, phone or address."""

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

from credit.models import SubjectKind
from credit.validators import USCC_PLACEHOLDER

# The brackets a decision number (〔2026〕) or a name (（2分校）) is written with, as NFKC leaves them (it has already made
# the full-width （）［］｛｝ and the small and vertical forms ASCII or 〔〕【】): one pair to a searcher, who types
# 洪教罚[2026]13号 for 洪教罚〔2026〕13号.
_OPENING, _CLOSING = "([{〔【〖〘〚⦅⦗", ")]}〕】〗〙〛⦆⦘"
_FOLD = str.maketrans({**dict.fromkeys(_OPENING, "("), **dict.fromkeys(_CLOSING, ")"), "|": " ", "\x00": None})
# Between the parts of ``search_text``, never inside one: ``search_form`` folds it away, so no search word holds it and
# none matches across two parts.
SEARCH_SEPARATOR = "|"


def search_fold(text: str | None) -> str:
    """``text`` as the search compares it: NFKC (full-width digits, letters, brackets and spaces become ASCII), every
    bracket one pair of round brackets, upper case; the separator becomes a space and NUL is dropped (PostgreSQL
    refuses it in a query parameter)."""
    return unicodedata.normalize("NFKC", text or "").translate(_FOLD).upper()


def search_form(text: str | None) -> str:
    """One part of ``search_text`` (a name, code or decision number, a title): ``search_fold`` without any whitespace,
    so that a search word matches it however it was spaced."""
    return "".join(search_fold(text).split())


def search_text_of(*parts: str | None) -> str:
    """The ``search_text`` of ``parts``: each in ``search_form``, joined by ``SEARCH_SEPARATOR`` (empty parts kept, so
    that a part is known by its place)."""
    return SEARCH_SEPARATOR.join(search_form(part) for part in parts)


class PublicEntryColumns(models.Model):
    """Display and search columns of a public entry; ``public_code`` is a credit code or a *masked* ID number.

    ``search_text`` is name, code and document number in ``search_form`` (``build_search_text``); on PostgreSQL it
    carries a pg_trgm GIN index (created by migration 0002) so ``__contains`` serves Chinese substrings.
    """

    subject_kind = models.CharField(_("主体类别"), max_length=10, choices=SubjectKind.choices)
    subject_name = models.CharField(_("主体名称"), max_length=200)
    public_code = models.CharField(
        _("主体代码"), max_length=30, blank=True, help_text=_("统一社会信用代码；自然人为脱敏后的证件号码")
    )
    document_number = models.CharField(_("决定文书号"), max_length=100, blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    # Text columns the public sees as typed by a clerk or reviewer: masked on every save (``publicity.masking``), so
    # no page, feed or open-data file can show a full ID or mobile number from them.
    PUBLIC_TEXT_FIELDS: tuple[str, ...] = ("subject_name", "document_number")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.mask_public_columns()
        super().save(*args, **kwargs)

    @property
    def has_org_page(self) -> bool:
        """Whether the entry's code leads to an organisation page (/org/<code>/): an organisation's, never the code
        every unlicensed 个体工商户 shares (``USCC_PLACEHOLDER``), which names no one organisation."""
        return self.subject_kind == SubjectKind.LEGAL and self.public_code.upper() != USCC_PLACEHOLDER

    def mask_public_columns(self) -> None:
        """Mask ID, mobile and landline numbers in every public text column, and a natural person's home address in
        the free text (not in the name or the document number, ``publicity.masking``); rebuild the search text from
        the masked columns (a search for a full ID number finds nothing)."""
        from publicity.masking import NAME_COLUMNS, mask_free_text, mask_text_of

        for field in self.PUBLIC_TEXT_FIELDS:
            value = getattr(self, field)
            if field in NAME_COLUMNS:
                setattr(self, field, mask_free_text(value))
            else:
                setattr(self, field, mask_text_of(self.subject_kind, value))
        self.search_text = self.build_search_text()

    def build_search_text(self) -> str:
        """Name, credit code and decision number (``search_text_of``). A natural person's is always ``NAME|DECISION
        NUMBER``, without the masked ID: names are not searchable by default, and the search finds a person by what
        follows the separator (``publicity.selectors``; on PostgreSQL the bigrams of migration 0015)."""
        if self.subject_kind == SubjectKind.NATURAL:
            return search_text_of(self.subject_name, self.document_number)
        return search_text_of(self.subject_name, self.public_code, self.document_number)
