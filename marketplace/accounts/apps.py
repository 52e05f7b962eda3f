from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_operators_group(sender, using="default", **kwargs) -> None:
    # After each app's migrate (the permissions of its models exist by then).
    from marketplace.accounts.services import operators_group_sync

    if using == "default":
        operators_group_sync()


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_operators_group, dispatch_uid="accounts_operators_group")
