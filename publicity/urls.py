"""The public credit column, mounted at "/"."""

from django.urls import path

from publicity import (
    converters,  # noqa: F401  (registers <section:…> and <article:…>)
    pagecache,
)
from publicity.feeds import LatestEntriesAtomFeed, LatestEntriesFeed
from publicity.views import display, public, statistics

app_name = "publicity"
urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("org/<str:code>/", public.organisation, name="org"),
    path("open-data/", public.open_data, name="open-data"),
    path("feed/rss/", pagecache.public_page("rss", pagecache.EVERYTHING)(LatestEntriesFeed()), name="feed-rss"),
    path("feed/atom/", pagecache.public_page("atom", pagecache.EVERYTHING)(LatestEntriesAtomFeed()), name="feed-atom"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/monthly.csv", statistics.statistics_csv, {"table": "monthly"}, name="statistics-monthly-csv"),
    path(
        "statistics/penalties.csv", statistics.statistics_csv, {"table": "penalties"}, name="statistics-penalties-csv"
    ),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.request_status, name="request-status"),
    path("display/text-size/", display.text_size, name="text-size"),
    path("<article:kind>/", public.article_list, name="articles"),
    path("<article:kind>/<int:pk>/", public.article_detail, name="article"),
    path("<section:section>/", public.entry_list, name="list"),
    path("<section:section>/<int:pk>/", public.entry_detail, name="detail"),
    path("<section:section>/<int:pk>/objection/", public.file_request, {"kind": "objection"}, name="objection"),
    path("<section:section>/<int:pk>/repair/", public.file_request, {"kind": "repair"}, name="repair"),
]
