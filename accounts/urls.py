"""The staff's own account pages under /accounts/: Django's auth views, signing in with the bounded-username form.

Meant to replace ``include("django.contrib.auth.urls")`` in ``config/urls.py``: the same paths and names, but
``/accounts/login/`` uses ``PortalAuthenticationForm`` (an over-long username is a field error, not a 500 on
PostgreSQL; see ``accounts.forms``).
"""

from django.contrib.auth import urls as auth_urls
from django.urls import path

from accounts.views import PortalLoginView

# No self-service password reset by e-mail: accounts and their passwords are the security admin's duty (三员分立),
# and a reset link by e-mail would bypass the lockout and the second factor.
_NOT_OFFERED = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}

urlpatterns = [
    # Each role lands on its home after signing in (accounts.views).
    path("login/", PortalLoginView.as_view(), name="login"),
    *[pattern for pattern in auth_urls.urlpatterns if pattern.name not in _NOT_OFFERED],
]
