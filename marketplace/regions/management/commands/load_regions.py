from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.regions.loader import load_regions
from marketplace.regions.models import Province, Ward


class Command(BaseCommand):
    help = "Load or refresh the 34 provinces and their wards (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_regions(Province, Ward)
        self.stdout.write(
            self.style.SUCCESS(f"Regions: {counts.provinces} provinces, {counts.wards} wards.")
        )
