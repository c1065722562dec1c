"""Workbook instances: what would silently become a default is refused (class 7 of issue 9).

A merged range keeps its value only in its first cell, and a formula saved by a program
without its result has no value: both read as blanks, and blanks take column defaults.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from optimizer.instance import load_instance
from optimizer.instance import workbook as wb
from tests.instance.conftest import TUTORIAL, problems


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The tutorial as one workbook, written with openpyxl (numbers as numbers)."""
    folder = tmp_path / "book"
    folder.mkdir()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for csv in sorted(TUTORIAL.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        sheet = workbook.create_sheet(csv.stem)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([_value(v) for v in row])
    workbook.save(folder / "tables.xlsx")
    (folder / "instance.yaml").write_text((TUTORIAL / "instance.yaml").read_text()
                                          + "workbook: tables.xlsx\n")
    return folder


def _value(text: str) -> object:
    try:
        return float(text) if text else None
    except ValueError:
        return text


def _edit(folder: Path, change) -> None:
    path = folder / "tables.xlsx"
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def test_the_workbook_reads_as_the_csv_files(book):
    from_book, from_csv = load_instance(book), load_instance(TUTORIAL)
    for name, frame in from_csv.tables.items():
        pd.testing.assert_frame_equal(from_book.tables[name], frame, check_dtype=False)


def test_merged_cells_are_refused(book):
    def merge(workbook):
        sheet = workbook["resource_availability"]
        sheet.merge_cells("A4:A5")  # rivertown's land and energy rows share one region cell
    _edit(book, merge)
    found = problems(book)
    assert len(found) == 1, found
    assert found[0].startswith("tables.xlsx[resource_availability], row 4, column 'region': "
                               "cells A4:A5 are merged"), found


def test_a_formula_without_a_saved_result_is_refused(book):
    def formula(workbook):
        workbook["resource_availability"]["C4"] = "=100+350"  # openpyxl saves no result
    _edit(book, formula)
    found = problems(book)
    assert len(found) == 1, found
    assert found[0].startswith("tables.xlsx[resource_availability], row 4, column "
                               "'available': holds a formula with no saved result"), found


def test_blank_rows_keep_spreadsheet_numbers(book):
    def spaced(workbook):
        sheet = workbook["resource_availability"]
        sheet.insert_rows(3, amount=2)
        sheet["C6"] = "lots"  # rivertown's land, moved from row 4 to row 6
    _edit(book, spaced)
    assert problems(book) == ["tables.xlsx[resource_availability], row 6, column 'available': "
                              "is 'lots'; expected a finite number"]


def test_a_misnamed_sheet_is_reported(book):
    def rename(workbook):
        sheet = workbook["policy"]
        sheet.title = "tmp"
        sheet.title = "Policy"  # Excel treats sheet names case-blind; a user's typo is not
    _edit(book, rename)
    found = problems(book)
    assert any(p.startswith("tables.xlsx[Policy]: is not read") and "`policy`" in p
               for p in found), found


def test_a_notes_sheet_is_allowed(book):
    _edit(book, lambda workbook: workbook.create_sheet("read me"))
    load_instance(book)


def test_a_zip_bomb_is_refused_before_it_is_opened(book, monkeypatch):
    monkeypatch.setattr(wb, "MAX_UNPACKED_BYTES", 1000)
    found = problems(book)
    assert len(found) == 1 and found[0].startswith("tables.xlsx: unpacks to"), found


def test_a_real_bomb_is_refused(book):
    path = book / "tables.xlsx"
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (wb.MAX_UNPACKED_BYTES + 1))
    assert path.stat().st_size < 2 * 2**20  # a small file ...
    found = problems(book)  # ... that would unpack beyond the limit
    assert len(found) == 1 and "unpacks to" in found[0], found


def test_a_file_that_is_not_a_workbook(book):
    (book / "tables.xlsx").write_bytes(b"region,name\n")
    found = problems(book)
    assert found == ["tables.xlsx: cannot be read as an .xlsx workbook (not a zip archive: "
                     "File is not a zip file)"]


def test_a_workbook_linked_from_outside_is_refused(book, tmp_path):
    outside = tmp_path / "outside.xlsx"
    shutil.move(book / "tables.xlsx", outside)
    (book / "tables.xlsx").symlink_to(outside)
    found = problems(book)
    assert any("outside the instance folder" in p for p in found), found
