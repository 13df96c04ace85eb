"""Open data, mounted at /api/v1/public/."""

from django.urls import path

from publicity import (
    converters,  # noqa: F401  (registers <section:…>)
    pagecache,
)
from publicity.views.api import PublicListApi, public_csv, public_xlsx

app_name = "publicity-api"
urlpatterns = [
    path("<section:section>.csv", public_csv, name="csv"),
    path("<section:section>.xlsx", public_xlsx, name="xlsx"),
    path(
        "<section:section>/",
        pagecache.public_page(
            "api-list", lambda section: [section], params=("q", "cursor", "page_size"), by_accept=True
        )(PublicListApi.as_view()),
        name="list",
    ),
]
