"""Scenario changes applied: each kind on the tutorial, composition, and changes refused."""

from __future__ import annotations

import math

import pytest

from optimizer.errors import UserError
from optimizer.instance.scenarios import apply_scenario, load_with_scenario
from tests.instance.scenarios.conftest import apply, refused, value
from tests.scenario_fixtures import TUTORIAL

# ---------------------------------------------------------------------------- each kind


def test_three_line_scenario_scales_a_cell(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  scale: {table: talent_availability, where: {region: hillside, talent: engineers},
          column: available, by: 2}
""")
    assert value(changed, "talent_availability", "available", region="hillside",
                 talent="engineers") == 20000
    assert value(changed, "talent_availability", "available", region="portcity",
                 talent="engineers") == 20000  # untouched
    assert changed.name == "tutorial+s"
    assert changed.content_hash != tutorial.content_hash
    assert changed.folder == tutorial.folder


def test_scale_by_group_touches_every_region_of_the_group(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  scale: {table: resource_availability, where: {group: East, resource: land}, column: available,
          by: 0.5}
""")
    assert value(changed, "resource_availability", "available", region="rivertown",
                 resource="land") == 225
    assert value(changed, "resource_availability", "available", region="lakeview",
                 resource="land") == 150
    assert value(changed, "resource_availability", "available", region="hillside",
                 resource="land") == 900


def test_set_without_where_sets_the_whole_column_and_null_blanks(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  set:
    - {table: regions, column: max_chains, to: 1}
    - {table: regions, where: {region: hillside}, column: max_segments, to: null}
""")
    assert set(changed.tables["regions"]["max_chains"]) == {1.0}
    assert math.isnan(value(changed, "regions", "max_segments", region="hillside"))


def test_set_by_chain_changes_every_segment_of_it(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  set: {table: segments, where: {chain: ic}, column: weight, to: 3}
""")
    weights = changed.tables["segments"].set_index("segment")["weight"]
    assert weights["wafer_fab"] == 3 and weights["ic_design"] == 3
    assert weights["battery_cells"] == 1


def test_add_and_remove_rows(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  add_row: {table: costs, row: {region: hillside, segment: ev_assembly, opening_cost: 70}}
  remove_rows: {table: links, where: {supplier: packaging_test}}
""")
    assert value(changed, "costs", "opening_cost", region="hillside",
                 segment="ev_assembly") == 70
    assert value(changed, "costs", "closure_cost", region="hillside",
                 segment="ev_assembly") == 0  # blank takes the schema default
    assert "packaging_test" not in set(changed.tables["links"]["supplier"])
    assert len(changed.tables["links"]) == len(tutorial.tables["links"]) - 1


def test_must_forbid_and_release(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  must: {region: hillside, segment: battery_cells}
  forbid: {region: portcity, segment: ic_design, note: design moves inland}
  release: {region: lakeview, segment: battery_materials}
""")
    policy = changed.tables["policy"].set_index(["region", "segment"])
    assert policy.loc[("hillside", "battery_cells"), "rule"] == "must"
    assert policy.loc[("hillside", "battery_cells"), "note"] == "scenario s"
    assert policy.loc[("portcity", "ic_design"), "rule"] == "forbid"  # was must
    assert policy.loc[("portcity", "ic_design"), "note"] == "design moves inland"
    assert ("lakeview", "battery_materials") not in policy.index


def test_regions_segments_and_chains_may_be_named_by_their_names(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  forbid: {region: [Portcity, Lakeview], segment: Wafer fabrication}
  drop_chain: New-energy vehicles
""")
    policy = changed.tables["policy"]
    forbidden = policy[policy["rule"] == "forbid"]
    assert {("portcity", "wafer_fab"), ("lakeview", "wafer_fab")} <= set(
        zip(forbidden["region"], forbidden["segment"], strict=True))
    assert changed.chains == ["ic"]


def test_add_host_puts_a_plant_in_todays_layout(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  add_host: {region: hillside, segment: battery_cells, output: 120}
""")
    assert changed.current_output()[("hillside", "battery_cells")] == 120


def test_upgrade_raises_or_adds_an_infrastructure_level(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  upgrade:
    - {region: hillside, infrastructure: port, level: 1}
    - {region: rivertown, infrastructure: port, level: 3}
""")
    assert value(changed, "infrastructure_levels", "level", region="hillside",
                 infrastructure="port") == 1
    assert value(changed, "infrastructure_levels", "level", region="rivertown",
                 infrastructure="port") == 3


def test_drop_region_removes_every_row_that_refers_to_it(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, "s:\n  drop_region: lakeview\n")
    assert "lakeview" not in changed.regions
    for name, frame in changed.tables.items():
        if "region" in frame.columns:
            assert "lakeview" not in set(frame["region"]), name


def test_drop_chain_removes_its_segments_and_their_rows(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, "s:\n  drop_chain: [ic]\n")
    assert changed.chains == ["ev"]
    ic = {"ic_design", "wafer_fab", "packaging_test"}
    assert not ic & set(changed.segments)
    for name in ("current_layout", "costs", "policy", "talent_use", "resource_use",
                 "infrastructure_requirements"):
        assert not ic & set(changed.tables[name]["segment"]), name
    links = changed.tables["links"]
    assert not ic & (set(links["supplier"]) | set(links["user"]))
    assert "ic" not in set(changed.tables["chain_entry_costs"]["chain"])


def test_drop_segment(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, "s:\n  drop_segment: packaging_test\n")
    assert "packaging_test" not in changed.segments
    assert "packaging_test" not in set(changed.tables["links"]["user"])


def test_policy_switches_and_settings(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  policy: {change_budget: 5, benefit_sharing: false}
  settings:
    objective.tolerance: 0.01
    solver: {time_limit: 20}
""")
    assert changed.settings.policy["change_budget"] == 5
    assert changed.settings.policy["benefit_sharing"] is False
    assert changed.settings.tolerance == 0.01
    assert changed.settings.time_limit == 20
    assert changed.settings.order == tutorial.settings.order


def test_a_unit_entry_changes_alone_and_other_settings_stay(tutorial, write_yaml):
    changed = apply(tutorial, write_yaml, """\
s:
  settings: {units: {resources: {land: km2}}, solver.mip_gap: 0.01}
""")
    assert changed.settings.units["resources"] == {
        **tutorial.settings.units["resources"], "land": "km2"}
    assert changed.settings.mip_gap == 0.01
    unchanged = {"name", "units", "mip_gap"}
    assert {k: v for k, v in vars(changed.settings).items() if k not in unchanged} == {
        k: v for k, v in vars(tutorial.settings).items() if k not in unchanged}


def test_on_a_weighted_base_the_order_follows_changed_weights(tutorial, write_yaml):
    path = write_yaml("""\
s:
  settings: {objective: {mode: weighted, weights: {excess_hosts: 0, cost: 1}}}
t:
  settings: {objective.weights.linkage: 2}
""")
    weighted = apply_scenario(tutorial, "s", path)
    assert weighted.settings.order == tutorial.settings.order  # written in instance.yaml
    assert apply_scenario(weighted, "t", path).settings.order == ["cost", "linkage"]


@pytest.mark.parametrize(("change", "expected"), [
    ("{language: zh}", "'language' cannot be changed by a scenario: choose the reports' "
                       "language with --lang"),
    ("{workbook: t.xlsx}", "'workbook' cannot be changed"),
    ("{policy: {}}", "'policy' holds settings; set one of them, e.g. "
                     "policy.chain_completeness"),
    ("{solver.time_limt: 5}", "unknown solver option 'solver.time_limt' (did you mean "
                              "'time_limit'?); expected one of time_limit, mip_gap, threads"),
    ("{units.currency: CNY}", "unknown key 'units.currency'"),
    ("{solver.mip_gap: 2}", "solver.mip_gap must be between 0 and 1, got 2"),
    ("{objective.order: [cost, cost]}", "objective.order names a term twice"),
])
def test_settings_a_scenario_cannot_make_are_refused(tutorial, write_yaml, change, expected):
    problems = refused(tutorial, write_yaml, f"s:\n  settings: {change}\n")
    assert [p.column for p in problems] == ["s.settings"]
    assert expected in problems[0].message, problems[0].message
    assert problems[0].row == 2


def test_base_composes_and_overrides_apply_in_order(tutorial, write_yaml):
    path = write_yaml("""\
first:
  set: {table: segments, where: {segment: wafer_fab}, column: min_scale, to: 100}
second:
  base: first
  scale: {table: segments, where: {segment: wafer_fab}, column: min_scale, by: 1.5}
third:
  base: second
  policy: {change_budget: 6}
""")
    third = apply_scenario(tutorial, "third", path)
    assert value(third, "segments", "min_scale", segment="wafer_fab") == 150
    assert third.settings.policy["change_budget"] == 6
    assert third.name == "tutorial+third"
    hashes = {apply_scenario(tutorial, n, path).content_hash for n in ("first", "second")}
    assert len(hashes | {third.content_hash, tutorial.content_hash}) == 4


def test_default_file_is_scenarios_yaml_in_the_instance(tutorial):
    changed = apply_scenario(tutorial, "hillside_rail_port")
    assert value(changed, "infrastructure_levels", "level", region="hillside",
                 infrastructure="port") == 1
    assert load_with_scenario(TUTORIAL, None).name == "tutorial"
    assert load_with_scenario(TUTORIAL, "small_steps").settings.policy["change_budget"] == 4
    with pytest.raises(UserError, match="needs --scenario"):
        load_with_scenario(TUTORIAL, None, TUTORIAL / "scenarios.yaml")


def test_scenario_changes_the_solution(tutorial, write_yaml):
    from optimizer.solve.run import optimise

    changed = apply(tutorial, write_yaml, """\
s:
  forbid: {region: lakeview, segment: battery_cells}
""")
    before, after = optimise(tutorial), optimise(changed)
    assert after.outcome.status == "optimal"
    assert ("lakeview", "battery_cells") in before.layout
    assert ("lakeview", "battery_cells") not in after.layout
    assert any(s == "battery_cells" for _, s in after.layout)


# ---------------------------------------------------------------------------- refused


def test_unknown_names_are_errors_naming_file_scenario_override_and_line(tutorial, write_yaml):
    problems = refused(tutorial, write_yaml, """\
s:
  scale: {table: talent_availability, where: {region: hilside, talent: engineer},
          column: availabl, by: 2}
  upgrade: {region: hillside, infrastructure: prot, level: 2}
  drop_chain: batteries
  must: {region: portcity, segment: chip_design}
""")
    text = [str(p) for p in problems]
    assert all(p.source.endswith("scenarios.yaml") for p in problems)
    assert {p.column for p in problems} == {"s.scale", "s.upgrade", "s.drop_chain", "s.must"}
    assert {p.row for p in problems if p.column == "s.scale"} == {2}
    assert {p.row for p in problems if p.column == "s.upgrade"} == {4}
    assert any("unknown region 'hilside'" in t and "did you mean 'hillside'" in t for t in text)
    assert any("talent 'engineer'" in t for t in text)
    assert any("unknown column 'availabl'" in t for t in text)
    assert any("unknown infrastructure 'prot'" in t for t in text)
    assert any("unknown chain 'batteries'" in t for t in text)
    assert any("unknown segment 'chip_design'" in t for t in text)
@pytest.mark.parametrize("text, expected", [
    ("s:\n  scale: {table: talents, column: available, by: 2}\n", "unknown table 'talents'"),
    ("s:\n  set: {table: regions, column: region, to: x}\n", "identifies the rows"),
    ("s:\n  scale: {table: regions, column: name, by: 2}\n", "not a number"),
    ("s:\n  scale: {table: regions, column: max_chains, by: 2}\n", "every matching"),
    ("s:\n  scale: {table: regions, column: lat, by: two}\n", "`by` must be a number"),
    ("s:\n  policy: {change_budet: 3}\n", "did you mean 'change_budget'"),
    ("s:\n  settings: {objective.weights.costs: 1}\n", "unknown objective term"),
    ("s:\n  settings: {name: other}\n", "'name' cannot be changed by a scenario"),
    ("s:\n  add_host: {region: portcity, segment: wafer_fab, output: 1}\n", "already hosts"),
    ("s:\n  release: {region: hillside, segment: wafer_fab}\n", "nothing to release"),
    ("s:\n  upgrade: {region: portcity, infrastructure: port, level: 1}\n", "cannot lower"),
    ("s:\n  remove_rows: {table: regions, where: {region: hillside}}\n", "use drop_region"),
    ("s:\n  remove_rows: {table: links, where: {supplier: wafer_fab, user: ic_design}}\n",
     "no row of links.csv"),
    ("s:\n  add_row: {table: policy, row: {region: portcity, segment: ic_design, rule: must}}\n",
     "already has a row"),
    ("s:\n  drop_segment: [ic_design, wafer_fab, packaging_test]\n", "use drop_chain"),
])
def test_bad_overrides_are_refused(tutorial, write_yaml, text, expected):
    problems = refused(tutorial, write_yaml, text)
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert all(p.source.endswith("scenarios.yaml") for p in problems)


def test_values_are_checked_again_and_blamed_on_the_override(tutorial, write_yaml):
    problems = refused(tutorial, write_yaml, """\
s:
  set: {table: segments, where: {segment: wafer_fab}, column: target_min, to: -5}
  scale: {table: regions, where: {region: hillside}, column: max_segments, by: 1.5}
  policy: {change_budget: -1}
""")
    by_override = {p.column: str(p) for p in problems}
    assert "segments.csv row 6, column 'target_min': is -5" in by_override["s.set"]
    assert "regions.csv row 6, column 'max_segments'" in by_override["s.scale"]
    assert "whole number" in by_override["s.scale"]
    assert "change_budget" in by_override["s.policy"]


def test_consequences_elsewhere_are_blamed_on_the_scenario(tutorial, write_yaml):
    problems = refused(tutorial, write_yaml, """\
s:
  set: {table: segments, where: {segment: wafer_fab}, column: target_max, to: 50}
""")
    assert any("min_scale" in str(p) and p.column == "s.set" for p in problems)
