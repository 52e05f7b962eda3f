"""Run the local fake Stripe server (the `localstripe` package) on loopback.

Its own entry point listens on every interface and pickles its state to a fixed file in
/tmp after every write; this launcher binds one address and keeps state in memory only.

    python -m payments.local_stripe --port 8420
"""

from __future__ import annotations

import argparse
import logging


def serve(host: str, port: int) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    # State lives only in this process: no shared /tmp/localstripe.pickle between runs.
    resources.Store.dump_to_disk = lambda self: None
    resources.Store.try_load_from_disk = lambda self: None
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    web.run_app(app, host=host, port=port, print=None, access_log=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
