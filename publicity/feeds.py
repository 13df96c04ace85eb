"""RSS 2.0 and Atom feeds of the newest public entries and news (django.contrib.syndication). Entries come through
``publicity.selectors`` and carry only their public (masked) columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publicity import selectors
from publicity.masking import mask_free_text
from publicity.models import NewsItem
from publicity.sections import SECTIONS, TITLES, detail_url

PER_SECTION = 20


@dataclass
class FeedItem:
    title: str
    description: str
    link: str
    published: datetime


def _published(entry) -> datetime:
    return getattr(entry, "published_at", None) or entry.created_at


class LatestEntriesFeed(Feed):
    title = _("南昌市教育局信用信息公示")
    description = _("行政许可、行政处罚、红名单、黑名单及信用动态的最新公示。")

    def link(self):
        return reverse("publicity:home")

    def items(self) -> list[FeedItem]:
        out = []
        for section in SECTIONS:
            for entry in selectors.public_entries(section)[:PER_SECTION]:
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
                        published=_published(entry),
                    )
                )
        for news in selectors.public_articles(NewsItem)[:PER_SECTION]:
            out.append(
                FeedItem(
                    title=f"【{_('信用动态')}】{news.title}",
                    description=news.body[:300],
                    link=reverse("publicity:article", args=["news", news.pk]),
                    published=news.published_at,
                )
            )
        return sorted(out, key=lambda i: i.published, reverse=True)[: PER_SECTION * 2]

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.published


class LatestEntriesAtomFeed(LatestEntriesFeed):
    feed_type = Atom1Feed
    subtitle = LatestEntriesFeed.description
