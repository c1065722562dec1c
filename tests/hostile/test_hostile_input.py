"""Property-based: break a shipped instance cell by cell and file by file.

Every break must end in a clean refusal (exit 2, the file named, and the row and column where
they exist, no traceback) or, where the broken input is still legal, in a result that obeys
every hard limit, as checked independently. Never a crash, a hang or a silent wrong answer.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.cli.main import main
from optimizer.errors import InstanceError
from optimizer.instance import load_instance
from optimizer.results.record import write_run
from optimizer.solve.run import optimise
from tests.conftest import REPO
from tests.hostile.checker import violations

BASE = REPO / "instances" / "tutorial"
PRESENT = sorted(p.stem for p in BASE.glob("*.csv"))
PRESENT = [t for t in PRESENT if len(pd.read_csv(BASE / f"{t}.csv"))]  # cells to break
CELL_BREAKS = {
    "wrong_type": "lots", "nan": "NaN", "negative": "-1", "huge": "1e300", "large": "1e9",
    "zero": "0", "blank": "", "unknown_ref": "nowhere", "formula": "=cmd|' /C calc'!A0",
    "spaces": "  ", "text_number": "1,5", "infinity": "inf",
}
FILE_BREAKS = ("drop_column", "duplicate_row", "non_utf8", "empty_file", "header_only",
               "extra_field")
HOSTILE_SETTINGS = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 60)),
                            deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frame(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def _break_cell(folder: Path, table: str, row: int, column: str, value: str) -> None:
    frame = _frame(folder, table)
    frame.loc[row, column] = value
    frame.to_csv(folder / f"{table}.csv", index=False)


def _break_file(folder: Path, table: str, kind: str, pick: int) -> None:
    path = folder / f"{table}.csv"
    frame = _frame(folder, table)
    if kind == "drop_column":
        frame.drop(columns=[frame.columns[pick % len(frame.columns)]]).to_csv(path, index=False)
    elif kind == "duplicate_row":
        pd.concat([frame, frame.iloc[[pick % len(frame)]]]).to_csv(path, index=False)
    elif kind == "non_utf8":
        data = path.read_bytes()
        cut = len(data) // 2
        path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    elif kind == "empty_file":
        path.write_bytes(b"")
    elif kind == "header_only":
        path.write_text(",".join(frame.columns) + "\n")
    elif kind == "extra_field":
        with open(path, "a") as f:
            f.write(",".join(["x"] * (len(frame.columns) + 2)) + "\n")


def _check_outcome(folder: Path, table: str, row: int | None, column: str | None) -> None:
    try:
        inst = load_instance(folder)
    except InstanceError as err:
        file = f"{table}.csv"
        named = [p for p in err.problems if p.source == file or file in p.message]
        assert named, [str(p) for p in err.problems]
        if row is not None:  # the broken cell's row, or a table pointing back at the file
            assert any(p.row == row or p.source != file for p in named), [str(p) for p in named]
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            assert main(["validate", str(folder)]) == 2
        assert "Traceback" not in stderr.getvalue() and file in stderr.getvalue()
        return
    results = optimise(inst, time_limit=20)
    assert results.outcome.status in ("optimal", "feasible", "infeasible")
    if results.outcome.has_solution:
        assert violations(inst, results.layout) == []
    else:
        assert results.findings, "an infeasible instance must be explained"
    out = folder.parent / "out"
    write_run(out, results)
    for csv in out.glob("*.csv"):
        cells = pd.read_csv(csv, dtype=str, keep_default_na=False).to_numpy().ravel()
        assert not any(c.startswith(("=", "@")) for c in cells), csv


@HOSTILE_SETTINGS
@given(table=st.sampled_from(PRESENT), kind=st.sampled_from(sorted(CELL_BREAKS)),
       data=st.data())
def test_broken_cell(table, kind, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(BASE, Path(tmp) / "inst"))
        frame = _frame(folder, table)
        row = data.draw(st.integers(0, len(frame) - 1), label="row")
        column = data.draw(st.sampled_from(list(frame.columns)), label="column")
        _break_cell(folder, table, row, column, CELL_BREAKS[kind])
        _check_outcome(folder, table, row + 2, column)


@HOSTILE_SETTINGS
@given(table=st.sampled_from(PRESENT), kind=st.sampled_from(FILE_BREAKS),
       pick=st.integers(0, 50))
def test_broken_file(table, kind, pick):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(BASE, Path(tmp) / "inst"))
        _break_file(folder, table, kind, pick)
        _check_outcome(folder, table, None, None)


@settings(max_examples=20, deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_any_yaml_text_is_refused_cleanly_or_loaded(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(BASE, Path(tmp) / "inst"))
        (folder / "instance.yaml").write_text(text, encoding="utf-8")
        try:
            load_instance(folder)
        except InstanceError as err:
            assert all(p.source for p in err.problems)
