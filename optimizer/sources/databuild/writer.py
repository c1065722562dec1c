"""Write an instance folder byte for byte the same on every run.

Floats get a fixed number of decimals per column (then trailing zeros are cut), rows are
sorted by the table's key, files end in a newline, and YAML keys keep their given order.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import yaml

from optimizer.instance.schema import TABLES

# Decimals per (table, column); numbers not listed here are written with 6.
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
    """The table as text in the schema's column order, sorted by its key."""
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


def write_instance(folder: Path, settings: dict, tables: dict[str, pd.DataFrame],
                   notes: str) -> None:
    """Write instance.yaml, one CSV per non-empty table, and DATA.md; remove stale CSVs."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.csv"):
        if stale.stem not in tables:
            stale.unlink()
    (folder / "instance.yaml").write_text(
        yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8")
    for name, frame in tables.items():
        text = format_table(name, frame).to_csv(index=False, lineterminator="\n")
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "DATA.md").write_text(notes.rstrip("\n") + "\n", encoding="utf-8")
