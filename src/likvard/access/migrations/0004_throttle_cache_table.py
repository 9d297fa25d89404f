"""The database cache tables (``likvard_throttle``, and ``likvard_cache`` in production), so
that login throttling is shared by every process from the first request."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("access", "0003_token_scopes_expiry")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
