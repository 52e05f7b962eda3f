import os

from django.core.asgi import get_asgi_application

from marketplace.core.statement_timeout import web_statement_timeout_apply

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

application = get_asgi_application()
# Web requests only: not the worker, not management commands (see the module).
web_statement_timeout_apply()
