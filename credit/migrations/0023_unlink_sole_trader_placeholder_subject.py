"""Records identified by the code every unlicensed 个体工商户 shares (17 zeros and X) no longer form one credit subject
(``Record.subject_identity``): the records linked to that shared subject are unlinked. The subject row stays (a credit
check that named it keeps its reference); it has no records, so it is on no page and in no report."""

from django.db import migrations


def unlink(apps, schema_editor):
    Subject = apps.get_model("credit", "Subject")
    Record = apps.get_model("credit", "Record")
    shared = Subject.objects.filter(identifier_kind="uscc_placeholder").values_list("pk", flat=True)
    Record.objects.filter(subject_id__in=list(shared)).update(subject=None)


class Migration(migrations.Migration):
    dependencies = [("credit", "0022_calendar_date_range")]

    operations = [migrations.RunPython(unlink, migrations.RunPython.noop)]
