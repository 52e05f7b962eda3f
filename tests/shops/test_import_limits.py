"""Hostile spreadsheets cost a bounded amount of memory and time, and are refused with a
reason: at upload (400) for what the size, the type and a count of the rows show, by the
worker (status `failed`, the reason in `errors`) for what only reading the sheet shows."""

import io
import re
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from shops.models import ImportJob, Product
from shops.services import import_job_run
from shops.services.spreadsheet_rows import spreadsheet_rows_check
from shops.services.spreadsheets import (
    MAX_IMPORT_ROWS,
    MAX_SHEET_ROWS,
    InvalidSpreadsheet,
    spreadsheet_rows,
)
from tests.conftest import bearer_client
from tests.shops.factories import CertificateFactory, ShopFactory, shop_owner, upload

pytestmark = pytest.mark.django_db

HEADER = ["product_name", "certificate_number", "sku", "variant_name", "price", "stock"]
GOOD_ROW = ["Trà giảo cổ lam", "4894/QĐ-UBND", "PM-GCL-50", "Gói 50 g", 85000, 20]
SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


@pytest.fixture
def shop():
    shop = ShopFactory()
    CertificateFactory(shop=shop, number="4894/QĐ-UBND")
    return shop


def workbook(rows=(HEADER, GOOD_ROW), *, last_row_value=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if last_row_value is not None:
        sheet.cell(row=1_048_576, column=1, value=last_row_value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, replace=None, extra=None) -> bytes:
    """The archive with some members' bytes replaced and others added (deflated)."""
    replace, extra = replace or {}, extra or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename in replace:
                member = replace[info.filename](member)
            target.writestr(info.filename, member)
        for name, size in extra.items():
            with target.open(name, "w", force_zip64=True) as handle:
                for _ in range(size // MB):
                    handle.write(b"\x00" * MB)
    return out.getvalue()


def with_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s uncompressed size in the central directory set to
    `size`: what a lying archive declares, smaller than what its data inflates to."""
    encoded, position = name.encode(), 0
    data = bytearray(data)
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, position + 24, size)
            return bytes(data)
        position += 4
    raise AssertionError(f"{name} not in the archive")


def post(shop, name, data, capture):
    client = bearer_client(shop_owner(shop))
    with capture(execute=True):  # the outbox relays the task; tasks run in-process here
        response = client.post(
            f"/api/v1/shops/{shop.slug}/imports/", {"file": upload(name, data)}, format="multipart"
        )
    return client, response


def assert_worker_refused(shop, name, data, capture, code):
    client, response = post(shop, name, data, capture)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    job = client.get(f"/api/v1/shops/{shop.slug}/imports/{response.json()['id']}/").json()
    assert job["status"] == "failed", job
    assert [(e["row"], e["code"]) for e in job["errors"]] == [(None, code)]
    assert job["errors"][0]["message"]
    assert (job["rows_done"], job["rows_applied"]) == (0, 0)
    assert job["finished_at"]
    assert not Product.objects.exists()
    return job


def whole_sheet_bomb() -> bytes:
    """A few kB: rows 1 and 1,048,576, and a <dimension> claiming A1:XFD1048576."""
    bomb = rezip(
        workbook(last_row_value="x"),
        replace={
            SHEET: lambda xml: re.sub(
                rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml
            )
        },
    )
    assert len(bomb) < 10_000
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(bomb)).read(SHEET)
    return bomb


def assert_refused_at_upload(shop, name, data, capture, code):
    _, response = post(shop, name, data, capture)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert not ImportJob.objects.exists()


def test_the_declared_whole_sheet_bomb_is_refused_at_upload_in_bounded_memory(
    shop, django_capture_on_commit_callbacks
):
    bomb = whole_sheet_bomb()
    tracemalloc.start()
    try:
        assert_refused_at_upload(
            shop, "bom.xlsx", bomb, django_capture_on_commit_callbacks, "too_many_rows"
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * MB


def test_the_worker_refuses_the_bomb_again_in_bounded_memory(shop):
    """A stored file is read as untrusted even when it did not come through the API."""
    job = ImportJob.objects.create(
        shop=shop, file=ContentFile(whole_sheet_bomb(), name="x.xlsx"), file_format="xlsx"
    )
    tracemalloc.start()
    try:
        job = import_job_run(job_id=job.pk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert job.status == "failed"
    assert [e["code"] for e in job.errors] == ["too_many_rows"]
    assert peak < 64 * MB


def test_a_row_wider_than_excel_allows_is_refused_by_the_worker(
    shop, django_capture_on_commit_callbacks
):
    cells = b"".join(b"<c><v>1</v></c>" for _ in range(20_000))
    wide = rezip(
        workbook(),
        replace={
            SHEET: lambda xml: xml.replace(
                b"</sheetData>", b'<row r="3">' + cells + b"</row></sheetData>"
            )
        },
    )
    assert_worker_refused(
        shop, "rong.xlsx", wide, django_capture_on_commit_callbacks, "too_many_columns"
    )


def test_an_archive_lying_about_a_members_size_is_refused_by_the_worker(
    shop, django_capture_on_commit_callbacks
):
    big_sheet = [HEADER] + [
        [f"Sản phẩm {n}", "4894/QĐ-UBND", f"SKU-{n}", "Gói", 1000, 1] for n in range(2000)
    ]
    lying = with_declared_size(workbook(big_sheet), SHEET, 1000)
    assert_worker_refused(
        shop, "doi.xlsx", lying, django_capture_on_commit_callbacks, "invalid_spreadsheet"
    )


@pytest.mark.parametrize(
    "members",
    [
        pytest.param({"xl/media/image1.png": 64 * MB}, id="one member inflates past the cap"),
        pytest.param(
            {f"xl/media/image{n}.png": 15 * MB for n in range(3)}, id="all members together"
        ),
    ],
)
def test_an_archive_inflating_past_the_caps_is_refused_at_upload(
    shop, members, django_capture_on_commit_callbacks
):
    bomb = rezip(workbook(), extra=members)
    assert len(bomb) < 1 * MB
    _, response = post(shop, "bom.xlsx", bomb, django_capture_on_commit_callbacks)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "spreadsheet_too_large"
    assert not ImportJob.objects.exists()


def test_the_worker_checks_the_archive_again(shop):
    """A stored file is read as untrusted even when it did not come through the API."""
    job = ImportJob.objects.create(
        shop=shop,
        file=ContentFile(rezip(workbook(), extra={"xl/media/image1.png": 64 * MB}), name="x.xlsx"),
        file_format="xlsx",
    )
    job = import_job_run(job_id=job.pk)
    assert job.status == "failed"
    assert [e["code"] for e in job.errors] == ["spreadsheet_too_large"]


def test_other_compression_methods_are_refused_at_upload(shop, django_capture_on_commit_callbacks):
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    _, response = post(shop, "bz.xlsx", out.getvalue(), django_capture_on_commit_callbacks)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_spreadsheet"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        pytest.param(HEADER + ["x"] * 2_000_000, "row_too_long", id="two million columns"),
        pytest.param(
            HEADER + [f"ghi_chu_{n}" for n in range(60)], "too_many_columns", id="66 columns"
        ),
    ],
)
def test_a_very_wide_csv_header_is_refused_by_the_worker(
    shop, header, code, django_capture_on_commit_callbacks
):
    data = (",".join(header) + "\n" + ",".join(map(str, GOOD_ROW)) + "\n").encode()
    assert len(data) < 5 * MB
    assert_worker_refused(shop, "rong.csv", data, django_capture_on_commit_callbacks, code)


def test_a_wide_xlsx_header_is_refused_by_the_worker(shop, django_capture_on_commit_callbacks):
    wide = workbook([HEADER + [f"ghi_chu_{n}" for n in range(60)], GOOD_ROW])
    assert_worker_refused(
        shop, "rong.xlsx", wide, django_capture_on_commit_callbacks, "too_many_columns"
    )


def test_a_csv_past_the_row_limit_is_refused_at_upload(shop, django_capture_on_commit_callbacks):
    lines = [",".join(HEADER)] + [",".join(map(str, GOOD_ROW))] * 5001
    data = ("\n".join(lines) + "\n").encode()
    assert_refused_at_upload(
        shop, "dai.csv", data, django_capture_on_commit_callbacks, "too_many_rows"
    )
    blank_lines = (",".join(HEADER) + "\n" + "\n" * 2_000_000).encode()
    assert_refused_at_upload(
        shop, "trong.csv", blank_lines, django_capture_on_commit_callbacks, "too_many_rows"
    )


def test_an_xlsx_past_the_row_limit_is_refused_at_upload(shop, django_capture_on_commit_callbacks):
    long_sheet = workbook([HEADER] + [GOOD_ROW] * 5001)
    assert_refused_at_upload(
        shop, "dai.xlsx", long_sheet, django_capture_on_commit_callbacks, "too_many_rows"
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_upload_counts_rows_as_the_worker_does(file_format):
    """The last row an import takes passes at upload and in the worker; one more fails
    both (blank rows are rows up to MAX_SHEET_ROWS, never data)."""
    blank = [None] * len(HEADER)

    def sheet(rows) -> bytes:
        if file_format == "xlsx":
            return workbook(rows)
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
        return (text + "\n").encode()

    fits = [HEADER] + [GOOD_ROW] * MAX_IMPORT_ROWS
    too_many = [*fits, GOOD_ROW]
    with_blanks = [HEADER] + [blank] * (MAX_SHEET_ROWS - 2) + [GOOD_ROW]
    past_the_sheet = [*with_blanks, GOOD_ROW]
    for rows, refused in (
        (fits, False),
        (too_many, True),
        (with_blanks, False),
        (past_the_sheet, True),
    ):
        data = sheet(rows)
        if refused:
            for check in (spreadsheet_rows_check, spreadsheet_rows):
                with pytest.raises(InvalidSpreadsheet) as caught:
                    check(data, file_format)
                assert caught.value.code == "too_many_rows"
        else:
            spreadsheet_rows_check(data, file_format)
            assert len(spreadsheet_rows(data, file_format)) == len(rows) - 1 - rows.count(blank)
