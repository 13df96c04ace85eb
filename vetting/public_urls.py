"""Public URLs of the 信用报告, included at the site root beside the public column."""

from django.urls import path

from vetting import public_views

app_name = "vetting-public"

urlpatterns = [
    path("org/<str:code>/credit-report.pdf", public_views.credit_report, name="credit-report"),
    path("credit-report/<str:number>/", public_views.verify, name="verify"),
    path("commitments/", public_views.commitments, name="commitments"),
]
