"""An Excel workbook, one formatted sheet per table, for planners who work in spreadsheets.

Headers are styled and frozen, columns sized to their content, numbers formatted, and text
that Excel would run as a formula is stored as plain text.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.instance.safe_text import protect_sheet
from optimizer.results.files import FORMULA_START

HEADER_FILL = PatternFill("solid", fgColor="4C78A8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 50
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The .xlsx file as bytes (written to disk by the caller, atomically)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            title = SHEET_NAME.sub("_", name)[:31]
            frame.to_excel(writer, sheet_name=title, index=False)
            _format(writer.sheets[title], frame)
    return buffer.getvalue()


def _format(ws: Worksheet, frame: pd.DataFrame) -> None:
    protect_sheet(ws)  # headers and row labels too: ids and run names head them
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    ws.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        number_format = _number_format(frame[column], str(column))
        width = len(str(column))
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            _protect(cell)
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
            width = max(width, _shown_width(cell.value, number_format))
        ws.column_dimensions[letter].width = min(width + 2, MAX_WIDTH)


def _protect(cell) -> None:
    """Text starting like a formula is kept as text (pandas would hand it to Excel as one)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _number_format(series: pd.Series, name: str) -> str | None:
    if series.dtype == bool or not pd.api.types.is_numeric_dtype(series):
        return None
    if name.endswith("_share"):
        return "0.0%"
    values = series.dropna()
    if values.empty:
        return "0.00"
    if (values == values.round()).all():
        return "#,##0"
    return "0.000" if values.abs().max() < 10 else "#,##0.0"


def _shown_width(value: object, number_format: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, float) and number_format:
        return len(f"{value:,.3f}") if abs(value) < 10 else len(f"{value:,.1f}")
    return len(str(value))
