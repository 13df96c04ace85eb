"""Delete the DRF authtoken keys, which were stored in clear (H2, L2).

They cannot be carried over: the new tokens store a digest of a 64-digit key the portal made and showed once, and a
digest of an old 40-digit key that anyone who read the old admin list may hold would keep that leaked key alive.
``rest_framework.authtoken`` is no longer installed, so its table is emptied by name when it exists (it is left in
place, empty, so that Django's record of that app's migrations still matches the database). Every API client needs a
new token: ``manage.py create_api_token <username>``.
"""

from django.db import migrations


def delete_clear_keys(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_api_token")]

    operations = [migrations.RunPython(delete_clear_keys, migrations.RunPython.noop)]
