"""`manage.py import_listings FILE --shop SLUG`: the same import as the API, run here
and now with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from marketplace.core.errors import DomainError
from shops.models import Shop, ShopMember, ShopMemberRole
from shops.services import import_job_create, import_job_run

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import products and variants from a CSV or XLSX file into a shop."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--shop", required=True, help="the shop's slug")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop with slug {options['shop']!r}")
        owner = ShopMember.objects.filter(shop=shop, role=ShopMemberRole.OWNER).first()
        try:
            with path.open("rb") as handle:
                job = import_job_create(
                    shop=shop,
                    actor=owner.user if owner else None,
                    upload=File(handle, name=path.name),
                    run=False,
                )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            end = "\r" if interactive and done < total else "\n"
            if interactive or done == total or done % max(total // 10, 1) == 0:
                self.stdout.write(f"[{bar}] {done}/{total}", ending=end)
                if interactive:
                    sys.stdout.flush()

        job = import_job_run(job_id=job.pk, progress=progress)
        self.stdout.write(
            f"Import #{job.pk}: {job.rows_applied} rows applied, {job.rows_failed} failed."
        )
        for error in job.errors:
            where = f"row {error['row']}" if error["row"] else "file"
            self.stdout.write(
                self.style.WARNING(f"  {where}: {error['code']} — {error['message']}")
            )
        if job.status == "failed":
            reasons = "; ".join(f"{e['code']}: {e['message']}" for e in job.errors if not e["row"])
            raise CommandError(f"The file could not be processed ({reasons}).")
