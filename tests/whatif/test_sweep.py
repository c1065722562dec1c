"""Sweeps: runs in parallel, one folder each, a manifest, failures recorded, nothing overwritten."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from optimizer.errors import InstanceError, UserError
from optimizer.results.record import RUN_INFO_KEYS
from optimizer.solve.solver import SolveOptions
from optimizer.whatif.sweep import plan_sweep, run_sweep
from tests.scenario_fixtures import TUTORIAL

MANIFEST_FIELDS = {"run", "scenario", "instance_hash", "status", "error", "mip_gap",
                   "wall_seconds", "time_limit", "mip_gap_option", "threads", "output",
                   "chain-layout-optimizer_version", "pyomo_version", "highspy_version",
                   "solver_version"}


def test_sweep_of_scenarios_on_two_workers(tutorial_sweep):
    out, manifest = tutorial_sweep
    runs = {r["run"]: r for r in manifest["runs"]}
    assert list(runs) == ["base", "more_engineers", "rail_port", "no_fab_rivertown",
                          "one_chain", "frozen"]
    assert manifest["sweep"]["workers"] == 2
    assert {r["threads"] for r in runs.values()} == {1}  # one HiGHS thread per parallel run
    for name in ("base", "more_engineers", "rail_port", "no_fab_rivertown", "one_chain"):
        row = runs[name]
        assert row["status"] == "optimal", row
        assert set(row) >= MANIFEST_FIELDS
        folder = out / row["output"]
        assert (folder / "summary.json").is_file() and (folder / "allocation.csv").is_file()
        info = json.loads((folder / "run.json").read_text())
        assert set(info) == set(RUN_INFO_KEYS)  # as optimizer/results/record.py declares it
        assert info["scenario"] == (None if name == "base" else name)
        assert (folder / info["instance_folder"]).resolve() == TUTORIAL.resolve()
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["instance_hash"] == row["instance_hash"]
    assert len({r["instance_hash"] for r in runs.values()}) == len(runs)
    assert runs["base"]["instance"] == "tutorial"
    assert runs["rail_port"]["instance"] == "tutorial+rail_port"
    assert not list((out / "runs").glob(".*")), "staging folders are cleaned up"


def test_infeasible_run_is_recorded_and_the_sweep_goes_on(tutorial_sweep):
    out, manifest = tutorial_sweep
    frozen = next(r for r in manifest["runs"] if r["run"] == "frozen")
    assert frozen["status"] == "infeasible"
    assert "change budget" in frozen["error"]
    summary = json.loads((out / frozen["output"] / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert manifest["sweep"]["statuses"] == {"optimal": 5, "infeasible": 1}


def test_manifest_csv_matches_json(tutorial_sweep):
    out, manifest = tutorial_sweep
    with (out / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["run"] for r in rows] == [r["run"] for r in manifest["runs"]]
    assert [r["status"] for r in rows] == [r["status"] for r in manifest["runs"]]
    assert json.loads((out / "manifest.json").read_text()) == json.loads(
        json.dumps(manifest, default=str))


def test_sweep_writes_a_comparison(tutorial_sweep):
    out, _ = tutorial_sweep
    comparison = out / "comparison"
    for name in ("measures.csv", "regions.csv", "chains.csv", "runs.csv", "report.html",
                 "report.xlsx", "compare.json"):
        assert (comparison / name).is_file(), name
    record = json.loads((comparison / "compare.json").read_text())
    assert record["reference"] == "base"
    assert [r["run"] for r in record["runs"]][:2] == ["base", "current"]


def test_existing_sweep_folder_is_refused(tutorial_sweep):
    out, _ = tutorial_sweep
    before = sorted(p.name for p in out.iterdir())
    sweep = plan_sweep(TUTORIAL, [], None)
    with pytest.raises(UserError, match="already exists"):
        run_sweep(sweep, out, progress=False)
    assert sorted(p.name for p in out.iterdir()) == before


def test_bad_scenario_fails_before_any_solve(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("good:\n  policy: {change_budget: 3}\n"
                    "bad:\n  forbid: {region: atlantis, segment: wafer_fab}\n")
    with pytest.raises(InstanceError, match="unknown region 'atlantis'"):
        plan_sweep(TUTORIAL, None, path)
    with pytest.raises(UserError, match="unknown scenario 'nope'"):
        plan_sweep(TUTORIAL, ["nope"], path)


def test_grid_sweep_serial(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("budget:\n  values: [0, 6]\n  policy: {change_budget: $value}\n")
    sweep = plan_sweep(TUTORIAL, [], None, grid, include_base=True)
    assert [r.name for r in sweep.runs] == ["base+budget=0", "base+budget=6"]
    manifest = run_sweep(sweep, tmp_path / "out", SolveOptions(time_limit=30), workers=1,
                         progress=False, reports=True, compare=False)
    statuses = {r["run"]: r["status"] for r in manifest["runs"]}
    for row in manifest["runs"]:  # reports for the infeasible run too
        folder = tmp_path / "out" / row["output"]
        assert (folder / "report.html").is_file() and (folder / "report.xlsx").is_file()
    assert statuses == {"base+budget=0": "infeasible", "base+budget=6": "optimal"}
    info = json.loads((tmp_path / "out" / "runs" / "base+budget=6" / "run.json").read_text())
    assert info["grid"] == {"budget": 6}
    assert info["overrides"] == [["policy", {"change_budget": 6}]]
    assert manifest["runs"][1]["instance"] == "tutorial+budget=6"


def test_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask[distributed] not installed")
    path = tmp_path / "s.yaml"
    path.write_text("budget:\n  policy: {change_budget: 6}\n")
    sweep = plan_sweep(TUTORIAL, None, path)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None,
                                  local_directory=str(tmp_path / "dask")) as cluster:
        manifest = run_sweep(sweep, tmp_path / "out", SolveOptions(time_limit=30),
                             scheduler=cluster.scheduler_address, progress=False,
                             reports=False, compare=False)
    assert [r["status"] for r in manifest["runs"]] == ["optimal", "optimal"]
    assert manifest["sweep"]["scheduler"] == cluster.scheduler_address
    assert all((tmp_path / "out" / r["output"] / "run.json").is_file()
               for r in manifest["runs"])


def test_unreachable_scheduler_is_a_user_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="dask[distributed] not installed")
    import optimizer.whatif.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "CONNECT_TIMEOUT", "1s")
    sweep = plan_sweep(TUTORIAL, [], None)
    with pytest.raises(UserError, match="cannot reach"):
        run_sweep(sweep, tmp_path / "out", scheduler="tcp://127.0.0.1:9", progress=False)


def test_a_run_that_raises_is_recorded(tmp_path, monkeypatch):
    import optimizer.whatif.sweep as sweep_module

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(sweep_module, "optimise", broken)
    sweep = plan_sweep(TUTORIAL, [], None)
    manifest = run_sweep(sweep, tmp_path / "out", workers=1, progress=False, compare=False)
    row = manifest["runs"][0]
    assert row["status"] == "error"
    assert "solver exploded" in row["error"]
    assert row["output"] == ""
    assert Path(tmp_path / "out" / "manifest.json").is_file()


def test_what_the_sweep_leaves_unset_is_each_runs_own_setting(tutorial_sweep, tutorial):
    """SolveOptions(time_limit=30): the limit is the sweep's, the gap each instance's own."""
    out, manifest = tutorial_sweep
    assert manifest["sweep"]["options"] == {"time_limit": 30, "mip_gap": None, "threads": 1,
                                            "solver_options": {}}
    info = json.loads((out / "runs" / "base" / "run.json").read_text())
    assert info["time_limit"] == 30
    assert info["mip_gap_option"] == tutorial.settings.mip_gap
