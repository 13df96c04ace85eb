# Data only: mask every public text column already on the column (subject name, document number, authority, free
# text) with publicity.masking.mask_free_text, which now reads ID and mobile numbers through any separators, and
# rebuild the search text from the masked columns. New and changed entries are masked on save.

from django.db import migrations

from publicity.masking import mask_free_text

BASE = ("subject_name", "document_number")
TEXT_FIELDS = {
    "Publication": (*BASE, "offence_type", "offence_facts", "penalty_basis", "content", "authority"),
    "BlackListEntry": (*BASE, "reason", "legal_basis", "removal_conditions", "authority"),
    "LicenceDecision": BASE,
}


def mask_every_public_column(apps, schema_editor):
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("publicity", model_name)
        for row in model.objects.only("pk", "subject_kind", "public_code", *fields).iterator(chunk_size=2000):
            masked = {f: mask_free_text(getattr(row, f)) for f in fields}
            if all(masked[f] == getattr(row, f) for f in fields):
                continue
            # PublicEntryColumns.build_search_text, on the masked columns (historical models have no methods).
            code = row.public_code if row.subject_kind == "legal" else ""
            parts = (masked["subject_name"], code, masked["document_number"])
            masked["search_text"] = " | ".join(p for p in parts if p).upper()
            model.objects.filter(pk=row.pk).update(**masked)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0006_remask_free_text"),
    ]

    operations = [
        migrations.RunPython(mask_every_public_column, migrations.RunPython.noop),
    ]
