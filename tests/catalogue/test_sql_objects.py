"""Each SQL function and trigger has one current text, its file (`catalogue/sql/`,
`shops/sql/`; see `marketplace.core.sql_objects`): the database holds exactly what the
files say, holds no function or trigger without a file, and the newest migration that
applies the files was written for these files."""

import re

import pytest
from django.db import connection

from catalogue.sql import SQL_OBJECTS as CATALOGUE_SQL
from marketplace.core.sql_objects import FUNCTION, TRIGGER, newest_application
from shops.sql import SQL_OBJECTS as SHOPS_SQL

pytestmark = pytest.mark.django_db
APPS = {"catalogue": CATALOGUE_SQL, "shops": SHOPS_SQL}

# Our own functions in the public schema: not those of an extension (unaccent, pg_trgm).
FUNCTIONS = """
SELECT p.proname, pg_get_functiondef(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
"""
TRIGGERS = """
SELECT t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT t.tgisinternal
"""


def definitions() -> dict[tuple[str, str], str]:
    """(kind, name) → the definition PostgreSQL writes back for it."""
    found = {}
    with connection.cursor() as cursor:
        for kind, sql in ((FUNCTION, FUNCTIONS), (TRIGGER, TRIGGERS)):
            cursor.execute(sql)
            for name, definition in cursor.fetchall():
                assert (kind, name) not in found, f"{kind} {name} is overloaded"
                found[kind, name] = definition
    return found


def objects_in_files() -> set[tuple[str, str]]:
    return {
        (kind, name) for objects in APPS.values() for kind, name, _ in objects.texts(connection)
    }


@pytest.mark.parametrize("app", APPS)
def test_every_file_is_listed_and_every_listed_object_has_a_file(app):
    objects = APPS[app]
    on_disk = {
        (path.parent.name.removesuffix("s"), path.stem)
        for path in objects.directory.glob("*/*.sql")
    }
    listed = [(kind, name) for kind in (FUNCTION, TRIGGER) for name in getattr(objects, f"{kind}s")]
    assert len(listed) == len(set(listed)), "an object listed twice"
    assert on_disk == set(listed)
    for kind, name, text in objects.files():
        creates = re.findall(r"^CREATE OR REPLACE (FUNCTION|TRIGGER) (\w+)\b", text, re.M)
        assert creates == [(kind.upper(), name)], f"{kind}s/{name}.sql creates {creates}"


def test_the_database_holds_what_the_files_say():
    """Applying the files again changes no definition (PostgreSQL writes both back in
    its own form, so formatting is normalised): a file edited without a migration, or
    an object replaced by a migration's inline SQL, fails here."""
    before = definitions()
    with connection.cursor() as cursor:
        for objects in APPS.values():
            for _, _, text in objects.texts(connection):
                cursor.execute(text)
    after = definitions()
    changed = sorted(key for key in after if before.get(key) != after[key])
    assert not changed, f"the database differs from these files: {changed}"


def test_no_function_or_trigger_without_a_file():
    in_database = set(definitions())
    in_files = objects_in_files()
    assert in_database - in_files == set(), "in the database, without a file"
    assert in_files - in_database == set(), "in a file, not in the database"


@pytest.mark.parametrize("app", APPS)
def test_the_newest_migration_applies_these_files(app):
    objects = APPS[app]
    newest = newest_application(app)
    assert newest is not None
    assert newest.objects is objects
    assert newest.digest == objects.digest(), (
        f"{app}/sql changed since its newest migration applying it: add a migration "
        f'ending with ApplySqlObjects(SQL_OBJECTS, digest="{objects.digest()}")'
    )


def test_the_normaliser_is_schema_qualified():
    # From PostgreSQL 17 an index build runs its functions with the search_path
    # `pg_catalog, pg_temp`: a bare name in the normaliser would not be found there.
    text = CATALOGUE_SQL.path(FUNCTION, "catalogue_search_text").read_text()
    assert "public.catalogue_unaccent(" in text
    assert "public.unaccent'::regdictionary" in text
