from django.db import migrations

from orders.migrations._default_rates import add_rates


def forwards(apps, schema_editor):
    add_rates(apps.get_model("orders", "ShippingRate"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
