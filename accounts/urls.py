"""The staff's own account pages under /accounts/: Django's auth views, signing in with the bounded-username form.

Meant to replace ``include("django.contrib.auth.urls")`` in ``config/urls.py``: the same paths and names, but
``/accounts/login/`` uses ``PortalAuthenticationForm`` (an over-long username is a field error, not a 500 on
PostgreSQL; see ``accounts.forms``).
"""

from django.contrib.auth import urls as auth_urls
from django.contrib.auth import views
from django.urls import path

from accounts.forms import PortalAuthenticationForm

urlpatterns = [
    path("login/", views.LoginView.as_view(authentication_form=PortalAuthenticationForm), name="login"),
    *[pattern for pattern in auth_urls.urlpatterns if pattern.name != "login"],
]
