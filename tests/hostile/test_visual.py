"""Hostile ids and names in the reports (classes 3 and 14 of issue 9).

Ids that start like a formula are data everywhere: cells, column headers (segment ids head the
matrix, run names head comparison columns) and row labels (region ids). Names holding `$...$`
are text in the charts, not mathtext that fails and drops both reports.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from optimizer.cli.main import main
from optimizer.instance.safe_text import FORMULA_START
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"
REGION = "=cmd|' /C calc'!A0"
SEGMENT = "@SUM(A1)"
RUN = "+run"


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory) -> Path:
    """The tutorial with a formula-like region and segment id and `$` names, solved, compared."""
    base = tmp_path_factory.mktemp("visual")
    folder = Path(shutil.copytree(TUTORIAL, base / "inst"))
    outlines = folder / "regions.geojson"  # the tutorial's illustrative outlines follow the id
    if outlines.is_file():
        outlines.write_text(outlines.read_text().replace('"portcity"', json.dumps(REGION)))
    for csv in folder.glob("*.csv"):
        text = csv.read_text().replace("portcity", REGION).replace("wafer_fab", SEGMENT)
        csv.write_text(text.replace("Portcity", r"$\frac{$ Port_city $x^2$"))
    chains = folder / "chains.csv"
    chains.write_text(chains.read_text().replace("New-energy vehicles", r"$EV$ \$5 $\alpha"))
    assert main(["solve", str(folder), "--out", str(base / RUN)]) == 0
    assert main(["compare", "current", str(base / RUN), "--out", str(base / "cmp")]) == 0
    return base


@pytest.mark.parametrize("folder", [RUN, "cmp"])
def test_both_reports_are_written(hostile_runs, folder):
    assert (hostile_runs / folder / "report.html").is_file()
    assert (hostile_runs / folder / "report.xlsx").is_file()


@pytest.mark.parametrize("folder", [RUN, "cmp"])
def test_no_cell_of_the_workbook_is_a_formula(hostile_runs, folder):
    book = openpyxl.load_workbook(hostile_runs / folder / "report.xlsx")
    shown = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                shown.add(cell.value)
    assert REGION in shown and (folder == "cmp" or SEGMENT in shown)  # shown as typed
    if folder == "cmp":
        assert RUN in shown  # the run name heads a column


@pytest.mark.parametrize("folder", [RUN, "cmp"])
def test_no_csv_header_or_cell_starts_a_formula(hostile_runs, folder):
    for csv in (hostile_runs / folder).glob("*.csv"):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False, header=None)
        cells = frame.to_numpy().ravel()
        assert not [c for c in cells if c.startswith(FORMULA_START) and not _number(c)], csv


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_escaped_headers_read_back_as_the_ids(hostile_runs):
    from optimizer.results.files import read_csv

    matrix = read_csv(hostile_runs / RUN / "allocation_matrix.csv", index_col=0)
    assert SEGMENT in matrix.columns or SEGMENT in matrix.index
    assert REGION in matrix.index or REGION in matrix.columns
