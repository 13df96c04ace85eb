from django.urls import path

from vetting import views

app_name = "vetting"

urlpatterns = [
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("lists/", views.ExternalListsView.as_view(), name="lists"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("commitments/", views.CommitmentsView.as_view(), name="commitments"),
    path("commitments/<int:pk>/status/", views.CommitmentStatusView.as_view(), name="commitment-status"),
    path("subjects/<int:pk>/credit-report.pdf", views.PersonReportView.as_view(), name="person-report"),
    path("batches/", views.BatchCheckListView.as_view(), name="batches"),
    path("batches/<int:pk>/", views.BatchCheckDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/report.xlsx", views.BatchCheckDownloadView.as_view(), name="batch-download"),
]
