"""Read instance tables (CSV files or workbook sheets) as text and type them cell by cell.

Reading every cell as text first is what lets each error name its row and column.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import difflib
import io
import math
import re
from pathlib import Path

import pandas as pd

from optimizer.errors import Problem
from optimizer.instance.schema import TABLES, Column, Table

ROW = "_row"  # column holding each record's spreadsheet row number
LARGEST = 1e15  # beyond this a number is a unit mistake, and would wreck the solver's numerics
# A plain number: digits with at most one decimal point and an optional exponent. No thousands
# separators, no decimal commas ("450,5" must never become 4505), no spaces, no underscores.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
BROKEN = "broken"  # DataFrame.attrs flag: the table could not be read, so rows that refer to it
# are not checked against it (one root problem, not one per referring row)


def table_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows built in code as a table in the schema's columns, for instance_from_frames;
    columns a row leaves out stay blank (their default)."""
    return pd.DataFrame(rows, columns=TABLES[name].column_names)


def read_tables(folder: Path, workbook: str | None, problems: list[Problem]
                ) -> dict[str, pd.DataFrame]:
    """Every table of the instance, typed; absent optional tables are empty."""
    from optimizer.instance.workbook import read_workbook

    raw = (read_workbook(folder / workbook, folder, problems) if workbook
           else _read_csvs(folder, problems))
    return type_tables(raw, workbook, problems)


def type_tables(raw: dict[str, pd.DataFrame | None], workbook: str | None,
                problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Type every table cell by cell; absent optional tables become empty."""
    typed = {}
    for table in TABLES.values():
        source = f"{workbook}[{table.name}]" if workbook else f"{table.name}.csv"
        frame = raw.get(table.name)
        if frame is None:
            if table.name in raw:  # given but unreadable: already reported
                typed[table.name] = _broken(table)
                continue
            if table.required:
                problems.append(Problem(source, None, None,
                                        f"missing: the instance needs a `{table.name}` table"))
                typed[table.name] = _broken(table)
                continue
            typed[table.name] = _empty(table)
            continue
        typed[table.name] = _type_table(frame, table, source, problems)
    return typed


def _read_csvs(folder: Path, problems: list[Problem]) -> dict[str, pd.DataFrame | None]:
    frames: dict[str, pd.DataFrame | None] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        if path.name not in {f"{name}.csv" for name in TABLES}:
            problems.append(Problem(path.name, None, None, _misnamed(path.name)))
            continue
        frames[path.stem] = _read_csv(path, folder, problems)
    return frames


def _misnamed(name: str) -> str:
    """Why a CSV file in the instance folder is not read, and what it may have meant."""
    stem = name.rsplit(".", 1)[0]
    close = difflib.get_close_matches(stem.lower(), list(TABLES), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}.csv?" if close else ""
    return ("is not read: every CSV file in an instance folder must be one of its tables, "
            f"named exactly (lower case, .csv){hint} Tables: {', '.join(TABLES)}")


def _confined_file(path: Path, folder: Path) -> str | None:
    """Why a table file cannot be read safely, or None: it must be a regular file inside."""
    if not path.resolve().is_relative_to(folder.resolve()):
        return "is a link to a file outside the instance folder; keep the table inside it"
    if not path.is_file():
        return "is not a regular file (a folder, pipe or broken link); give a CSV file"
    return None


def _read_csv(path: Path, folder: Path, problems: list[Problem]) -> pd.DataFrame | None:
    source = path.name
    refused = _confined_file(path, folder)
    if refused:
        problems.append(Problem(source, None, None, refused))
        return None
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
    lead = len(text) - len(text.lstrip("\r\n"))
    header_row = text[:lead].count("\n") + 1
    try:
        frame = pd.read_csv(io.StringIO(text[lead:]), dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(Problem(source, None, None, f"is not a readable CSV table: {exc}"))
        return None
    return spreadsheet_rows(frame, header_row)


def spreadsheet_rows(frame: pd.DataFrame, header_row: int = 1) -> pd.DataFrame:
    """Index records by the row a spreadsheet shows, then drop blank rows.

    Blank lines are kept while reading so that the rows after them keep their numbers.
    """
    frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(frame))
    frame.attrs["header_row"] = header_row
    blank = frame.apply(lambda col: col.astype(str).str.strip().eq("")).all(axis=1)
    return frame[~blank]


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in table.columns}
                        | {ROW: pd.Series(dtype="int64")})


def _dtype(column: Column) -> str:
    return "float64" if column.kind in ("number", "integer") else "object"


def _type_table(frame: pd.DataFrame, table: Table, source: str, problems: list[Problem]
                ) -> pd.DataFrame:
    header = int(frame.attrs.get("header_row", 1))
    read_from_file = "header_row" in frame.attrs
    frame.columns = [str(c).strip() for c in frame.columns]
    omitted = {c.name: "" for c in table.columns if c.may_omit and c.name not in frame.columns}
    if omitted:  # a column that may be left out reads as blank in every row
        frame = frame.assign(**omitted)
    if not _check_header(frame, table, source, header, problems):
        return _broken(table)
    frame = frame[table.column_names].map(lambda v: str(v).strip())
    rows = pd.Series(frame.index if read_from_file else range(2, len(frame) + 2),
                     index=frame.index)
    typed = {c.name: [_cell(v, c, source, r, problems) for v, r in zip(frame[c.name], rows,
                                                                       strict=True)]
             for c in table.columns}
    out = pd.DataFrame(typed, index=frame.index)
    for c in table.columns:
        out[c.name] = out[c.name].astype(_dtype(c))
    out[ROW] = rows.astype("int64")
    _check_keys(out, table, source, problems)
    return out.reset_index(drop=True)


def _check_header(frame: pd.DataFrame, table: Table, source: str, header: int,
                  problems: list[Problem]) -> bool:
    """Report missing and unknown columns; a misspelt name is one problem, not two."""
    missing = [c for c in table.column_names if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in table.column_names]
    for name in missing:
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
        if close:
            unknown.remove(close[0])
            problems.append(Problem(source, header, close[0],
                                    f"unknown column; expected {name!r} (misspelt?). The "
                                    f"`{table.name}` table needs columns "
                                    f"{', '.join(table.column_names)}"))
        else:
            problems.append(Problem(source, header, name,
                                    f"missing column; the `{table.name}` table needs columns "
                                    f"{', '.join(table.column_names)}"))
    if not table.extra_columns:
        expected = ", ".join(table.column_names)
        problems += [Problem(source, header, name, f"unknown column; expected only {expected}")
                     for name in unknown]
    return not missing


def _broken(table: Table) -> pd.DataFrame:
    """An empty table marked as unreadable, so other tables are not checked against it."""
    frame = _empty(table)
    frame.attrs[BROKEN] = True
    return frame


def is_broken(frame: pd.DataFrame) -> bool:
    return bool(frame.attrs.get(BROKEN))


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
        control = next((c for c in text if ord(c) < 32 or ord(c) == 127), None)
        if control is not None:
            return bad(f"holds the control character {control!r} in {text[:40]!r}; remove it "
                       "(reports and file names cannot carry it)")
        if column.choices and text not in column.choices:
            return bad(f"is {text!r}; expected one of {', '.join(column.choices)}")
        return text
    value = float(text) if PLAIN_NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        if any(ch.isdigit() for ch in text) and any(ch in text for ch in ",' _"):
            return bad(f"is {text!r}; expected a plain number: digits with a decimal point, "
                       "no thousands separators or decimal commas (450.5, not 450,5)")
        return bad(f"is {text!r}; expected a finite number")
    if abs(value) > LARGEST:
        return bad(f"is {text}; numbers beyond {LARGEST:g} in size are refused (check the unit)")
    if column.kind == "integer" and not value.is_integer():
        return bad(f"is {text!r}; expected a whole number")
    if value < column.min or value > column.max:
        hi = "" if column.max == math.inf else f" and at most {column.max:g}"
        return bad(f"is {text}; expected at least {column.min:g}{hi}")
    return value


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
