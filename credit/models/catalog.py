"""Offices, the ten credit-information items of Annex 1 and their data items. Loaded by migration from the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """A division (处室) of the bureau."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    email = models.EmailField(_("通知邮箱"), blank=True)

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DeadlineKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("业务产生后若干工作日内")
    SEMIANNUAL = "semiannual", _("一年两次")


class Publicity(models.TextChoices):
    NONE = "", _("不公示")
    PENALTY = "double_publicity_penalty", _("双公示·行政处罚")
    RED_LIST = "red_list", _("红名单")
    BLACK_LIST = "black_list", _("黑名单")


class Item(models.Model):
    """One credit-information item (信用信息事项) of Annex 1, with every attribute of the annex."""

    no = models.PositiveSmallIntegerField(_("编号"), unique=True)
    name = models.CharField(_("信用信息事项"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    subject_type = models.CharField(_("主体类别"), max_length=20)
    info_category = models.CharField(_("信息类别"), max_length=20)
    sharing_scope = models.CharField(_("数据共享范围"), max_length=20)
    validity = models.CharField(_("有效期限"), max_length=20)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=5)
    offices_text = models.CharField(_("责任处室"), max_length=100)
    any_office = models.BooleanField(
        _("任一处室可报送"),
        default=False,
        help_text=_("“有相关评选工作的处室”等：由持有信息的处室报送，记录上注明报送处室。"),
    )
    offices = models.ManyToManyField(Office, verbose_name=_("责任处室"), blank=True, related_name="items")
    deadline_text = models.CharField(_("报送期限"), max_length=50)
    deadline_kind = models.CharField(_("期限规则"), max_length=20, choices=DeadlineKind.choices)
    deadline_days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    deadline_from = models.CharField(_("起算日期"), max_length=100, blank=True)
    publicity = models.CharField(_("公示方式"), max_length=32, choices=Publicity.choices, blank=True)

    class Meta:
        verbose_name = _("信用信息事项")
        verbose_name_plural = _("信用信息事项")
        ordering = ["no"]

    def __str__(self) -> str:
        return f"{self.no}. {self.name}"

    @property
    def is_natural_person(self) -> bool:
        return self.subject_type == "自然人"

    def owned_by(self, office: "Office") -> bool:
        """Whether ``office`` may report this item (items 6 and 10: any office that holds the information)."""
        return self.any_office or any(o.pk == office.pk for o in self.offices.all())


class ItemField(models.Model):
    """A data item (信用信息数据项) of an item: a column of the upload template and a field of the record form."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="fields", verbose_name=_("信用信息事项"))
    position = models.PositiveSmallIntegerField(_("顺序"))
    key = models.SlugField(_("字段键"), max_length=40)
    name = models.CharField(_("数据项名称"), max_length=100)
    type = models.CharField(_("类型"), max_length=20)
    required = models.BooleanField(_("必填"), default=True)
    values = models.JSONField(_("可选值"), default=list, blank=True)
    rule = models.CharField(_("规则"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("数据项")
        verbose_name_plural = _("数据项")
        ordering = ["item__no", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="itemfield_unique_position"),
            models.UniqueConstraint(fields=["item", "key"], name="itemfield_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name
