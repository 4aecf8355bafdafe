"""A trigram index on the folded text of the minutes, for search on PostgreSQL.

search_text is already lower case without diacritics, so `search_text LIKE '%word%'`
is the whole search; pg_trgm's GIN index answers such patterns without reading every
row. unaccent is created for ad-hoc queries by administrators. Other databases (the
SQLite used in development) need nothing: the migration does nothing there, and since
RunPython does not touch the model state, `makemigrations --check` stays clean.
"""

from django.db import migrations

INDEX_NAME = "meetings_meeting_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("meetings", "Meeting")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extensions stay: other objects of the database may use them.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_oversight"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
