"""The four public lists of the column: titles and URL names, in one place for views, templates, feeds and API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from publicity.selectors import BLACK_LIST, LICENCES, PENALTIES, RED_LIST, SECTIONS

TITLES = {
    LICENCES: _("行政许可"),
    PENALTIES: _("行政处罚"),
    RED_LIST: _("红名单"),
    BLACK_LIST: _("黑名单"),
}
DESCRIPTIONS = {
    LICENCES: _("本局作出的行政许可决定，自决定之日起七个工作日内公示。"),
    PENALTIES: _("本局作出的行政处罚决定，公示期为决定之日起三个月至三年，期满自动撤下。"),
    RED_LIST: _("全市教育系统先进集体、先进工作者等守信信息，在有效期内公示。"),
    BLACK_LIST: _("经认定并事先告知的严重失信主体，列入期满或符合移出条件的移出。"),
}

__all__ = ["SECTIONS", "TITLES", "DESCRIPTIONS", "detail_url"]


def detail_url(section: str, pk: int) -> str:
    return reverse("publicity:detail", kwargs={"section": section, "pk": pk})
