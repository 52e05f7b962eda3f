"""The withholding rates of Decree 117/2025/NĐ-CP (in force 1 July 2025) for household
and individual sellers on platforms that take payments: goods 1% VAT + 0.5% PIT,
services 5% VAT + 2% PIT. Later decrees add rows in the admin or a migration."""

import datetime

from django.db import migrations

DECREE_117 = "Nghị định 117/2025/NĐ-CP"
RATES = [
    ("goods", 100, 50),
    ("services", 500, 200),
]


def add_rates(apps, schema_editor):
    WithholdingRate = apps.get_model("payments", "WithholdingRate")
    for category, vat_bp, pit_bp in RATES:
        WithholdingRate.objects.get_or_create(
            category=category,
            effective_from=datetime.date(2025, 7, 1),
            defaults={"vat_bp": vat_bp, "pit_bp": pit_bp, "legal_basis": DECREE_117},
        )


def remove_rates(apps, schema_editor):
    WithholdingRate = apps.get_model("payments", "WithholdingRate")
    WithholdingRate.objects.filter(legal_basis=DECREE_117).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
