"""Seed the working-day calendar from chinesecalendar for the years it knows (2004 onward)."""

from django.db import migrations


def seed(apps, schema_editor):
    from credit.services.calendar import chinesecalendar_days

    CalendarDay = apps.get_model("credit", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name) for day, kind, name in chinesecalendar_days() if day not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_load_catalog")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
