"""Settings for the test suite; DATABASE_URL and REDIS_URL still choose the backends.

Where either is unset, the embedded PostgreSQL or Redis (marketplace.embedded) starts
here, before the base settings read them: pytest-django imports these settings before
any conftest runs. The servers stop when pytest exits.
"""

from marketplace import embedded

embedded.start()

from .base import *  # noqa: E402, F403
from .base import REST_FRAMEWORK  # noqa: E402

# The API parses JSON unless a view takes files: the test client sends JSON too, unless
# a test says format="multipart".
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = "/tmp/ocop-market-test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run tasks in-process even when REDIS_URL is set; the tests that prove the real
# worker path switch this off around a worker they start themselves.
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_AUTOREFRESH = True
# Each test sees its own writes at once; the catalogue cache has its own tests.
CATALOGUE_CACHE_SECONDS = 0
CATALOGUE_COUNT_CACHE_SECONDS = 0
CATALOGUE_VERSION_POLL_SECONDS = 0.0
