"""The full-text index of notes: an FTS5 table on SQLite (PostgreSQL searches the items).

The index holds Swedish-stemmed words (FTS5 has no Swedish stemmer); the service that writes
an item rewrites its row (``likvard.networks.services.search.search_index_item``).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS networks_search USING fts5("
    "item_id UNINDEXED, meeting_id UNINDEXED, stems, tokenize='unicode61 remove_diacritics 0')"
)


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS networks_search")


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
