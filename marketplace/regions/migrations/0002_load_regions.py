from django.db import migrations


def forwards(apps, schema_editor):
    from marketplace.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Province"), apps.get_model("regions", "Ward"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
