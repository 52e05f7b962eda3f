"""Extensions and the IMMUTABLE normaliser the catalogue's search indexes are built on.

`unaccent()` is only STABLE (its dictionary could change), so it cannot appear in an
index expression; this wrapper pins the dictionary and promises immutability, which
holds as long as nobody edits unaccent.rules. Its output equals
`marketplace.core.search.normalise_search_text` (tests/catalogue/test_search_text.py).

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION catalogue_search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT btrim(regexp_replace(
       lower({unaccent}('public.unaccent'::regdictionary, value)),
       '[^a-z0-9]+', ' ', 'g')) $$;
"""
# unaccent's own C function declared IMMUTABLE: a SQL wrapper that calls only immutable
# functions is inlined by the planner, about four times cheaper per row than one calling
# the STABLE `public.unaccent`. Creating a C-language function needs a superuser; without
# one the wrapper calls `public.unaccent` (same result, slower).
# Schema-qualified: from PostgreSQL 17 an index build runs its functions with the
# search_path `pg_catalog, pg_temp`, where a bare `catalogue_unaccent` is not found.
# Its COST tells the planner that normalising every row is dear: once inlined, the
# wrapper would otherwise look cheaper than the trigram indexes and be seq-scanned.
CREATE_IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION catalogue_unaccent(regdictionary, text) RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT COST 1000
AS '$libdir/unaccent', 'unaccent_dict';
"""


DROP_FUNCTION = """
DROP FUNCTION IF EXISTS catalogue_search_text(text);
DROP FUNCTION IF EXISTS catalogue_unaccent(regdictionary, text);
"""


def create_function(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    if superuser:
        schema_editor.execute(CREATE_IMMUTABLE_UNACCENT, params=None)
    schema_editor.execute(
        CREATE_FUNCTION.format(
            unaccent="public.catalogue_unaccent" if superuser else "public.unaccent"
        ),
        params=None,
    )


def drop_function(apps, schema_editor):
    schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_function, drop_function, elidable=False),
    ]
