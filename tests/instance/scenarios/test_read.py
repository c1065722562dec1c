"""Scenario files read: shapes, names, kinds and `base:` chains checked before any change."""

from __future__ import annotations

import pytest

from optimizer.errors import InstanceError
from optimizer.instance.scenarios import apply_scenario
from tests.instance.scenarios.conftest import apply, refused


@pytest.mark.parametrize("text, expected", [
    ("s:\n  scal: {table: regions, column: max_chains, by: 2}\n", "did you mean 'scale'"),
    ("s:\n  set: {table: regions, column: max_chains}\n", "needs `to`"),
    ("s:\n  description: nothing here\n", "changes nothing"),
    ("s:\n  policy: {change_budget: 1}\n  policy: {change_budget: 2}\n", "written twice"),
    ("s:\n  base: t\n  policy: {change_budget: 1}\n", "unknown scenario 't'"),
    ("s:\n  base: t\n  policy: {change_budget: 1}\nt:\n  base: s\n", "builds on itself"),
    ("current:\n  policy: {change_budget: 1}\n", "not a usable scenario name"),
    ("s: [1, 2]\n", "must be a mapping"),
])
def test_badly_written_scenarios_are_refused(tutorial, write_yaml, text, expected):
    problems = refused(tutorial, write_yaml, text)
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert all(p.source.endswith("scenarios.yaml") for p in problems)


def test_unknown_scenario_and_missing_file(tutorial, write_yaml, tmp_path):
    path = write_yaml("real:\n  policy: {change_budget: 2}\n")
    with pytest.raises(InstanceError, match="unknown scenario 'reel'.*did you mean 'real'"):
        apply_scenario(tutorial, "reel", path)
    with pytest.raises(InstanceError, match="not found"):
        apply_scenario(tutorial, "real", tmp_path / "none.yaml")


def test_yaml_syntax_error_names_the_line(tutorial, write_yaml):
    with pytest.raises(InstanceError) as info:
        apply(tutorial, write_yaml, "s:\n  scale: {table: regions\n  x: 1\n")
    assert info.value.problems[0].row is not None
    assert "not valid YAML" in str(info.value)
