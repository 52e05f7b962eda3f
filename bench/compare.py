"""`make bench-compare`: the catalogue and checkout benchmarks on an earlier commit and on
this tree, in one run, so that a refactor's cost is read off ratios measured side by side.

The earlier code (BENCH_BASE, by default the last commit before the one-database work of
issue 16) is checked out with `git worktree` into .bench-base/, and each benchmark module
runs from its own tree (`python -m bench.catalogue` with that tree as the working
directory, so gunicorn imports that tree's code) against its own database. Each side runs
in the order base, head, head, base, so that a drift of the machine's speed during the run
weighs on both alike; per endpoint, each side's ratio is its best requests/s over its
best floor (every benchmark run measures its floor beside it, best of BENCH_ROUNDS).

Prints, per cache mode and endpoint and per checkout flow, both ratios to the floor and
head / base; a line is marked when head falls more than 5 % below base. Writes
bench/results/compare.json. BENCH_COMPARE=catalogue or checkout runs only one of them;
BENCH_COMPARE_KEEP_DB=1 reuses both catalogues an earlier run loaded;
the catalogue benchmark's own variables (BENCH_PRODUCTS, BENCH_MODES, BENCH_ROUNDS…)
pass through.
"""

from __future__ import annotations

import json
import os
import subprocess

from bench.harness import PYTHON, ROOT

BASE = os.environ.get("BENCH_BASE", "ec28605")
BASE_TREE = ROOT / ".bench-base"
ORDER = ("base", "head", "head", "base")
TOLERANCE = 0.05
PG = os.environ.get("BENCH_COMPARE_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_COMPARE_REDIS", "redis://127.0.0.1:6379")
SUITES = os.environ.get("BENCH_COMPARE", "catalogue,checkout").split(",")


def base_tree() -> str:
    """The base commit's files in .bench-base/, checked out afresh unless already there."""
    sha = subprocess.run(
        ["git", "rev-parse", f"{BASE}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if BASE_TREE.exists():
        current = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=BASE_TREE, capture_output=True, text=True
        ).stdout.strip()
        if current == sha:
            return sha
        subprocess.run(["git", "worktree", "remove", "--force", str(BASE_TREE)], cwd=ROOT)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--force", str(BASE_TREE), sha],
        cwd=ROOT,
        check=True,
    )
    return sha


def run_side(side: str, module: str, result_file: str, env: dict[str, str]) -> dict:
    tree = BASE_TREE if side == "base" else ROOT
    print(f"\n== {module} on {side} ({tree})", flush=True)
    subprocess.run([PYTHON, "-m", module], cwd=tree, env={**os.environ, **env}, check=True)
    return json.loads((tree / "bench" / "results" / result_file).read_text())


def catalogue_ratios() -> dict[str, dict[str, float]]:
    """{side: {"mode endpoint": best ratio, "mode endpoint req/s": best}} over the ABBA
    runs. Requests/s are compared too: the floor's own throughput is bimodal (how wrk's
    connections land on the two workers), which moves a ratio more than the code does."""
    best: dict[str, dict[str, float]] = {"base": {}, "head": {}}
    floors: dict[str, dict[str, float]] = {"base": {}, "head": {}}
    # BENCH_COMPARE_KEEP_DB=1: both catalogues were loaded by an earlier run.
    loaded = {"base", "head"} if os.environ.get("BENCH_COMPARE_KEEP_DB") == "1" else set()
    for number, side in enumerate(ORDER):
        env = {
            "BENCH_DATABASE_URL": f"{PG}/ocop_bench_compare_{side}",
            "BENCH_REDIS_URL": f"{REDIS}/{11 if side == 'base' else 12}",
            "BENCH_PORT": str(8771 + number),
            # A side's catalogue is loaded once, then reused by its second run.
            "BENCH_KEEP_DB": "1" if side in loaded else "0",
        }
        results = run_side(side, "bench.catalogue", "catalogue.json", env)
        loaded.add(side)
        for mode, endpoints in results.items():
            for endpoint, figures in endpoints.items():
                key = f"{mode} {endpoint}"
                rps = f"{key} req/s"
                best[side][rps] = max(best[side].get(rps, 0.0), figures["rps"])
                floors[side][key] = max(floors[side].get(key, 0.0), figures["floor"]["rps"])
                # The side's best over its best floor: one slow floor run (wrk's
                # connections all on one worker) does not lift the ratio.
                best[side][key] = round(best[side][rps] / floors[side][key], 4)
    return best


def checkout_ratios() -> dict[str, dict[str, float]]:
    best: dict[str, dict[str, float]] = {"base": {}, "head": {}}
    for number, side in enumerate(ORDER):
        env = {
            "BENCH_CHECKOUT_DATABASE_URL": f"{PG}/ocop_bench_compare_checkout_{side}",
            "BENCH_CHECKOUT_REDIS_URL": f"{REDIS}/{9 if side == 'base' else 10}",
            "BENCH_PORT": str(8781 + number),
        }
        results = run_side(side, "bench.checkout", "checkout.json", env)
        for flow, figures in results["flows"].items():
            key = f"checkout {flow}"
            best[side][key] = max(best[side].get(key, 0.0), figures["ratio_to_floor"])
            per_second = f"{key} checkouts/s"
            best[side][per_second] = max(
                best[side].get(per_second, 0.0), figures["checkouts_per_second"]
            )
        best[side]["statements per checkout"] = results["statements_per_checkout_request"]
    return best


def report(sha: str, best: dict[str, dict[str, float]]) -> bool:
    print(
        f"\nBefore (base {sha[:10]}) and after (this tree), measured in one run, "
        f"order {', '.join(ORDER)}; ratio = requests/s over the floor's, best per side"
    )
    header = f"{'':<34}{'base':>10}{'head':>10}{'head/base':>11}"
    print(header)
    print("-" * len(header))
    within = True
    for key, base_value in best["base"].items():
        head_value = best["head"].get(key)
        if head_value is None:
            print(f"{key:<34}{base_value:>10}{'(none)':>10}")
            continue
        if key.startswith("statements"):
            print(f"{key:<34}{base_value:>10}{head_value:>10}")
            continue
        change = head_value / base_value
        if key.endswith("/s"):
            print(f"{key:<34}{base_value:>10.1f}{head_value:>10.1f}{change * 100:>10.1f}%")
            continue
        mark = "" if change >= 1 - TOLERANCE else "  << more than 5 % below base"
        within = within and not mark
        print(
            f"{key:<34}{base_value * 100:>9.1f}%{head_value * 100:>9.1f}%"
            f"{change * 100:>10.1f}%{mark}"
        )
    return within


def main() -> None:
    sha = base_tree()
    best: dict[str, dict[str, float]] = {"base": {}, "head": {}}
    if "catalogue" in SUITES:
        for side, values in catalogue_ratios().items():
            best[side].update(values)
    if "checkout" in SUITES:
        for side, values in checkout_ratios().items():
            best[side].update(values)
    within = report(sha, best)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "compare.json").write_text(
        json.dumps({"base": sha, "ratios": best, "within_5_percent": within}, indent=2)
    )
    print("\nhead within 5 % of base everywhere" if within else "\nhead fell behind base")


if __name__ == "__main__":
    main()
