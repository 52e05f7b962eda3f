"""Settings shared by every environment, read from environment variables.

PostgreSQL is the one database: `DATABASE_URL` is required here, and the development
and test settings start the embedded PostgreSQL and Redis (marketplace.embedded) where
`DATABASE_URL` and `REDIS_URL` are unset. The Stripe defaults point at a local Stripe
server on loopback.
"""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Only ever valid for development: production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-ocop-market-development-only-key"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    # The admin with a login that locks out repeated failures (accounts/admin_site.py).
    "marketplace.accounts.admin_site.AdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    # Refresh tokens are single-use (rotated) and revocable (password change, deactivation).
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "marketplace.core",
    "marketplace.accounts",
    "marketplace.regions",
    "marketplace.ocop",
    "worker",
    "shops",
    "orders",
    "payments",
    "catalogue",
    "marketplace.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Cross-origin access to the API, for the web shops' origins named here and no other
# (the apps call it directly). Bearer tokens, not cookies: no credentials are allowed.
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Retry-After", "ETag"]
if CORS_ALLOWED_ORIGINS:
    # Before CommonMiddleware, so that its redirects carry the CORS headers too. Only with
    # an origin to grant: with none it would change no answer, and it costs a cached
    # catalogue page about 5 % of its throughput (make bench-catalogue, page mode).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware"),
        "corsheaders.middleware.CorsMiddleware",
    )

# The catalogue benchmark serves a urlconf with its floor endpoint added (bench/).
ROOT_URLCONF = env("DJANGO_ROOT_URLCONF", default="marketplace.urls")
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# PostgreSQL, the one database (marketplace.embedded runs one where nothing is set up).
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://…)")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# Off by default, as in Django: a check is one more round trip on every request,
# and a connection that broke (a database restart) fails one request and is closed.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=False)
# Prepared statements, only for the fixed statements of the catalogue's hot reads
# (marketplace.core.db.prepared_cursor; Django's own cursors never prepare), each
# planned once per connection: a generic plan, which for these statements is the
# plan every execution would get. Behind a pooler in transaction mode, set
# DATABASE_PREPARED_STATEMENTS=false.
if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["prepare_threshold"] = 5
    options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan"
# PostgreSQL cancels a statement of a web request that runs longer (answered 503
# `statement_timeout`; 0: no limit). Only the web's entry points (marketplace/wsgi.py,
# asgi.py) apply it, to the connections they open: the Celery worker and management
# commands (migrate, load_regions, the search rebuild) run long statements by design.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=5000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Cache and broker -----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# The cache may have a Redis of its own, apart from the broker's: cached pages and
# counts then never crowd out queued tasks, and a cache outage is not a broker outage.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            # The prefix keeps cache keys apart from Celery's when both share a database.
            "KEY_PREFIX": "ocop",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Catalogue ------------------------------------------------------------------------
# Seconds a rendered public catalogue answer is kept in the cache (0: off). Visibility
# changes invalidate it at once; stock sold through conditional UPDATEs shows after it.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=30)
# Each process keeps its hottest rendered answers in memory too (this many), and checks
# the catalogue version at most this often: a visibility change reaches every cached
# answer within that interval.
CATALOGUE_LOCAL_PAGES = env.int("CATALOGUE_LOCAL_PAGES", default=256)
CATALOGUE_VERSION_POLL_SECONDS = env.float("CATALOGUE_VERSION_POLL_SECONDS", default=1.0)
# How long a cached listing or search page may still show a product's old price, stock
# or photo after a producer's edit (`catalogue_changed`); product pages show it at once.
CATALOGUE_LISTING_GRACE_SECONDS = env.float("CATALOGUE_LISTING_GRACE_SECONDS", default=5.0)
# `Cache-Control: public, max-age=` on anonymous catalogue reads.
CATALOGUE_HTTP_MAX_AGE = env.int("CATALOGUE_HTTP_MAX_AGE", default=30)
CATALOGUE_STATS_SECONDS = env.int("CATALOGUE_STATS_SECONDS", default=3600)
# Seconds the count of a listing's matches is reused across its pages and orderings
# (0: count every time). Visibility changes invalidate it at once.
CATALOGUE_COUNT_CACHE_SECONDS = env.int("CATALOGUE_COUNT_CACHE_SECONDS", default=60)

# --- Celery (see worker/celery.py for queues, routes and the beat schedule) -----------
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No broker configured: run tasks in-process. They are still enqueued on commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
# A worker SIGKILLed as a whole (not just a pool process, which is requeued at once)
# leaves its message unacknowledged: a live worker gives it out again after this long.
# Longer than the longest task (hard time limits are well under it).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
# Outbox work the broker took but no worker finished in this long is published again
# (the broker lost it: a Redis restart without persistence forgets its queues). Longer
# than a message may wait in a backlog or between retries: a second run of work that
# was only late is harmless (tasks are idempotent), but it is work done twice.
OUTBOX_REDELIVER_AFTER_SECONDS = env.int("OUTBOX_REDELIVER_AFTER_SECONDS", default=7200)
# /healthz says "degraded" when background work has waited this long for the broker.
OUTBOX_LAG_ALERT_SECONDS = env.int("OUTBOX_LAG_ALERT_SECONDS", default=60)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.accounts.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only: the views that take files (certificate scans, product images, listing
    # imports) add the multipart parser themselves; any other body is a 415.
    "DEFAULT_PARSER_CLASSES": ["marketplace.core.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "marketplace.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.core.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("AUTH_THROTTLE_RATE", default="10/min"),
        # Logins per account (the e-mail as typed, normalised), whatever the client.
        "login_account": env("LOGIN_ACCOUNT_THROTTLE_RATE", default="10/min"),
        # Refreshes per client: apps refresh every few minutes, many users share a NAT.
        "token_refresh": env("TOKEN_REFRESH_THROTTLE_RATE", default="60/min"),
        # Per sending address: Stripe's retries after an outage come in bursts.
        "stripe_webhook": env("STRIPE_WEBHOOK_THROTTLE_RATE", default="6000/min"),
    },
    # Proxies in front of the app that append to X-Forwarded-For: throttles key on the
    # client address they saw. Production refuses to start unless it is set.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": True,
    # Each refresh answers a new refresh token and revokes the one presented.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}

# --- Back-office login ----------------------------------------------------------------
# This many failed admin logins for one account, or from one client, within the lockout
# time lock that account or client out of the admin login for the lockout time.
ADMIN_LOGIN_MAX_FAILURES = env.int("ADMIN_LOGIN_MAX_FAILURES", default=10)
ADMIN_LOGIN_LOCKOUT_MINUTES = env.int("ADMIN_LOGIN_LOCKOUT_MINUTES", default=15)

SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP Market API",
    "DESCRIPTION": (
        "Backend of an online marketplace for Vietnam's certified OCOP products "
        "(Mỗi xã một sản phẩm). Money is integer đồng (VND)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` or `role`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "marketplace.accounts.models.UserRole",
        "ShopMemberRoleEnum": "shops.models.ShopMemberRole",
        "ShopStatusEnum": "shops.models.ShopStatus",
        "CertificateStatusEnum": "shops.models.CertificateStatus",
        "ProductStatusEnum": "shops.models.ProductStatus",
        "ImportStatusEnum": "shops.models.ImportStatus",
        "OrderStatusEnum": "orders.models.OrderStatus",
        "ShopOrderStatusEnum": "orders.models.ShopOrderStatus",
        "TicketStatusEnum": "orders.models.TicketStatus",
        "RefundStatusEnum": "orders.models.RefundStatus",
        "PaymentMethodEnum": "orders.models.PaymentMethod",
        "PayoutStatusEnum": "payments.models.PayoutStatus",
        "LedgerKindEnum": "payments.models.LedgerKind",
        "NotificationKindEnum": "worker.models.NotificationKind",
        "ProvinceCodeEnum": "marketplace.regions.fields.PROVINCE_CODES",
    },
    # Swagger UI served from our own static files: the docs work with no CDN reachable.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.core.schema.add_error_responses",
    ],
}

# --- Stripe ---------------------------------------------------------------------------
# Unset, the SDK talks to the local fake Stripe server that `make run` and the tests start.
# Production refuses these defaults unless STRIPE_ALLOW_TEST_API=true (production.py).
STRIPE_LOCAL_SECRET_KEY = "sk_test_local"
STRIPE_LOCAL_WEBHOOK_SECRET = "whsec_local"
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default=STRIPE_LOCAL_SECRET_KEY)
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default=STRIPE_LOCAL_WEBHOOK_SECRET)
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=0)

# --- Payouts --------------------------------------------------------------------------
# How shops with a Stripe connected account are paid: "stripe" (Connect transfers, real
# Stripe keys only) or "recording" (the transfer is recorded in our database only: the
# local Stripe server has no Connect). Bank transfers go by payout batch either way.
PAYOUT_CONNECT_RAIL = env("PAYOUT_CONNECT_RAIL", default="recording")

# --- Orders ---------------------------------------------------------------------------
# How long an unpaid card order holds its stock before the expiry task releases it.
ORDERS_PAYMENT_HOLD_MINUTES = env.int("ORDERS_PAYMENT_HOLD_MINUTES", default=30)
# Delivered shop orders the buyer never confirms complete on their own after this long.
ORDERS_AUTO_COMPLETE_DAYS = env.int("ORDERS_AUTO_COMPLETE_DAYS", default=7)
# Most of one item a cart line (and so an order line) may hold.
CART_MAX_QUANTITY = env.int("CART_MAX_QUANTITY", default=99)
# Lines one request may add to a cart (`{"items": [...]}`).
CART_MAX_LINES_PER_ADD = env.int("CART_MAX_LINES_PER_ADD", default=50)
# Checkouts per account (DRF's rate syntax; empty: no limit), on both checkout paths.
CHECKOUT_THROTTLE_RATE = env("CHECKOUT_THROTTLE_RATE", default="20/hour") or None
# Open orders a buyer may hold before placing another (0: no cap): card orders waiting
# for payment, and cash-on-delivery orders a shop has not yet accepted or rejected.
MAX_OPEN_ORDERS_PER_BUYER = env.int("MAX_OPEN_ORDERS_PER_BUYER", default=5)
# Cash on delivery only from an account whose e-mail was verified (production: on).
COD_REQUIRES_VERIFIED_EMAIL = env.bool("COD_REQUIRES_VERIFIED_EMAIL", default=False)

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# Production: EMAIL_URL=smtp+tls://user:password@smtp.example.vn:587 (django-environ).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="OCOP Market <no-reply@ocop.local>")
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# Where links in e-mails point (the buyer and producer apps' origin).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# How long an e-mail verification link stays good.
EMAIL_VERIFICATION_MAX_AGE_HOURS = env.int("EMAIL_VERIFICATION_MAX_AGE_HOURS", default=48)

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
