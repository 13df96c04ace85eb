# Data only: re-mask the public text already on the column with core.masking as it now reads numbers: ID and mobile
# numbers in a list (13907915678,13807915678, 13907915678/13807915678), a mobile with a country code typed onto it
# (+8613907915678, 0086-139-0791-5678), a mobile followed by a landline (139 0791 5678 / 0791-86123456); in natural
# persons' free text also the door-level address forms XX小区3-2-501, 幸福村12组, 滨江花园B座1502. Names and document
# numbers are masked for numbers only (publicity.masking.NAME_COLUMNS) and the search text is rebuilt from them, as
# on save. New and changed entries are masked on save.

from django.db import migrations

from publicity.masking import NAME_COLUMNS, mask_free_text, mask_text_of
from publicity.models.base import search_text_of

BASE = ("subject_name", "document_number")
TEXT_FIELDS = {
    "Publication": (*BASE, "offence_type", "offence_facts", "penalty_basis", "content", "authority"),
    "BlackListEntry": (*BASE, "reason", "legal_basis", "removal_conditions", "authority"),
    "LicenceDecision": BASE,
}


def masked_columns(row, fields) -> dict[str, str]:
    """``PublicEntryColumns.mask_public_columns`` on a historical row (historical models have no methods)."""
    return {
        f: mask_free_text(getattr(row, f)) if f in NAME_COLUMNS else mask_text_of(row.subject_kind, getattr(row, f))
        for f in fields
    }


def remask_public_text(apps, schema_editor):
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("publicity", model_name)
        rows = model.objects.only("pk", "subject_kind", "public_code", *fields)
        for row in rows.iterator(chunk_size=2000):
            masked = masked_columns(row, fields)
            if all(masked[f] == getattr(row, f) for f in fields):
                continue
            # PublicEntryColumns.build_search_text, on the masked columns.
            if row.subject_kind == "natural":
                masked["search_text"] = search_text_of(masked["subject_name"], masked["document_number"])
            else:
                parts = (masked["subject_name"], row.public_code, masked["document_number"])
                masked["search_text"] = search_text_of(*parts)
            model.objects.filter(pk=row.pk).update(**masked)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0016_mask_home_addresses"),
    ]

    operations = [
        migrations.RunPython(remask_public_text, migrations.RunPython.noop),
    ]
