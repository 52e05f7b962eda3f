"""Bulk listing import from CSV or XLSX: one row = one variant of a product.

Columns (header row, any order, case-insensitive): product_name, certificate_number,
sku, variant_name, price are required; description, origin_province_code,
shelf_life_days, stock, weight_grams, low_stock_threshold are optional. Rows naming the
same product and certificate build one product; an existing SKU is updated (its stock
set to the sheet's figure, recorded as an `import` movement). Each row applies whole or
not at all; bad rows are reported with their spreadsheet row number.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
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
from shops.services.common import local_today
from shops.services.effects import task_enqueue
from shops.services.uploads import FileTooLarge

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
REQUIRED_COLUMNS = ("product_name", "certificate_number", "sku", "variant_name", "price")
OPTIONAL_COLUMNS = (
    "description",
    "origin_province_code",
    "shelf_life_days",
    "stock",
    "weight_grams",
    "low_stock_threshold",
)
INT_COLUMNS = ("price", "stock", "weight_grams", "low_stock_threshold", "shelf_life_days")
_GROUPED_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class InvalidSpreadsheet(InvalidInput):
    code = "invalid_spreadsheet"


def _cell(value) -> str | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    # PostgreSQL text cannot hold NUL; a sheet exported badly may contain one.
    text = str(value).replace("\x00", "").strip()
    return text or None


def _read_rows(data: bytes, file_format: str) -> list[dict]:
    """The sheet's data rows as dicts keyed by lower-cased header.

    Raises InvalidSpreadsheet (unreadable, no header, missing columns, too many rows)."""
    if file_format == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidSpreadsheet("A CSV file must be UTF-8 encoded.") from exc
        try:
            table = [list(row) for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise InvalidSpreadsheet(f"The CSV cannot be read: {exc}.") from exc
    else:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a corrupt archive
            raise InvalidSpreadsheet("The XLSX file cannot be read.") from exc
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise InvalidSpreadsheet("The workbook has no sheet.")
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    table = [row for row in table if any(_cell(c) is not None for c in row)]
    if not table:
        raise InvalidSpreadsheet("The sheet is empty.")
    header = [str(_cell(c) or "").strip().lower() for c in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidSpreadsheet(
            f"Missing columns: {', '.join(missing)}.",
            code="missing_columns",
            fields={"file": [f"Missing columns: {', '.join(missing)}."]},
        )
    rows = []
    for line in table[1:]:
        row = {}
        for index, name in enumerate(header):
            if name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS:
                row[name] = _cell(line[index]) if index < len(line) else None
        rows.append(row)
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidSpreadsheet(f"At most {MAX_IMPORT_ROWS} rows per file.", code="too_many_rows")
    return rows


def _format_of(upload) -> str:
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise InvalidSpreadsheet(
        "Upload a .csv or .xlsx file.",
        code="unsupported_format",
        fields={"file": ["Only .csv and .xlsx."]},
    )


def _file_bytes(upload) -> bytes:
    if getattr(upload, "size", 0) and upload.size > MAX_IMPORT_BYTES:
        raise FileTooLarge("Spreadsheets are limited to 5 MB.", fields={"file": ["Too large."]})
    upload.seek(0)
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise FileTooLarge("Spreadsheets are limited to 5 MB.", fields={"file": ["Too large."]})
    return data


def import_job_create(*, shop: Shop, actor: User, upload, run: bool = True) -> ImportJob:
    """Store the sheet and queue its processing on the `stock` queue (after commit).

    The header and size are checked now, so a wrong file is a 400 at once. Raises
    InvalidSpreadsheet (`invalid_spreadsheet`, `missing_columns`, `too_many_rows`,
    `unsupported_format`), FileTooLarge."""
    file_format = _format_of(upload)
    data = _file_bytes(upload)
    if file_format == "xlsx" and not data.startswith(b"PK"):
        raise InvalidSpreadsheet("The file is not an XLSX workbook.", code="invalid_file")
    rows = _read_rows(data, file_format)
    with transaction.atomic():
        job = ImportJob.objects.create(
            shop=shop,
            created_by=actor,
            file=ContentFile(data, name=f"{uuid.uuid4().hex}.{file_format}"),
            file_format=file_format,
            total_rows=len(rows),
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
    from shops.services.products import product_create
    from shops.services.variants import variant_add, variant_update

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
        from shops.services.stock import stock_set

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
    """Apply the sheet row by row. Each row and the progress counter commit together, so
    a worker killed halfway resumes at the next row and applies nothing twice.
    Idempotent: a finished job is left alone. Returns None for a deleted job."""
    job = ImportJob.objects.filter(pk=job_id).select_related("shop").first()
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    try:
        with job.file.open("rb") as handle:
            rows = _read_rows(handle.read(), job.file_format)
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
