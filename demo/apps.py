from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data command (``manage.py load_demo``): it seeds every app, so it sits above them all."""

    name = "demo"
    verbose_name = _("演示数据")
