"""Credit subjects: the legal person (by credit code) or natural person (by ID number) that records are about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from credit.fields import ENCRYPTED_MAX_LENGTH, EncryptedCharField


class SubjectKind(models.TextChoices):
    LEGAL = "legal", _("法人及非法人组织")
    NATURAL = "natural", _("自然人")


class Subject(models.Model):
    """One organisation or one person; all records about it link here, giving its whole credit history."""

    kind = models.CharField(_("主体类别"), max_length=10, choices=SubjectKind.choices)
    # Encrypted like every personal identifier; exact matches (the subject look-up) still work, see credit.crypto.
    identifier = EncryptedCharField(
        _("主体标识"), max_length=ENCRYPTED_MAX_LENGTH, help_text=_("统一社会信用代码等机构代码，或身份证件号码")
    )
    identifier_kind = models.CharField(
        _("标识类型"),
        max_length=20,
        blank=True,
        help_text=_(
            "uscc 统一社会信用代码 / orgcode 组织机构代码 / bizreg 工商注册号 / tax 税务登记证号 / cn_id 居民身份证 / 其他证件"
        ),
    )
    name = models.CharField(_("名称"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        constraints = [models.UniqueConstraint(fields=["kind", "identifier"], name="subject_unique_identifier")]
        # The credit check (信用审查) and the review queue's badges look subjects up by identifier alone, of any kind.
        indexes = [models.Index(fields=["identifier"], name="subject_identifier")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_identifier(self) -> str:
        """The identifier as staff lists show it: credit codes in full, a person's ID number masked."""
        from credit.validators import mask_cn_id

        return mask_cn_id(self.identifier) if self.kind == SubjectKind.NATURAL else self.identifier
