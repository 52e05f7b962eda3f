"""The catalogue's functions and triggers from their files (`catalogue/sql/`), which are
their current text from now on: a later change edits a file and adds a migration
ending with `ApplySqlObjects` (see `marketplace.core.sql_objects`). Applied to a
database migrated to 0010, the texts equal those 0001–0010 wrote; nothing changes."""

from django.db import migrations

from catalogue.sql import SQL_OBJECTS
from marketplace.core.sql_objects import ApplySqlObjects


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0011_read_model"),
        # The tables and columns the texts read.
        ("shops", "0007_sql_objects"),
        ("orders", "0003_refund_sent_and_refund_id"),
        ("regions", "0002_load_regions"),
    ]

    operations = [ApplySqlObjects(SQL_OBJECTS, digest="2b570fa102637525")]
