"""Bulk listing import: good rows applied, bad rows reported exactly, each row whole."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from shops.models import ImportJob, Product, ProductVariant, StockMovement
from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    assert_listing_columns_exact,
    ledger_sum,
    shop_owner,
    upload,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "product_name",
    "certificate_number",
    "sku",
    "variant_name",
    "price",
    "stock",
    "weight_grams",
    "shelf_life_days",
    "origin_province_code",
]


@pytest.fixture
def shop():
    shop = ShopFactory()
    CertificateFactory(shop=shop, number="4894/QĐ-UBND")
    CertificateFactory(shop=shop, number="100/QĐ-UBND", status="pending")
    return shop


def rows(shop):
    existing = VariantFactory(
        product=ProductFactory(
            shop=shop,
            certificate=shop.certificates.get(number="4894/QĐ-UBND"),
            name="Cao xạ đen Pù Mát",
        ),
        sku="PM-XD-100",
        initial_stock=3,
    )
    return existing, [
        HEADER,
        # 2: new product, first variant
        ["Trà giảo cổ lam", "4894/QĐ-UBND", "PM-GCL-50", "Gói 50 g", "85.000", 20, 60, 365, ""],
        # 3: same product, second variant
        ["Trà giảo cổ lam", "4894/QĐ-UBND", "PM-GCL-200", "Gói 200 g", 300000, 8, 220, 365, "40"],
        # 4: bad price
        ["Trà giảo cổ lam", "4894/QĐ-UBND", "PM-GCL-500", "Gói 500 g", "rẻ", 1, 520, 365, ""],
        # 5: certificate not approved
        ["Mật ong rừng", "100/QĐ-UBND", "PM-MO-1", "Chai 500 ml", 250000, 5, 700, 720, ""],
        # 6: update an existing SKU: new price and a counted stock
        ["Cao xạ đen Pù Mát", "4894/QĐ-UBND", "PM-XD-100", "Hộp 100 g", 360000, 12, 180, 730, ""],
        # 7: missing weight for a shipped good (nothing of the row may stay)
        ["Cao xà đen túi lọc", "4894/QĐ-UBND", "PM-XD-TL", "Hộp 20 túi", 120000, 4, "", 365, ""],
        # 8: negative stock
        ["Trà giảo cổ lam", "4894/QĐ-UBND", "PM-GCL-1K", "Gói 1 kg", 900000, -2, 1050, 365, ""],
    ]


def as_csv(table):
    buffer = io.StringIO()
    for row in table:
        buffer.write(",".join(f'"{c}"' for c in row) + "\n")
    return buffer.getvalue().encode("utf-8")


def as_xlsx(table):
    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([None if c == "" else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_applied(shop, existing):
    product = Product.objects.get(shop=shop, name="Trà giảo cổ lam")
    assert product.status == "draft"
    assert product.origin_province_id == "40"
    assert sorted(product.variants.values_list("sku", "price", "stock")) == [
        ("PM-GCL-200", 300000, 8),
        ("PM-GCL-50", 85000, 20),
    ]
    existing.refresh_from_db()
    assert (existing.price, existing.stock) == (360000, 12)
    assert existing.stock == ledger_sum(existing)
    assert (product.price_min, product.price_max, product.in_stock) == (85000, 300000, True)
    assert_listing_columns_exact()
    assert StockMovement.objects.filter(variant=existing, reason="import").get().delta == 9
    assert not Product.objects.filter(name__in=["Mật ong rừng", "Cao xà đen túi lọc"]).exists()
    assert not ProductVariant.objects.filter(
        sku__in=["PM-GCL-500", "PM-XD-TL", "PM-GCL-1K"]
    ).exists()


@pytest.mark.parametrize(("name", "encode"), [("sp.csv", as_csv), ("sp.xlsx", as_xlsx)])
def test_import_applies_good_rows_and_reports_exactly_the_bad(
    shop, name, encode, django_capture_on_commit_callbacks
):
    existing, table = rows(shop)
    client = bearer_client(shop_owner(shop))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/shops/{shop.slug}/imports/",
            {"file": upload(name, encode(table))},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    assert response.json()["total_rows"] == 0  # the sheet is read by the worker only
    job_id = response.json()["id"]
    # The outbox relayed the task after commit; tasks run in-process in tests.
    job = client.get(f"/api/v1/shops/{shop.slug}/imports/{job_id}/").json()
    assert job["status"] == "done"
    assert (job["total_rows"], job["rows_done"], job["rows_applied"], job["rows_failed"]) == (
        7,
        7,
        3,
        4,
    )
    assert [(e["row"], e["sku"], e["code"]) for e in job["errors"]] == [
        (4, "PM-GCL-500", "invalid_row"),
        (5, "PM-MO-1", "certificate_not_approved"),
        (7, "PM-XD-TL", "invalid_variant"),
        (8, "PM-GCL-1K", "invalid_variant"),
    ]
    assert "price" in job["errors"][0]["fields"]
    assert "weight_grams" in job["errors"][2]["fields"]
    assert_applied(shop, existing)
    listing = client.get(f"/api/v1/shops/{shop.slug}/imports/").json()
    assert listing["results"][0]["id"] == job_id


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("sp.csv", b"", "validation_error"),
        ("sp.csv", "product_name\n".encode("utf-16"), "invalid_spreadsheet"),
        ("sp.xlsx", b"not a zip at all", "invalid_file"),
        ("sp.xlsx", b"PK\x03\x04 broken zip", "invalid_spreadsheet"),
        ("sp.txt", b"product_name\n", "unsupported_format"),
    ],
)
def test_unreadable_files_are_400(shop, name, data, code):
    client = bearer_client(shop_owner(shop))
    response = client.post(
        f"/api/v1/shops/{shop.slug}/imports/", {"file": upload(name, data)}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("sp.csv", b"ten,gia\nA,1\n", "missing_columns"),
        ("sp.csv", b"\n\n", "invalid_spreadsheet"),
        ("sp.xlsx", as_xlsx([["ten", "gia"], ["A", 1]]), "missing_columns"),
    ],
)
def test_sheets_the_worker_cannot_use_fail_the_job_with_the_reason(
    shop, name, data, code, django_capture_on_commit_callbacks
):
    client = bearer_client(shop_owner(shop))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/shops/{shop.slug}/imports/", {"file": upload(name, data)}, format="multipart"
        )
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/shops/{shop.slug}/imports/{response.json()['id']}/").json()
    assert (job["status"], job["rows_done"]) == ("failed", 0)
    assert [(e["row"], e["code"]) for e in job["errors"]] == [(None, code)]


def test_a_worker_dying_midway_resumes_without_applying_twice(shop):
    from shops.services import import_job_create, import_job_run

    class WorkerKilled(Exception):
        """Stands for a worker dying in the middle of an import."""

    def die_after_three(done, total):
        if done == 3:
            raise WorkerKilled

    existing, table = rows(shop)
    job = import_job_create(
        shop=shop, actor=shop_owner(shop), upload=upload("sp.csv", as_csv(table)), run=False
    )
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=job.pk, progress=die_after_three)
    half = ImportJob.objects.get(pk=job.pk)
    assert (half.status, half.rows_done, half.rows_applied) == ("running", 3, 2)
    again = import_job_run(job_id=job.pk)
    assert (again.status, again.rows_done, again.rows_applied, again.rows_failed) == (
        "done",
        7,
        3,
        4,
    )
    assert_applied(shop, existing)
    # A duplicate delivery of the finished job changes nothing.
    assert import_job_run(job_id=job.pk).rows_applied == 3
    assert_applied(shop, existing)


def test_management_command_with_progress(shop, tmp_path):
    existing, table = rows(shop)
    path = tmp_path / "sp.xlsx"
    path.write_bytes(as_xlsx(table))
    out = io.StringIO()
    call_command("import_listings", str(path), "--shop", shop.slug, stdout=out)
    text = out.getvalue()
    assert "[##############################] 7/7" in text
    assert "3 rows applied, 4 failed" in text
    assert "row 5: certificate_not_approved" in text
    assert_applied(shop, existing)
    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--shop", "khong-co", stdout=out)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(CommandError, match="missing_columns"):
        call_command("import_listings", str(bad), "--shop", shop.slug, stdout=out)
