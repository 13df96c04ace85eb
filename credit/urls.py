"""The staff workspace: /workspace/… (the approve and review-queue pages join these from ``publicity.review_urls``:
config/urls.py)."""

from django.urls import path

from credit.views import dashboard, notices, records, subjects

app_name = "credit"
urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("records/", records.RecordListView.as_view(), name="record-list"),
    path("items/<int:no>/new/", records.RecordCreateView.as_view(), name="record-create"),
    path("records/<int:pk>/", records.RecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/edit/", records.RecordEditView.as_view(), name="record-edit"),
    path("records/<int:pk>/submit/", records.RecordSubmitView.as_view(), name="record-submit"),
    path("records/<int:pk>/withdraw/", records.RecordWithdrawView.as_view(), name="record-withdraw"),
    path("records/<int:pk>/return/", records.RecordReturnView.as_view(), name="record-return"),
    path("records/<int:pk>/revoke/", records.RecordRevokeView.as_view(), name="record-revoke"),
    path("changes/<int:pk>/approve/", records.ChangeApproveView.as_view(), name="change-approve"),
    path("changes/<int:pk>/return/", records.ChangeReturnView.as_view(), name="change-return"),
    path("changes/<int:pk>/withdraw/", records.ChangeWithdrawView.as_view(), name="change-withdraw"),
    path("subjects/<int:pk>/", subjects.SubjectDetailView.as_view(), name="subject-detail"),
    path("notices/", notices.NoticeListView.as_view(), name="notices"),
]
