"""Scenario and grid values that used to turn silently into defaults or collide (issue 9).

Class 10: `.nan`, `.inf` and a scale that overflows became blanks, i.e. column defaults.
Class 5 (planning): grid values that give one run name twice would share one run folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.errors import InstanceError
from optimizer.instance import load_instance
from optimizer.instance.scenarios import apply_scenario
from optimizer.whatif.grid import read_grid
from optimizer.whatif.sweep import plan_sweep
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"


def scenario_problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "scenarios.yaml"
    path.write_text("s:\n" + text)
    with pytest.raises(InstanceError) as err:
        apply_scenario(load_instance(TUTORIAL), "s", path)
    return str(err.value)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
@pytest.mark.parametrize("change", [
    "set: {table: segments, where: {segment: wafer_fab}, column: target_min, to: VALUE}",
    "set: {table: links, column: reach, to: VALUE}",
    "add_row: {table: talent_availability, row: {region: portcity, talent: new_kind, "
    "available: VALUE}}",
    "add_host: {region: hillside, segment: wafer_fab, output: VALUE}",
    "settings: {objective.weights.cost: VALUE}",
])
def test_non_finite_values_are_refused(tmp_path, change, value):
    message = scenario_problems(tmp_path, "  " + change.replace("VALUE", value) + "\n")
    assert "scenarios.yaml, row 2" in message and "finite" in message, message


def test_a_scale_that_overflows_is_refused(tmp_path):
    message = scenario_problems(tmp_path, "  scale: {table: resource_availability, column: "
                                          "available, by: 1.0e+307}\n")
    assert "scenarios.yaml, row 2, column 's.scale'" in message
    assert "overflows" in message, message


def test_a_large_finite_scale_is_refused_as_out_of_range(tmp_path):
    message = scenario_problems(tmp_path, "  scale: {table: resource_availability, column: "
                                          "available, by: 1.0e+20}\n")
    assert "numbers beyond 1e+15 in size are refused" in message, message


@pytest.mark.parametrize(("values", "clash"), [("[4, 6, 6]", "values 6 and 6"),
                                               ('["a b", "a_b"]', "values 'a b' and 'a_b'"),
                                               ('["East", "east"]', "values 'East' and 'east'")])
def test_grid_values_that_share_a_run_name_are_refused(tmp_path, values, clash):
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"budget:\n  values: {values}\n  policy: {{change_budget: $value}}\n")
    with pytest.raises(InstanceError) as err:
        read_grid(grid)
    assert f"grid.yaml, row 1, column 'budget': {clash} both give the run name" in str(
        err.value), str(err.value)
    with pytest.raises(InstanceError):
        plan_sweep(TUTORIAL, [], None, grid)


def test_distinct_grid_values_plan_distinct_runs(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("budget:\n  values: [4, 6, null]\n  policy: {change_budget: $value}\n")
    sweep = plan_sweep(TUTORIAL, [], None, grid)
    assert [r.name for r in sweep.runs] == ["base+budget=4", "base+budget=6", "base+budget=none"]
