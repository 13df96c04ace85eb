from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("信用信息报送")

    def ready(self) -> None:
        from reporting import panels, publication

        panels.register()
        publication.register()
