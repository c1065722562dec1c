"""Read an instance given as one .xlsx workbook, refusing what would silently become defaults.

A merged range keeps its value only in its first cell, and a formula saved without its result
(a file written by a program, not by Excel) has no value at all: both would read as blanks and
turn into column defaults. A workbook is a zip archive, so its unpacked size is limited before
it is opened (a small file can unpack to gigabytes).
"""

from __future__ import annotations

import datetime as dt
import difflib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from optimizer.errors import Problem
from optimizer.instance.schema import TABLES

MAX_FILE_BYTES = 100 * 2**20
MAX_UNPACKED_BYTES = 400 * 2**20


def read_workbook(path: Path, folder: Path, problems: list[Problem]
                  ) -> dict[str, pd.DataFrame | None]:
    """The table sheets as text frames indexed by spreadsheet row; problems appended."""
    source = path.name
    refused = _refuse(path, folder)
    unreadable = dict.fromkeys(TABLES)  # every table given but unreadable: one problem in all
    if refused:
        problems.append(Problem(source, None, None, refused))
        return unreadable
    try:
        formulas = openpyxl.load_workbook(path, data_only=False)
        values = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        problems.append(Problem(source, None, None, f"cannot be read as an .xlsx workbook: {exc}"))
        return unreadable
    frames: dict[str, pd.DataFrame | None] = {}
    for name in values.sheetnames:
        where = f"{source}[{name}]"
        if name not in TABLES:
            _misnamed_sheet(name, where, problems)
            continue
        found = len(problems)
        _check_sheet(formulas[name], values[name], where, problems)
        frames[name] = _frame(values[name]) if len(problems) == found else None
    return frames


def _refuse(path: Path, folder: Path) -> str | None:
    if not path.exists():
        return "workbook named in instance.yaml not found"
    if not path.resolve().is_relative_to(folder.resolve()):
        return "is a link to a file outside the instance folder; keep the workbook inside it"
    if not path.is_file():
        return "is not a regular file; give an .xlsx workbook"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"is {_size(size)}; workbooks above {_size(MAX_FILE_BYTES)} are refused"
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        return f"cannot be read as an .xlsx workbook (not a zip archive: {exc})"
    if unpacked > MAX_UNPACKED_BYTES:
        return (f"unpacks to {_size(unpacked)}; workbooks that unpack beyond "
                f"{_size(MAX_UNPACKED_BYTES)} are refused (save the tables as CSV files)")
    return None


def _size(count: int) -> str:
    return f"{count / 2**20:,.1f} MB" if count >= 2**20 else f"{count:,} bytes"


def _misnamed_sheet(name: str, where: str, problems: list[Problem]) -> None:
    """A sheet that looks meant as a table (wrong case, near spelling) is reported."""
    close = difflib.get_close_matches(name.strip().lower(), list(TABLES), n=1, cutoff=0.75)
    if close:
        problems.append(Problem(where, None, None,
                                f"is not read: sheet names must be the table names exactly; "
                                f"did you mean `{close[0]}`?"))


def _check_sheet(formulas, values, where: str, problems: list[Problem]) -> None:
    header = _header_row(values)
    names = {c.column: str(c.value).strip() for c in values[header] if c.value is not None} \
        if header else {}
    for merged in sorted(formulas.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        problems.append(Problem(where, merged.min_row, names.get(merged.min_col),
                                f"cells {merged.coord} are merged; unmerge them and give every "
                                "cell its own value (a merged range keeps only its first value)"))
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f" and values.cell(cell.row, cell.column).value is None:
                problems.append(Problem(
                    where, cell.row, names.get(cell.column, get_column_letter(cell.column)),
                    "holds a formula with no saved result; open and save the workbook in a "
                    "spreadsheet program, or type the value"))


def _header_row(ws) -> int | None:
    for row in ws.iter_rows():
        if any(c.value is not None and str(c.value).strip() for c in row):
            return row[0].row
    return None


def _frame(ws) -> pd.DataFrame | None:
    """The sheet as text, the header in its first non-blank row, blank rows dropped."""
    from optimizer.instance.tables import spreadsheet_rows

    header = _header_row(ws)
    if header is None:
        return pd.DataFrame()
    rows = [[_text(v) for v in row] for row in ws.iter_rows(min_row=header, values_only=True)]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    columns = rows[0]
    keep = [i for i, c in enumerate(columns) if c.strip()]
    body = [[r[i] for i in keep] for r in rows[1:]]
    return spreadsheet_rows(pd.DataFrame(body, columns=[columns[i] for i in keep], dtype=str),
                            header)


def _text(value: object) -> str:
    """A cell as the text a CSV export would hold (whole floats without `.0`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
