from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.demo import accounts


class Command(BaseCommand):
    help = "Create the demo accounts and OCOP shops (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for account in accounts.ALL:
                accounts.ensure_account(account)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for account in accounts.ALL:
            role = "operator" if account.is_staff else account.role
            self.stdout.write(f"  {role:<9} {account.email:<26} {account.password}")
