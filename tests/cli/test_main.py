"""The command line as a planner uses it: files written, clear errors, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli.main import main, parser
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"
EXPECTED = {"allocation.csv", "allocation_matrix.csv", "regions.csv", "chains.csv",
            "location_quotients.csv", "similarity_current.csv", "similarity_optimised.csv",
            "summary.json", "report.md", "solver.log", "report.html", "report.xlsx",
            "group_similarity.csv", "report.docx", "shadow_prices.csv"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optimizer", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=300)


def test_solve_writes_every_file(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["solve", str(TUTORIAL), "--out", str(out), "--time-limit", "30"]) == 0
    assert {p.name for p in out.iterdir()} == EXPECTED
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "optimal"
    assert summary["mip_gap"] == 0
    assert set(summary["objective"]["terms"]) == {"excess_hosts", "pairwise_overlap", "cost",
                                                  "linkage", "compensation"}
    assert set(summary["measures"]) == {"current", "optimised"}
    for key in ("hosts_per_segment", "pairwise_overlaps", "excess_hosts", "similarity_mean",
                "similarity_max", "krugman_mean", "unhosted_segments", "unsupplied_links"):
        assert key in summary["measures"]["optimised"]
    assert "OPTIMAL" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*partial"))  # nothing half-written left behind


def test_existing_output_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("earlier result")
    assert main(["solve", str(TUTORIAL), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (out / "keep.txt").read_text() == "earlier result"


def test_validate_ok_and_bad_without_traceback(tmp_path):
    ok = run("validate", str(TUTORIAL))
    assert ok.returncode == 0, ok.stderr
    assert "is valid" in ok.stdout
    bad = Path(shutil.copytree(TUTORIAL, tmp_path / "bad"))
    (bad / "regions.csv").write_text("region,name\nx,y\n")
    res = run("validate", str(bad))
    assert res.returncode == 2
    assert "regions.csv, row 1, column 'group': missing column" in res.stderr
    assert "Traceback" not in res.stderr


def test_missing_folder(tmp_path):
    res = run("solve", str(tmp_path / "nowhere"))
    assert res.returncode == 2 and "is not a folder" in res.stderr
    assert "Traceback" not in res.stderr


def test_infeasible_what_if_is_explained(tmp_path, capsys):
    inst = Path(shutil.copytree(TUTORIAL, tmp_path / "inst"))
    with open(inst / "policy.csv", "a") as f:
        f.write("lakeview,ic_design,must,Lakeview wants a design centre\n")
    out = tmp_path / "run"
    assert main(["solve", str(inst), "--out", str(out)]) == 3
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert any("lakeview must host ic_design" in f and "science level 2" in f
               for f in summary["findings"])
    assert "Why no allocation is possible" in (out / "report.md").read_text()


def _subcommands(p) -> list[list[str]]:
    import argparse
    found = []
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append([name])
                found += [[name, *rest] for rest in _subcommands(sub)]
    return found


@pytest.mark.parametrize("command", [[]] + _subcommands(parser()))
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_solver_options_reach_highs_and_the_summary(tmp_path, capsys):
    # --solver-option is typed (7 a whole number, off a word) and recorded with the run
    out = tmp_path / "seeded"
    assert main(["solve", str(REPO / "instances" / "tutorial"), "--out", str(out), "--threads",
                 "1", "--solver-option", "random_seed=7", "--solver-option", "presolve=off"]) == 0
    options = json.loads((out / "summary.json").read_text())["solver"]["options"]
    assert options["solver_options"] == {"random_seed": 7, "presolve": "off"}
    assert "Presolve is switched off" in (out / "solver.log").read_text()


@pytest.mark.parametrize("option", ["no_such_option=1", "random_seed=-4", "random_seed"])
def test_bad_solver_options_are_refused(option, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["solve", str(REPO / "instances" / "tutorial"), "--out", str(tmp_path / "x"),
              "--solver-option", option])
    assert exit_.value.code == 2
    assert "--solver-option" in capsys.readouterr().err
