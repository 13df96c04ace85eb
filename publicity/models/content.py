"""诚信制度 (policy documents) and 信用动态 (news), edited by the General Office."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Article(models.Model):
    """A page of the column written by a reviewer; public once ``is_published`` and ``published_at`` has come."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    source = models.CharField(_("来源"), max_length=100, default=settings.BUREAU_NAME)
    is_published = models.BooleanField(_("发布"), default=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("编辑人")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PolicyDocument(Article):
    """诚信制度: a credit-system policy document (制度文件)."""

    document_number = models.CharField(_("文号"), max_length=100, blank=True)

    # Every edit is kept, and so audited (audit.signals listens to the history of every tracked model).
    history = HistoricalRecords()

    class Meta(Article.Meta):
        verbose_name = _("诚信制度")
        verbose_name_plural = _("诚信制度")


class NewsItem(Article):
    """信用动态: news of the bureau's credit work."""

    history = HistoricalRecords()

    class Meta(Article.Meta):
        verbose_name = _("信用动态")
        verbose_name_plural = _("信用动态")
