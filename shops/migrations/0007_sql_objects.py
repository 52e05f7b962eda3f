"""The shops' tally function and triggers from their files (`shops/sql/`), which are
their current text from now on: a later change edits a file and adds a migration
ending with `ApplySqlObjects` (see `marketplace.core.sql_objects`). Applied to a
database migrated to 0006, the texts equal those 0004 wrote; nothing changes."""

from django.db import migrations

from marketplace.core.sql_objects import ApplySqlObjects
from shops.sql import SQL_OBJECTS


class Migration(migrations.Migration):
    dependencies = [("shops", "0006_shop_invitations")]

    operations = [ApplySqlObjects(SQL_OBJECTS, digest="6218812662d62a61")]
