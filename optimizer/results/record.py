"""Read a finished output folder back (for `compare` and `report`), checking it is whole.

A run folder is evidence that is read again later, after it may have been truncated, edited
by hand or copied in part. Every file is checked for the shape the readers rely on, and a
damaged one is a UserError naming the file, row and column, never a traceback.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.results.files import read_csv

SUMMARY = "summary.json"
# columns the readers use, and which of them hold numbers
TABLE_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "allocation": (("region", "segment", "chain", "output", "current_output", "change"),
                   ("output", "current_output")),
    "regions": (("region",), ()),
    "chains": (("chain",), ()),
    "location_quotients": ((), ()),
}
MATRICES = ("allocation_matrix", "similarity_current", "similarity_optimised")


def damaged(path: Path, what: str) -> UserError:
    return UserError(f"{path} is damaged: {what}")


def read_json(path: Path) -> dict | None:
    """A JSON object we wrote (summary.json, run.json, manifest.json), or None if absent."""
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise damaged(path, f"it cannot be read as JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise damaged(path, f"expected a JSON object, found {type(value).__name__}")
    return value


def read_summary(folder: Path) -> dict | None:
    """summary.json with the parts the readers use checked for their type."""
    path = folder / SUMMARY
    summary = read_json(path)
    if summary is None:
        return None
    _expect(path, summary, "status", str)
    _expect(path, summary, "objective", dict)
    _expect(path, summary.get("objective") or {}, "terms", dict, "objective.")
    for name, term in ((summary.get("objective") or {}).get("terms") or {}).items():
        if not isinstance(term, dict):
            raise damaged(path, f"objective.terms.{name} should be an object")
    _expect(path, summary, "measures", dict)
    for side in ("current", "optimised"):
        measures = (summary.get("measures") or {}).get(side)
        if measures is not None and not isinstance(measures, dict):
            raise damaged(path, f"measures.{side} should be an object")
        _expect(path, measures or {}, "hosts_per_segment", dict, f"measures.{side}.")
    _expect(path, summary, "timings_seconds", dict)
    _expect(path, summary, "findings", list)
    return summary


def _expect(path: Path, parent: dict, key: str, kind: type, prefix: str = "") -> None:
    value = parent.get(key)
    if value is not None and not isinstance(value, kind):
        raise damaged(path, f"{prefix}{key} should be a JSON "
                            f"{'object' if kind is dict else kind.__name__}, found "
                            f"{type(value).__name__}")


def read_manifest(folder: Path) -> dict | None:
    """manifest.json of a sweep, its runs checked to be objects naming their folder."""
    path = folder / "manifest.json"
    manifest = read_json(path)
    if manifest is None:
        return None
    runs = manifest.get("runs", [])
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        raise damaged(path, "`runs` should be a list of objects")
    for i, run in enumerate(runs, start=1):
        for key in ("run", "output", "status", "error"):
            if run.get(key) is not None and not isinstance(run[key], str):
                raise damaged(path, f"run {i}: `{key}` should be text")
    return manifest


def read_table(folder: Path, name: str) -> pd.DataFrame | None:
    """One of the run's tables, or None if it was not written; checked for its columns."""
    path = folder / f"{name}.csv"
    if name in MATRICES:
        frame = read_csv(path, index_col=0)
        if frame is not None:
            _plain_text(path, [frame.index.name, *frame.columns, *frame.index])
            _numbers(path, frame, list(frame.columns))
        return frame
    columns, numeric = TABLE_COLUMNS.get(name, ((), ()))
    frame = read_csv(path, columns=columns)
    if frame is not None:
        _plain_text(path, [*frame.columns, *frame.to_numpy().ravel()])
        _numbers(path, frame, list(numeric))
    return frame


def _plain_text(path: Path, values: list) -> None:
    """Our files never hold control characters (the instance reader refuses them)."""
    for value in values:
        if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in value):
            raise damaged(path, f"{value[:20]!r} holds control characters")


def _numbers(path: Path, frame: pd.DataFrame, columns: list) -> None:
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise damaged(path, f"row {row}, column {column!r} holds "
                                f"{frame[column][bad].iloc[0]!r}; expected a number")
        if not all(math.isfinite(v) for v in values.dropna()):
            raise damaged(path, f"column {column!r} holds a value that is not finite")
        frame[column] = values
