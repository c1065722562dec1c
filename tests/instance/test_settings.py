"""instance.yaml read against SETTINGS: each default, each kind's check, and the dicts builders
write (settings_dict), which refuse what instance.yaml would refuse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from optimizer.errors import InstanceError, Problem
from optimizer.instance.schema import Settings
from optimizer.instance.settings import (
    SETTINGS,
    dump_settings,
    edit_problem,
    nest,
    parse_settings,
    settings_dict,
    values_of,
)
from tests.conftest import REPO

UNITS = {"output": "t", "cost": "CNY", "distance": "km"}
MINIMAL = {"name": "x", "units": UNITS}


def parsed(raw: dict) -> tuple[Settings, list[str]]:
    problems: list[Problem] = []
    settings = parse_settings(raw, Path("."), problems)
    return settings, [str(p) for p in problems]


def test_every_setting_left_out_takes_its_declared_default():
    settings, problems = parsed(MINIMAL)
    assert problems == []
    values = values_of(settings)
    for setting in SETTINGS.values():
        if setting.key == "objective.order":  # null: the terms with a positive weight
            assert values[setting.key] == ["excess_hosts"]
        elif not setting.required:
            assert values[setting.key] == setting.default, setting.key


@pytest.mark.parametrize(("key", "value", "message"), [
    ("name", "  ", "must be a non-empty text naming the instance"),
    ("units.cost", None, "missing; say in words what unit the numbers are in"),
    ("units.talent", ["rd"], "must map each identifier to its unit"),
    ("language", "fr", "must be `en` or `zh`, got 'fr'"),
    ("objective.weights.cost", -1, "must be >= 0, got -1"),
    ("objective.tolerance", float("nan"), "must be a finite number, got nan"),
    ("objective.order", ["cost", "beauty"], "must be a list of terms from excess_hosts, "
                                            "pairwise_overlap, cost, linkage, compensation"),
    ("solver.time_limit", 0, "must be >= 0.001, got 0"),
    ("solver.threads", 1.5, "must be a whole number >= 1 or null, got 1.5"),
    ("policy.flows", "yes", "must be true or false, got 'yes'"),
    ("policy.change_budget", True, "must be a whole number >= 0 or null, got True"),
    ("policy.max_shrink", 1.5, "must be between 0 and 1, got 1.5"),
    ("workbook", "tables.csv", "'tables.csv' must be an .xlsx workbook"),
])
def test_each_kind_refuses_a_bad_value_naming_the_file_and_key(key, value, message):
    _, problems = parsed(nest({**values_of(parsed(MINIMAL)[0]), key: value}))
    assert problems == [f"instance.yaml, column '{key}': {message}"]


def test_null_is_a_value_only_where_declared():
    settings, problems = parsed({**MINIMAL, "solver": {"time_limit": None, "mip_gap": None}})
    assert settings.time_limit is None  # null: no limit, unlike leaving it out (300)
    assert problems == ["instance.yaml, column 'solver.mip_gap': must be a finite number, "
                        "got None"]


def test_unknown_keys_are_named_with_the_closest_known_one():
    _, problems = parsed({**MINIMAL, "policy": {"flow": True}, "solver": 5,
                          "objective": {"weights": {"costs": 1}}})
    assert problems == [
        "instance.yaml, column 'policy.flow': unknown policy switch (did you mean 'flows'?); "
        "expected one of chain_completeness, supplier_reach, flows, resources, talent, "
        "infrastructure, benefit_sharing, max_loss_share, change_budget, max_shrink",
        "instance.yaml, column 'solver': must be a mapping",
        "instance.yaml, column 'objective.weights.costs': unknown objective term (did you mean "
        "'cost'?); expected one of excess_hosts, pairwise_overlap, cost, linkage, compensation"]


def test_a_dotted_key_must_be_written_nested():
    _, problems = parsed({**MINIMAL, "solver.time_limit": 5})
    assert problems == ["instance.yaml, column 'solver.time_limit': write it nested: `solver:` "
                        "holding `time_limit:`"]


def test_threads_are_capped_at_the_cores():
    settings, _ = parsed({**MINIMAL, "solver": {"threads": 10_000}})
    assert settings.threads == (os.cpu_count() or 1)


@pytest.mark.parametrize("name", ["tutorial", "yangtze_delta", "national"])
def test_a_parsed_instance_yaml_reads_back_the_same_from_its_values(name):
    raw = yaml.safe_load((REPO / "instances" / name / "instance.yaml").read_text())
    settings, problems = parsed(raw)
    again, more = parsed(nest(values_of(settings)))
    assert problems == more == []
    assert again == settings


def test_settings_dict_orders_keys_as_declared_and_fills_nothing_in():
    given = {"policy": {"flows": True, "chain_completeness": False}, "units": UNITS,
             "solver": {"mip_gap": 0.01}, "name": "x"}
    laid_out = settings_dict(given)
    assert list(laid_out) == ["name", "units", "solver", "policy"]
    assert list(laid_out["policy"]) == ["chain_completeness", "flows"]
    assert laid_out == given
    text = dump_settings(given)
    assert yaml.safe_load(text) == laid_out and text.startswith("name: x\nunits:\n")


@pytest.mark.parametrize(("given", "column"), [
    ({**MINIMAL, "solver": {"mip_gpa": 0.1}}, "solver.mip_gpa"),
    ({**MINIMAL, "policy": {"max_shrink": 2}}, "policy.max_shrink"),
    ({"name": "x"}, "units.output"),
])
def test_settings_dict_refuses_what_instance_yaml_would(given, column):
    with pytest.raises(InstanceError) as err:
        settings_dict(given)
    assert column in [p.column for p in err.value.problems]


@pytest.mark.parametrize(("key", "allowed"), [
    ("objective.weights.cost", True), ("units.resources.land", True), ("units.talent", True),
    ("policy.max_shrink", True), ("description", True), ("name", False), ("language", False),
    ("workbook", False), ("solver", False), ("solver.gap", False), ("units.resources.land.x",
                                                                     False),
])
def test_which_keys_a_scenario_may_set(key, allowed):
    assert (edit_problem(key) is None) == allowed, edit_problem(key)
