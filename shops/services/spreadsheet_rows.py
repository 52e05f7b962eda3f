"""A listing sheet's row limit, checked at upload: a producer whose sheet is too long
hears it at once (400 `too_many_rows`) instead of from a failed job.

Counting keeps nothing and costs what the upload's caps allow: a CSV's records (5 MB of
text at most), and an XLSX's first sheet read by expat, within the archive's declared
sizes (`shops.services.spreadsheets`), counting its `<row>` elements. Rows are numbered
as the worker numbers them (an XLSX row by its `r`, the gap before it being blank rows),
so both refuse the same sheets. Whatever else is wrong with the file (a broken archive,
a row too long, XML that is not) is left to the worker, which reads the sheet again
under every bound (`spreadsheet_rows`): this is the early answer, not the guard.
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.parsers import expat

from shops.services.spreadsheets import (
    MAX_COLUMNS,
    MAX_IMPORT_ROWS,
    MAX_SHEET_ROWS,
    InvalidSpreadsheet,
    cell_value,
    csv_records,
    too_many_rows,
    xlsx_archive,
)

_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class _RowCount:
    """The rows seen so far, blank or not, and those holding a value; raises
    too_many_rows as soon as either passes the worker's limits."""

    def __init__(self) -> None:
        self.number = 0  # the last row's number: rows before it count, blank or not
        self.with_values = 0

    def row(self, number: int | None = None, *, has_value: bool) -> None:
        self.number = number if number is not None and number > self.number else self.number + 1
        self.with_values += has_value
        # The header and MAX_IMPORT_ROWS data rows, within MAX_SHEET_ROWS rows in all.
        if self.number > MAX_SHEET_ROWS or self.with_values > MAX_IMPORT_ROWS + 1:
            raise too_many_rows()


def spreadsheet_rows_check(data: bytes, file_format: str) -> None:
    """Refuse a sheet holding more rows than an import takes. Raises InvalidSpreadsheet
    (`too_many_rows`) only; a file it cannot count is the worker's to refuse."""
    if file_format == "csv":
        _csv_rows_check(data)
    else:
        _xlsx_rows_check(data)


def _csv_rows_check(data: bytes) -> None:
    count = _RowCount()
    try:
        for record in csv_records(data):
            has_value = any(cell_value(v) is not None for v in record[: MAX_COLUMNS + 1])
            count.row(has_value=has_value)
    except InvalidSpreadsheet as exc:
        if exc.code == "too_many_rows":
            raise


def _xlsx_rows_check(data: bytes) -> None:
    try:
        with xlsx_archive(data) as archive:
            sheet = _first_sheet(archive)
            if sheet is not None:
                _sheet_rows_check(archive, sheet)
    except InvalidSpreadsheet as exc:
        if exc.code == "too_many_rows":
            raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        return


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive member of the workbook's first sheet, as openpyxl finds it: the first
    <sheet> of xl/workbook.xml, through its relationship in xl/_rels/workbook.xml.rels."""
    first: dict[str, str] = {}

    def sheet(name: str, attributes: dict) -> None:
        if not first and name.rpartition("}")[2] == "sheet":
            first["id"] = attributes.get(_RELATIONSHIP_ID, "")

    _parse(archive, "xl/workbook.xml", sheet)
    targets: dict[str, str] = {}

    def relationship(name: str, attributes: dict) -> None:
        if name.rpartition("}")[2] == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    _parse(archive, "xl/_rels/workbook.xml.rels", relationship)
    target = targets.get(first.get("id", ""))
    if not target:
        return None
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _sheet_rows_check(archive: zipfile.ZipFile, member: str) -> None:
    count = _RowCount()
    row: dict = {}

    def start(name: str, attributes: dict) -> None:
        local = name.rpartition("}")[2]
        if local == "row":
            row.clear()
            row["r"] = int(attributes["r"]) if attributes.get("r", "").isdigit() else None
            row["value"] = False
        elif local in ("v", "is") and row:
            row["value"] = True

    def end(name: str) -> None:
        if name.rpartition("}")[2] == "row" and row:
            count.row(row["r"], has_value=row["value"])
            row.clear()

    _parse(archive, member, start, end)


def _parse(archive: zipfile.ZipFile, member: str, start, end=None) -> None:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end

    def no_dtd(*_args) -> None:
        raise expat.ExpatError("a DTD")

    parser.StartDoctypeDeclHandler = no_dtd
    with archive.open(member) as part:
        while chunk := part.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
