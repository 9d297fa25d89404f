"""The full-text index of attachments' text: an FTS5 table on SQLite (PostgreSQL searches the
attachments with its ``swedish`` configuration). Rewritten by the service that stores an
attachment (``likvard.networks.services.search.search_index_attachment``).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS networks_attachment_search USING fts5("
    "attachment_id UNINDEXED, meeting_id UNINDEXED, stems, "
    "tokenize='unicode61 remove_diacritics 0')"
)


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS networks_attachment_search")


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_attachments_forwarding")]
    operations = [migrations.RunPython(create_index, drop_index)]
