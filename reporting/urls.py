"""Workspace pages of the reporting app, included at /workspace/reporting/."""

from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.ReportingHomeView.as_view(), name="home"),
    path("templates/<int:no>/", views.TemplateDownloadView.as_view(), name="template-download"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import-create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/status/", views.ImportStatusView.as_view(), name="import-status"),
    path("imports/<int:pk>/submit/", views.ImportSubmitView.as_view(), name="import-submit"),
    path("imports/<int:pk>/errors.xlsx", views.ImportErrorFileView.as_view(), name="import-errors"),
    path("problems/", views.ProblemQueueView.as_view(), name="problem-queue"),
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/new/", views.BatchCreateView.as_view(), name="batch-create"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/download/", views.BatchDownloadView.as_view(), name="batch-download"),
    path("batches/<int:pk>/manual/", views.BatchManualUploadView.as_view(), name="batch-manual"),
    path("batches/<int:pk>/retry/", views.BatchRetryView.as_view(), name="batch-retry"),
]
