"""The catalogue's read model declared (issue 16): unmanaged models over the tables and
columns that 0006-0010 created and SQL keeps; nothing in the database changes."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0010_search_entries'),
        ('shops', '0006_shop_invitations'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductListingRow',
            fields=[
                ('id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('catalogue_seller_text', models.TextField(default='')),
                ('catalogue_listing_item', models.TextField(null=True)),
                ('catalogue_listing_image', models.TextField(null=True)),
                ('catalogue_stars', models.SmallIntegerField(null=True)),
                ('catalogue_product_group', models.TextField(null=True)),
                ('catalogue_rating', models.DecimalField(decimal_places=2, max_digits=3, null=True)),
            ],
            options={
                'db_table': 'shops_product',
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('product', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='shops.product')),
                ('public_until', models.DateField(null=True)),
                ('created_at', models.DateTimeField()),
                ('search_name', models.TextField()),
                ('document', django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                'db_table': 'catalogue_search_entry',
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.TextField(db_collation='C', primary_key=True, serialize=False)),
            ],
            options={
                'db_table': 'catalogue_search_word',
                'managed': False,
                'default_permissions': (),
            },
        ),
    ]
