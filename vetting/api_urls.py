"""信用审查 API, included at /api/v1/vetting/."""

from django.urls import path

from vetting import api

urlpatterns = [
    path("batch-checks/", api.BatchCheckCreateApi.as_view(), name="api-vetting-batch-create"),
    path("batch-checks/<int:pk>/", api.BatchCheckDetailApi.as_view(), name="api-vetting-batch"),
]
