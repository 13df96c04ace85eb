"""/api/v1/oversight/: timeliness figures and Annex 2 indicators (office-scoped)."""

from django.urls import path

from oversight import api

app_name = "oversight-api"
urlpatterns = [
    path("timeliness/", api.TimelinessApi.as_view(), name="timeliness"),
    path("indicators/", api.IndicatorsApi.as_view(), name="indicators"),
]
