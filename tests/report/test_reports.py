"""The Excel workbook read back, and the HTML page checked for being one self-contained file."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from optimizer.errors import UserError
from optimizer.report import write_visual_reports
from optimizer.report.excel import workbook_bytes

SINGLE_SHEETS = {"About", "Tasks", "Regions", "Measures", "Hosts per segment", "Allocation",
                 "Chains", "Concentration", "Assumptions"}
COMPARE_SHEETS = {"runs", "measures", "hosts", "regions", "chains", "allocation"}


def external_references(page: str) -> list[str]:
    """src= and href= values that would fetch something from outside the file."""
    return [v for v in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
            if not v.startswith(("data:", "#"))]


def test_single_workbook_is_formatted(reported_run):
    book = openpyxl.load_workbook(reported_run / "report.xlsx")
    assert set(book.sheetnames) == SINGLE_SHEETS
    sheet = book["Regions"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["region code", "region"]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("4C78A8") for c in sheet[1])
    col = {name: i + 1 for i, name in enumerate(header)}
    value = sheet.cell(row=2, column=col["value added today"])
    assert isinstance(value.value, int | float) and value.number_format == "#,##0.0"
    share = [c for c in header if "Industrial land" in c and "share" in c]
    assert share and sheet.cell(row=2, column=col[share[0]]).number_format == "0.0%"
    assert sheet.max_row == 6  # five regions and the header
    assert book["Allocation"].max_row > 1


def test_text_that_looks_like_a_formula_stays_text():
    frame = pd.DataFrame({"note": ["=HYPERLINK(\"http://x\")", "+1", "plain"],
                          "value": [1.5, 22.25, 3.0], "use_share": [0.1, 0.5, 1.0],
                          "count": [1, 2, 3]})
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes({"t": frame})))
    sheet = book["t"]
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"  # not "f": Excel shows it, never runs it
    assert sheet["A3"].data_type == "s"
    assert sheet["B2"].number_format == "#,##0.0"
    assert sheet["C2"].number_format == "0.0%"
    assert sheet["D2"].number_format == "#,##0"


def test_single_html_is_self_contained(reported_run):
    page = (reported_run / "report.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    assert "<script" not in page and "<link" not in page
    # one hidden set of outlines, every map refers to it: 1 + 2 x 3 chain maps + 2 roles + links
    assert page.count('<svg class="map"') == 10
    assert page.count("<path id=") == 5  # the five tutorial regions, defined once
    assert "no_fab_rivertown" in page


def test_comparison_reports(tutorial_sweep):
    out, _ = tutorial_sweep
    comparison = out / "comparison"
    page = (comparison / "report.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    assert "<img" not in page and page.count("<path id=") == 5  # outlines defined once
    assert page.count('<svg class="map"') == 5  # each run with an allocation but the reference
    book = openpyxl.load_workbook(comparison / "report.xlsx")
    assert set(book.sheetnames) == COMPARE_SHEETS
    measures = book["measures"]
    assert measures.freeze_panes == "A2"
    assert [c.value for c in measures[1]][:4] == ["measure", "label", "unit", "better"]
    header = [c.value for c in book["allocation"][1]]
    assert header[:4] == ["region", "region_name", "segment", "segment_name"]
    named = {row[3] for row in book["allocation"].iter_rows(min_row=2, values_only=True)}
    assert {"Battery cells and packs", "Wafer fabrication"} <= named


def test_reports_are_never_overwritten_and_can_be_rebuilt(reported_run, tmp_path):
    with pytest.raises(UserError, match="already exists"):
        write_visual_reports(reported_run)
    copy = tmp_path / "copy"
    shutil.copytree(reported_run, copy)
    (copy / "report.html").unlink()
    with pytest.raises(UserError, match="already exists"):  # report.xlsx still there
        write_visual_reports(copy)
    assert not (copy / "report.html").exists()
    (copy / "report.xlsx").unlink()
    with pytest.raises(UserError, match="already exists"):  # report.docx still there
        write_visual_reports(copy)
    (copy / "report.docx").unlink()
    written = write_visual_reports(copy)
    assert {p.name for p in written} == {"report.html", "report.xlsx", "report.docx"}


def test_rebuilding_a_comparison_report_from_its_folder(tutorial_sweep, tmp_path):
    out, _ = tutorial_sweep
    copy = tmp_path / "cmp"
    shutil.copytree(out / "comparison", copy)
    for name in ("report.html", "report.xlsx"):
        (copy / name).unlink()
    write_visual_reports(copy)
    page = (copy / "report.html").read_text(encoding="utf-8")
    assert "Scenario comparison" in page and "Measures side by side" in page


def test_report_without_an_instance_still_works(reported_run, tmp_path):
    copy = tmp_path / "bare"
    shutil.copytree(reported_run, copy)
    for name in ("report.html", "report.xlsx", "report.docx", "run.json"):
        (copy / name).unlink()
    write_visual_reports(copy)
    page = (copy / "report.html").read_text(encoding="utf-8")
    assert "the instance has neither outlines nor coordinates" in page
    assert '<svg class="map"' not in page and 'class="tasks"' in page


def test_not_an_output_folder(tmp_path: Path):
    with pytest.raises(UserError, match="no summary.json"):
        write_visual_reports(tmp_path)
