"""What every benchmark here shares: production settings for the server under test, a
fresh database, gunicorn started and stopped, and wrk's latency figures."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def production_env(
    *, secret_key: str, database_url: str, redis_url: str, static_root: Path, **extra: str
) -> dict[str, str]:
    """The server runs as in production (DEBUG off, persistent connections, quiet logs),
    over plain http on loopback, with the bench urlconf that adds the floor endpoint."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_DEBUG="false",
        DJANGO_CONN_MAX_AGE="600",
        DJANGO_ROOT_URLCONF="bench.urls",
        DJANGO_LOG_LEVEL="WARNING",
        # Nothing static is served in a run; an existing directory keeps WhiteNoise quiet.
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # wrk talks to gunicorn directly; the server's Stripe is the local one.
        DJANGO_NUM_PROXIES="0",
        STRIPE_ALLOW_TEST_API="true",
    )
    env.update(extra)
    return env


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def wrk_ms(text: str) -> float:
    """wrk's `812.34us` / `4.21ms` / `1.20s` in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def wrk_percentile_ms(output: str, percentile: int) -> float:
    return wrk_ms(re.search(rf"\s{percentile}%\s+([\d.]+\w+)", output).group(1))


@contextlib.contextmanager
def gunicorn_serving(env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    """gunicorn with 2 keep-alive workers on loopback, up once the floor answers; the
    whole process group is stopped on the way out."""
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "marketplace.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
