from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.demo import accounts
from marketplace.demo import shops as demo_shops


class Command(BaseCommand):
    help = "Create the demo accounts and OCOP shops (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = {account.email: accounts.ensure_account(account) for account in accounts.ALL}
            operator = users[accounts.OPERATOR.email]
            for demo in demo_shops.SHOPS:
                owner = users[accounts.PRODUCERS[demo.producer_key].email]
                shop = demo_shops.ensure_shop(demo, owner=owner, operator=operator)
                self.stdout.write(f"  shop {shop.slug} ({shop.get_status_display()})")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for account in accounts.ALL:
            role = "operator" if account.is_staff else account.role
            self.stdout.write(f"  {role:<9} {account.email:<26} {account.password}")
