"""RSS 2.0 and Atom feeds of the newest public entries and news (django.contrib.syndication). Entries come through
``publicity.selectors`` and carry only their public (masked) columns.

Each item has the time of its last public change (Atom ``<updated>``, RFC 4287): an entry corrected after an
objection, or changed with its record, shows when, and the entries corrected lately are in the feed however old, so
that a subscriber learns of the correction. Times are Beijing time with their offset (``+08:00``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publicity import selectors
from publicity.masking import mask_free_text
from publicity.models import CorrectionKind, CorrectionNotice, NewsItem
from publicity.sections import SECTIONS, TITLES, detail_url

PER_SECTION = 20
# The link of a correction notice to the entry it corrected, by section.
_CORRECTED = selectors.NOTICE_LINK


@dataclass
class FeedItem:
    title: str
    description: str
    link: str
    published: datetime
    updated: datetime


def _beijing(moment: datetime) -> datetime:
    """``moment`` in the site's time (Asia/Shanghai), so the feeds say +08:00 rather than UTC."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def _published(entry) -> datetime:
    return getattr(entry, "published_at", None) or entry.created_at


def _updated(entry) -> datetime:
    """The entry's last public change: its publication, a correction on an objection (``last_corrected``, and a
    publication's ``corrected_at``), an approved change of its record (``record_changed``), whichever came last."""
    moments = [getattr(entry, key, None) for key in ("last_corrected", "corrected_at", "record_changed")]
    return max([_published(entry), *filter(None, moments)])


def _feed_entries(section: str, corrected: set[int]) -> list:
    """The public entries of ``section`` with what ``_updated`` reads: the newest, and those of ``corrected``."""
    link = _CORRECTED[section]
    last_corrected = (
        CorrectionNotice.objects.filter(kind=CorrectionKind.CORRECTED, **{link: OuterRef("pk")})
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    qs = selectors.public_entries(section).annotate(last_corrected=Subquery(last_corrected))
    if link == "publication":
        qs = qs.annotate(record_changed=F("record__updated_at"))
    newest = list(qs[:PER_SECTION])
    older = corrected - {entry.pk for entry in newest}
    return [*newest, *(qs.filter(pk__in=older) if older else [])]


def _recently_corrected() -> dict[str, set[int]]:
    """The entries of the latest corrections (``PER_SECTION`` of them, of any section), by the link of the notice
    (``_CORRECTED``'s values): one query. An entry no longer public is left out by ``_feed_entries``."""
    out: dict[str, set[int]] = {link: set() for link in _CORRECTED.values()}
    links = list(out)
    notices = CorrectionNotice.objects.filter(kind=CorrectionKind.CORRECTED).order_by("-id")
    for ids in notices.values_list(*(f"{link}_id" for link in links))[:PER_SECTION]:
        for link, pk in zip(links, ids, strict=True):
            if pk is not None:
                out[link].add(pk)
    return out


class LatestEntriesFeed(Feed):
    title = _("南昌市教育局信用信息公示")
    description = _("行政许可、行政处罚、红名单、黑名单及信用动态的最新公示。")

    def link(self):
        return reverse("publicity:home")

    def author_name(self) -> str:
        """The feed's author (Atom requires one, RFC 4287 4.1.1): the bureau that publishes the column."""
        return settings.BUREAU_NAME

    def items(self) -> list[FeedItem]:
        out = []
        corrected = _recently_corrected()
        for section in SECTIONS:
            for entry in _feed_entries(section, corrected[_CORRECTED[section]]):
                code = f"（{entry.public_code}）" if entry.public_code else ""
                doc = f" {entry.document_number}" if entry.document_number else ""
                description = (
                    getattr(entry, "content", None) or getattr(entry, "public_nr", None) or getattr(entry, "reason", "")
                )
                # An entry's title joins several columns: masked once more as a whole, like its text, so digits that
                # only form a full number once joined never leave the feed (news is the bureau's own text).
                out.append(
                    FeedItem(
                        title=mask_free_text(f"【{TITLES[section]}】{entry.subject_name}{code}{doc}"),
                        description=mask_free_text(description),
                        link=detail_url(section, entry.pk),
                        published=_beijing(_published(entry)),
                        updated=_beijing(_updated(entry)),
                    )
                )
        for news in selectors.public_articles(NewsItem)[:PER_SECTION]:
            out.append(
                FeedItem(
                    title=f"【{_('信用动态')}】{news.title}",
                    description=news.body[:300],
                    link=reverse("publicity:article", args=["news", news.pk]),
                    published=_beijing(news.published_at),
                    # Edited after it went out; an article written today but dated earlier went out today.
                    updated=_beijing(max(news.published_at, news.updated_at)),
                )
            )
        # Latest change first: a correction brings an entry back to the top, where a reader looks.
        return sorted(out, key=lambda i: (i.updated, i.published), reverse=True)[: PER_SECTION * 2]

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.updated


class LatestEntriesAtomFeed(LatestEntriesFeed):
    feed_type = Atom1Feed
    subtitle = LatestEntriesFeed.description
