# Data only: re-mask free text already on the column with the broader publicity.masking.mask_free_text (15-digit and
# split ID numbers, full-width digits, landlines, Unicode separators), over the same fields as 0005.

import importlib

from django.db import migrations

# The same step and fields list as 0005; mask_stored_text calls the current publicity.masking.mask_free_text.
_0005 = importlib.import_module("publicity.migrations.0005_corrected_content_and_masked_text")


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0005_corrected_content_and_masked_text"),
    ]

    operations = [
        migrations.RunPython(_0005.mask_stored_text, migrations.RunPython.noop),
    ]
