"""Bulk listing import from CSV or XLSX: one row = one variant of a product.

Columns (header row, any order, case-insensitive): product_name, certificate_number,
sku, variant_name, price are required; description, origin_province_code,
shelf_life_days, stock, weight_grams, low_stock_threshold are optional. Rows naming the
same product and certificate build one product; an existing SKU is updated (its stock
set to the sheet's figure, recorded as an `import` movement). Each row applies whole or
not at all; bad rows are reported with their spreadsheet row number. The file is read
in the worker only, within the bounds of `shops.services.spreadsheets`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.clock import local_today
from marketplace.core.errors import DomainError, InvalidInput
from shops.models import (
    CertificateStatus,
    ImportJob,
    ImportStatus,
    OcopCertificate,
    Product,
    ProductVariant,
    Shop,
    StockReason,
)
from shops.services.effects import task_enqueue
from shops.services.products import product_create
from shops.services.spreadsheet_rows import spreadsheet_rows_check
from shops.services.spreadsheets import (
    MAX_IMPORT_BYTES,
    InvalidSpreadsheet,
    spreadsheet_bytes,
    spreadsheet_check,
    spreadsheet_format,
    spreadsheet_rows,
)
from shops.services.stock import stock_set
from shops.services.variants import variant_add, variant_update

INT_COLUMNS = ("price", "stock", "weight_grams", "low_stock_threshold", "shelf_life_days")
_GROUPED_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def import_job_create(*, shop: Shop, actor: User, upload, run: bool = True) -> ImportJob:
    """Store the sheet and queue its processing on the `stock` queue (after commit).

    Only what costs a web worker little is checked here (name, size, UTF-8 or a ZIP
    archive of bounded size, the number of rows); the worker reads the sheet and fails
    the job with the reason when it cannot be read (`total_rows` stays 0 until then).
    Raises InvalidSpreadsheet (`unsupported_format`, `invalid_spreadsheet`,
    `invalid_file`, `spreadsheet_too_large`, `too_many_rows`), FileTooLarge."""
    file_format = spreadsheet_format(upload)
    data = spreadsheet_bytes(upload)
    spreadsheet_check(data, file_format)
    spreadsheet_rows_check(data, file_format)
    with transaction.atomic():
        job = ImportJob.objects.create(
            shop=shop,
            created_by=actor,
            file=ContentFile(data, name=f"{uuid.uuid4().hex}.{file_format}"),
            file_format=file_format,
        )
        if run:
            task_enqueue(
                task="shops.tasks.run_import",
                kwargs={"job_id": job.pk},
                dedupe_key=f"import:{job.pk}",
            )
        return job


def _int(row: dict, field: str, problems: dict, *, required=False, default=None):
    value = row.get(field)
    if value is None:
        if required:
            problems.setdefault(field, []).append("Required.")
        return default
    if isinstance(value, int):
        if abs(value) > 10**12:
            problems.setdefault(field, []).append("Out of range.")
            return default
        return value
    text = str(value).replace(" ", "")
    if _GROUPED_THOUSANDS.match(text):
        text = re.sub(r"[.,]", "", text)
    if re.fullmatch(r"-?\d{1,12}", text):
        return int(text)
    problems.setdefault(field, []).append("A whole number.")
    return default


def _apply_row(*, shop: Shop, actor: User | None, row: dict, today) -> None:
    problems: dict[str, list[str]] = {}
    for field in ("product_name", "certificate_number", "sku", "variant_name"):
        if not row.get(field):
            problems.setdefault(field, []).append("Required.")
    numbers = {
        "price": _int(row, "price", problems, required=True),
        "stock": _int(row, "stock", problems, default=0),
        "weight_grams": _int(row, "weight_grams", problems),
        "low_stock_threshold": _int(row, "low_stock_threshold", problems, default=5),
        "shelf_life_days": _int(row, "shelf_life_days", problems),
    }
    if problems:
        raise InvalidInput("The row has invalid fields.", code="invalid_row", fields=problems)
    certificate = (
        OcopCertificate.objects.filter(
            shop=shop,
            number=str(row["certificate_number"]),
            status=CertificateStatus.APPROVED,
            expires_on__gt=today,
        )
        .order_by("-expires_on")
        .first()
    )
    if certificate is None:
        raise InvalidInput(
            "No approved, unexpired certificate of this shop has that number.",
            code="certificate_not_approved",
            fields={"certificate_number": ["No approved certificate with that number."]},
        )
    variant_data = {
        "sku": str(row["sku"]),
        "name": str(row["variant_name"]),
        "price": numbers["price"],
        "stock": numbers["stock"],
        "weight_grams": numbers["weight_grams"],
        "low_stock_threshold": numbers["low_stock_threshold"],
    }
    existing = ProductVariant.objects.filter(shop=shop, sku=variant_data["sku"]).first()
    product = Product.objects.filter(
        shop=shop, name=str(row["product_name"]), certificate=certificate
    ).first()
    if existing is not None:
        if product is None or existing.product_id != product.pk:
            raise InvalidInput(
                "This SKU belongs to another product of the shop.",
                code="duplicate_sku",
                fields={"sku": ["Used by another product."]},
            )
        variant_update(
            variant=existing,
            actor=actor,
            price=variant_data["price"],
            name=variant_data["name"],
            weight_grams=variant_data["weight_grams"] if not product.is_service else None,
            low_stock_threshold=variant_data["low_stock_threshold"],
        )
        if not product.is_service:
            stock_set(
                variant=existing,
                stock=variant_data["stock"],
                actor=actor,
                reason=StockReason.IMPORT,
                reference="import",
            )
        return
    if product is None:
        product = product_create(
            shop=shop,
            actor=actor,
            name=str(row["product_name"]),
            certificate_id=certificate.pk,
            variants=[variant_data],
            description=str(row.get("description") or ""),
            origin_province_code=(
                str(row["origin_province_code"]).zfill(2)
                if row.get("origin_province_code") is not None
                else None
            ),
            shelf_life_days=numbers["shelf_life_days"],
            today=today,
            stock_reason=StockReason.IMPORT,
        )
        return
    variant_add(product=product, actor=actor, stock_reason=StockReason.IMPORT, **variant_data)


def import_job_run(
    *, job_id: int, progress: Callable[[int, int], None] | None = None
) -> ImportJob | None:
    """Read the sheet (within the bounds of `shops.services.spreadsheets`) and apply it
    row by row. A sheet that cannot be read fails the job, its reason in `errors` as a
    row-less entry. Each row and the progress counter commit together, so a worker
    killed halfway resumes at the next row and applies nothing twice.
    Idempotent: a finished job is left alone. Returns None for a deleted job."""
    job = ImportJob.objects.filter(pk=job_id).select_related("shop").first()
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    try:
        with job.file.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise InvalidSpreadsheet("Spreadsheets are limited to 5 MB.", code="file_too_large")
        rows = spreadsheet_rows(data, job.file_format)
    except DomainError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            errors=[{"row": None, "code": exc.code, "message": exc.message}],
            finished_at=timezone.now(),
        )
        return ImportJob.objects.get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, total_rows=len(rows)
    )
    today = local_today()
    for index in range(job.rows_done, len(rows)):
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.rows_done != index:
                continue  # another run of this task got here first
            try:
                with transaction.atomic():
                    _apply_row(shop=job.shop, actor=job.created_by, row=rows[index], today=today)
                locked.rows_applied += 1
            except DomainError as exc:
                locked.rows_failed += 1
                locked.errors = [
                    *locked.errors,
                    {
                        "row": index + 2,  # the spreadsheet's own numbering, after the header
                        "sku": str(rows[index].get("sku") or ""),
                        "code": exc.code,
                        "message": exc.message,
                        "fields": exc.fields or {},
                    },
                ]
            locked.rows_done = index + 1
            locked.save(update_fields=["rows_done", "rows_applied", "rows_failed", "errors"])
        if progress:
            progress(index + 1, len(rows))
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
        status=ImportStatus.DONE, finished_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job.pk)
