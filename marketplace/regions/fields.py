"""Input fields for a province or ward code, documented with what the API takes: one of
the 34 provinces' codes, a ward's five digits. Whether the ward lies in the province is
the services' rule (a 400 `invalid_address`), beyond what a schema can say."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.regions.loader import province_codes

# One named enum in the schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
PROVINCE_CODES = list(province_codes())


@extend_schema_field({"type": "string", "enum": PROVINCE_CODES})
class ProvinceCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{5}$"})
class WardCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)
