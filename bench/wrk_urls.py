"""URLs of ``bench/bench_wrk.py``'s gunicorn: the whole site, and a trivial view through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-trivial/", trivial), path("", include("config.urls"))]
