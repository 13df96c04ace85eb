"""Load the eleven offices and the ten Annex 1 items with every attribute and data item from the catalog."""

from django.db import migrations


def load_catalog(apps, schema_editor):
    from credit.catalog import ITEM_FIELD_KEYS, load_catalog as read

    Office = apps.get_model("credit", "Office")
    Item = apps.get_model("credit", "Item")
    ItemField = apps.get_model("credit", "ItemField")
    catalog = read()
    offices = {}
    for o in catalog["offices"]:
        offices[o["code"]], _ = Office.objects.update_or_create(
            code=o["code"], defaults={"name": o["name"], "name_en": o["en"]}
        )
    for spec in catalog["items"]:
        any_office = not isinstance(spec["offices"], list)
        deadline = spec["deadline"]
        item, _ = Item.objects.update_or_create(
            no=spec["no"],
            defaults={
                "name": spec["name"],
                "name_en": spec["en"],
                "subject_type": spec["subject_type"],
                "info_category": spec["info_category"],
                "sharing_scope": spec["sharing_scope"],
                "validity": spec["validity"],
                "validity_years": 5 if spec["validity"] == "五年" else 0,
                "offices_text": spec["offices_text"],
                "any_office": any_office,
                "deadline_text": spec["deadline_text"],
                "deadline_kind": deadline["kind"],
                "deadline_days": deadline.get("days"),
                "deadline_from": deadline.get("from", ""),
                "publicity": spec.get("publicity", ""),
            },
        )
        item.offices.set([] if any_office else [offices[code] for code in spec["offices"]])
        keys = ITEM_FIELD_KEYS[spec["no"]]
        assert len(keys) == len(spec["fields"]), f"item {spec['no']}: keys and catalog fields differ"
        ItemField.objects.filter(item=item).delete()
        ItemField.objects.bulk_create(
            ItemField(
                item=item,
                position=position,
                key=key,
                name=field["name"],
                type=field["type"],
                required=field.get("required", False),
                values=field.get("values", []),
                rule=field.get("rule", ""),
            )
            for position, (key, field) in enumerate(zip(keys, spec["fields"], strict=True), start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
