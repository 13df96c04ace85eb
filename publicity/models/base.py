"""What every public entry shares: the denormalised, already-masked columns the public pages, search and open data
read, so that a public query never touches a full ID number, phone or address."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from credit.models import SubjectKind


class PublicEntryColumns(models.Model):
    """Display and search columns of a public entry; ``public_code`` is a credit code or a *masked* ID number.

    ``search_text`` is upper-cased name, code and document number; on PostgreSQL it carries a pg_trgm GIN index
    (created by migration 0002) so ``__contains`` serves Chinese substrings.
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

    def mask_public_columns(self) -> None:
        """Mask ID, mobile and landline numbers in every public text column, and rebuild the search text from the
        masked columns (a search for a full ID number finds nothing)."""
        from publicity.masking import mask_free_text

        for field in self.PUBLIC_TEXT_FIELDS:
            setattr(self, field, mask_free_text(getattr(self, field)))
        self.search_text = self.build_search_text()

    def build_search_text(self) -> str:
        parts = [
            self.subject_name,
            self.public_code if self.subject_kind == SubjectKind.LEGAL else "",
            self.document_number,
        ]
        return " | ".join(p for p in parts if p).upper()
