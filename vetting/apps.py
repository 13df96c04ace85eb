from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = _("信用审查")

    def ready(self) -> None:
        from vetting import panels, receivers

        receivers.connect()
        panels.register()
