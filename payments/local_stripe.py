"""Run the local fake Stripe server (the `localstripe` package) on loopback.

Its own entry point listens on every interface and pickles its state to a fixed file in
/tmp after every write; this launcher binds one address and keeps state in memory only.
With `--webhook-url` it sends its signed events (`payment_intent.succeeded`,
`payment_intent.payment_failed`) to our webhook, as Stripe would.

    python -m payments.local_stripe --port 8420 \\
        --webhook-url http://127.0.0.1:8000/api/v1/payments/stripe/webhook/

`pay` plays the buyer's app: it confirms an intent with a test card.

    python -m payments.local_stripe pay pi_... [--card pm_card_visa]
"""

from __future__ import annotations

import argparse
import logging
import os


def serve(host: str, port: int, *, webhook_url: str = "", webhook_secret: str = "") -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app
    from localstripe.webhooks import register_webhook

    # State lives only in this process: no shared /tmp/localstripe.pickle between runs.
    resources.Store.dump_to_disk = lambda self: None
    resources.Store.try_load_from_disk = lambda self: None
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    if webhook_url:
        register_webhook("ocop", webhook_url, webhook_secret, None)
    web.run_app(app, host=host, port=port, print=None, access_log=None)


def pay(*, base: str, key: str, intent_id: str, card: str) -> str:
    """Confirm an intent with a test card, as the buyer's app would; returns its status."""
    import stripe

    client = stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=0)
    client.v1.payment_intents.update(intent_id, params={"payment_method": card})
    return client.v1.payment_intents.confirm(intent_id).status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument(
        "--webhook-secret", default=os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_local")
    )
    paying = sub.add_parser("pay", help="confirm an intent with a test card")
    paying.add_argument("intent_id")
    paying.add_argument("--card", default="pm_card_visa")
    args = parser.parse_args()
    if args.command == "pay":
        base = os.environ.get("STRIPE_API_BASE", f"http://{args.host}:{args.port}")
        key = os.environ.get("STRIPE_SECRET_KEY", "sk_test_local")
        print(pay(base=base, key=key, intent_id=args.intent_id, card=args.card))
        return
    serve(args.host, args.port, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret)


if __name__ == "__main__":
    main()
