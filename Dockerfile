# OCOP Market: one image for the API (gunicorn), the Celery worker and beat, the one-shot
# migrations and, when built with EXTRAS=local, the local fake Stripe server.
#
#   docker build -t ocop-market .                       # production install
#   docker build -t ocop-market:local --build-arg EXTRAS=local .   # + localstripe (GPL-3.0)
#
# Runtime configuration comes from the environment (see marketplace/settings/base.py);
# production settings refuse to start without a real DJANGO_SECRET_KEY.

ARG PYTHON_VERSION=3.11
FROM python:${PYTHON_VERSION}-slim

# Which extras of pyproject.toml: "" (production) or "local" (adds localstripe +
# aiohttp), each installed from its hash-locked file, requirements/prod.txt or local.txt.
# Empty by default so the production image never ships the GPL test server.
ARG EXTRAS=""

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=marketplace.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from the lock of the extras (pip refuses any file whose hash
# differs from the lock's): this layer is rebuilt only when the lock changes.
COPY requirements ./requirements
RUN pip install --require-hashes -r "requirements/${EXTRAS:-prod}.txt"

# README.md* is a glob so the build works whether or not the README exists yet.
COPY pyproject.toml README.md* ./
COPY manage.py ./
COPY marketplace ./marketplace
COPY shops ./shops
COPY orders ./orders
COPY payments ./payments
COPY catalogue ./catalogue
COPY worker ./worker
COPY locale ./locale

# The project itself, without dependencies (all locked above) and with the locked
# build backend rather than one fetched for an isolated build.
RUN pip install --no-deps --no-build-isolation . \
    && rm -rf build ./*.egg-info

# Static files are collected at build time (served by whitenoise). The secret key is a
# throwaway value that exists only for this RUN step; it is not kept in the image, nor
# are the proxy count, Stripe allowance and database URL production settings demand
# before starting (collectstatic connects to no database).
RUN DJANGO_SECRET_KEY="collectstatic-build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
        DJANGO_NUM_PROXIES=0 STRIPE_ALLOW_TEST_API=true \
        DATABASE_URL=postgres://build-only.invalid/none \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app:app

EXPOSE 8000

# Probes over plain HTTP on loopback (/healthz is exempt from the SSL redirect).
# 200 = database up (broker may be degraded); 503 or no answer = unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--keep-alive", "5"]
