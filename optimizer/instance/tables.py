"""Read instance tables (CSV files or workbook sheets) as text and type them cell by cell.

Reading every cell as text first is what lets each error name its row and column.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from optimizer.errors import Problem
from optimizer.instance.schema import TABLES, Column, Table

ROW = "_row"  # column holding each record's spreadsheet row number
LARGEST = 1e15  # beyond this a number is a unit mistake, and would wreck the solver's numerics


def read_tables(folder: Path, workbook: str | None, problems: list[Problem]
                ) -> dict[str, pd.DataFrame]:
    """Every table of the instance, typed; absent optional tables are empty."""
    raw = _read_workbook(folder / workbook, problems) if workbook else _read_csvs(folder, problems)
    return type_tables(raw, workbook, problems)


def type_tables(raw: dict[str, pd.DataFrame | None], workbook: str | None,
                problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Type every table cell by cell; absent optional tables become empty."""
    typed = {}
    for table in TABLES.values():
        source = f"{workbook}[{table.name}]" if workbook else f"{table.name}.csv"
        frame = raw.get(table.name)
        if frame is None:
            if table.required:
                problems.append(Problem(source, None, None,
                                        f"missing: the instance needs a `{table.name}` table"))
            typed[table.name] = _empty(table)
            continue
        typed[table.name] = _type_table(frame, table, source, problems)
    return typed


def _read_csvs(folder: Path, problems: list[Problem]) -> dict[str, pd.DataFrame | None]:
    frames = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            frames[name] = _read_csv(path, problems)
    return frames


def _read_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(source, None, None, f"cannot be read: {exc.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(source, line, None,
                                f"is not UTF-8 text (bad byte at offset {exc.start}); "
                                "save it as CSV UTF-8"))
        return None
    if not text.strip():
        problems.append(Problem(source, None, None,
                                "is empty; expected a header row naming the columns"))
        return None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                           skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(Problem(source, None, None, f"is not a readable CSV table: {exc}"))
        return None


def _read_workbook(path: Path, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    source = path.name
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False,
                               engine="openpyxl")
    except FileNotFoundError:
        problems.append(Problem(source, None, None, "workbook named in instance.yaml not found"))
        return {}
    except Exception as exc:  # openpyxl raises many types for a damaged file
        problems.append(Problem(source, None, None, f"cannot be read as an .xlsx workbook: {exc}"))
        return {}
    return {name: frame for name, frame in sheets.items() if name in TABLES}


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in table.columns}
                        | {ROW: pd.Series(dtype="int64")})


def _dtype(column: Column) -> str:
    return "float64" if column.kind in ("number", "integer") else "object"


def _type_table(frame: pd.DataFrame, table: Table, source: str, problems: list[Problem]
                ) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in table.columns:
        if column.may_omit and column.name not in frame.columns:
            frame[column.name] = ""
    missing = [c for c in table.column_names if c not in frame.columns]
    for name in missing:
        problems.append(Problem(source, 1, name,
                                f"missing column; the `{table.name}` table needs columns "
                                f"{', '.join(table.column_names)}"))
    for name in frame.columns:
        if name not in table.column_names and not table.extra_columns:
            expected = ", ".join(table.column_names)
            problems.append(Problem(source, 1, name, f"unknown column; expected only {expected}"))
    if missing:
        return _empty(table)
    frame = frame[table.column_names].map(lambda v: str(v).strip())
    rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    typed = {c.name: [_cell(v, c, source, r, problems) for v, r in zip(frame[c.name], rows,
                                                                       strict=True)]
             for c in table.columns}
    out = pd.DataFrame(typed, index=frame.index)
    for c in table.columns:
        out[c.name] = out[c.name].astype(_dtype(c))
    out[ROW] = rows.astype("int64")
    _check_keys(out, table, source, problems)
    return out.reset_index(drop=True)


def _cell(text: str, column: Column, source: str, row: int, problems: list[Problem]) -> object:
    def bad(message: str) -> object:
        problems.append(Problem(source, row, column.name, message))
        return math.nan if column.kind in ("number", "integer") else ""

    if text == "":
        if column.optional:
            return column.default if column.default is not None else (
                math.nan if column.kind in ("number", "integer") else "")
        return bad("is blank; a value is required")
    if column.kind in ("text", "choice") or column.kind.startswith("ref:"):
        if column.choices and text not in column.choices:
            return bad(f"is {text!r}; expected one of {', '.join(column.choices)}")
        return text
    try:
        value = float(text.replace(",", "")) if _plain_number(text) else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return bad(f"is {text!r}; expected a finite number")
    if abs(value) > LARGEST:
        return bad(f"is {text}; numbers beyond {LARGEST:g} in size are refused (check the unit)")
    if column.kind == "integer" and not value.is_integer():
        return bad(f"is {text!r}; expected a whole number")
    if value < column.min or value > column.max:
        hi = "" if column.max == math.inf else f" and at most {column.max:g}"
        return bad(f"is {text}; expected at least {column.min:g}{hi}")
    return value


def _plain_number(text: str) -> bool:
    """Reject NaN/inf spellings that float() would accept."""
    return text.strip().lower().lstrip("+-") not in {"nan", "inf", "infinity"}


def _check_keys(frame: pd.DataFrame, table: Table, source: str, problems: list[Problem]) -> None:
    key = list(table.key)
    if frame[key].eq("").any(axis=None):
        return  # blank keys are already reported
    first_row: dict[tuple, int] = {}
    for values, row in zip(frame[key].itertuples(index=False, name=None), frame[ROW],
                           strict=True):
        if values in first_row:
            what = ", ".join(f"{k}={v!r}" for k, v in zip(key, values, strict=True))
            advice = ("a pair cannot be both `must` and `forbid`" if table.name == "policy"
                      else "each must appear once")
            problems.append(Problem(source, int(row), key[0],
                                    f"duplicate {what} (first at row {first_row[values]}); "
                                    f"{advice}"))
        else:
            first_row[values] = int(row)
