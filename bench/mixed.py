"""`make bench-mixed`: a busy evening on the full stack, measured, then checked.

1. (Re)creates its own PostgreSQL database (BENCH_MIXED_DATABASE_URL, default
   ocop_bench_mixed on DATABASE_URL's server) and empties its own Redis database
   (BENCH_MIXED_REDIS_URL, default db 12 on REDIS_URL's server: broker and cache),
   migrates, loads BENCH_PRODUCTS public products (default 20,000, bench/load_catalogue.py)
   and gives every variant its `initial` stock movement. The loaded catalogue is kept
   as a template (the database's name + `_loaded`): with BENCH_KEEP_DB=1 a run starts
   from a copy of it instead of loading again. Then BENCH_PRODUCERS shops
   (default 40) get an owner with a token, BENCH_CONNECTIONS x 2 buyers get tokens,
   and 8 "hot" variants of those shops get stock enough for the run.
2. The full stack on loopback, production settings: gunicorn (bench/harness.py: 2
   workers x 4 threads), a Celery worker (every queue, -c 2) and beat, the local Stripe
   server (payments.local_stripe, where checkouts create their PaymentIntents).
3. Load. wrk with bench/mixed.lua, BENCH_CONNECTIONS connections (default 8), one per
   wrk thread: each turn 80 % browsing (listing pages, filtered listings, search,
   product detail), 15 % cart changes, 5 % card checkouts. A payer thread here pays
   every checkout's intent with a `payment_intent.succeeded` event signed with the
   server's webhook secret, POSTed to the webhook as Stripe would. An editor thread
   PATCHes producers' variants (price, or counted stock) through the producer API at a
   steady rate. Three phases of BENCH_SECONDS (default 30) each: 0, 1, then 10 edits
   per second (BENCH_EDIT_RATES). A warm-up of the same mix (BENCH_WARM_SECONDS, 5)
   comes first, then the floor (bench/urls.py's endpoint, answering as many bytes as an
   average browsing answer, same connections, 5 s).
4. Per phase: requests/s, p50 and p99 per kind, 2xx / expected 409 / other answers;
   browsing requests/s and its ratio to the floor; the catalogue page cache's hit rate,
   counted by bench/mixed_urls.py inside every gunicorn worker (memory and Redis tiers
   together), and how often the catalogue version moved.
5. The worker drains (bounded by BENCH_DRAIN_SECONDS, default 180): every sent event
   applied, the outbox empty, the broker empty. Then bench/mixed_checks.py's consistency
   check, printed clean or failed; the exit status is non-zero when it failed, when an
   event was not taken in once, or when the drain did not finish.

Why wrk with a Lua script rather than a Python client: on 2 cores the load generator
takes CPU from the server it measures, and wrk's C event loop costs a fraction of what
a Python client would per request; the script keeps the 80/15/5 mix exact per turn (a
wrk per kind would give the mix its latencies decided, not the one asked for) and times
each request itself (one connection per wrk thread, so request and answer alternate),
which gives per-kind percentiles from one run. The payer and the editor stay in Python:
a few to a few dozen requests a second, and they need Django (signatures, the database).

Everything stops by itself and only binds 127.0.0.1. Results in bench/results/mixed.json.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from bench.harness import PYTHON, ROOT, gunicorn_serving, production_env, recreate_database, run
from bench.mixed_load import Editor, Payer, PhaseStats, floor_rps, hits_read, wrk_mix

RESULTS = ROOT / "bench" / "results"


def _url_with(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


DATABASE_URL = os.environ.get("BENCH_MIXED_DATABASE_URL") or _url_with(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop"), "/ocop_bench_mixed"
)
REDIS_URL = os.environ.get("BENCH_MIXED_REDIS_URL") or _url_with(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "/12"
)
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "20000"))
PRODUCERS = int(os.environ.get("BENCH_PRODUCERS", "40"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
WARM_SECONDS = int(os.environ.get("BENCH_WARM_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
EDIT_RATES = [float(r) for r in os.environ.get("BENCH_EDIT_RATES", "0,1,10").split(",")]
DRAIN_SECONDS = int(os.environ.get("BENCH_DRAIN_SECONDS", "180"))
PORT = int(os.environ.get("BENCH_PORT", "8768"))
STRIPE_PORT = int(os.environ.get("BENCH_STRIPE_PORT", "8769"))
SECRET = os.environ.get("BENCH_SECRET_KEY") or os.urandom(32).hex()
WEBHOOK_SECRET = f"whsec_mixed_{os.urandom(8).hex()}"
HITS_KEY = "bench:mixed:pages"
HOT_STOCK = 1_000_000
QUEUES = "payments,orders,stock,notifications,default"
WORKER_NAME = f"bench-mixed@{socket.gethostname()}"
SEARCHES = [
    "nuoc mam",
    "mat ong rung",
    "tra shan tuyet",
    "gom bat trang",
    "keo dua",
    "NƯỚC MẮM Phú Quốc",
    "non la",
    "sam ngoc linh",
]


LOADED_URL = DATABASE_URL + "_loaded"


def _admin(url: str):
    import psycopg

    return psycopg.connect(_url_with(url, "/postgres"), autocommit=True)


def _database_exists(url: str) -> bool:
    with _admin(url) as conn:
        name = urlsplit(url).path.lstrip("/")
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def _copy_database(source_url: str, target_url: str) -> None:
    source, target = (urlsplit(u).path.lstrip("/") for u in (source_url, target_url))
    with _admin(target_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def server_env() -> dict[str, str]:
    return production_env(
        secret_key=SECRET,
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        static_root=RESULTS,
        DJANGO_ROOT_URLCONF="bench.mixed_urls",
        BENCH_HITS_REDIS=REDIS_URL,
        BENCH_HITS_KEY=HITS_KEY,
        STRIPE_API_BASE=f"http://127.0.0.1:{STRIPE_PORT}",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_WEBHOOK_THROTTLE_RATE="100000000/min",
        JWT_ACCESS_MINUTES="240",
        # A few buyers check out many times an evening: the per-account throttle and the
        # cap on open orders would refuse them at once.
        CHECKOUT_THROTTLE_RATE="",
        MAX_OPEN_ORDERS_PER_BUYER="0",
    )


def prepare() -> dict:
    """In-process, on the loaded catalogue: stock movements, producers, buyers, paths."""
    from django.db import connection
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import RefreshToken

    from marketplace.accounts.models import User
    from marketplace.regions.models import Province, Ward
    from shops.models import ProductVariant, Shop, ShopMember
    from shops.selectors import public_products

    rng = random.Random(17)
    shops = list(Shop.objects.filter(status="active").order_by("pk")[:PRODUCERS])
    producers = {}
    for shop in shops:
        owner = User.objects.create_user(
            email=f"owner{shop.pk}@bench.local", password=os.urandom(8).hex(), role="producer"
        )
        ShopMember.objects.create(shop=shop, user=owner, role="owner")
        producers[shop.slug] = str(RefreshToken.for_user(owner).access_token)
    # Goods only: a tourism visit is booked by date and has seats, not stock.
    public = public_products().exclude(certificate__product_group="tourism")
    editable = list(
        ProductVariant.objects.filter(product__in=public, shop__in=shops)
        .order_by("pk")
        .values_list("pk", "shop__slug")
    )
    hot = [pk for pk, _ in rng.sample(editable, 8)]
    ProductVariant.objects.filter(pk__in=hot).update(stock=HOT_STOCK)
    with connection.cursor() as cursor:
        # The loader wrote stock without movements; the stock ledger starts here.
        cursor.execute(
            "INSERT INTO shops_stockmovement (variant_id, delta, stock_after, reason, reference,"
            " created_at) SELECT id, stock, stock, 'initial', 'bench', now()"
            " FROM shops_productvariant WHERE stock <> 0"
        )
    product_ids = list(public.order_by("?").values_list("pk", flat=True)[:600])
    cart_variants = list(
        ProductVariant.objects.filter(product_id__in=product_ids[:300]).values_list("pk", flat=True)
    )
    now = timezone.now()
    buyers = [
        User.objects.create_user(
            email=f"buyer{n}@bench.local",
            password=os.urandom(8).hex(),
            role="buyer",
            email_verified_at=now,
        )
        for n in range(CONNECTIONS * 2)
    ]
    tokens = [str(RefreshToken.for_user(b).access_token) for b in buyers]
    provinces = list(Province.objects.values_list("code", flat=True))
    paths = (
        [("listing", f"/api/v1/products/?page={n}") for n in range(1, 11)]
        + [("listing", f"/api/v1/products/?ordering=-price&page={n}") for n in range(1, 4)]
        + [
            (
                "filtered",
                f"/api/v1/products/?province={rng.choice(provinces)}&stars={rng.choice('345')}"
                f"&min_price=20000&in_stock=true&ordering={rng.choice(['price', '-price'])}",
            )
            for _ in range(20)
        ]
        + [("search", f"/api/v1/products/?search={quote(q)}") for q in SEARCHES]
        + [("detail", f"/api/v1/products/{pk}/") for pk in product_ids]
    )
    ward = Ward.objects.filter(province_id="38").order_by("code").first()
    return {
        "producers": producers,
        "editable": [(pk, slug) for pk, slug in editable if pk not in hot],
        "hot": hot,
        "slugs": dict(editable),
        "cart_variants": cart_variants,
        "buyers": [(tokens[2 * n], tokens[2 * n + 1]) for n in range(CONNECTIONS)],
        "paths": paths,
        "address": {
            "full_name": "Nguyễn Thị Lan",
            "phone": "0987654321",
            "province_code": "38",
            "ward_code": ward.code,
            "line1": "12 Lê Lợi",
        },
    }


def _spawn(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def side_services(env: dict[str, str]) -> list[subprocess.Popen]:
    """The local Stripe server, a Celery worker and beat, up and answering."""
    from worker.celery import app

    bin_dir = Path(PYTHON).parent
    started = [
        _spawn(
            [PYTHON, "-m", "payments.local_stripe", "--port", str(STRIPE_PORT)],
            env,
            RESULTS / "mixed-stripe.log",
        ),
        _spawn(
            [
                str(bin_dir / "celery"),
                "-A",
                "worker",
                "worker",
                "-Q",
                QUEUES,
                "-c",
                "2",
                "-n",
                WORKER_NAME,
                "-l",
                "WARNING",
            ],
            env,
            RESULTS / "mixed-worker.log",
        ),
        _spawn(
            [
                str(bin_dir / "celery"),
                "-A",
                "worker",
                "beat",
                "-l",
                "WARNING",
                "--schedule",
                str(RESULTS / "mixed-beat-schedule"),
            ],
            env,
            RESULTS / "mixed-beat.log",
        ),
    ]
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[WORKER_NAME], timeout=1.0):
        if time.monotonic() > deadline or any(p.poll() is not None for p in started):
            for process in started:
                _stop(process)
            raise SystemExit(f"the worker did not start: see {RESULTS / 'mixed-worker.log'}")
    while True:
        try:
            socket.create_connection(("127.0.0.1", STRIPE_PORT), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("the local Stripe server did not start") from None
            time.sleep(0.2)
    return started


def broker_backlog(client) -> int:
    pipe = client.pipeline()
    for queue in QUEUES.split(","):
        for priority in ("", "\x06\x163", "\x06\x166", "\x06\x169"):
            pipe.llen(queue + priority)
    pipe.hlen("unacked")
    return sum(pipe.execute())


def drained(client, payer: Payer) -> dict:
    """Waits (at most DRAIN_SECONDS) until every event sent is applied, the outbox has
    nothing unsent and the broker holds nothing, twice in a row a second apart."""
    from payments.models import StripeEvent
    from worker.models import OutboxMessage

    started = time.monotonic()
    calm = 0
    while True:
        state = {
            "events_waiting": StripeEvent.objects.filter(status="received").count(),
            "outbox_unsent": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
            "broker_backlog": broker_backlog(client),
            "payments_unpaid": payer.sweep(),
        }
        calm = calm + 1 if not any(state.values()) else 0
        state["seconds"] = round(time.monotonic() - started, 1)
        if calm >= 2 or state["seconds"] > DRAIN_SECONDS:
            state["done"] = calm >= 2
            return state
        time.sleep(1)


def main() -> None:
    import redis

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = server_env()
    load_start = os.getloadavg()
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    if os.environ.get("BENCH_KEEP_DB") == "1" and _database_exists(LOADED_URL):
        print(f"Creating {DATABASE_URL} from the catalogue loaded before", flush=True)
        _copy_database(LOADED_URL, DATABASE_URL)
    else:
        print(f"Creating {DATABASE_URL} with {PRODUCTS} public products", flush=True)
        recreate_database(DATABASE_URL)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
        run([PYTHON, "-m", "bench.load_catalogue", str(PRODUCTS)], env=env)
        # Kept as a template, for a run with BENCH_KEEP_DB=1 to start from.
        _copy_database(DATABASE_URL, LOADED_URL)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache

    from bench.mixed_checks import consistency_check
    from marketplace.core.catalogue_version import CATALOGUE_VERSION_KEY

    plan = prepare()
    print(
        f"Prepared: {len(plan['producers'])} producers, {len(plan['editable'])} editable "
        f"variants, {CONNECTIONS * 2} buyers, {len(plan['paths'])} browsing paths",
        flush=True,
    )
    services = side_services(env)
    phases: list[dict] = []
    payer = Payer(port=PORT, secret=WEBHOOK_SECRET)
    try:
        with gunicorn_serving(env, PORT):
            payer.start()
            wrk_mix(plan, port=PORT, seconds=WARM_SECONDS, connections=CONNECTIONS, phase="warm")
            floor = floor_rps(plan, port=PORT, seconds=5, connections=CONNECTIONS)
            for rate in EDIT_RATES:
                print(f"Phase: {rate:g} edits/s for {SECONDS}s", flush=True)
                payer.phase = f"{rate:g}"
                editor = Editor(plan, port=PORT, rate=rate)
                hits_before = hits_read(client, HITS_KEY)
                version_before = cache.get(CATALOGUE_VERSION_KEY) or 0
                editor.start()
                mix = wrk_mix(
                    plan, port=PORT, seconds=SECONDS, connections=CONNECTIONS, phase=f"{rate:g}"
                )
                editor.stop()
                time.sleep(0.6)  # the workers' hit counts reach Redis
                hits_after = hits_read(client, HITS_KEY)
                phases.append(
                    PhaseStats(
                        rate=rate,
                        seconds=SECONDS,
                        mix=mix,
                        edits=editor.summary(),
                        webhooks=payer.summary(f"{rate:g}"),
                        hits=hits_after["hit"] - hits_before["hit"],
                        misses=hits_after["miss"] - hits_before["miss"],
                        version_moves=(cache.get(CATALOGUE_VERSION_KEY) or 0) - version_before,
                        floor_rps=floor,
                    ).as_dict()
                )
            floor = max(floor, floor_rps(plan, port=PORT, seconds=5, connections=CONNECTIONS))
            print("Draining: the worker applies what is left", flush=True)
            drain = drained(client, payer)
            payer.stop()
    finally:
        payer.stop()
        for process in services:
            _stop(process)
    checks = consistency_check()
    webhook_check = payer.check()
    result = {
        "products": PRODUCTS,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "floor_rps": floor,
        "phases": phases,
        "drain": drain,
        "webhooks": webhook_check,
        "consistency": checks,
        "loadavg": {"start": load_start, "end": os.getloadavg()},
    }
    (RESULTS / "mixed.json").write_text(json.dumps(result, indent=2, default=str))
    report(result)
    if not (checks["ok"] and webhook_check["ok"] and drain["done"]):
        raise SystemExit("bench-mixed: the consistency check FAILED (see above)")


def report(result: dict) -> None:
    print()
    print(
        f"Mixed benchmark: {result['products']} public products; wrk {result['connections']} "
        f"connections (one per thread), {result['seconds']}s per phase; gunicorn 2 workers "
        "(gthread x4), a Celery worker (-c 2) and beat, PostgreSQL, Redis, local Stripe; "
        "loopback. Each turn: 80% browse, 15% cart, 5% card checkout (paid by a signed webhook)."
    )
    print(
        f"floor (GET, browsing-sized answer, same connections): {result['floor_rps']:.0f} req/s"
        f"; load average at start {result['loadavg']['start'][0]:.1f}, "
        f"at end {result['loadavg']['end'][0]:.1f} (2 cores)"
    )
    for phase in result["phases"]:
        print()
        print(
            f"== {phase['rate']:g} edits/s: {phase['total_rps']:.0f} req/s in all; browsing "
            f"{phase['browse_rps']:.0f} req/s "
            f"({phase['browse_vs_floor'] * 100:.1f}% of the floor); "
            f"page cache hit rate {phase['hit_rate'] * 100:.1f}% ({phase['hits']} hits, "
            f"{phase['misses']} misses); catalogue version moved {phase['version_moves']} times"
        )
        header = (
            f"   {'kind':<14}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'2xx':>8}{'409':>6}{'other':>7}"
        )
        print(header)
        for kind, row in phase["kinds"].items():
            print(
                f"   {kind:<14}{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
                f"{row['ok']:>8}{row['expected']:>6}{row['bad']:>7}"
            )
        if phase["socket_errors"]:
            print(f"   wrk socket errors: {phase['socket_errors']}")
    d, w, c = result["drain"], result["webhooks"], result["consistency"]
    print()
    print(
        f"Drain: {'done' if d['done'] else 'NOT done'} after {d['seconds']}s (events waiting "
        f"{d['events_waiting']}, outbox unsent {d['outbox_unsent']}, broker backlog "
        f"{d['broker_backlog']})"
    )
    print(
        f"Webhooks: {w['sent']} sent, {w['answered_200']} answered 200, {w['stored']} stored, "
        f"{w['applied']} applied: {'OK' if w['ok'] else 'NOT OK'}"
    )
    print(f"Consistency: {c['figures']}")
    print("Consistency check: " + ("clean" if c["ok"] else f"FAILED {json.dumps(c['problems'])}"))


if __name__ == "__main__":
    sys.exit(main())
