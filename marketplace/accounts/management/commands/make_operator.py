"""`manage.py make_operator EMAIL`: give an existing account the operators' back office."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.accounts.models import User
from marketplace.accounts.services import OPERATORS_GROUP, operator_grant


class Command(BaseCommand):
    help = "Make an existing account a marketplace operator (staff, operators' group)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail {email!r}.")
        operator_grant(user=user)
        self.stdout.write(f"{user.email} is an operator ({OPERATORS_GROUP}).")
