"""The run folder as declared in optimizer/results/record.py: what write_run writes is what
read_run reads back, every file is declared, damage is named by file, row and column, and
today's layout is a run of its own kind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from optimizer.errors import UserError
from optimizer.report.text import run_documents
from optimizer.results import record
from optimizer.results.record import (
    CURRENT,
    DOCUMENTS,
    NUMBER,
    RUN,
    RUN_INFO,
    SOLVER_LOG,
    SUMMARY,
    SUMMARY_KEYS,
    TABLES,
    current_run,
    read_run,
    result_tables,
    solve_provenance,
    summary_dict,
    write_run,
)
from optimizer.results.tables import chain_table, region_table
from optimizer.solve.run import optimise
from tests.scenario_fixtures import TUTORIAL

INFO = {"run": "tried", "scenario": None, "instance_folder": str(TUTORIAL.resolve()),
        "grid": {"budget": 6}, "overrides": [["policy", {"change_budget": 6}]]}


@pytest.fixture(scope="module")
def solved(tutorial):
    return optimise(tutorial)


@pytest.fixture(scope="module")
def written(solved, tmp_path_factory) -> Path:
    """The tutorial's run folder, with the provenance solve writes (no visual reports)."""
    out = tmp_path_factory.mktemp("record") / "run"
    notes = write_run(out, solved, extra=solve_provenance(TUTORIAL, None),
                      documents=run_documents(visual=False))
    assert notes == []
    return out


def assert_same_measures(mine: dict, theirs: dict) -> None:
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, float):
            assert mine[key] == pytest.approx(value), key
        else:
            assert mine[key] == value, key


def test_every_file_written_is_declared(written):
    declared = {t.file for t in TABLES.values()} | {SUMMARY, RUN_INFO, SOLVER_LOG, *DOCUMENTS}
    names = {p.name for p in written.iterdir()}
    assert names <= declared, names - declared
    assert {"allocation.csv", "regions.csv", SUMMARY, SOLVER_LOG, "report.md"} <= names
    assert RUN_INFO not in names  # only a sweep run says what it was made from
    assert set(json.loads((written / SUMMARY).read_text())) <= set(SUMMARY_KEYS)
    for table in TABLES.values():
        path = written / table.file
        if not path.is_file():
            assert table.when != record.ALWAYS, table.name
            continue
        frame = pd.read_csv(path, index_col=0 if table.matrix else None)
        if table.matrix:
            assert all(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns)
            continue
        assert [c.name for c in table.columns if c.needed] == [
            c for c in frame.columns if table.column(c) and table.column(c).needed]
        for column in frame.columns:
            declared_column = table.column(column)
            assert declared_column is not None, f"{table.file}: {column} is not declared"
            if declared_column.kind == NUMBER and not frame.empty:
                assert pd.api.types.is_numeric_dtype(frame[column]), (table.file, column)


def test_round_trip(solved, written, tutorial):
    run = read_run(written)
    assert (run.kind, run.label, run.status, run.folder) == (RUN, "run", "optimal", written)
    assert run.layout == pytest.approx(solved.layout, rel=1e-5)  # CSV keeps 6 digits
    expected = result_tables(solved)
    assert set(run.tables) == set(expected) | {"shadow_prices"}
    for name, frame in expected.items():
        back = run.tables[name]
        for column in frame.select_dtypes(exclude="number").columns:  # blank text reads as NaN
            back[column] = back[column].where(back[column].notna(), "")
        pd.testing.assert_frame_equal(back, frame, check_dtype=False, check_names=False,
                                      rtol=1e-5)
    summary = json.loads(json.dumps(summary_dict(solved), default=str))
    assert {k: run.summary[k] for k in summary} == summary
    assert_same_measures(run.measures, solved.measures()["optimised"])
    assert run.terms == solved.terms
    assert run.regions.set_index("region")["segments"].to_dict() == \
        expected["regions"].set_index("region")["segments_optimised"].to_dict()
    assert run.instance.content_hash == tutorial.content_hash  # rebuilt from the provenance
    assert run.notes == []


def test_run_json_round_trip(solved, tmp_path):
    out = tmp_path / "run"
    write_run(out, solved, info=INFO)
    run = read_run(out)
    assert run.info == INFO and run.label == "tried"
    assert not (out / "report.md").exists()  # documents come only when asked for


def test_writing_is_atomic(solved, tmp_path, monkeypatch):
    def failing(folder, results, summary, tables):
        assert (folder / SUMMARY).is_file() and folder.name == "run"  # its final name
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_run(tmp_path / "run", solved, documents=failing)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "run").mkdir()
    with pytest.raises(UserError, match="already exists"):
        write_run(tmp_path / "run", solved)


def test_today_is_a_run_of_its_own_kind(solved, written, tutorial):
    today = current_run(read_run(written))
    assert (today.kind, today.label, today.status, today.folder) == (CURRENT, CURRENT,
                                                                     CURRENT, None)
    assert today.layout == tutorial.current_output()
    assert_same_measures(today.measures, solved.measures()["current"])
    regions = region_table(solved).set_index("region")
    mine = today.regions.set_index("region")
    assert mine["value_added"].to_dict() == pytest.approx(
        regions["value_added_current"].to_dict())
    assert mine["segments"].to_dict() == regions["segments_current"].to_dict()
    assert (mine["land_used"] > 0).any()  # today's use, measured from the instance
    chains = chain_table(solved).set_index("chain")
    assert today.chains.set_index("chain")["complete"].to_dict() == \
        chains["complete_current"].to_dict()


def test_today_from_the_folder_alone(solved, written, tmp_path, tutorial):
    """Without its instance, today's layout is read from what the run recorded about it."""
    folder = Path(shutil.copytree(written, tmp_path / "moved"))
    summary = json.loads((folder / SUMMARY).read_text())
    summary["instance_folder"] = str(tmp_path / "gone")
    (folder / SUMMARY).write_text(json.dumps(summary))
    first = read_run(folder)
    today = current_run(first)
    assert today.kind == CURRENT and today.instance is None
    assert any("instance folder is not recorded or not found" in n for n in first.notes)
    assert today.layout == pytest.approx(tutorial.current_output())
    assert today.measures == summary["measures"]["current"]
    assert not [c for c in today.regions.columns if c.endswith("_used")]
    assert today.chains.set_index("chain")["hosts"].to_dict() == \
        chain_table(solved).set_index("chain")["hosts_current"].to_dict()


# damage: (file, how to damage it, what the error must say)
DAMAGE = {
    "text_in_a_number": ("allocation.csv", lambda f: f.assign(
        output=f["output"].astype(object).where(f.index != 1, "lots")),
        "row 3, column 'output' holds 'lots'; expected a number"),
    "infinite": ("regions.csv", lambda f: f.assign(
        land_used=f["land_used"].where(f.index != 0, float("inf"))),
        "row 2, column 'land_used' holds a value that is not finite"),
    "control_character": ("regions.csv", lambda f: f.assign(
        name=f["name"].where(f.index != 2, "bad\x07name")),
        "row 4, column 'name' holds control characters"),
    "not_a_flag": ("chains.csv", lambda f: f.assign(
        complete_current=f["complete_current"].astype(object).where(f.index != 0, "maybe")),
        "row 2, column 'complete_current' holds 'maybe'; expected True or False"),
    "needed_column_gone": ("allocation.csv", lambda f: f.drop(columns="change"),
                           "it lacks column 'change'"),
    "matrix_text": ("similarity_current.csv", lambda f: f.assign(
        **{f.columns[2]: f[f.columns[2]].astype(object).where(f.index != 0, "x")}),
        "row 2, column 'rivertown' holds 'x'; expected a number"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_table_is_named_by_file_row_and_column(written, tmp_path, case):
    name, damage, message = DAMAGE[case]
    folder = Path(shutil.copytree(written, tmp_path / "run"))
    frame = pd.read_csv(folder / name, keep_default_na=False)
    damage(frame).to_csv(folder / name, index=False)
    with pytest.raises(UserError) as error:
        read_run(folder)
    assert str(error.value).startswith(f"{folder / name} is damaged: {message}")


JSON_DAMAGE = {
    "gap_as_text": (SUMMARY, lambda s: s | {"mip_gap": "small"},
                    "mip_gap should be a number, found text"),
    "term_value_as_text": (SUMMARY, lambda s: s | {"objective": s["objective"] | {
        "terms": s["objective"]["terms"] | {"cost": {"value": "x"}}}},
        "objective.terms.cost.value should be a number, found text"),
    "measure_as_text": (SUMMARY, lambda s: s | {"measures": {"current": {"excess_hosts": "8"}}},
                        "measures.current.excess_hosts should be a number or a list or an "
                        "object, found text"),
    "finding_not_text": (SUMMARY, lambda s: s | {"findings": ["ok", 3]},
                         "findings.2 should be text, found int"),
    "overrides_not_pairs": (RUN_INFO, lambda s: s | {"overrides": [["policy"]]},
                            "overrides should be a list of [kind, {...}] pairs"),
    "threads_as_text": (RUN_INFO, lambda s: s | {"threads": "two"},
                        "threads should be a number, found text"),
}


@pytest.mark.parametrize("case", sorted(JSON_DAMAGE))
def test_a_damaged_json_file_is_named_by_key(solved, tmp_path, case):
    folder = tmp_path / "run"
    write_run(folder, solved, info=INFO)
    name, damage, message = JSON_DAMAGE[case]
    path = folder / name
    path.write_text(json.dumps(damage(json.loads(path.read_text()))))
    with pytest.raises(UserError) as error:
        read_run(folder)
    assert str(error.value) == f"{path} is damaged: {message}"


def test_not_a_run_folder(tmp_path):
    with pytest.raises(UserError, match="no summary.json"):
        read_run(tmp_path)
