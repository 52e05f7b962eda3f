from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.demo import accounts, seeding


class Command(BaseCommand):
    help = "Create the demo accounts and OCOP shops (idempotent: safe to run again)."

    def handle(self, *args, **options):
        # Demo accounts have published passwords (printed below): never in a real
        # marketplace, so only where DEBUG says this is a developer's machine.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords and runs only with "
                "DEBUG on (the development settings of `make run`); refusing."
            )
        shops = seeding.seed()
        article, generated = shops[: len(accounts.PRODUCERS)], shops[len(accounts.PRODUCERS) :]
        for shop in article:
            self.stdout.write(f"  shop {shop.slug} ({shop.get_status_display()})")
        owners = list(seeding.demo_catalogue().owners.values())
        if generated and owners:
            self.stdout.write(
                f"  and {len(generated)} more shops in Nghệ An and An Giang, their owners "
                f"logging in like {owners[0].email} / {owners[0].password}"
            )
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for account in accounts.ALL:
            role = "operator" if account.is_staff else account.role
            self.stdout.write(f"  {role:<9} {account.email:<26} {account.password}")
