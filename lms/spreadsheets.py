"""Every spreadsheet the Wagtail admin exports (our listings and course report, Wagtail's own reports and
listings) is made by Wagtail's `SpreadsheetExportMixin`; `install()` (run once, from `LmsConfig.ready`)
makes that mixin safe to open in Excel or LibreOffice:

- no cell is a formula. A learner named `=HYPERLINK("http://evil","Open")` is text, not a live link:
  in CSV, a cell or heading that a spreadsheet would read as a formula gets a leading apostrophe; in
  XLSX, every heading and cell is a typed text cell, shown exactly as written (Wagtail already types
  the cells; the headings, a quiz's title in the course report for one, it leaves to openpyxl's guess).
- a CSV starts with a UTF-8 byte order mark, without which Excel reads it in the local code page and
  shows Cyrillic names as mojibake.
"""

import csv

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter, SpreadsheetExportMixin

BOM = "\ufeff".encode()
# What makes a spreadsheet evaluate a cell (OWASP's list: = + - @, tab and carriage return), and the
# full-width forms that Excel also takes as operators in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def inert(value):
    """A CSV cell that a spreadsheet shows as typed: text that would start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(worksheet, value) -> WriteOnlyCell:
    """An XLSX cell; openpyxl takes a string starting with `=` for a formula, so such a cell is typed as text."""
    cell = WriteOnlyCell(worksheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


_preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value
_write_csv_response = SpreadsheetExportMixin.write_csv_response


def preprocess_field_value(self, field, value, export_format):
    value = _preprocess_field_value(self, field, value, export_format)
    return inert(value) if export_format == self.FORMAT_CSV else value


def stream_csv(self, queryset):
    """Wagtail's `stream_csv`, with the byte order mark first and inert headings."""
    yield BOM
    writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
    yield writer.writerow({field: inert(self.get_heading(queryset, field)) for field in self.list_export})
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def write_xlsx(self, queryset, output):
    """Wagtail's `write_xlsx`, with the headings as text cells."""
    workbook = Workbook(write_only=True, iso_dates=True)
    worksheet = workbook.create_sheet(title="Sheet1")
    worksheet.append(text_cell(worksheet, self.get_heading(queryset, field)) for field in self.list_export)
    date_format = ExcelDateFormatter().get()
    for item in queryset:
        worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
    workbook.save(output)


def write_csv_response(self, queryset):
    response = _write_csv_response(self, queryset)
    response["Content-Type"] = "text/csv; charset=utf-8"
    return response


def install():
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.stream_csv = stream_csv
    SpreadsheetExportMixin.write_xlsx = write_xlsx
    SpreadsheetExportMixin.write_csv_response = write_csv_response
