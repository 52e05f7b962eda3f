"""Extensions and the IMMUTABLE normaliser the catalogue's search indexes are built on.

`unaccent()` is only STABLE (its dictionary could change), so it cannot appear in an
index expression; this wrapper pins the dictionary and promises immutability, which
holds as long as nobody edits unaccent.rules. Its output equals
`marketplace.core.search.normalise_search_text` (tests/catalogue/test_search_text.py).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION catalogue_search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT btrim(regexp_replace(
       lower(public.unaccent('public.unaccent'::regdictionary, value)),
       '[^a-z0-9]+', ' ', 'g')) $$;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS catalogue_search_text(text);"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_function, drop_function, elidable=False),
    ]
