"""Production settings: refuse to start with an unsafe configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    INSECURE_DEFAULT_SECRET_KEY,
    REST_FRAMEWORK,
    SECRET_KEY,
    STRIPE_API_BASE,
    STRIPE_LOCAL_SECRET_KEY,
    STRIPE_LOCAL_WEBHOOK_SECRET,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
    env,
)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
if (
    SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value in production "
        "(50+ characters, not the development default)."
    )

# Throttles key on the client's address. Behind a TLS proxy every request comes from
# the proxy, so the count of proxies appending to X-Forwarded-For must be said (0 too).
if not env.str("DJANGO_NUM_PROXIES", default="").strip() or REST_FRAMEWORK["NUM_PROXIES"] < 0:
    raise ImproperlyConfigured(
        "DJANGO_NUM_PROXIES must be set in production: how many proxies in front of the "
        "app append to X-Forwarded-For (0 when clients connect to it directly)."
    )

# A live key must only ever go to Stripe. A staging stack or a load test against the
# local Stripe server says so with STRIPE_ALLOW_TEST_API=true.
STRIPE_OWN_API_BASE = "https://api.stripe.com"
STRIPE_ALLOW_TEST_API = env.bool("STRIPE_ALLOW_TEST_API", default=False)
_STRIPE_IS_STRIPE = STRIPE_API_BASE.rstrip("/") == STRIPE_OWN_API_BASE
if not _STRIPE_IS_STRIPE and (
    not STRIPE_ALLOW_TEST_API or STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))
):
    raise ImproperlyConfigured(
        f"STRIPE_API_BASE must be {STRIPE_OWN_API_BASE} in production, and a live key never "
        "goes anywhere else (set STRIPE_ALLOW_TEST_API=true for the local Stripe server)."
    )
if not STRIPE_ALLOW_TEST_API and (
    STRIPE_SECRET_KEY in ("", STRIPE_LOCAL_SECRET_KEY)
    or STRIPE_WEBHOOK_SECRET in ("", STRIPE_LOCAL_WEBHOOK_SECRET)
):
    raise ImproperlyConfigured(
        "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set in production, not the "
        "local Stripe server's test defaults (or set STRIPE_ALLOW_TEST_API=true)."
    )

# Shops with a connected account are paid by real Connect transfers unless a staging
# stack against the local Stripe server says "recording".
PAYOUT_CONNECT_RAIL = env("PAYOUT_CONNECT_RAIL", default="stripe")

# Throwaway accounts must not hold stock by cash on delivery: a verified e-mail first.
COD_REQUIRES_VERIFIED_EMAIL = env.bool("COD_REQUIRES_VERIFIED_EMAIL", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# One JSON object per log line, with task ids and object ids, for the log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "worker.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
