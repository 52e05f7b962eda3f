"""SQL functions and triggers kept as files: one current text per object.

An app whose rules live partly in the database (the catalogue's read model, the shops'
tally of public products) keeps each function in `<app>/sql/functions/<name>.sql` (a
`CREATE OR REPLACE FUNCTION`) and each trigger in `<app>/sql/triggers/<name>.sql` (a
`CREATE OR REPLACE TRIGGER`, PostgreSQL 14 and later), and lists them in
`<app>/sql/__init__.py` as a `SqlObjects`, in the order they are applied: a function
before the functions that call it, every function before the triggers.

The files are the truth; migrations apply them with `ApplySqlObjects`. The migrations
written before the files keep their inline SQL: they are history, and a fresh database
runs them, then gets the current texts from the newest `ApplySqlObjects`.

To change a function or trigger:
1. edit its file;
2. add a migration to its app ending with `ApplySqlObjects(<app>.sql.SQL_OBJECTS,
   digest="...")`, the digest being `SQL_OBJECTS.digest()` (the test
   tests/catalogue/test_sql_objects.py fails, printing it, until the app's newest
   `ApplySqlObjects` carries the files' digest: an edit cannot reach a fresh database
   without a migration taking it to the existing ones);
3. put any schema change the new text reads (a new column) in that migration, before
   the operation, and make it depend on the migrations of the tables it reads.
To add one, add its file and its name in the list; to remove one, drop it in a
migration (`DROP TRIGGER` / `DROP FUNCTION`) and delete its file: the same test fails
on a function or trigger in the database that no file holds, or a file whose object
is not in the database.

Only the newest `ApplySqlObjects` of an app that is still to run applies the files:
an older one, superseded in the same `migrate`, does nothing, so a fresh database never
runs a current text before the schema changes it reads. (Migrating to an older target
leaves the texts that the migrations up to it wrote.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import migrations
from django.db.migrations.loader import MigrationLoader

FUNCTION, TRIGGER = "function", "trigger"


@dataclass(frozen=True)
class SqlObjects:
    """An app's SQL functions and triggers, by name, in the order they are applied.

    `superuser_only`: functions created only when the migrating role is a superuser
    (a C-language function), each with the (text, replacement) that the other texts
    get without it."""

    directory: Path
    functions: tuple[str, ...]
    triggers: tuple[str, ...]
    superuser_only: dict[str, tuple[str, str]] = field(default_factory=dict)

    def path(self, kind: str, name: str) -> Path:
        return self.directory / f"{kind}s" / f"{name}.sql"

    def files(self) -> Iterator[tuple[str, str, str]]:
        """(kind, name, text) of every object, in the order they are applied."""
        for kind, names in ((FUNCTION, self.functions), (TRIGGER, self.triggers)):
            for name in names:
                yield kind, name, self.path(kind, name).read_text(encoding="utf-8")

    def digest(self) -> str:
        """The files' fingerprint, which the app's newest `ApplySqlObjects` states."""
        sha = hashlib.sha256()
        for kind, name, text in self.files():
            sha.update(f"{kind} {name}\n{text}\0".encode())
        return sha.hexdigest()[:16]

    def texts(self, connection) -> list[tuple[str, str, str]]:
        """(kind, name, SQL) as this database gets them (see `superuser_only`)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
        texts = []
        for kind, name, text in self.files():
            if name in self.superuser_only and not superuser:
                continue
            if not superuser:
                for old, new in self.superuser_only.values():
                    text = text.replace(old, new)
            texts.append((kind, name, text))
        return texts

    def apply(self, schema_editor) -> None:
        for _, _, text in self.texts(schema_editor.connection):
            schema_editor.execute(text, params=None)


class ApplySqlObjects(migrations.RunPython):
    """A migration's operation: apply an app's SQL objects, as the files have them,
    unless a later migration of the same app applies them too and is still to run.

    `digest` records which files this migration was written for (see the module's
    docstring); it does not change what is applied."""

    def __init__(self, objects: SqlObjects, *, digest: str):
        self.objects, self.digest = objects, digest
        super().__init__(self._forwards, migrations.RunPython.noop, elidable=False)

    def deconstruct(self):
        # Never serialised by makemigrations (written by hand); this keeps the
        # autodetector's comparisons from failing on the callable.
        return self.__class__.__name__, [self.objects], {"digest": self.digest}

    def _forwards(self, apps, schema_editor) -> None:
        if not self._superseded(schema_editor.connection):
            self.objects.apply(schema_editor)

    def _superseded(self, connection) -> bool:
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        mine = [
            key
            for key, migration in loader.disk_migrations.items()
            if any(operation is self for operation in migration.operations)
        ]
        if not mine:
            return False
        later = loader.graph.backwards_plan(mine[0])
        return any(
            key != mine[0]
            and key[0] == mine[0][0]
            and key not in loader.applied_migrations
            and any(isinstance(op, ApplySqlObjects) for op in loader.get_migration(*key).operations)
            for key in later
        )


def newest_application(app_label: str) -> ApplySqlObjects | None:
    """The `ApplySqlObjects` of the app's migration that runs last (a leaf's)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes(app_label)
    if not leaves:
        return None
    for key in reversed(loader.graph.forwards_plan(leaves[0])):
        if key[0] != app_label:
            continue
        found = [
            op for op in loader.get_migration(*key).operations if isinstance(op, ApplySqlObjects)
        ]
        if found:
            return found[-1]
    return None
