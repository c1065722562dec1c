"""The what-if commands as a planner types them: help text, files written, clear errors."""

from __future__ import annotations

import argparse
import shutil
import sys

import pytest

from optimizer.cli.whatif import add_commands
from optimizer.errors import UserError
from optimizer.instance.scenarios import load_with_scenario
from tests.scenario_fixtures import TUTORIAL


def cli(*argv: str) -> int:
    """The main CLI's contract: user errors print one line and exit 2."""
    parser = argparse.ArgumentParser(prog="optimizer")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


@pytest.mark.parametrize("command, words", [
    ("sweep", ["--workers", "--scheduler", "--grid", "manifest.json"]),
    ("compare", ["current", "--reference"]),
    ("report", ["never overwritten"]),
])
def test_help(command, words, capsys):
    with pytest.raises(SystemExit) as done:
        cli(command, "--help")
    assert done.value.code == 0
    text = capsys.readouterr().out
    for word in words:
        assert word in text


def test_sweep_command(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert cli("sweep", str(TUTORIAL), "--scenario", "small_steps", "--workers", "1",
               "--out", str(out), "--no-reports", "--no-compare", "--quiet") == 0
    text = capsys.readouterr().out
    assert "2 runs planned: base, small_steps" in text and "2 optimal" in text
    assert (out / "runs" / "small_steps" / "summary.json").is_file()
    assert cli("sweep", str(TUTORIAL), "--out", str(out)) == 2
    assert "already exists" in capsys.readouterr().err


def test_sweep_with_a_bad_scenario_names_file_and_scenario(tmp_path, capsys):
    scenarios = tmp_path / "mine.yaml"
    scenarios.write_text("typo:\n  upgrade: {region: hilside, infrastructure: port, level: 1}\n")
    assert cli("sweep", str(TUTORIAL), "--scenarios-file", str(scenarios), "--out",
               str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "mine.yaml, row 2, column 'typo.upgrade'" in err
    assert "unknown region 'hilside'" in err
    assert not (tmp_path / "out").exists()


def test_compare_and_report_commands(tutorial_sweep, tmp_path, capsys):
    out, _ = tutorial_sweep
    target = tmp_path / "cmp"
    assert cli("compare", "current", str(out / "runs" / "base"), str(out / "runs" / "one_chain"),
               "--out", str(target)) == 0
    text = capsys.readouterr().out
    assert "changes are against `current`" in text and "one_chain" in text
    assert (target / "report.html").is_file() and (target / "report.xlsx").is_file()
    assert cli("report", str(target)) == 2
    assert "already exists" in capsys.readouterr().err
    assert cli("report", str(out)) == 2
    assert "is a sweep folder" in capsys.readouterr().err
    bare = tmp_path / "bare"
    shutil.copytree(out / "runs" / "base", bare)
    assert cli("report", str(bare)) == 0
    assert (bare / "report.html").is_file()


def test_every_shipped_tutorial_scenario_applies(tutorial):
    from optimizer.instance.scenarios import apply_scenario, read_scenarios

    names = list(read_scenarios(TUTORIAL / "scenarios.yaml"))
    assert len(names) >= 4
    for name in names:
        assert apply_scenario(tutorial, name).name == f"tutorial+{name}"


def test_a_solve_folder_with_provenance_in_summary_is_compared_with_its_scenario(tmp_path):
    """What `solve --scenario` writes once summary.json carries its solve_provenance()."""
    import json

    from optimizer.results.record import solve_provenance, write_run
    from optimizer.solve.run import optimise
    from optimizer.whatif.compare import compare_runs

    instance = load_with_scenario(TUTORIAL, "hillside_rail_port")
    out = tmp_path / "solve"
    write_run(out, optimise(instance))
    summary = json.loads((out / "summary.json").read_text())
    summary |= solve_provenance(TUTORIAL, "hillside_rail_port")
    (out / "summary.json").write_text(json.dumps(summary))
    comparison = compare_runs(["current", str(out)])
    assert comparison.notes == []
    assert comparison.instance.name == "tutorial+hillside_rail_port"
