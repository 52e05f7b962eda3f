"""A local fake Stripe server for the test session: a free loopback port, stopped after."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"local Stripe server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("local Stripe server did not start in time")


@pytest.fixture(scope="session")
def local_stripe_server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "payments.local_stripe", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def local_stripe(local_stripe_server, settings):
    """Point the Stripe SDK at the session's local server, emptied for this test."""
    settings.STRIPE_API_BASE = local_stripe_server
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    request = urllib.request.Request(
        f"{local_stripe_server}/_config/data",
        method="DELETE",
        headers={"Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}"},
    )
    urllib.request.urlopen(request, timeout=5).close()
    return local_stripe_server
