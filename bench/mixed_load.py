"""The moving parts of bench/mixed.py: wrk with bench/mixed.lua (buyers), the floor, the
payer (signed `payment_intent.succeeded` webhooks for every checkout's intent), the
editor (producers' price and stock edits at a steady rate), and the per-phase figures."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.harness import ROOT
from bench.webhooks import event_body

RESULTS = ROOT / "bench" / "results"
BROWSE_KINDS = ("listing", "filtered", "search", "detail")
WEBHOOK_PATH = "/api/v1/payments/stripe/webhook/"


def _write(name: str, text: str) -> str:
    path = RESULTS / name
    path.write_text(text)
    return str(path)


def wrk_mix(plan: dict, *, port: int, seconds: int, connections: int, phase: str) -> dict:
    """One wrk run of the buyers' mix; {kind: {requests, ok, expected, bad, p50_ms,
    p99_ms}} and wrk's socket errors."""
    out = RESULTS / f"mixed-{phase}.txt"
    out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_PATHS": _write("mixed-paths.txt", "".join(f"{k}\t{p}\n" for k, p in plan["paths"])),
        "BENCH_BUYERS": _write(
            "mixed-buyers.txt", "".join(f"{a}\t{b}\n" for a, b in plan["buyers"])
        ),
        "BENCH_CART_VARIANTS": ",".join(map(str, plan["cart_variants"])),
        "BENCH_HOT_VARIANTS": ",".join(map(str, plan["hot"])),
        "BENCH_ADDRESS": json.dumps(plan["address"], ensure_ascii=False),
        "BENCH_PHASE": phase,
        "BENCH_OUT": str(out),
    }
    completed = subprocess.run(
        [
            "wrk",
            f"-t{connections}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "mixed.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        check=True,
        timeout=seconds + 120,
    )
    if completed.stderr:
        print(completed.stderr, end="", file=sys.stderr)
    kinds, socket_errors = {}, ""
    for line in out.read_text().splitlines():
        if line.startswith("#"):
            counts = [int(n) for n in re.findall(r"\d+", line)]
            socket_errors = line.lstrip("# ") if any(counts) else ""
            continue
        kind, *numbers = line.split()
        requests, ok, expected, bad, p50, p99 = (int(float(n)) for n in numbers)
        kinds[kind] = {
            "requests": requests,
            "ok": ok,
            "expected": expected,
            "bad": bad,
            "p50_ms": p50 / 1000,
            "p99_ms": p99 / 1000,
        }
    return {"kinds": kinds, "socket_errors": socket_errors}


def floor_rps(plan: dict, *, port: int, seconds: int, connections: int) -> float:
    """The floor endpoint's requests/s, answering as many bytes as an average browsing
    answer, with the same connections."""
    sizes = []
    for _, path in plan["paths"][::7]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path)
        sizes.append(len(connection.getresponse().read()))
        connection.close()
    paths = _write("mixed-floor.txt", f"/bench/floor/?bytes={round(statistics.mean(sizes))}\n")
    output = subprocess.run(
        [
            "wrk",
            f"-t{connections}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(ROOT / "bench" / "paths.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "BENCH_PATHS": paths},
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def hits_read(client, key: str) -> dict[str, int]:
    counts = {k.decode(): int(v) for k, v in client.hgetall(key).items()}
    lookups, misses = counts.get("lookup", 0), counts.get("miss", 0)
    return {"hit": lookups - misses, "miss": misses}


class _Timed:
    """Latencies and answers of one client's requests, by phase."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: dict[str, list[tuple[float, int]]] = {}

    def record(self, phase: str, seconds: float, status: int) -> None:
        with self.lock:
            self.records.setdefault(phase, []).append((seconds, status))

    def summary(self, phase: str) -> dict:
        with self.lock:
            records = list(self.records.get(phase, []))
        times = sorted(s for s, _ in records)
        pick = lambda p: times[min(len(times) - 1, int(len(times) * p))] * 1000 if times else 0  # noqa: E731
        return {
            "requests": len(records),
            "ok": sum(1 for _, s in records if s < 300),
            "expected": sum(1 for _, s in records if s == 409),
            "bad": sum(1 for _, s in records if s >= 300 and s != 409),
            "p50_ms": pick(0.5),
            "p99_ms": pick(0.99),
        }


class Editor(_Timed):
    """Producers editing their variants through the API at `rate` edits a second, each
    alternately a new price or a new counted stock (hot variants keep their stock so
    checkouts go on; their prices may change). Open loop: a scheduler hands each edit
    at its time to a pool of threads (one keep-alive connection each), so a slow edit
    does not delay the next ones."""

    POOL = 16

    def __init__(self, plan: dict, *, port: int, rate: float) -> None:
        super().__init__()
        self.plan, self.port, self.rate = plan, port, rate
        self.stopping = threading.Event()
        self.rng = random.Random(int(rate * 1000) + 3)
        self.local = threading.local()
        self.shown = 0
        self.pool: ThreadPoolExecutor | None = None
        self.scheduler: threading.Thread | None = None

    def start(self) -> None:
        if self.rate <= 0:
            return
        self.pool = ThreadPoolExecutor(max_workers=self.POOL)
        self.scheduler = threading.Thread(target=self._schedule, daemon=True)
        self.scheduler.start()

    def _schedule(self) -> None:
        due = time.monotonic()
        edit = 0
        while not self.stopping.is_set():
            wait = due - time.monotonic()
            if wait > 0 and self.stopping.wait(wait):
                break
            due += 1 / self.rate
            edit += 1
            if edit % 2:
                pk, slug = self.rng.choice(self.plan["editable"])
                body = {"stock": self.rng.randint(20, 400)}
            else:
                pk = self.rng.choice(self.plan["hot"] + [v for v, _ in self.plan["editable"][:200]])
                slug = self.plan["slugs"][pk]
                body = {"price": self.rng.randint(3, 120) * 5000}
            self.pool.submit(self._edit, pk, slug, body)

    def _edit(self, pk: int, slug: str, body: dict) -> None:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30
            )
        started = time.monotonic()
        try:
            connection.request(
                "PATCH",
                f"/api/v1/shops/{slug}/variants/{pk}/",
                body=json.dumps(body),
                headers={
                    "Authorization": f"Bearer {self.plan['producers'][slug]}",
                    "Content-Type": "application/json",
                },
            )
            response = connection.getresponse()
            answer = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            self.local.connection = None
            status, answer = 599, str(exc).encode()
        self.record("edits", time.monotonic() - started, status)
        if status >= 300 and self.shown < 5:
            self.shown += 1
            print(f"mixed: edit: HTTP {status}: {answer[:300]!r}", file=sys.stderr)

    def stop(self) -> None:
        """No new edit; those under way finish."""
        self.stopping.set()
        if self.scheduler is not None:
            self.scheduler.join(timeout=5)
            self.pool.shutdown(wait=True)

    def summary(self) -> dict:
        return super().summary("edits")


class Payer(_Timed):
    """Stripe telling us that each checkout's intent was paid: every card payment with
    an intent and still pending gets one `payment_intent.succeeded` event, signed with
    the server's webhook secret, POSTed to the webhook. Polls the database every quarter
    second, in its own thread, until stopped."""

    def __init__(self, *, port: int, secret: str) -> None:
        super().__init__()
        self.port, self.secret = port, secret
        self.phase = "warm"
        self.sent: dict[int, str] = {}  # payment id: event id
        self.answered_200 = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.sweep_lock = threading.Lock()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=60)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self.stopping.wait(0.25):
                self.sweep()
        finally:
            connection.close()

    def sweep(self) -> int:
        """Pays what is waiting; returns how many payments were found waiting."""
        from orders.models import Payment
        from payments.gateway import webhook_signature_header

        with self.sweep_lock:
            waiting = list(
                Payment.objects.filter(status="pending", provider="stripe")
                .exclude(intent_id="")
                .exclude(pk__in=list(self.sent))
                .values_list("pk", "intent_id", "amount", "order_id")
            )
            if not waiting:
                return 0
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            for pk, intent_id, amount, order_id in waiting:
                event_id = f"evt_mixed_{pk}"
                body = event_body(
                    event_id=event_id, intent_id=intent_id, amount=amount, order_id=str(order_id)
                )
                header = webhook_signature_header(payload=body, secret=self.secret)
                started = time.monotonic()
                try:
                    connection.request(
                        "POST",
                        WEBHOOK_PATH,
                        body=body,
                        headers={"Content-Type": "application/json", "Stripe-Signature": header},
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    status = 599
                self.record(self.phase, time.monotonic() - started, status)
                self.sent[pk] = event_id
                self.answered_200 += status == 200
            connection.close()
            return len(waiting)

    def check(self) -> dict:
        """Every event sent was answered 200, stored once and applied."""
        from payments.models import StripeEvent

        ids = list(self.sent.values())
        stored = StripeEvent.objects.filter(pk__in=ids)
        result = {
            "sent": len(ids),
            "answered_200": self.answered_200,
            "stored": stored.count(),
            "applied": stored.filter(status="applied").count(),
        }
        result["ok"] = len(ids) == result["answered_200"] == result["stored"] == result["applied"]
        return result


@dataclasses.dataclass
class PhaseStats:
    rate: float
    seconds: int
    mix: dict
    edits: dict
    webhooks: dict
    hits: int
    misses: int
    version_moves: int
    floor_rps: float

    def as_dict(self) -> dict:
        kinds = {}
        for kind, row in {
            **self.mix["kinds"],
            "edit": self.edits,
            "webhook": self.webhooks,
        }.items():
            kinds[kind] = {**row, "rps": row["requests"] / self.seconds}
        browse_rps = kinds["browse"]["rps"]
        lookups = self.hits + self.misses
        return {
            "rate": self.rate,
            "kinds": kinds,
            "total_rps": sum(
                row["rps"] for kind, row in kinds.items() if kind not in (*BROWSE_KINDS, "browse")
            )
            + browse_rps,
            "browse_rps": browse_rps,
            "browse_vs_floor": browse_rps / self.floor_rps if self.floor_rps else 0,
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": self.hits / lookups if lookups else 0,
            "version_moves": self.version_moves,
            "socket_errors": self.mix["socket_errors"],
        }
