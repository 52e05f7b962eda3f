"""Product.public_until (the visibility rule, stored) and the PublicProductTally ledger,
with the triggers that keep the ledger and the initial values of the column.

The triggers live in the database so that no write to shops_product (a service, the
admin, a bulk update, a cascade delete) can change a product's visibility without the
tally following.

History: the current text of the function and triggers below is their file in
`shops/sql/`, applied from shops/0007 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations, models

POSTGRESQL_TRIGGERS = """
CREATE OR REPLACE FUNCTION shops_product_public_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.public_until IS NOT NULL THEN
            INSERT INTO shops_publicproducttally (public_until, products)
            VALUES (OLD.public_until, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.public_until IS NOT NULL THEN
            INSERT INTO shops_publicproducttally (public_until, products)
            VALUES (NEW.public_until, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER shops_product_public_tally_insert AFTER INSERT ON shops_product
    FOR EACH ROW WHEN (NEW.public_until IS NOT NULL)
    EXECUTE FUNCTION shops_product_public_tally();
CREATE TRIGGER shops_product_public_tally_update AFTER UPDATE OF public_until ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS DISTINCT FROM NEW.public_until)
    EXECUTE FUNCTION shops_product_public_tally();
CREATE TRIGGER shops_product_public_tally_delete AFTER DELETE ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS NOT NULL)
    EXECUTE FUNCTION shops_product_public_tally();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS shops_product_public_tally_insert ON shops_product;
DROP TRIGGER IF EXISTS shops_product_public_tally_update ON shops_product;
DROP TRIGGER IF EXISTS shops_product_public_tally_delete ON shops_product;
DROP FUNCTION IF EXISTS shops_product_public_tally();
"""

def create_triggers(apps, schema_editor):
    schema_editor.execute(POSTGRESQL_TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    schema_editor.execute(POSTGRESQL_DROP, params=None)


def fill_public_until(apps, schema_editor):
    # The historical models have no custom save(); the same UPDATE as
    # `products_refresh_public_until()`, over every product. The triggers fill the tally.
    Product = apps.get_model("shops", "Product")
    Shop = apps.get_model("shops", "Shop")
    OcopCertificate = apps.get_model("shops", "OcopCertificate")
    shop_active = models.Exists(Shop.objects.filter(pk=models.OuterRef("shop_id"), status="active"))
    approved_until = models.Subquery(
        OcopCertificate.objects.filter(
            pk=models.OuterRef("certificate_id"), status="approved"
        ).values("expires_on")[:1]
    )
    Product.objects.update(
        public_until=models.Case(
            models.When(models.Q(status="active") & models.Q(shop_active), then=approved_until),
            default=models.Value(None),
            output_field=models.DateField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("shops", "0003_search_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="public_until",
            field=models.DateField(editable=False, null=True, verbose_name="công khai đến"),
        ),
        migrations.CreateModel(
            name="PublicProductTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_until", models.DateField()),
                ("products", models.IntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["public_until"],
                        include=["products"],
                        name="shops_public_tally_until",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
        migrations.RunPython(fill_public_until, migrations.RunPython.noop, elidable=False),
    ]
