from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("信用信息公示")

    def ready(self) -> None:
        from publicity import panels, receivers

        receivers.connect()
        panels.register()
