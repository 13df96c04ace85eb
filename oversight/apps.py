from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("工作考核与通报")

    def ready(self) -> None:
        from oversight import aggregates

        aggregates.connect()
        post_migrate.connect(_count_an_existing_installation, sender=self)


def _count_an_existing_installation(using: str = "default", **kwargs) -> None:
    """The first ``migrate`` that creates the aggregate table on an installation that already holds records fills it,
    so an upgrade needs no manual ``oversight_rebuild_aggregates`` before the oversight pages are right."""
    from django.db import connections

    from credit.models import Record
    from oversight.aggregates import aggregates_rebuild
    from oversight.models import OfficeItemMonth

    with connections[using].cursor() as cursor:  # a migrate to an earlier target: the table may not be there yet
        tables = connections[using].introspection.table_names(cursor)
    if OfficeItemMonth._meta.db_table not in tables:
        return
    if not OfficeItemMonth.objects.using(using).exists() and Record.objects.using(using).exists():
        aggregates_rebuild()
