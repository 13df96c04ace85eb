"""A URLconf with views that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path


def boom(request):
    raise RuntimeError("secret internals /etc/passwd")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("forbidden/", forbidden)]
