"""Instance folders written from settings and tables: instance.yaml, one CSV per table.

Every builder writes through `write_instance`, and instance.yaml through `dump_settings`, so
its keys are checked against SETTINGS and laid out in their declared order. Tables come in
one of two forms:

- canonical (the shipped instances): floats get a fixed number of decimals per column (then
  trailing zeros are cut) and rows are sorted by the table's key, so the same data give the
  same bytes on every run;
- exact (generated instances): values as they are, rows in the order given, so the folder
  loads to exactly the tables that were generated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from optimizer.instance.schema import TABLES
from optimizer.instance.settings import SETTINGS_FILE, dump_settings
from optimizer.results.files import staged_folder

# Decimals per (table, column) in the canonical form; numbers not listed are written with 6.
DECIMALS: dict[tuple[str, str], int] = {
    ("regions", "lon"): 4, ("regions", "lat"): 4,
    ("segments", "target_min"): 2, ("segments", "target_max"): 2,
    ("segments", "min_scale"): 2, ("segments", "value_added_rate"): 4,
    ("segments", "weight"): 2,
    ("links", "reach"): 0, ("links", "intensity"): 5,
    ("current_layout", "output"): 2,
    ("resource_availability", "available"): 2,
    ("resource_use", "use"): 5,
    ("talent_availability", "available"): 0,
    ("talent_use", "use"): 2,
    ("costs", "unit_cost"): 2, ("costs", "opening_cost"): 2, ("costs", "closure_cost"): 2,
    ("chain_entry_costs", "entry_cost"): 2,
    ("change_costs", "growth_cost"): 6, ("change_costs", "shrink_cost"): 6,
    ("population", "population"): 0,
}


def fmt(value: object, decimals: int = 6) -> str:
    """A number with at most `decimals` decimals and no trailing zeros; blanks stay blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def format_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table in canonical form: text in the schema's column order, sorted by its key."""
    table = TABLES[name]
    out = pd.DataFrame(index=frame.index)
    for column in table.columns:
        values = frame[column.name] if column.name in frame else pd.Series(None, index=frame.index)
        digits = DECIMALS.get((name, column.name), 6)
        out[column.name] = [fmt(_plain(v), digits) for v in values]
    return out.sort_values(list(table.key), kind="mergesort").reset_index(drop=True)


def _plain(value: object) -> object:
    """numpy scalars -> Python scalars so formatting is the same whatever the dtype."""
    return value.item() if hasattr(value, "item") else value


def table_csv(name: str, frame: pd.DataFrame, canonical: bool) -> str:
    """The CSV text of a table in the schema's column order, canonical or exact."""
    if canonical:
        frame = format_table(name, frame)
    else:
        frame = frame.reindex(columns=TABLES[name].column_names)
    return frame.to_csv(index=False, lineterminator="\n")


def write_instance(folder: Path, settings: Mapping, tables: Mapping[str, pd.DataFrame], *,
                   files: Mapping[str, str] | None = None, canonical: bool = False,
                   update: bool = False) -> Path:
    """Write instance.yaml, one CSV per table and any other `files` (name: text).

    A new folder appears whole or not at all, and an existing one is refused. With `update`
    an existing folder is rewritten in place, keeping files written by hand (scenarios.yaml)
    and removing the CSV files of tables no longer written, which the loader would still read.
    """
    folder = Path(folder)
    texts = {SETTINGS_FILE: dump_settings(settings),
             **{f"{name}.csv": table_csv(name, frame, canonical) for name, frame in tables.items()},
             **(files or {})}
    if not update:
        with staged_folder(folder) as tmp:
            _write(tmp, texts)
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.csv"):
        if stale.name not in texts:
            stale.unlink()
    _write(folder, texts)
    return folder


def _write(folder: Path, texts: Mapping[str, str]) -> None:
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
