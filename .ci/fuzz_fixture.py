"""The fuzzer's fixture, made through the API itself on top of `seed_demo`: a buyer with
an order and a cart line, and one JWT per role. Prints shell assignments (FUZZ_*) that
.ci/fuzz evaluates: the ids schemathesis.toml pins so that fuzzed requests reach real
rows instead of stopping at 404."""

from __future__ import annotations

import shlex
import sys
import uuid

import requests

BASE = sys.argv[1].rstrip("/") + "/api/v1"
BUYER = ("buyer@demo.ocop.vn", "ocop-buyer-2026")
PRODUCER = ("pumat@demo.ocop.vn", "ocop-producer-2026")
OPERATOR = ("operator@demo.ocop.vn", "ocop-operator-2026")


def token(email: str, password: str) -> str:
    answer = requests.post(f"{BASE}/auth/token/", json={"email": email, "password": password})
    answer.raise_for_status()
    return answer.json()["access"]


def call(method: str, path: str, access: str, headers=None, **kwargs) -> dict:
    headers = {"Authorization": f"Bearer {access}", **(headers or {})}
    answer = requests.request(method, f"{BASE}{path}", headers=headers, **kwargs)
    if answer.status_code >= 400:
        raise SystemExit(f"{method} {path}: {answer.status_code} {answer.text[:400]}")
    return answer.json() if answer.content else {}


def main() -> None:
    buyer, producer, operator = token(*BUYER), token(*PRODUCER), token(*OPERATOR)
    shop = call("GET", "/shops/?page_size=100", producer)["results"]
    # The producer's own shop: the first shop whose product list answers them.
    slug = next(
        s["slug"]
        for s in shop
        if requests.get(
            f"{BASE}/shops/{s['slug']}/products/",
            headers={"Authorization": f"Bearer {producer}"},
        ).status_code
        == 200
    )
    products = call("GET", f"/shops/{slug}/products/", producer)["results"]
    product, variant = next(
        (p, v)
        for p in products
        if p["is_public"] and not p["is_service"]
        for v in p["variants"]
        if v["stock"] >= 3
    )
    # An empty cart first, so that the script can run again on the same database.
    for line in call("GET", "/cart/", buyer)["items"]:
        call("DELETE", f"/cart/items/{line['id']}/", buyer)
    call("POST", "/cart/items/", buyer, json={"variant_id": variant["id"], "quantity": 1})
    ward = call("GET", "/regions/provinces/", buyer)[0]["code"]
    wards = call("GET", f"/regions/provinces/{ward}/wards/", buyer)
    placed = call(
        "POST",
        "/checkout/",
        buyer,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={
            "shipping_address": {
                "full_name": "Nguyễn Thị Lan",
                "phone": "0901234567",
                "province_code": ward,
                "ward_code": wards[0]["code"],
                "line1": "12 Lê Lợi",
            },
            "payment_method": "cod",
        },
    )
    order = placed.get("orders", [placed])[0] if "orders" in placed else placed
    item = call("POST", "/cart/items/", buyer, json={"variant_id": variant["id"], "quantity": 2})
    item_id = next(line["id"] for line in item.get("items", [item]) if "id" in line)
    values = {
        "FUZZ_BUYER_TOKEN": buyer,
        "FUZZ_PRODUCER_TOKEN": producer,
        "FUZZ_OPERATOR_TOKEN": operator,
        "FUZZ_SLUG": slug,
        "FUZZ_PRODUCT_ID": product["id"],
        "FUZZ_VARIANT_ID": variant["id"],
        "FUZZ_ORDER_ID": order["id"],
        "FUZZ_SHOP_ORDER_ID": order["shop_orders"][0]["id"],
        "FUZZ_CART_ITEM_ID": item_id,
        "FUZZ_PROVINCE_CODE": ward,
    }
    for name, value in values.items():
        print(f"export {name}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main()
