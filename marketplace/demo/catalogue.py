"""The generated part of the demo catalogue: enough OCOP products for the figures of the
article the project started from (Nghệ An 115 products of 3 stars and up, 89 at 3★ and
26 at 4★; An Giang 184 of 3 to 5 stars), counting the article's own shops in `shops`.

Each province module lists its producers and, per producer, lines of products:

    "<stars> <kind>[*price factor] | <name>; <name>; ..."

and this module turns them into the records `seeding` builds: one certificate per
product (decision number, date and issuing level from the province's rating rounds),
packagings and prices from the product's kind (`kinds`), stable SKUs. Prices, stock,
scores and SKUs are derived from the names (crc32, never Python's salted hash()) and
decision numbers from the order of the lines, so every run builds the same records and
`seed_demo` stays idempotent."""

from __future__ import annotations

import dataclasses
import datetime
import zlib
from dataclasses import dataclass

from marketplace.accounts.models import UserRole
from marketplace.demo import shops as article
from marketplace.demo.accounts import PRODUCER_PASSWORD, DemoAccount
from marketplace.demo.kinds import KINDS
from marketplace.demo.records import DemoCertificate, DemoProduct, DemoShop, Kind
from marketplace.ocop.reference import IssuingLevel, ProductGroup
from shops.services import vi_slugify

MIN_PRICE, MAX_PRICE = 45_000, 850_000

RETURN_FOOD = (
    "Đổi hoặc trả hàng trong 7 ngày kể từ khi nhận nếu sản phẩm lỗi, hư hỏng hoặc rò rỉ "
    "khi vận chuyển, hoặc không đúng mô tả. Thực phẩm đã mở bao bì không được đổi trả."
)
RETURN_CRAFT = (
    "Đổi hoặc trả hàng trong 14 ngày với sản phẩm chưa qua sử dụng, còn nguyên tem nhãn. "
    "Hàng lỗi dệt, lỗi may được đổi mới miễn phí."
)
RETURN_PLANTS = (
    "Cây giao tận nơi kèm chậu. Cây gãy, dập hoặc chết trong 3 ngày đầu do vận chuyển "
    "được đổi cây cùng loại; xin chụp ảnh khi mở thùng."
)


@dataclass(frozen=True)
class Round:
    """One sitting of a rating council: its decisions are dated `issued_on` and numbered
    from `first_number` on."""

    issued_on: datetime.date
    first_number: int


@dataclass(frozen=True)
class Producer:
    """A producer and its products. Without `name` it is one of the article's shops
    (same `key`), to which the products are added."""

    key: str
    legal_name: str
    place: str  # where it makes them, as the description says: "xã Diễn Châu, tỉnh Nghệ An"
    sku_prefix: str
    # The district council that rated its 3★ products before 1 July 2025; "": none.
    district_issuer: str
    products: str
    name: str = ""
    legal_type: str = ""
    tax_code: str = ""
    ward_code: str = ""
    address: str = ""
    phone: str = ""
    owner_name: str = ""
    description: str = ""


@dataclass(frozen=True)
class ProvincePlan:
    code: str
    issuer_name: str  # "UBND tỉnh Nghệ An"
    district_rounds: tuple[Round, ...]  # before 6 July 2025: 3★ only
    province_rounds: tuple[Round, ...]  # 3★ and 4★
    producers: tuple[Producer, ...]


# The national council (5★) of the Ministry of Agriculture and Environment.
NATIONAL_ISSUER = "Bộ Nông nghiệp và Môi trường"
NATIONAL_ROUNDS = (
    Round(datetime.date(2025, 10, 28), 2_764),
    Round(datetime.date(2026, 4, 16), 1_021),
    Round(datetime.date(2026, 9, 24), 3_482),
)


@dataclass(frozen=True)
class Line:
    stars: int
    kind: Kind
    price_factor: float
    name: str


def parse_lines(text: str) -> list[Line]:
    """The product lines of a producer, in order. Raises ValueError on a bad line."""
    lines: list[Line] = []
    for raw in text.strip().splitlines():
        head, _, names = raw.partition("|")
        stars, kind_code = head.split()
        kind_code, _, factor = kind_code.partition("*")
        if kind_code not in KINDS or int(stars) not in (3, 4, 5) or not names.strip():
            raise ValueError(f"Bad demo product line: {raw!r}")
        for name in names.split(";"):
            lines.append(
                Line(int(stars), KINDS[kind_code], float(factor or 1), " ".join(name.split()))
            )
    return lines


def _seed(name: str) -> int:
    return zlib.crc32(name.encode())


def _price(base: int, factor: float) -> int:
    raw = base * factor
    step = 5_000 if raw > 200_000 else 1_000
    return min(MAX_PRICE, max(MIN_PRICE, round(raw / step) * step))


def _sku_stem(name: str) -> str:
    """Initials and three digits from the name: "Mắm tôm Diễn Châu" → "MTDC" + "215"."""
    initials = "".join(w if w.isdigit() else w[0] for w in vi_slugify(name).split("-") if w)
    return f"{initials.upper()[:10]}{_seed(name) % 1000:03d}"


def _variants(line: Line, prefix: str) -> list[dict]:
    seed = _seed(line.name)
    factor = line.price_factor * (0.85 + (seed % 41) / 100)
    packs = line.kind.packs[: 1 + (seed >> 8) % len(line.kind.packs)]
    variants = []
    for i, pack in enumerate(packs):
        stock = 6 + ((seed >> (12 + 3 * i)) % 150)
        if i and (seed >> 24) % 9 == 0:
            stock = 0  # a larger pack sold out: the listing still shows
        variant = {
            "sku": f"{prefix}-{_sku_stem(line.name)}-{pack.code}",
            "name": pack.name,
            "price": _price(pack.price, factor),
            "stock": stock,
            "weight_grams": pack.weight_grams,
        }
        variants.append(variant)
    return variants


def _score(stars: int, seed: int) -> int:
    low, spread = {3: (52, 18), 4: (70, 16), 5: (90, 6)}[stars]
    return low + seed % spread


class _Numbering:
    """Decision numbers per round, unique per issuing province (and nationally)."""

    def __init__(self) -> None:
        self.used: dict[Round, int] = {}

    def next(self, rnd: Round, seed: int) -> int:
        k = self.used.get(rnd, 0)
        self.used[rnd] = k + 1
        return rnd.first_number + 3 * k + seed % 3


def _certificate(
    line: Line, producer: Producer, plan: ProvincePlan, numbering: _Numbering
) -> DemoCertificate:
    seed = _seed(line.name)
    if line.stars == 5:
        rnd = NATIONAL_ROUNDS[seed % len(NATIONAL_ROUNDS)]
        level, issuer, suffix = IssuingLevel.NATIONAL, NATIONAL_ISSUER, "QĐ-BNNMT"
    elif line.stars == 3 and producer.district_issuer and seed % 10 < 3:
        rnd = plan.district_rounds[(seed // 10) % len(plan.district_rounds)]
        level, issuer, suffix = IssuingLevel.DISTRICT, producer.district_issuer, "QĐ-UBND"
    else:
        rnd = plan.province_rounds[(seed // 7) % len(plan.province_rounds)]
        level, issuer, suffix = IssuingLevel.PROVINCE, plan.issuer_name, "QĐ-UBND"
    kind = line.kind
    product = DemoProduct(
        name=line.name,
        description=(
            f"{line.name} — sản phẩm OCOP {line.stars} sao của {producer.legal_name} "
            f"({producer.place}). {kind.sentence}"
        ),
        shelf_life_days=kind.shelf_life_days,
        variants=_variants(line, producer.sku_prefix),
        colour=kind.colour,
        labelled_picture=False,
    )
    return DemoCertificate(
        number=f"{numbering.next(rnd, seed)}/{suffix}",
        issuer_name=issuer,
        product_name=line.name,
        stars=line.stars,
        score=_score(line.stars, seed),
        product_group=kind.group,
        issued_by_level=level,
        issued_on=rnd.issued_on,
        products=[product],
    )


def _return_policy(lines: list[Line]) -> str:
    groups = {line.kind.group for line in lines}
    if ProductGroup.ORNAMENTAL in groups:
        return RETURN_PLANTS
    if groups == {ProductGroup.HANDICRAFT}:
        return RETURN_CRAFT
    return RETURN_FOOD


def _shop(producer: Producer, province_code: str, certificates: list, lines: list) -> DemoShop:
    return DemoShop(
        producer_key=producer.key,
        name=producer.name,
        legal_name=producer.legal_name,
        legal_type=producer.legal_type,
        tax_code=producer.tax_code,
        province_code=province_code,
        ward_code=producer.ward_code,
        address=producer.address,
        phone=producer.phone,
        description=producer.description,
        return_policy=_return_policy(lines),
        certificates=certificates,
    )


def owner_account(producer: Producer) -> DemoAccount:
    return DemoAccount(
        f"{producer.key}@demo.ocop.vn", PRODUCER_PASSWORD, producer.owner_name, UserRole.PRODUCER
    )


@dataclass(frozen=True)
class Catalogue:
    shops: list[DemoShop]  # the article's shops, with their added products, then the rest
    owners: dict[str, DemoAccount]  # producer key → account, for the shops not in `shops`


def build(plans: list[ProvincePlan]) -> Catalogue:
    """Raises ValueError when two products of a shop share a name or a SKU, or two
    certificates of one issuing province (or two national ones) share a number."""
    numbering = _Numbering()
    added: dict[str, list[DemoCertificate]] = {}
    new_shops: list[DemoShop] = []
    owners: dict[str, DemoAccount] = {}
    for plan in plans:
        for producer in plan.producers:
            lines = parse_lines(producer.products)
            certificates = [_certificate(line, producer, plan, numbering) for line in lines]
            if producer.name:
                new_shops.append(_shop(producer, plan.code, certificates, lines))
                owners[producer.key] = owner_account(producer)
            else:
                added.setdefault(producer.key, []).extend(certificates)
    shops = [
        dataclasses.replace(s, certificates=[*s.certificates, *added.pop(s.producer_key, [])])
        for s in article.SHOPS
    ]
    if added:
        raise ValueError(f"No article shop for {sorted(added)}.")
    shops += new_shops
    _check_unique(shops)
    return Catalogue(shops=shops, owners=owners)


def _check_unique(shops: list[DemoShop]) -> None:
    numbers: set[tuple[str | None, str]] = set()
    for shop in shops:
        products = [p for c in shop.certificates for p in c.products]
        names = [p.name for p in products]
        skus = [v["sku"] for p in products for v in p.variants]
        if len(set(names)) != len(names) or len(set(skus)) != len(skus):
            raise ValueError(f"Two products of {shop.name} share a name or a SKU.")
        for c in shop.certificates:
            national = c.issued_by_level == IssuingLevel.NATIONAL
            key = (None if national else shop.province_code, c.number)
            if key in numbers:
                raise ValueError(f"Decision {c.number} is numbered twice.")
            numbers.add(key)
