"""Validation: every problem names its file, row and column, and all are reported together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.cli.main import main
from optimizer.instance import load_instance
from optimizer.instance.schema import TABLES
from tests.instance.conftest import problems


def test_tutorial_has_every_table(tutorial):
    assert {p.stem for p in tutorial.glob("*.csv")} >= set(TABLES) - {"distances"}
    load_instance(tutorial)


@pytest.mark.parametrize(("table", "column"),
                         [(t.name, c.name) for t in TABLES.values() for c in t.columns
                          if not c.may_omit])
def test_removing_any_column_names_file_and_column(tutorial, table, column, capsys):
    path = tutorial / f"{table}.csv"
    if not path.exists():  # distances: ship a one-row table to cut from
        path.write_text("region_from,region_to,distance\nportcity,rivertown,85\n")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(path, index=False)
    found = problems(tutorial)
    expected = f"{table}.csv, row 1, column '{column}': missing column"
    assert any(p.startswith(expected) for p in found), found
    assert main(["validate", str(tutorial)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize(("table", "column"),
                         [(t.name, c.name) for t in TABLES.values() for c in t.columns
                          if c.may_omit])
def test_a_column_that_may_be_omitted_loads_blank_without_it(tutorial, table, column):
    path = tutorial / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column], errors="ignore").to_csv(path, index=False)
    loaded = load_instance(tutorial).tables[table]
    assert len(loaded) == len(frame) and (loaded[column] == "").all()


def _edit(folder: Path, table: str, row: int, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(("table", "row", "column", "value", "expect"), [
    ("resource_availability", 3, "available", "-5", "expected at least 0"),
    ("resource_availability", 3, "available", "NaN", "expected a finite number"),
    ("resource_availability", 3, "available", "lots", "expected a finite number"),
    ("segments", 4, "max_hosts", "2.5", "expected a whole number"),
    ("regions", 2, "lat", "95", "at most 90"),
    ("current_layout", 5, "region", "atlantis", "unknown region 'atlantis'"),
    ("links", 2, "user", "warp_drive", "unknown segment 'warp_drive'"),
    ("policy", 2, "rule", "maybe", "expected one of must, forbid"),
    ("segments", 3, "target_min", "", "is blank; a value is required"),
    ("chains", 3, "chain", "ev", "duplicate chain='ev' (first at row 2)"),
])
def test_bad_cell_is_pinned_to_row_and_column(tutorial, table, row, column, value, expect):
    _edit(tutorial, table, row, column, value)
    found = problems(tutorial)
    assert any(p.startswith(f"{table}.csv, row {row}, column '{column}'") and expect in p
               for p in found), found


def test_all_problems_are_reported_together(tutorial):
    _edit(tutorial, "resource_availability", 3, "available", "-5")
    _edit(tutorial, "current_layout", 5, "region", "atlantis")
    (tutorial / "talent_use.csv").write_text("")
    found = problems(tutorial)
    assert len(found) == 3
    assert any(p.startswith("talent_use.csv: is empty") for p in found)


def test_cycle_within_a_chain(tutorial):
    with open(tutorial / "links.csv", "a") as f:
        f.write("ev_assembly,battery_materials,,\n")
    found = problems(tutorial)
    assert any("form a cycle" in p and "battery_materials" in p for p in found), found


def test_non_utf8_file(tutorial):
    (tutorial / "chains.csv").write_bytes(b"chain,name\nev,Fahrzeug\xe9\nic,\n")
    found = problems(tutorial)
    assert any(p.startswith("chains.csv, row 2") and "not UTF-8" in p for p in found), found


def test_missing_required_table(tutorial):
    (tutorial / "segments.csv").unlink()
    assert any(p.startswith("segments.csv: missing") for p in problems(tutorial))


def test_unknown_column_is_named(tutorial):
    frame = pd.read_csv(tutorial / "chains.csv", dtype=str)
    frame["colour"] = "red"
    frame.to_csv(tutorial / "chains.csv", index=False)
    assert any("column 'colour': unknown column" in p for p in problems(tutorial))


def test_min_scale_above_target(tutorial):
    _edit(tutorial, "segments", 2, "min_scale", "500")
    assert any("segments.csv, row 2, column 'min_scale'" in p and "no region could" in p
               for p in problems(tutorial))


@pytest.mark.parametrize(("yaml_text", "expect"), [
    ("name: [", "is not valid YAML"),
    ("- a list", "must be a mapping"),
    ("name: x\nunits: {output: t, cost: c, distance: km}\nfoo: 1", "column 'foo': unknown key"),
    ("name: x\nunits: {output: t, cost: c}", "column 'units.distance': missing"),
    ("name: x\nobjective: {mode: best}", "must be `weighted` or `lexicographic`"),
    ("name: x\nobjective: {weights: {beauty: 1}}", "unknown objective term"),
    ("name: x\nsolver: {time_limit: -1}", "column 'solver.time_limit'"),
    ("name: x\npolicy: {flows: maybe}", "must be true or false"),
    ("name: x\nworkbook: ../../etc/x.xlsx", "points outside the instance folder"),
    ("name: !!python/object/apply:os.system ['true']", "is not valid YAML"),
])
def test_settings_problems(tutorial, yaml_text, expect):
    (tutorial / "instance.yaml").write_text(yaml_text)
    found = problems(tutorial)
    assert any(p.startswith("instance.yaml") and expect in p for p in found), found


def test_units_are_required_for_every_resource(tutorial):
    text = (tutorial / "instance.yaml").read_text()
    text = text.replace("    land: hectares of industrial land\n", "")
    (tutorial / "instance.yaml").write_text(text)
    assert any("units.resources.land" in p for p in problems(tutorial))


def test_workbook_gives_the_same_instance(tutorial, tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    with pd.ExcelWriter(book / "tables.xlsx") as writer:
        for csv in sorted(tutorial.glob("*.csv")):
            pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(
                writer, sheet_name=csv.stem, index=False)
    text = (tutorial / "instance.yaml").read_text()
    (book / "instance.yaml").write_text(text + "workbook: tables.xlsx\n")
    from_book, from_csv = load_instance(book), load_instance(tutorial)
    for name in TABLES:
        pd.testing.assert_frame_equal(from_book.tables[name], from_csv.tables[name])


def test_workbook_errors_name_the_sheet(tutorial, tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    with pd.ExcelWriter(book / "tables.xlsx") as writer:
        for csv in sorted(tutorial.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if csv.stem == "segments":
                frame.loc[1, "target_max"] = "-1"
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    (book / "instance.yaml").write_text((tutorial / "instance.yaml").read_text()
                                        + "workbook: tables.xlsx\n")
    assert any(p.startswith("tables.xlsx[segments], row 3, column 'target_max'")
               for p in problems(book))


def test_instance_tables_round_trip_through_frames(tutorial):
    from optimizer.instance import instance_from_frames

    inst = load_instance(tutorial)
    settings = {"name": "copy", "units": inst.settings.units,
                "policy": inst.settings.policy, "objective": {"mode": "lexicographic",
                                                              "order": inst.settings.order}}
    again = instance_from_frames(settings, inst.tables)
    for name in TABLES:
        pd.testing.assert_frame_equal(again.tables[name], inst.tables[name])
