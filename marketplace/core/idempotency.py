"""`Idempotency-Key` handling shared by every operation that must not run twice
(checkout first of all): a double-click or a retry after a lost response replays the
first result instead of doing the work again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter

from marketplace.core.db import prepared_rows
from marketplace.core.errors import Conflict, InvalidInput
from marketplace.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = "This Idempotency-Key was already used for a different request."


@dataclass(frozen=True)
class IdempotencyClaim:
    record: IdempotencyRecord
    # False when the key was seen before with the same request: replay record.result_id.
    is_new: bool
    # The primary key reserved for the row the operation creates (see `reserve_id_for`),
    # already stored as record.result_id; None when nothing was reserved.
    reserved_id: int | None = None


# The header as the schema documents it: what `idempotency_key_from` takes (printable
# ASCII, as HTTP carries it, without the spaces it would strip at either end).
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": r"^[!-~]([ -~]*[!-~])?$",
    },
    OpenApiParameter.HEADER,
    required=True,
    description="A fresh random value (a UUID) per intended operation; a retry sends it again.",
)


def idempotency_key_from(headers: Any) -> str:
    """The key from the request headers, or a 400 saying what is wrong with it."""
    key = (headers.get(HEADER) or "").strip()
    if not key:
        raise InvalidInput(
            f"The {HEADER} header is required.",
            code="idempotency_key_required",
            fields={HEADER: ["This header is required."]},
        )
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} printable characters.",
            code="invalid_idempotency_key",
            fields={HEADER: ["Invalid key."]},
        )
    return key


def request_fingerprint(payload: Any) -> str:
    """A stable hash of what the request asks for (canonical JSON)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_claim(
    *,
    user_id: int,
    scope: str,
    key: str,
    fingerprint: str,
    reserve_id_for: type[models.Model] | None = None,
) -> IdempotencyClaim:
    """Claim `key` for this user and operation inside the caller's transaction.

    A concurrent request with the same key waits on the unique index until the first
    one commits, then sees its record. Raises IdempotencyKeyReused when the key was used
    for a different request.

    `reserve_id_for`: the model whose row the operation will create. The claim then
    takes that row's primary key from its sequence and stores it as the result, in the
    same statement: the caller creates the row with `claim.reserved_id` and needs no
    `idempotency_complete()`.
    """
    claim = _claim(
        user_id=user_id,
        scope=scope,
        key=key,
        fingerprint=fingerprint,
        reserve_id_for=reserve_id_for,
    )
    if claim is not None:
        return claim
    record = IdempotencyRecord.objects.get(user_id=user_id, scope=scope, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return IdempotencyClaim(record=record, is_new=False)


def _claim(
    *, user_id: int, scope: str, key: str, fingerprint: str, reserve_id_for
) -> IdempotencyClaim | None:
    """One statement: ON CONFLICT DO NOTHING waits for a concurrent claim of the same key
    like the unique index would, but needs no savepoint around a failing INSERT. Returns
    None when the key was already claimed."""
    table = IdempotencyRecord._meta.db_table
    result_sql, result_params = "''", []
    if reserve_id_for is not None:
        result_sql = "nextval(pg_get_serial_sequence(%s, %s))::text"
        result_params = [reserve_id_for._meta.db_table, reserve_id_for._meta.pk.column]
    created_at = timezone.now()
    # Every checkout claims a key: a statement prepared once per connection.
    rows = prepared_rows(
        f"""INSERT INTO {table} (user_id, scope, key, fingerprint, result_id, created_at)
        VALUES (%s, %s, %s, %s, {result_sql}, %s)
        ON CONFLICT (user_id, scope, key) DO NOTHING
        RETURNING id, result_id""",
        [user_id, scope, key, fingerprint, *result_params, created_at],
    )
    if not rows:
        return None
    row = rows[0]
    record = IdempotencyRecord(
        pk=row[0],
        user_id=user_id,
        scope=scope,
        key=key,
        fingerprint=fingerprint,
        result_id=row[1],
        created_at=created_at,
    )
    return IdempotencyClaim(
        record=record,
        is_new=True,
        reserved_id=int(row[1]) if reserve_id_for is not None else None,
    )


def idempotency_complete(*, claim: IdempotencyClaim, result_id: str | int) -> None:
    """Remember what the first request produced, in the same transaction as the work."""
    claim.record.result_id = str(result_id)
    claim.record.save(update_fields=["result_id"])
