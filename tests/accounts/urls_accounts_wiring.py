"""The project's URLs with /accounts/ served by ``accounts.urls`` (as config/urls.py should include it)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    *[pattern for pattern in project_urlpatterns if str(pattern.pattern) != "accounts/"],
]
