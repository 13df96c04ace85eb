"""Reporting API, included at /api/v1/reporting/."""

from django.urls import path

from reporting.api import views

urlpatterns = [
    path("imports/", views.ImportCreateView.as_view(), name="api-reporting-import-create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="api-reporting-import"),
    path("batches/", views.BatchListView.as_view(), name="api-reporting-batches"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="api-reporting-batch"),
]
