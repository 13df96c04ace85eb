# Data only: mask the door-level detail of home addresses (北京东路88号5栋1单元302室 → 北京东路**号*栋*单元***室) in the
# free text of natural persons' entries already on the column (publicity.masking.mask_personal_text); names, document
# numbers and search text are not addresses and stay. New and changed entries are masked on save.

from django.db import migrations

from publicity.masking import mask_personal_text

FREE_TEXT = {
    "Publication": ("offence_type", "offence_facts", "penalty_basis", "content", "authority"),
    "BlackListEntry": ("reason", "legal_basis", "removal_conditions", "authority"),
}


def mask_home_addresses(apps, schema_editor):
    for model_name, fields in FREE_TEXT.items():
        model = apps.get_model("publicity", model_name)
        rows = model.objects.filter(subject_kind="natural").only("pk", *fields)
        for row in rows.iterator(chunk_size=2000):
            masked = {f: mask_personal_text(getattr(row, f)) for f in fields}
            if any(masked[f] != getattr(row, f) for f in fields):
                model.objects.filter(pk=row.pk).update(**masked)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0015_search_text_in_one_form"),
    ]

    operations = [
        migrations.RunPython(mask_home_addresses, migrations.RunPython.noop),
    ]
