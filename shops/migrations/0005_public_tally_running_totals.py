"""Running totals on the folded rows of the public tally ledger: the unfiltered
catalogue's count reads one folded row and the rows added since the last folding
instead of summing one row per date to come. Existing rows count as added (no
`products_from`) until the next folding."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shops', '0004_product_public_until'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='publicproducttally',
            name='shops_public_tally_until',
        ),
        migrations.AddField(
            model_name='publicproducttally',
            name='products_from',
            field=models.IntegerField(null=True),
        ),
        migrations.AddIndex(
            model_name='publicproducttally',
            index=models.Index(condition=models.Q(('products_from__isnull', True)), fields=['public_until'], include=('products',), name='shops_public_tally_added'),
        ),
        migrations.AddIndex(
            model_name='publicproducttally',
            index=models.Index(condition=models.Q(('products_from__isnull', False)), fields=['public_until'], include=('products_from',), name='shops_public_tally_folded'),
        ),
    ]
