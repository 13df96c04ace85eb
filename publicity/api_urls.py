"""Open data, mounted at /api/v1/public/."""

from django.urls import path

from publicity import converters  # noqa: F401  (registers <section:…>)
from publicity.views.api import PublicListApi, public_csv

app_name = "publicity-api"
urlpatterns = [
    path("<section:section>.csv", public_csv, name="csv"),
    path("<section:section>/", PublicListApi.as_view(), name="list"),
]
