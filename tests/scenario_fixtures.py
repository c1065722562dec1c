"""Shared pieces for the what-if, report and CLI tests: the tutorial, scenarios, one sweep."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.instance import Instance, load_instance
from optimizer.solve.solver import SolveOptions
from optimizer.whatif.sweep import plan_sweep, run_sweep
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"

# four regions in a row whose land caps what each can make of a segment using 1 ha a unit
REGIONS = """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,,0,0,,,
b,B,,1,0,,,
c,C,,2,0,,,
d,D,,3,0,,,
"""
LAND = """
region,resource,available
a,land,100
b,land,8
c,land,4
d,land,4
"""

ARTIFACTS = REPO / "test-artifacts"

SWEEP_SCENARIOS = """\
more_engineers:
  scale: {table: talent_availability, where: {region: hillside, talent: engineers},
          column: available, by: 2}
rail_port:
  upgrade: {region: hillside, infrastructure: port, level: 1}
no_fab_rivertown:
  forbid: {region: rivertown, segment: wafer_fab}
one_chain:
  set: {table: regions, column: max_chains, to: 1}
frozen:
  description: no allocation may change, but today's layout breaks a supplier link
  policy: {change_budget: 0}
"""


@pytest.fixture(scope="session")
def tutorial() -> Instance:
    return load_instance(TUTORIAL)


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write YAML text to a new file and return its path."""
    def write(text: str, name: str = "scenarios.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def tutorial_sweep(tmp_path_factory) -> tuple[Path, dict]:
    """Five scenarios (one infeasible) on two local workers, with the sweep's comparison."""
    folder = tmp_path_factory.mktemp("sweep")
    scenarios = folder / "scenarios.yaml"
    scenarios.write_text(SWEEP_SCENARIOS, encoding="utf-8")
    sweep = plan_sweep(TUTORIAL, None, scenarios, include_base=True)
    out = folder / "out"
    manifest = run_sweep(sweep, out, SolveOptions(time_limit=30), workers=2, progress=False,
                         reports=False)
    return out, manifest


@pytest.fixture(scope="session")
def reported_run(tutorial_sweep, tmp_path_factory) -> Path:
    """A copy of the sweep's `no_fab_rivertown` run with report.html and report.xlsx added."""
    from optimizer.report import write_visual_reports

    out, _ = tutorial_sweep
    folder = tmp_path_factory.mktemp("reported") / "run"
    shutil.copytree(out / "runs" / "no_fab_rivertown", folder)
    write_visual_reports(folder)  # the instance is found through run.json
    return folder
