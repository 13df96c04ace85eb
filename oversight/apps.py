from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("工作考核与通报")

    def ready(self) -> None:
        from oversight import aggregates

        aggregates.connect()
