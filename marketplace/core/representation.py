"""Serializer output planned once per class, for the API's most frequent answers."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Manager
from rest_framework import serializers


def _read(instance: Any, attrs: list[str]) -> Any:
    """DRF's `fields.get_attribute`: attributes or keys in turn, a missing related
    object read as None, a method called."""
    for attr in attrs:
        try:
            instance = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if inspect.ismethod(instance) or inspect.isfunction(instance):
            instance = instance()
    return instance


class PlannedRepresentation:
    """A serializer whose `to_representation` walks a plan of its declared fields made
    once per class (source, how to read it, how to write it), instead of DRF's walk,
    which binds and deep-copies every field of every nested serializer on each answer:
    an order (shop orders, lines, events) cost more to write out than to place.

    The output is DRF's, key for key (tests/orders/test_order_shape.py holds it to it).
    For serializers that need no context: the plan keeps one bound instance per class.
    Mixed in before DRF's serializer class: `class X(PlannedRepresentation, Serializer)`."""

    _plans: ClassVar[dict[type, list]] = {}

    def to_representation(self, instance) -> dict:
        plan = self._plans.get(type(self))
        if plan is None:
            plan = self._plans[type(self)] = _plan(type(self)())
        output = {}
        for name, attrs, write in plan:
            value = instance if attrs is None else _read(instance, attrs)
            output[name] = None if value is None else write(value)
        return output


def _plan(serializer: serializers.Serializer) -> list:
    plan = []
    for field in serializer._readable_fields:
        attrs = None if field.source == "*" else field.source_attrs
        if isinstance(field, serializers.SerializerMethodField):
            attrs, write = None, getattr(serializer, field.method_name)
        elif isinstance(field, serializers.ListSerializer):
            write = _list_writer(field.child)
        else:
            write = field.to_representation
        plan.append((field.field_name, attrs, write))
    return plan


def _list_writer(child: serializers.Serializer):
    def write(items) -> list:
        if isinstance(items, Manager):
            items = items.all()
        return [child.to_representation(item) for item in items]

    return write
