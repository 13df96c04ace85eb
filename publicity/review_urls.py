"""The reviewer's approve-and-publish entry points, served among credit's URLs with credit's URL names
(``credit:record-approve``, ``credit:review``, ``api-record-approve``): ``config/urls.py`` adds these patterns to
credit's, so pages, templates and API clients are unchanged while credit itself imports nothing of the column."""

from django.urls import path

from publicity.views import review, review_api

# Joined into the ``credit`` namespace under /workspace/.
workspace_urlpatterns = [
    path("records/<int:pk>/approve/", review.RecordApproveView.as_view(), name="record-approve"),
    path("review/", review.ReviewQueueView.as_view(), name="review"),
]

# Under /api/v1/, next to credit's record endpoints.
api_urlpatterns = [
    path("records/<int:pk>/approve/", review_api.RecordApproveApi.as_view(), name="api-record-approve"),
]
