"""What a demo shop is made of: plain records that `seeding` turns into shops,
certificates and products through the same services as the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoProduct:
    name: str
    description: str
    shelf_life_days: int | None
    variants: list[dict]
    colour: tuple[int, int, int]
    sessions: int = 0  # group 6: days of seats to open from today
    # True: an 800x600 picture with the product's name drawn on it; False: a small
    # picture shared by every product of the same colour (the generated catalogue).
    labelled_picture: bool = True


@dataclass(frozen=True)
class DemoCertificate:
    number: str
    issuer_name: str
    product_name: str
    stars: int
    score: int
    product_group: str
    issued_by_level: str
    issued_on: datetime.date
    products: list[DemoProduct] = field(default_factory=list)


@dataclass(frozen=True)
class DemoShop:
    producer_key: str
    name: str
    legal_name: str
    legal_type: str
    tax_code: str
    province_code: str
    ward_code: str
    address: str
    phone: str
    description: str
    return_policy: str
    certificates: list[DemoCertificate]


@dataclass(frozen=True)
class Pack:
    code: str  # the end of the SKU
    name: str
    price: int  # the usual price in đồng; each product moves it a little
    weight_grams: int


@dataclass(frozen=True)
class Kind:
    group: str
    shelf_life_days: int | None
    sentence: str
    packs: tuple[Pack, ...]
    colour: tuple[int, int, int]
