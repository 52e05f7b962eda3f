"""`make bench-webhooks`: Stripe's events taken in by the webhook, and applied by a
worker, each beside its floor in the same run.

1. (Re)creates its own PostgreSQL database (BENCH_WEBHOOKS_DATABASE_URL or
   BENCH_DATABASE_URL, default ocop_bench_webhooks), migrates it, and empties its own
   Redis database (BENCH_WEBHOOKS_REDIS_URL, default redis://127.0.0.1:6379/13: the
   broker and the cache).
2. Ingest. Serves the API with gunicorn (production settings, 2 workers x 4 threads,
   keep-alive, persistent connections, the webhook's throttle set out of reach) and
   drives `POST /api/v1/payments/stripe/webhook/` with wrk (BENCH_CONNECTIONS, default
   8, over 2 threads). wrk cannot sign, so right before each run a file of distinct
   `payment_intent.succeeded` events, each signed (timestamp: now) with the server's
   webhook secret, is written; each wrk thread takes its own share (bench/webhooks.lua),
   so every request is a new event, stored and enqueued. Then the floor: a POST
   endpoint that reads the same requests' bodies and answers as many bytes as the
   webhook, nothing else (bench/webhook_urls.py). Webhook and floor alternate
   BENCH_ROUNDS times (default 3), BENCH_SECONDS each (default 5), each keeping its
   best. After each webhook run: every id answered 200 is stored, no answer said
   "duplicate", every stored event's outbox row reached the broker, and what was stored
   but not answered is no more than the requests in flight when wrk stopped. The
   throttle runs at BENCH_WEBHOOK_THROTTLE_RATE (default 100000000/min); the events
   written per run are BENCH_INGEST_CEILING (default 1500) per second of the run.
3. Apply. BENCH_EVENTS (default 2000) card orders waiting for payment (written in
   bulk: buyer, order, shop order, line, payment with its intent), and one stored
   `payment_intent.succeeded` event for each, as the webhook stores them; a few more
   are applied in-process first to count the statements of one. A real Celery worker
   (`celery -A worker worker`, production settings, every queue, -c
   BENCH_WORKER_CONCURRENCY, default 2). The events are applied in BENCH_ROUNDS equal
   rounds. Each round, with the worker told to leave the `payments` queue alone, first
   publishes one `bench.webhook_tasks.noop` task per event as the outbox publishes
   (`send_task` to `payments`), lets the worker take them and times them from the
   first taken until the broker holds none; then the same with
   `payments.tasks.stripe_event_apply`, timed until every event is applied (the last
   `applied_at`). Paying an order enqueues its own follow-ups (the buyer's and the
   shop's notifications and e-mails, the ledger): the apply rate does not wait for
   them; the round does (and reports when they were done) before the next
   measurement. The best round of each is kept. At the end: every event applied once,
   every order paid exactly once (one `paid` event, payment succeeded), one sale ledger
   row per shop order, no payment issue, nothing left unsent in the outbox.
4. Prints events/s, p50/p99 and the ratios to the floors; writes
   bench/results/webhooks.json.

Everything stops by itself and only binds 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.harness import (
    PYTHON,
    ROOT,
    gunicorn_serving,
    production_env,
    recreate_database,
    run,
    wrk_percentile_ms,
)

RESULTS = ROOT / "bench" / "results"
DATABASE_URL = os.environ.get("BENCH_WEBHOOKS_DATABASE_URL") or os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_webhooks"
)
REDIS_URL = os.environ.get("BENCH_WEBHOOKS_REDIS_URL", "redis://127.0.0.1:6379/13")
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WRK_THREADS = 2
WORKER_CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
# Signed events written per webhook run, per second of the run: more than the webhook
# can take (the run reports it if its list ran out).
INGEST_CEILING = int(os.environ.get("BENCH_INGEST_CEILING", "1500"))
# DRF's throttle keeps every request's time of the last period in the cache, so what a
# request costs it grows with the requests of the last minute at /min.
THROTTLE_RATE = os.environ.get("BENCH_WEBHOOK_THROTTLE_RATE", "100000000/min")
SECRET = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64)
WEBHOOK_SECRET = f"whsec_bench_{secrets.token_hex(16)}"
WEBHOOK_PATH = "/api/v1/payments/stripe/webhook/"
FLOOR_PATH = "/bench/floor-post/"
APPLY_TASK = "payments.tasks.stripe_event_apply"
NOOP_TASK = "bench.webhook_tasks.noop"
WORKER_QUEUES = ("payments", "orders", "stock", "notifications", "default")
WORKER_NAME = f"bench-webhooks@{socket.gethostname()}"
WORKER_LOG = RESULTS / "webhooks-worker.log"
WARM = 20  # tasks of each kind run before the first measured round
PROBES = 3  # events applied in-process, to count the statements of one
TOKEN = secrets.token_hex(3)  # keeps this run's event ids apart from any other's


def server_env() -> dict[str, str]:
    return production_env(
        secret_key=SECRET,
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        static_root=RESULTS,
        DJANGO_ROOT_URLCONF="bench.webhook_urls",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        # Out of reach: the throttle still runs (and costs what it costs), never refuses.
        STRIPE_WEBHOOK_THROTTLE_RATE=THROTTLE_RATE,
    )


def event_body(*, event_id: str, intent_id: str, amount: int, order_id: str) -> bytes:
    """A `payment_intent.succeeded` event as Stripe sends it (the fields we read)."""
    now = int(time.time())
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": now,
            "livemode": False,
            "data": {
                "object": {
                    "id": intent_id,
                    "object": "payment_intent",
                    "amount": amount,
                    "amount_received": amount,
                    "currency": "vnd",
                    "status": "succeeded",
                    "created": now - 40,
                    "metadata": {"order_id": order_id},
                }
            },
        },
        separators=(",", ":"),
    ).encode()


# --- Ingest -----------------------------------------------------------------------------


def signed_events_file(prefix: str, count: int) -> os.PathLike:
    """`count` distinct events, signed now, one a line: the header, a tab, the body."""
    from payments.gateway import webhook_signature_header

    path = RESULTS / "webhooks-events.txt"
    timestamp = int(time.time())
    with path.open("w") as out:
        for n in range(count):
            body = event_body(
                event_id=f"{prefix}{n:07d}",
                intent_id=f"pi_{prefix[4:]}{n:07d}",
                amount=150_000 + 1_000 * (n % 97),
                order_id=str(1_000_000 + n),
            )
            header = webhook_signature_header(
                payload=body, secret=WEBHOOK_SECRET, timestamp=timestamp
            )
            out.write(f"{header}\t{body.decode()}\n")
    return path


def wrk(path: str, events_file: os.PathLike, *, check: bool) -> dict:
    answered_file = RESULTS / "webhooks-answered.txt"
    answered_file.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "webhooks.lua"),
            f"http://127.0.0.1:{PORT}{path}",
        ],
        env={
            **os.environ,
            "BENCH_EVENTS_FILE": str(events_file),
            "BENCH_THREADS": str(WRK_THREADS),
            "BENCH_CHECK": "1" if check else "0",
            "BENCH_ANSWERED": str(answered_file),
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 60,
    )
    if completed.stderr:
        print(completed.stderr, end="", file=sys.stderr)
    output = completed.stdout
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": wrk_percentile_ms(output, 50),
        "p99_ms": wrk_percentile_ms(output, 99),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }
    lines = answered_file.read_text().splitlines()
    summary = dict(
        zip(*[iter(lines[-1].lstrip("# ").split())] * 2, strict=True)  # "name value ..."
    )
    result.update({name: int(value) for name, value in summary.items()})
    if check:
        result["answered_ids"] = lines[:-1]
    return result


def ingest_checked(run_result: dict, prefix: str) -> dict:
    """What the webhook run left behind, against what wrk was answered."""
    from payments.models import StripeEvent
    from worker.models import OutboxMessage

    time.sleep(0.5)  # the requests in flight when wrk stopped finish
    stored = set(StripeEvent.objects.filter(pk__startswith=prefix).values_list("pk", flat=True))
    published = OutboxMessage.objects.filter(
        task="payments.tasks.stripe_event_apply",
        kwargs__event_id__startswith=prefix,
        sent_at__isnull=False,
    ).count()
    answered = run_result.pop("answered_ids")
    answered_set = set(answered)
    checks = {
        "stored": len(stored),
        "answered_new": len(answered),
        "answered_not_stored": len(answered_set - stored),
        "answered_twice": len(answered) - len(answered_set),
        "stored_unanswered": len(stored - answered_set),
        "published": published,
    }
    problems = []
    if checks["answered_not_stored"] or checks["answered_twice"]:
        problems.append("answered ids not stored once each")
    if run_result["duplicates"] or run_result["refused"] or run_result["non_2xx"]:
        problems.append("duplicates or refusals")
    if run_result["exhausted"]:
        problems.append(f"the signed events ran out: raise BENCH_INGEST_CEILING ({INGEST_CEILING})")
    if checks["stored_unanswered"] > CONNECTIONS:
        problems.append("more events stored than answered plus those in flight")
    if published != len(stored):
        problems.append("stored events whose task did not reach the broker")
    checks["ok"] = not problems
    checks["problems"] = problems
    return checks


def webhook_statements() -> int:
    """SQL statements of one webhook request (a new event), in-process; the second of
    two, so nothing a process does once is counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from payments.gateway import webhook_signature_header

    client = Client(HTTP_HOST="127.0.0.1")
    for n in range(2):
        body = event_body(
            event_id=f"evt_bench{TOKEN}p_{n}",
            intent_id=f"pi_bench{TOKEN}p_{n}",
            amount=150_000,
            order_id="1",
        )
        header = webhook_signature_header(payload=body, secret=WEBHOOK_SECRET)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                WEBHOOK_PATH,
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
        if response.status_code != 200:
            raise SystemExit(f"the webhook answered {response.status_code}: {response.content!r}")
    return len(captured)


def apply_statements(event_ids: list[str]) -> int:
    """SQL statements of applying one event (the task's body, its on-commit publishes
    included), in-process; the last of a few, so nothing a process does once is counted.
    The follow-ups they publish are left to the worker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payments.services import events

    for event_id in event_ids:
        with CaptureQueriesContext(connection) as captured:
            status = events.stripe_event_apply(event_id=event_id)
        if status != "applied":
            raise SystemExit(f"event {event_id} was not applied in-process: {status}")
    return len(captured)


def ingest(env: dict[str, str]) -> dict:
    webhook: dict = {}
    floor: dict = {}
    checks: list[dict] = []
    statements = webhook_statements()
    with gunicorn_serving(env, PORT):
        # Warm both gunicorn workers and measure the webhook's answer, which the floor
        # mirrors.
        warm = signed_events_file(f"evt_bench{TOKEN}w_", 16)
        sizes = []
        for line in warm.read_text().splitlines():
            header, body = line.split("\t", 1)
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{WEBHOOK_PATH}",
                data=body.encode(),
                headers={"Content-Type": "application/json", "Stripe-Signature": header},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                sizes.append(len(response.read()))
        floor_path = f"{FLOOR_PATH}?bytes={round(sum(sizes) / len(sizes))}"
        body_bytes = len(warm.read_text().splitlines()[0].split("\t", 1)[1])
        per_run = INGEST_CEILING * SECONDS
        for n in range(ROUNDS):
            prefix = f"evt_bench{TOKEN}r{n}_"
            events_file = signed_events_file(prefix, per_run)
            run_result = wrk(WEBHOOK_PATH, events_file, check=True)
            checked = ingest_checked(run_result, prefix)
            checks.append(checked)
            if checked["problems"]:
                print(f"  ingest round {n + 1}: {'; '.join(checked['problems'])}", flush=True)
            if run_result["rps"] > webhook.get("rps", -1):
                webhook = {**run_result, "checks": checked}
            floor_run = wrk(
                floor_path, signed_events_file(f"evt_bench{TOKEN}f{n}_", 2000), check=False
            )
            if floor_run["rps"] > floor.get("rps", -1):
                floor = floor_run
    return {
        "webhook": webhook,
        "floor": floor,
        "ratio": round(webhook["rps"] / floor["rps"], 4),
        "answer_bytes": round(sum(sizes) / len(sizes)),
        "request_body_bytes": body_bytes,
        "statements_per_request": statements,
        "rounds_checked": checks,
        "all_rounds_ok": all(c["ok"] for c in checks),
    }


# --- Apply -----------------------------------------------------------------------------


def orders_create(count: int) -> list[dict]:
    """`count` card orders waiting for payment, written in bulk (one buyer each, one
    shop order of one line, the payment with its intent), and the stored
    `payment_intent.succeeded` event of each, as the webhook stores them. Returns
    [{"event_id", "order_id"}] in creation order."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from marketplace.accounts.models import User
    from marketplace.core.clock import local_today
    from marketplace.regions.models import Province, Ward
    from orders.models import (
        Order,
        OrderEvent,
        OrderLine,
        OrderStatus,
        Payment,
        PaymentMethod,
        ShopOrder,
        ShopOrderStatus,
    )
    from payments.models import StripeEvent
    from shops.models import OcopCertificate, Product, ProductVariant, Shop, ShopMember
    from shops.services import products_visibility_refresh

    today = local_today()
    province = Province.objects.get(code="40")
    ward = Ward.objects.filter(province=province).order_by("code").first()
    buyer_province = Province.objects.get(code="38")
    buyer_ward = Ward.objects.filter(province=buyer_province).order_by("code").first()
    with transaction.atomic():
        owner = User.objects.create_user(
            email="shop@bench.local", password=secrets.token_urlsafe(), role="producer"
        )
        shop = Shop.objects.create(
            name="Hộ kinh doanh Mật ong Con Cuông",
            legal_name="Hộ kinh doanh Nguyễn Văn An",
            legal_type="household",
            slug="mat-ong-con-cuong",
            tax_code="2900000001",
            province=province,
            ward=ward,
            address="Bản Xiềng",
            phone="0912345678",
            status="active",
        )
        ShopMember.objects.create(shop=shop, user=owner, role="owner")
        certificate = OcopCertificate.objects.create(
            shop=shop,
            number="101/QĐ-UBND",
            issuer_name=f"UBND tỉnh {province.name}",
            issuing_province=province,
            product_name="Mật ong rừng",
            stars=4,
            product_group="food",
            issued_by_level="province",
            issued_on=today - datetime.timedelta(days=100),
            expires_on=today + datetime.timedelta(days=900),
            status="approved",
        )
        product = Product.objects.create(
            shop=shop,
            certificate=certificate,
            name="Mật ong rừng",
            origin_province=province,
            status="active",
        )
        # Written straight in the table: its visibility follows, as the services do.
        products_visibility_refresh(product_ids=[product.pk])
        variant = ProductVariant.objects.create(
            product=product,
            shop=shop,
            sku="BENCH-MO-500",
            name="Chai 500 ml",
            price=185_000,
            weight_grams=700,
        )
        stars = certificate.stars
        buyers = User.objects.bulk_create(
            [
                User(
                    email=f"buyer{n}@bench.local",
                    full_name=f"Người mua {n}",
                    role="buyer",
                    password="!" + secrets.token_hex(8),
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        now = timezone.now()
        shipping_fee = 32_000
        quantities = [1 + n % 3 for n in range(count)]
        orders = Order.objects.bulk_create(
            [
                Order(
                    buyer=buyer,
                    status=OrderStatus.PENDING_PAYMENT,
                    payment_method=PaymentMethod.STRIPE,
                    subtotal=variant.price * q,
                    shipping_total=shipping_fee,
                    total=variant.price * q + shipping_fee,
                    shipping_full_name=buyer.full_name,
                    shipping_phone="0987654321",
                    shipping_province=buyer_province,
                    shipping_ward=buyer_ward,
                    shipping_line1="12 Lê Lợi",
                    reserved_until=now + datetime.timedelta(hours=6),
                )
                for buyer, q in zip(buyers, quantities, strict=True)
            ],
            batch_size=2000,
        )
        shop_orders = ShopOrder.objects.bulk_create(
            [
                ShopOrder(
                    order=order,
                    shop=shop,
                    status=ShopOrderStatus.PENDING_PAYMENT,
                    subtotal=order.subtotal,
                    shipping_fee=shipping_fee,
                    total=order.total,
                    weight_grams=variant.weight_grams * q,
                    distance_class="same_region",
                    commission_bp=shop.commission_bp,
                )
                for order, q in zip(orders, quantities, strict=True)
            ],
            batch_size=2000,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    shop_order=shop_order,
                    variant=variant,
                    product=product,
                    product_name=product.name,
                    variant_name=variant.name,
                    sku=variant.sku,
                    stars=stars,
                    unit_price=variant.price,
                    quantity=q,
                    line_total=variant.price * q,
                    weight_grams=variant.weight_grams * q,
                )
                for shop_order, q in zip(shop_orders, quantities, strict=True)
            ],
            batch_size=2000,
        )
        Payment.objects.bulk_create(
            [
                Payment(
                    order=order,
                    provider=PaymentMethod.STRIPE,
                    amount=order.total,
                    intent_id=f"pi_bench{TOKEN}_{order.pk}",
                    client_secret=f"pi_bench{TOKEN}_{order.pk}_secret_x",
                )
                for order in orders
            ],
            batch_size=2000,
        )
        OrderEvent.objects.bulk_create(
            [
                event
                for order, shop_order in zip(orders, shop_orders, strict=True)
                for event in (
                    OrderEvent(
                        order=order,
                        actor=order.buyer,
                        to_status=order.status,
                        note="checkout",
                    ),
                    OrderEvent(
                        order=order,
                        shop_order=shop_order,
                        actor=order.buyer,
                        to_status=shop_order.status,
                    ),
                )
            ],
            batch_size=4000,
        )
        events = []
        for order in orders:
            event_id = f"evt_bench{TOKEN}a_{order.pk:07d}"
            intent_id = f"pi_bench{TOKEN}_{order.pk}"
            events.append(
                StripeEvent(
                    id=event_id,
                    type="payment_intent.succeeded",
                    payload=json.loads(
                        event_body(
                            event_id=event_id,
                            intent_id=intent_id,
                            amount=order.total,
                            order_id=str(order.pk),
                        )
                    ),
                    object_id=intent_id,
                    source="webhook",
                )
            )
        StripeEvent.objects.bulk_create(events, batch_size=2000)
    return [{"event_id": e.id, "order_id": o.pk} for e, o in zip(events, orders, strict=True)]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def broker_backlog(client) -> int:
    """Messages the broker still holds: waiting in a queue, or delivered and not yet
    acknowledged (tasks acknowledge late, once done)."""
    pipe = client.pipeline()
    for queue in WORKER_QUEUES:
        for priority in ("", "\x06\x163", "\x06\x166", "\x06\x169"):
            pipe.llen(queue + priority)
    pipe.hlen("unacked")
    return sum(pipe.execute())


def broker_drained(client, deadline: float) -> float:
    """Waits until the broker holds nothing (seen twice in a row, 10 ms apart: a message
    the worker has just taken is in neither list for an instant); returns when."""
    while time.monotonic() < deadline:
        if broker_backlog(client) == 0:
            seen = time.time()
            time.sleep(0.01)
            if broker_backlog(client) == 0:
                return seen
        else:
            time.sleep(0.005)
    raise SystemExit("the worker did not empty the broker in time: see " + str(WORKER_LOG))


def publish(task: str, event_ids: list[str], tag: str) -> None:
    """As the outbox publishes a row (`worker.outbox.publish`): `send_task` to the task's
    queue, with an id of its own, no publish retry."""
    from worker.celery import app

    with app.producer_or_acquire() as producer:
        for event_id in event_ids:
            app.send_task(
                task,
                kwargs={"event_id": event_id},
                queue="payments",
                task_id=f"bench-{tag}-{event_id}",
                retry=False,
                producer=producer,
            )


def applied_by(event_ids: list[str], deadline: float) -> float:
    """Waits until every event has been applied (or failed); returns the last
    `applied_at` as a Unix time."""
    from django.db.models import Max

    from payments.models import StripeEvent

    pending = StripeEvent.objects.filter(pk__in=event_ids, status="received")
    while pending.exists():
        if time.monotonic() > deadline:
            raise SystemExit("events not applied in time: see " + str(WORKER_LOG))
        time.sleep(0.1)
    last = StripeEvent.objects.filter(pk__in=event_ids).aggregate(last=Max("applied_at"))["last"]
    return last.timestamp()


def worker_start(env: dict[str, str]) -> subprocess.Popen:
    from worker.celery import app

    log = WORKER_LOG.open("w")
    worker = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "celery"),
            "-A",
            "worker",
            "worker",
            "-Q",
            ",".join(WORKER_QUEUES),
            "-c",
            str(WORKER_CONCURRENCY),
            "-n",
            WORKER_NAME,
            "-I",
            "bench.webhook_tasks",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[WORKER_NAME], timeout=1.0):
        if time.monotonic() > deadline or worker.poll() is not None:
            worker_stop(worker)
            raise SystemExit(f"the Celery worker did not start: see {WORKER_LOG}")
    return worker


def worker_stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def apply_checked(plan: list[dict]) -> dict:
    """Every event applied once; every order paid exactly once, and its follow-ups."""
    from django.db.models import Count

    from orders.models import Order, OrderEvent, Payment, ShopOrder
    from payments.models import LedgerEntry, PaymentIssue, StripeEvent
    from worker.models import Notification, OutboxMessage

    event_ids = [p["event_id"] for p in plan]
    order_ids = [p["order_id"] for p in plan]
    events = dict(
        StripeEvent.objects.filter(pk__in=event_ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    paid_events = list(
        OrderEvent.objects.filter(order_id__in=order_ids, shop_order__isnull=True, to_status="paid")
        .values("order_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    shop_order_ids = list(
        ShopOrder.objects.filter(order_id__in=order_ids).values_list("pk", flat=True)
    )
    sales = list(
        LedgerEntry.objects.filter(shop_order_id__in=shop_order_ids, kind="sale")
        .values("shop_order_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    checks = {
        "events": len(event_ids),
        "events_by_status": events,
        "events_attempted_more_than_once": StripeEvent.objects.filter(
            pk__in=event_ids, attempts__gt=1
        ).count(),
        "orders_paid": Order.objects.filter(
            pk__in=order_ids, status="paid", paid_at__isnull=False
        ).count(),
        "orders_paid_once": sum(1 for n in paid_events if n == 1),
        "orders_paid_more_than_once": sum(1 for n in paid_events if n > 1),
        "payments_succeeded": Payment.objects.filter(
            order_id__in=order_ids, status="succeeded"
        ).count(),
        "shop_orders_with_one_sale_row": sum(1 for n in sales if n == 1),
        "shop_orders": len(shop_order_ids),
        "notifications": Notification.objects.count(),
        "payment_issues": PaymentIssue.objects.count(),
        "outbox_unsent": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
    }
    n = len(plan)
    checks["ok"] = (
        events == {"applied": n}
        and checks["orders_paid"] == n
        and checks["orders_paid_once"] == n
        and checks["payments_succeeded"] == n
        and checks["shop_orders_with_one_sale_row"] == checks["shop_orders"] == n
        and checks["payment_issues"] == 0
        and checks["outbox_unsent"] == 0
    )
    return checks


def consuming(queue: str, *, on: bool) -> None:
    """Has the worker stop or start taking messages from `queue` (and waits for its
    word): a round's tasks are all published first, then taken, so the time measured is
    the worker's, not the publisher's."""
    from worker.celery import app

    command = app.control.add_consumer if on else app.control.cancel_consumer
    if not command(queue, destination=[WORKER_NAME], reply=True, timeout=10):
        raise SystemExit(f"the worker did not answer: see {WORKER_LOG}")


def first_taken(client, queue: str, published: int, deadline: float) -> float:
    """When the worker took the first of the `published` messages waiting in `queue`
    (it picks up a queue it was told to consume again at its next poll of the broker,
    up to a second later: that wait is not the tasks')."""
    while client.llen(queue) >= published:
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker took nothing from {queue}: see {WORKER_LOG}")
        time.sleep(0.001)
    return time.time()


def timed_round(task: str, event_ids: list[str], tag: str, client) -> dict:
    """Publishes `task` for each event while the worker does not take from the queue,
    then lets it take them; times them from the first taken until they were done: every
    event applied (for the apply task), or nothing left in the broker (for the no-op);
    and until the broker was empty again (the apply's follow-ups done)."""
    deadline = time.monotonic() + 120 + len(event_ids)
    consuming("payments", on=False)
    publish(task, event_ids, tag)
    consuming("payments", on=True)
    started = first_taken(client, "payments", len(event_ids), deadline)
    done = applied_by(event_ids, deadline) if task == APPLY_TASK else None
    drained = broker_drained(client, deadline)
    done = done or drained
    result = {
        "tasks": len(event_ids),
        "seconds": round(done - started, 3),
        "per_second": round(len(event_ids) / (done - started), 1),
    }
    if task == APPLY_TASK:
        result["follow_ups_done_seconds"] = round(drained - started, 3)
    return result


def apply(env: dict[str, str]) -> dict:
    per_round = max(EVENTS // ROUNDS, 1)
    plan = orders_create(PROBES + WARM + per_round * ROUNDS)
    client = redis_client()
    client.flushdb()  # the ingest's tasks (events about no order) are not this phase's
    statements = apply_statements([p["event_id"] for p in plan[:PROBES]])
    plan_measured = plan[PROBES:]
    worker = worker_start(env)
    apply_runs: list[dict] = []
    noop_runs: list[dict] = []
    try:
        warm = [p["event_id"] for p in plan_measured[:WARM]]
        timed_round(NOOP_TASK, warm, "warm", client)
        timed_round(APPLY_TASK, warm, "warm", client)
        for n in range(ROUNDS):
            batch = [
                p["event_id"]
                for p in plan_measured[WARM + n * per_round : WARM + (n + 1) * per_round]
            ]
            noop_runs.append(timed_round(NOOP_TASK, batch, f"noop{n}", client))
            apply_runs.append(timed_round(APPLY_TASK, batch, f"apply{n}", client))
            print(
                f"  apply round {n + 1}: {apply_runs[-1]['per_second']} events/s, "
                f"no-op {noop_runs[-1]['per_second']} tasks/s",
                flush=True,
            )
        checks = apply_checked(plan)
    finally:
        worker_stop(worker)
    best_apply = max(apply_runs, key=lambda r: r["per_second"])
    best_noop = max(noop_runs, key=lambda r: r["per_second"])
    return {
        "per_round": per_round,
        "statements_per_event": statements,
        "apply": best_apply,
        "noop": best_noop,
        "ratio": round(best_apply["per_second"] / best_noop["per_second"], 4),
        "rounds": {"apply": apply_runs, "noop": noop_runs},
        "checks": checks,
    }


def report(result: dict) -> None:
    ing, app_ = result["ingest"], result["apply"]
    web, floor = ing["webhook"], ing["floor"]
    c = web["checks"]
    print()
    print(
        f"Webhook benchmark: Stripe events, best of {ROUNDS} alternating rounds (ingest "
        f"{SECONDS}s per run), loopback."
    )
    print(
        f"1. Ingest: POST {WEBHOOK_PATH}, gunicorn 2 workers (gthread x4), PostgreSQL, "
        f"wrk {CONNECTIONS} connections; every request a new, validly signed event "
        f"({ing['request_body_bytes']} bytes), stored and its task published to Redis."
    )
    print(
        f"   webhook   events/s  {web['rps']:9.1f}  p50 {web['p50_ms']:.2f} ms  "
        f"p99 {web['p99_ms']:.2f} ms  non-2xx {web['non_2xx']}"
    )
    print(
        f"   floor     req/s     {floor['rps']:9.1f}  p50 {floor['p50_ms']:.2f} ms  "
        f"p99 {floor['p99_ms']:.2f} ms  (POST, body read, {ing['answer_bytes']}-byte answer)"
    )
    print(f"   webhook / floor     {ing['ratio'] * 100:9.2f} %")
    print(
        f"   best run: {c['answered_new']} answered 200 as new, {c['stored']} stored "
        f"({c['stored_unanswered']} in flight when wrk stopped), {c['published']} published, "
        f"duplicates {web['duplicates']}, answered but not stored {c['answered_not_stored']}; "
        f"every round {'OK' if ing['all_rounds_ok'] else 'NOT OK'}"
    )
    print(
        f"   SQL statements per webhook request {ing['statements_per_request']}; "
        f"throttle rate {THROTTLE_RATE}"
        + (f"; wrk: {web['socket_errors']}" if web["socket_errors"] else "")
    )
    a, n = app_["apply"], app_["noop"]
    k = app_["checks"]
    print(
        f"2. Apply: {app_['per_round']} stored events per round, each paying a pending card "
        f"order, a Celery worker -c {WORKER_CONCURRENCY} on {','.join(WORKER_QUEUES)} "
        "(production settings); each round's tasks published first, then taken."
    )
    print(
        f"   apply     events/s  {a['per_second']:9.1f}  ({a['tasks']} applied in "
        f"{a['seconds']:.2f} s; done when every event is applied)"
    )
    print(
        f"             the follow-ups they enqueued (notifications, e-mails, ledger) done "
        f"after {a['follow_ups_done_seconds']:.2f} s"
    )
    print(
        f"   no-op     tasks/s   {n['per_second']:9.1f}  ({n['tasks']} {NOOP_TASK} in "
        f"{n['seconds']:.2f} s, same worker, queue and publishing)"
    )
    print(f"   apply / no-op       {app_['ratio'] * 100:9.2f} %")
    print(
        f"   SQL statements per event applied {app_['statements_per_event']} (the task's "
        "transaction and its on-commit publishes; follow-up tasks not included)"
    )
    print(
        f"   checks: events {k['events_by_status']} of {k['events']}, "
        f"retried {k['events_attempted_more_than_once']}; orders paid {k['orders_paid']}, "
        f"paid exactly once {k['orders_paid_once']}, more than once "
        f"{k['orders_paid_more_than_once']}; payments succeeded {k['payments_succeeded']}; "
        f"one sale row {k['shop_orders_with_one_sale_row']}/{k['shop_orders']} shop orders; "
        f"payment issues {k['payment_issues']}; outbox unsent {k['outbox_unsent']}: "
        f"{'OK' if k['ok'] else 'NOT OK'}"
    )
    print(
        f"Ratios (goal >= 50 %): ingest {ing['ratio'] * 100:.2f} %, "
        f"apply {app_['ratio'] * 100:.2f} %"
    )


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = server_env()
    print(f"Creating {DATABASE_URL}", flush=True)
    recreate_database(DATABASE_URL)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    os.environ.update(env)
    import django

    django.setup()
    redis_client().flushdb()
    print("Ingest: webhook and floor under wrk", flush=True)
    ingest_result = ingest(env)
    print("Apply: a Celery worker applying stored events, and running no-op tasks", flush=True)
    apply_result = apply(env)
    result = {
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "events": EVENTS,
        "connections": CONNECTIONS,
        "worker_concurrency": WORKER_CONCURRENCY,
        "ingest": ingest_result,
        "apply": apply_result,
    }
    (RESULTS / "webhooks.json").write_text(json.dumps(result, indent=2, default=str))
    report(result)
    if not (ingest_result["all_rounds_ok"] and apply_result["checks"]["ok"]):
        raise SystemExit("webhook benchmark: a check failed (see above)")


if __name__ == "__main__":
    main()
