"""/workspace/oversight/: the oversight dashboard, per-office figures, Annex 2 indicators and work bulletins."""

from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("offices/<slug:code>/", views.OfficeFiguresView.as_view(), name="office"),
    path("nil-reports/", views.NilReportView.as_view(), name="nil-reports"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicators"),
    path("indicators/ensure/", views.IndicatorEnsureView.as_view(), name="indicators-ensure"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("indicators/<int:pk>/progress/", views.IndicatorProgressView.as_view(), name="indicator-progress"),
    path("indicators/<int:pk>/<slug:action>/", views.IndicatorDecisionView.as_view(), name="indicator-decision"),
    path("progress/<int:pk>/attachment/", views.ProgressAttachmentView.as_view(), name="progress-attachment"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletins"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin-detail"),
    path("bulletins/<int:pk>/download/", views.BulletinDownloadView.as_view(), name="bulletin-download"),
]
