"""The full-text index of the bank: an FTS5 table on SQLite holding each item's words (title,
summary, authors, tags, its files' text) stemmed by the Swedish Snowball stemmer. PostgreSQL
searches the items with its ``swedish`` configuration. Rewritten by the services that write an
item (``likvard.knowledge.services.search.knowledge_index``).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_search USING fts5("
    "item_id UNINDEXED, stems, tokenize='unicode61 remove_diacritics 0')"
)


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_search")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
