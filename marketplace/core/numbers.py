"""Quantities and money arrive from JSON and spreadsheets: a whole number is an `int`
that is not a `bool` (Python counts True as 1, a buyer does not)."""

from typing import Any, TypeGuard


def is_whole_number(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
