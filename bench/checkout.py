"""`make bench-checkout`: checkouts per second under gunicorn and PostgreSQL, beside the
floor endpoint of bench/urls.py in the same run, and SQL statements per checkout.

1. (Re)creates its own PostgreSQL database (BENCH_CHECKOUT_DATABASE_URL, default
   ocop_bench_checkout) and migrates it.
2. In-process: two active shops (one in Nghệ An, one in An Giang), five variants (3 + 2)
   with stock for the whole run, BENCH_BUYERS buyers (default 8) with access tokens;
   counts the SQL statements of one checkout request (5 lines, 2 shops) and of the
   checkout service alone.
3. Serves the API with gunicorn (production settings, 2 workers x 4 threads, keep-alive,
   persistent connections, Redis as the broker so side effects leave through the outbox
   as in production) and drives it with wrk, one connection per buyer: each buyer puts
   the five variants in its cart and checks out (a fresh Idempotency-Key each time),
   again and again for BENCH_SECONDS. Two flows, one after the other: the cart filled
   one line per request (`lines`), then all five lines in one request (`items`). Then
   the floor, same connections, same seconds. Flows and floor alternate BENCH_ROUNDS
   times (default 3), and each keeps its best run.
4. Prints for each flow checkouts/s (orders counted in the database), requests/s and
   the ratio to the floor's requests/s; statements per checkout, and that no variant
   was oversold; writes bench/results/checkout.json.

Everything stops by itself and only binds 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
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
DATABASE_URL = os.environ.get(
    "BENCH_CHECKOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_checkout"
)
REDIS_URL = os.environ.get("BENCH_CHECKOUT_REDIS_URL", "redis://127.0.0.1:6379/14")
BUYERS = int(os.environ.get("BENCH_BUYERS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8766"))
STOCK = 10_000_000
SECRET = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64)
LINES_PER_CHECKOUT = 5


def server_env() -> dict[str, str]:
    return production_env(
        secret_key=SECRET,
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        static_root=RESULTS,
        BENCH_SECRET_KEY=SECRET,
        JWT_ACCESS_MINUTES="120",
        # A few buyers place thousands of orders no shop accepts: the per-account
        # throttle and the cap on open orders (orders.services.checkout_guards) would
        # stop them at once. The buyers' e-mails are verified, as cash on delivery needs.
        CHECKOUT_THROTTLE_RATE="",
        MAX_OPEN_ORDERS_PER_BUYER="0",
    )


def prepare() -> None:
    """In-process: shops, variants, buyers and tokens; statements per checkout."""
    import datetime

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import RefreshToken

    from marketplace.accounts.models import User
    from marketplace.core.clock import local_today
    from marketplace.regions.models import Province, Ward
    from orders import services
    from shops.models import OcopCertificate, Product, ProductVariant, Shop, ShopMember
    from shops.services import products_visibility_refresh, stock_adjust

    today = local_today()
    variants = []
    for n, (province_code, count) in enumerate((("40", 3), ("91", 2))):
        province = Province.objects.get(code=province_code)
        ward = Ward.objects.filter(province=province).order_by("code").first()
        owner = User.objects.create_user(
            email=f"shop{n}@bench.local", password=secrets.token_urlsafe(), role="producer"
        )
        shop = Shop.objects.create(
            name=f"HTX Đặc sản {province.name}",
            legal_name=f"Hợp tác xã Đặc sản {province.name}",
            legal_type="cooperative",
            slug=f"dac-san-{n}",
            tax_code=f"290000000{n}",
            province=province,
            ward=ward,
            address="Thôn 1",
            phone="0912345678",
            status="active",
        )
        ShopMember.objects.create(shop=shop, user=owner, role="owner")
        for k in range(count):
            certificate = OcopCertificate.objects.create(
                shop=shop,
                number=f"{100 + k}/QĐ-UBND-{n}",
                issuer_name=f"UBND tỉnh {province.name}",
                issuing_province=province,
                product_name=f"Đặc sản số {k}",
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
                name=f"Đặc sản số {k}",
                origin_province=province,
                status="active",
            )
            # Written straight in the table: its visibility follows, as the services do.
            products_visibility_refresh(product_ids=[product.pk])
            variant = ProductVariant.objects.create(
                product=product,
                shop=shop,
                sku=f"BENCH-{n}-{k}",
                name="Hộp 500 g",
                price=95_000 + 10_000 * k,
                weight_grams=500,
            )
            stock_adjust(variant=variant, delta=STOCK, reason="initial")
            variants.append(variant.pk)

    buyers = [
        User.objects.create_user(
            email=f"buyer{n}@bench.local",
            password=secrets.token_urlsafe(),
            role="buyer",
            email_verified_at=datetime.datetime.now(datetime.UTC),
        )
        for n in range(BUYERS + 1)
    ]
    tokens = [str(RefreshToken.for_user(b).access_token) for b in buyers]

    # Statements per checkout, measured on the extra buyer.
    probe = buyers[-1]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {tokens[-1]}")
    address = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0987654321",
        "province_code": "38",
        "ward_code": Ward.objects.filter(province_id="38").order_by("code").first().code,
        "line1": "12 Lê Lợi",
    }
    counts = {}
    for label in ("request", "service"):
        for variant_id in variants:
            services.cart_item_add(buyer=probe, variant_id=variant_id, quantity=1)
        with CaptureQueriesContext(connection) as captured:
            if label == "request":
                response = client.post(
                    "/api/v1/checkout/",
                    {"shipping_address": address, "payment_method": "cod"},
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY=f"probe-{label}",
                )
                if response.status_code != 201:
                    raise SystemExit(
                        f"checkout answered {response.status_code}: {response.content!r}"
                    )
                body_bytes = len(response.content)
            else:
                services.checkout_place(
                    buyer=probe,
                    idempotency_key=f"probe-{label}",
                    shipping_address=services.ShippingAddress(**address),
                    payment_method="cod",
                )
        # Savepoints are statements too: count everything the database was sent.
        counts[label] = len(captured)
    plan = {
        "variants": variants,
        "tokens": tokens[:BUYERS],
        "address": address,
        "statements_per_checkout_request": counts["request"],
        "statements_per_checkout_service": counts["service"],
        "checkout_bytes": body_bytes,
    }
    (RESULTS / "checkout-plan.json").write_text(json.dumps(plan, indent=2))


def measured(env: dict[str, str]) -> dict:
    import django

    os.environ.update(env)
    django.setup()
    from orders.models import Order
    from shops.models import ProductVariant, StockMovement

    oversold = ProductVariant.objects.filter(stock__lt=0).count()
    mismatched = [
        v.pk
        for v in ProductVariant.objects.all()
        if v.stock != sum(StockMovement.objects.filter(variant=v).values_list("delta", flat=True))
    ]
    return {"orders": Order.objects.count(), "oversold": oversold, "ledger_mismatch": mismatched}


def wrk(script: str, path: str, env: dict[str, str]) -> dict:
    completed = subprocess.run(
        [
            "wrk",
            f"-t{BUYERS}",
            f"-c{BUYERS}",
            f"-d{SECONDS}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / script),
            f"http://127.0.0.1:{PORT}{path}",
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 60,
    )
    if completed.stderr:
        print(completed.stderr, end="", file=sys.stderr)
    output = completed.stdout
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": wrk_percentile_ms(output, 50),
        "p99_ms": wrk_percentile_ms(output, 99),
        "non_2xx": int(bad.group(1)) if bad else 0,
    }


FLOWS = {
    "lines": "one line per request (a buyer browsing): 6 requests per checkout",
    "items": 'the five lines in one request ({"items": [...]}): 2 requests per checkout',
}


def _counted(env: dict[str, str]) -> dict:
    output = subprocess.run(
        [PYTHON, "-m", "bench.checkout", "count"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU of one process so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu(master: int) -> float:
    """CPU used so far by gunicorn (the master and its workers)."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if ppid == master:
            pids.append(int(stat.parent.name))
    return sum(_cpu_seconds(pid) for pid in pids)


def _database_cpu() -> float:
    """CPU used so far by the PostgreSQL backends serving the bench database (the
    server's connections are persistent, so the same backends serve every run)."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
        ]
    return sum(_cpu_seconds(pid) for pid in pids)


def serve_and_measure(plan: dict, env: dict[str, str]) -> dict:
    with gunicorn_serving(env, PORT) as server:
        tokens_file = RESULTS / "checkout-tokens.txt"
        tokens_file.write_text("\n".join(plan["tokens"]) + "\n")
        lua_env = {
            "BENCH_TOKENS": str(tokens_file),
            "BENCH_VARIANTS": ",".join(str(v) for v in plan["variants"]),
            "BENCH_ADDRESS": json.dumps(plan["address"], ensure_ascii=False),
        }
        flows: dict[str, dict] = {}
        floor: dict = {}
        # Flows and floor alternate, each keeping its best run: how wrk's connections land
        # on the two gunicorn workers makes single runs bimodal, and other load on the
        # machine can spoil one run without deciding the ratio.
        for _ in range(ROUNDS):
            for name in FLOWS:
                before = _counted(env)["orders"]
                cpu_before = (_server_cpu(server.pid), _database_cpu())
                measured_run = wrk("checkout.lua", "/", {**lua_env, "BENCH_CART": name})
                checkouts = _counted(env)["orders"] - before
                measured_run["checkouts"] = checkouts
                # Where a checkout's CPU goes: gunicorn (the app) and PostgreSQL.
                measured_run["app_cpu_ms_per_checkout"] = round(
                    (_server_cpu(server.pid) - cpu_before[0]) * 1000 / max(checkouts, 1), 2
                )
                measured_run["database_cpu_ms_per_checkout"] = round(
                    (_database_cpu() - cpu_before[1]) * 1000 / max(checkouts, 1), 2
                )
                if measured_run["checkouts"] > flows.get(name, {}).get("checkouts", -1):
                    flows[name] = measured_run
            cpu_before = _server_cpu(server.pid)
            floor_run = wrk("paths.lua", "/", {"BENCH_PATHS": str(_floor_paths(plan))})
            floor_run["app_cpu_ms_per_request"] = round(
                (_server_cpu(server.pid) - cpu_before) * 1000 / max(floor_run["requests"], 1), 3
            )
            if floor_run["rps"] > floor.get("rps", -1):
                floor = floor_run
        return {"flows": flows, "floor": floor}


def _floor_paths(plan: dict) -> Path:
    path = RESULTS / "checkout-floor-paths.txt"
    path.write_text(f"/bench/floor/?bytes={plan['checkout_bytes']}\n")
    return path


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = server_env()
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "count":
        print(json.dumps(measured(env)))
        return
    print(f"Creating {DATABASE_URL}", flush=True)
    recreate_database(DATABASE_URL)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    run([PYTHON, "-m", "bench.checkout", "prepare"], env=env)
    plan = json.loads((RESULTS / "checkout-plan.json").read_text())
    run_result = serve_and_measure(plan, env)
    after = _counted(env)
    floor_rps = run_result["floor"]["rps"]
    flows = {}
    for name, flow in run_result["flows"].items():
        per_second = flow["checkouts"] / SECONDS
        flows[name] = {
            **flow,
            "checkouts_per_second": round(per_second, 1),
            "ratio_to_floor": round(per_second / floor_rps, 4),
        }
    result = {
        "buyers": BUYERS,
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "lines_per_checkout": LINES_PER_CHECKOUT,
        "shops_per_checkout": 2,
        "flows": flows,
        "floor": run_result["floor"],
        "statements_per_checkout_request": plan["statements_per_checkout_request"],
        "statements_per_checkout_service": plan["statements_per_checkout_service"],
        "oversold_variants": after["oversold"],
        "ledger_mismatch": after["ledger_mismatch"],
    }
    (RESULTS / "checkout.json").write_text(json.dumps(result, indent=2))
    print()
    print(
        f"Checkout benchmark: {BUYERS} buyers (one wrk connection each), 2 shops, "
        f"{LINES_PER_CHECKOUT} lines, gunicorn 2 workers (gthread x4), PostgreSQL, "
        f"{SECONDS}s per run, best of {ROUNDS} alternating rounds, loopback. Each buyer fills "
        "its cart then checks out, repeatedly."
    )
    print(
        f"  floor requests/s      {floor_rps:9.1f}  "
        f"(app CPU {run_result['floor']['app_cpu_ms_per_request']:.2f} ms per request)"
    )
    for name, flow in flows.items():
        print(f"  flow '{name}': {FLOWS[name]}")
        print(
            f"    checkouts/s         {flow['checkouts_per_second']:9.1f}  "
            f"({flow['checkouts']} orders)   checkouts / floor {flow['ratio_to_floor'] * 100:.2f} %"
        )
        print(
            f"    requests/s          {flow['rps']:9.1f}  p50 {flow['p50_ms']:.1f} ms  "
            f"p99 {flow['p99_ms']:.1f} ms  non-2xx {flow['non_2xx']}"
        )
        print(
            f"    CPU per checkout    app {flow['app_cpu_ms_per_checkout']:.1f} ms, "
            f"PostgreSQL {flow['database_cpu_ms_per_checkout']:.1f} ms"
        )
    print(
        f"  statements/checkout   {plan['statements_per_checkout_request']} per request, "
        f"{plan['statements_per_checkout_service']} in the service"
    )
    print(
        f"  oversold variants     {after['oversold']}, ledger mismatches {after['ledger_mismatch']}"
    )


if __name__ == "__main__":
    main()
