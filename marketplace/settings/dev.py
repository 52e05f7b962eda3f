"""The development settings (`manage.py`, `make run`).

Where `DATABASE_URL` or `REDIS_URL` is unset (a `manage.py` command run by hand), the
embedded PostgreSQL or Redis starts here, or is joined if `make run` already runs it.
"""

from marketplace import embedded

embedded.start()

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
