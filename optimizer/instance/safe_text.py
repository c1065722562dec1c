"""Text from the user (ids, names, run labels) made safe wherever reports show it.

An id such as `=HYPERLINK(...)` is data, not a formula: in CSV files it gets a leading
apostrophe (undone when we read our own files back), in workbooks it is stored as plain text,
headers and row labels included. In charts, `$...$` is text, not matplotlib math.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# matplotlib settings for report charts: user text is never parsed as mathtext
PLAIN_CHART_TEXT = {"text.parse_math": False, "text.usetex": False}


def escape_text(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unescape_text(value: object) -> object:
    """Undo escape_text when reading our own CSV files back."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def protect_cell(cell: Any) -> None:
    """An openpyxl cell whose text starts like a formula is stored as text, shown as typed."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def protect_sheet(sheet: Any) -> None:
    """Every cell of a worksheet, headers and row labels included (see protect_cell)."""
    for row in sheet.iter_rows():
        for cell in row:
            protect_cell(cell)
