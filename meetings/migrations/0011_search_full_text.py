"""Full-text search of the minutes on PostgreSQL (oversight.search).

A text search configuration `cellmeet_vi`: the `simple` parser and dictionary (no
stemming, no stop words: Vietnamese is written in syllables that an English or any
other stemmer would mangle) behind `unaccent`, so that accented and accentless words
are the same lexeme. The search vector is a stored generated column,
`search_vector = to_tsvector('cellmeet_vi', search_text)`, kept by PostgreSQL itself
whenever `search_text` changes (no code writes it), with a GIN index: matching and
ranking read it instead of parsing every text again. `search_text` is already folded
(cellmeet.text.searchable); unaccent makes the configuration right for any text.

The column is PostgreSQL's only: the model does not declare it (oversight.search
names it in its SQL), other databases (the SQLite of development) get nothing, and
RunPython leaves the model state alone, so `makemigrations --check` stays clean. The
trigram index of 0004 stays for ad-hoc LIKE queries.
"""

from django.db import migrations

CONFIGURATION = "cellmeet_vi"
INDEX_NAME = "meetings_meeting_search_fts"
COLUMN = "search_vector"


def create_full_text_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("meetings", "Meeting")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIGURATION}') THEN
                CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION}
                    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart,
                                      word, hword, hword_part
                    WITH unaccent, simple;
            END IF;
        END $$
        """
    )
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{CONFIGURATION}'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin ({COLUMN})")


def drop_full_text_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("meetings", "Meeting")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_minutes_book_cache"),
    ]

    operations = [
        migrations.RunPython(create_full_text_search, drop_full_text_search, elidable=False),
    ]
