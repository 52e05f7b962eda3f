"""Reading a listing sheet (CSV or XLSX) as hostile input, at a bounded cost.

A few-kB XLSX can declare its sheet as `A1:XFD1048576` and hold rows 1 and 1,048,576
(openpyxl's read-only reader then pads every row and column in between), inflate a
member a thousand times over, or put millions of cells in one row; a CSV header can be
millions of columns wide. So nothing is trusted until it has been bounded:

- at upload (`spreadsheet_check`, cheap, no parsing): the size, that a CSV is UTF-8
  and that an XLSX is a ZIP whose central directory declares members of bounded size,
  deflated or stored, not encrypted; then the rows are counted, keeping nothing
  (`shops.services.spreadsheet_rows_check`), so that a sheet past the row limit is
  refused at once;
- in the worker (`spreadsheet_rows`): the same again, then every XML part is counted
  by expat (children per element, depth, no DTD), keeping nothing, before openpyxl
  opens the file; openpyxl reads the first sheet with its declared dimensions
  dropped and a bounded number of columns, and the stream is left at the row limit.
  A CSV is read record by record, each under a size cap.

zipfile never inflates a member past the size its central directory declares (a lying
member fails its CRC check), so capping the declared sizes caps what is inflated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from marketplace.core.errors import DomainError, InvalidInput
from shops.services.uploads import FileTooLarge

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# Rows read, the header and blank rows included: a sheet may leave some rows empty,
# not a million of them.
MAX_SHEET_ROWS = 2 * MAX_IMPORT_ROWS + 1
MAX_COLUMNS = 50
MAX_CSV_ROW_CHARS = 128 * 1024  # a 20,000-character description fits several times

XLSX_MAX_MEMBERS = 1000
XLSX_MAX_MEMBER_BYTES = 16 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 32 * 1024 * 1024
XLSX_MAX_CELLS_PER_ROW = 16_384  # Excel's own last column, XFD
XLSX_MAX_SHARED_STRINGS = 100_000
XLSX_MAX_CHILDREN = 65_536  # of any other XML element (styles, merged cells, links...)
XLSX_MAX_DEPTH = 64

REQUIRED_COLUMNS = ("product_name", "certificate_number", "sku", "variant_name", "price")
OPTIONAL_COLUMNS = (
    "description",
    "origin_province_code",
    "shelf_life_days",
    "stock",
    "weight_grams",
    "low_stock_threshold",
)


class InvalidSpreadsheet(InvalidInput):
    code = "invalid_spreadsheet"


class SpreadsheetTooLarge(InvalidSpreadsheet):
    code = "spreadsheet_too_large"


def too_many_rows() -> InvalidSpreadsheet:
    return InvalidSpreadsheet(
        f"At most {MAX_IMPORT_ROWS} rows per file, and no data past row {MAX_SHEET_ROWS}.",
        code="too_many_rows",
    )


def _too_many_columns() -> InvalidSpreadsheet:
    return InvalidSpreadsheet(f"At most {MAX_COLUMNS} columns.", code="too_many_columns")


def spreadsheet_format(upload) -> str:
    """ "csv" or "xlsx", from the upload's name. Raises InvalidSpreadsheet
    `unsupported_format`."""
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


def spreadsheet_bytes(upload) -> bytes:
    """The upload's bytes, read no further than the limit. Raises FileTooLarge."""
    if getattr(upload, "size", 0) and upload.size > MAX_IMPORT_BYTES:
        raise FileTooLarge("Spreadsheets are limited to 5 MB.", fields={"file": ["Too large."]})
    upload.seek(0)
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise FileTooLarge("Spreadsheets are limited to 5 MB.", fields={"file": ["Too large."]})
    return data


def spreadsheet_check(data: bytes, file_format: str) -> None:
    """What can be refused at upload without parsing: a CSV that is not UTF-8, a file that
    is not a ZIP archive, an archive too large once inflated.

    Raises InvalidSpreadsheet (`invalid_spreadsheet`, `invalid_file`,
    `spreadsheet_too_large`)."""
    if file_format == "csv":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidSpreadsheet("A CSV file must be UTF-8 encoded.") from exc
        return
    if not data.startswith(b"PK"):
        raise InvalidSpreadsheet("The file is not an XLSX workbook.", code="invalid_file")
    xlsx_archive(data).close()


def xlsx_archive(data: bytes) -> zipfile.ZipFile:
    """The XLSX as an open ZIP archive whose declared sizes are within the caps."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InvalidSpreadsheet("The XLSX file cannot be read.") from exc
    members = archive.infolist()
    try:
        if len(members) > XLSX_MAX_MEMBERS:
            raise SpreadsheetTooLarge(f"An XLSX file holds at most {XLSX_MAX_MEMBERS} parts.")
        for member in members:
            if member.flag_bits & 0x1:
                raise InvalidSpreadsheet("The XLSX file is encrypted.")
            # bzip2 and LZMA inflate a whole chunk at once, past any declared size.
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InvalidSpreadsheet("The XLSX file uses an unknown compression.")
            if member.file_size > XLSX_MAX_MEMBER_BYTES:
                raise SpreadsheetTooLarge(
                    f"A part of the XLSX file unpacks to more than "
                    f"{XLSX_MAX_MEMBER_BYTES // (1024 * 1024)} MB."
                )
        if sum(member.file_size for member in members) > XLSX_MAX_TOTAL_BYTES:
            raise SpreadsheetTooLarge(
                f"The XLSX file unpacks to more than {XLSX_MAX_TOTAL_BYTES // (1024 * 1024)} MB."
            )
    except DomainError:
        archive.close()
        raise
    return archive


class _XmlBounds:
    """Counts, in one XML part, what openpyxl would hold at once while reading it: the
    children of one element (cells of a row, rows of a sheet, shared strings...) and the
    depth. Keeps nothing; raises at the first limit crossed. Other sheets than the first
    may be longer than an import (a list of wards to pick from), so a sheet's rows are
    bounded here only as openpyxl's memory needs; the first sheet's stream stops at
    MAX_SHEET_ROWS."""

    LIMITS = {
        "row": (
            XLSX_MAX_CELLS_PER_ROW,
            lambda: InvalidSpreadsheet(
                f"A row holds more than {XLSX_MAX_CELLS_PER_ROW:,} cells.",
                code="too_many_columns",
            ),
        ),
        "sheetData": (
            XLSX_MAX_CHILDREN,
            lambda: InvalidSpreadsheet(
                f"A sheet of the workbook has more than {XLSX_MAX_CHILDREN:,} rows.",
                code="too_many_rows",
            ),
        ),
        "sst": (
            XLSX_MAX_SHARED_STRINGS,
            lambda: SpreadsheetTooLarge("The workbook holds too many distinct texts."),
        ),
    }
    DEFAULT = (XLSX_MAX_CHILDREN, lambda: SpreadsheetTooLarge("The workbook is too large."))

    def __init__(self) -> None:
        self.open: list[list] = []  # [local name, children so far] per open element

    def start(self, name: str, _attributes) -> None:
        if self.open:
            parent = self.open[-1]
            parent[1] += 1
            limit, refusal = self.LIMITS.get(parent[0], self.DEFAULT)
            if parent[1] > limit:
                raise refusal()
        if len(self.open) >= XLSX_MAX_DEPTH:
            raise InvalidSpreadsheet("The XLSX file is nested too deeply.")
        self.open.append([name.rpartition("}")[2], 0])

    def end(self, _name: str) -> None:
        self.open.pop()

    @staticmethod
    def doctype(*_args) -> None:
        raise InvalidSpreadsheet("An XLSX part declares a DTD.")


def _xml_parts_check(archive: zipfile.ZipFile) -> None:
    """Every part, whatever its name (a sheet is named by the workbook's relations), is
    read by expat within the bounds above. openpyxl parses with expat too, so where
    expat stops on a part that is not XML (a picture) or is broken, openpyxl's would
    stop at the same byte: the bounds held for everything it could read."""
    for member in archive.infolist():
        bounds = _XmlBounds()
        parser = expat.ParserCreate(namespace_separator="}")  # as ElementTree's
        parser.StartElementHandler = bounds.start
        parser.EndElementHandler = bounds.end
        parser.StartDoctypeDeclHandler = bounds.doctype
        try:
            with archive.open(member) as part:
                while chunk := part.read(64 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a CRC or size that lies
            raise InvalidSpreadsheet("The XLSX file cannot be read.") from exc


def _xlsx_records(data: bytes) -> Iterator[tuple]:
    """The first sheet's rows as tuples of at most MAX_COLUMNS + 1 values, streamed."""
    with xlsx_archive(data) as archive:
        _xml_parts_check(archive)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt workbook
        raise InvalidSpreadsheet("The XLSX file cannot be read.") from exc
    try:
        if not workbook.worksheets:
            raise InvalidSpreadsheet("The workbook has no sheet.")
        sheet = workbook.worksheets[0]
        # The declared dimension is the bomb's fuse: the reader would pad up to it.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    except DomainError:
        raise
    except Exception as exc:  # a part openpyxl cannot make sense of, found while reading
        raise InvalidSpreadsheet("The XLSX file cannot be read.") from exc
    finally:
        workbook.close()


class _BoundedLines:
    """The CSV's lines for csv.reader, refusing a record (one or more lines) longer than
    MAX_CSV_ROW_CHARS before csv splits it into fields."""

    def __init__(self, data: bytes) -> None:
        self.text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        self.record_chars = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        try:
            line = self.text.readline(MAX_CSV_ROW_CHARS + 1)
        except UnicodeDecodeError as exc:
            raise InvalidSpreadsheet("A CSV file must be UTF-8 encoded.") from exc
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        if self.record_chars > MAX_CSV_ROW_CHARS:
            raise InvalidSpreadsheet(
                f"A row of the CSV is longer than {MAX_CSV_ROW_CHARS:,} characters.",
                code="row_too_long",
            )
        return line


def csv_records(data: bytes) -> Iterator[list[str]]:
    lines = _BoundedLines(data)
    try:
        for record in csv.reader(lines):
            lines.record_chars = 0
            yield record
    except csv.Error as exc:
        raise InvalidSpreadsheet(f"The CSV cannot be read: {exc}.") from exc


def cell_value(value) -> str | int | None:
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


def spreadsheet_rows(data: bytes, file_format: str) -> list[dict]:
    """The sheet's data rows (blank ones skipped) as dicts keyed by lower-cased header,
    known columns only. Reads no further than the row limit.

    Raises InvalidSpreadsheet (`invalid_spreadsheet`, `invalid_file`, `missing_columns`,
    `too_many_rows`, `too_many_columns`, `row_too_long`, `spreadsheet_too_large`)."""
    records = csv_records(data) if file_format == "csv" else _xlsx_records(data)
    columns: list[tuple[int, str]] | None = None
    rows: list[dict] = []
    try:
        for number, record in enumerate(records, start=1):
            if number > MAX_SHEET_ROWS:
                raise too_many_rows()
            cells = [cell_value(value) for value in record[: MAX_COLUMNS + 1]]
            if all(value is None for value in cells):
                continue
            if columns is None:
                if any(cell_value(value) is not None for value in record[MAX_COLUMNS:]):
                    raise _too_many_columns()
                columns = _columns(cells[:MAX_COLUMNS])
            elif len(rows) == MAX_IMPORT_ROWS:
                raise too_many_rows()
            else:
                rows.append({name: cells[i] if i < len(cells) else None for i, name in columns})
    finally:
        records.close()  # leaves openpyxl's archive at once when refused midway
    if columns is None:
        raise InvalidSpreadsheet("The sheet is empty.")
    return rows


def _columns(cells: list) -> list[tuple[int, str]]:
    """(position, name) of the known columns of the header row."""
    header = [str(value or "").strip().lower() for value in cells]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise InvalidSpreadsheet(
            f"Missing columns: {', '.join(missing)}.",
            code="missing_columns",
            fields={"file": [f"Missing columns: {', '.join(missing)}."]},
        )
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    return [(i, name) for i, name in enumerate(header) if name in known]
