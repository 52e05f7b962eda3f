"""What the fault drills share: the web served by gunicorn in a process of its own (one
sync worker, its database connection kept between requests as in production), on the
test database, and plain HTTP to it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import database_url_of_test_db
from tests.worker.conftest import RedisServer, celery_on_broker

REPO = Path(__file__).resolve().parents[2]
# Ports the drills may take (a free one is picked): others on this machine use the rest.
PORTS = range(8620, 8640)


def free_port() -> int:
    return next(port for port in PORTS if _port_free(port))


@dataclass
class Answer:
    status: int
    headers: dict
    body: dict | None


class WebProcess:
    """`gunicorn marketplace.wsgi` with one sync worker: every request is served by the
    same process and, between requests, the same database connection (CONN_MAX_AGE)."""

    def __init__(self, *, redis_url: str, **extra_env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
            "DATABASE_URL": database_url_of_test_db(),
            "REDIS_URL": redis_url,
            "DJANGO_CONN_MAX_AGE": "600",
            **extra_env,
        }
        log_fd, self.log_path = tempfile.mkstemp(prefix="ocop-web-", suffix=".log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "marketplace.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=REPO,
            env=env,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(log_fd)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2),
            ):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.output()}")

    def request(self, method: str, path: str, body=None, **headers: str) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, got = error.code, error.read(), dict(error.headers)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = {"not_json": raw.decode(errors="replace")[:500]}
        return Answer(status, got, parsed)

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        Path(self.log_path).unlink(missing_ok=True)


# Ports for the redis-servers the drills own (stopped and started at will).
REDIS_PORTS = range(6390, 6400)


@pytest.fixture
def own_broker(settings, transactional_db):
    """A redis-server of the drill's own on a spare port, the Celery app publishing to
    it (tasks really published, not run in-process) and the cache on it."""
    server = RedisServer()
    server.port = next(p for p in REDIS_PORTS if _port_free(p))
    server.url = f"redis://127.0.0.1:{server.port}/0"
    server.start()
    settings.REDIS_URL = server.url
    try:
        with celery_on_broker(server.url):
            yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# Shipping fees and withholding rates, put back after the flush of transactional tests.
from tests.payments.conftest import reference_data  # noqa: E402, F401
