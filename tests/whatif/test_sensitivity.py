"""The sensitivity summary of a sweep grid, on a micro-instance worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from optimizer.solve.solver import SolveOptions
from optimizer.whatif.sweep import plan_sweep, run_sweep
from tests.scenario_fixtures import LAND, REGIONS

# s1 (target 12) can go to a (unit cost 4, any amount), b (2, at most 8 by land), c (1, at
# most 4) or d (1.5, at most 4). The cheapest layout with 1 host is {a}: 48; with 2, {b, c}:
# 16 + 4 = 20; with 3, {b, c, d}: 8 + 4 + 6 = 18. s2 can only go to a: always hosted there.
# With cost weight 1 and the duplication price w on each excess host, the objective is
#   w = 1:   {a} 48, {b,c} 21, {b,c,d} 20  -> {b, c, d}
#   w = 10:  {a} 48, {b,c} 30, {b,c,d} 38  -> {b, c}     (d closes: 1 host changes)
#   w = 100: {a} 48, {b,c} 120, ...        -> {a}        (a opens, b and c close: 3 change)
SEGMENTS = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Parts,materials,12,12,0,0.5,1,
s2,c1,Assembly,assembly,1,1,0,0.5,1,
"""
COSTS = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,4,,
b,s1,2,,
c,s1,1,,
d,s1,1.5,,
"""
POLICY = """
region,segment,rule,note
b,s2,forbid,
c,s2,forbid,
d,s2,forbid,
"""
GRID = """
duplication_price:
  values: [1, 10, 100]
  settings: {objective.weights.excess_hosts: $value}
"""


@pytest.fixture
def grid_sweep(micro, tmp_path):
    micro.table("regions", REGIONS).table("segments", SEGMENTS).table("costs", COSTS)
    micro.table("resource_availability", LAND).table("policy", POLICY).table(
        "resource_use", "segment,resource,use\ns1,land,1")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 1, "cost": 1}})
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID, encoding="utf-8")
    out = tmp_path / "sweep"
    run_sweep(plan_sweep(micro.folder, [], None, grid, include_base=True), out,
              SolveOptions(), workers=1, progress=False, reports=False,
              compare=False)
    return out


def test_hosts_changed_at_each_step(grid_sweep):
    steps = pd.read_csv(grid_sweep / "sensitivity.csv", keep_default_na=False)
    assert steps["value"].astype(str).tolist() == ["1", "10", "100"]
    assert steps["hosts"].tolist() == [4, 3, 2]
    assert steps["hosts_changed"].tolist() == ["", "1", "3"]  # none before the first step
    assert steps["hosts_removed"].tolist()[1] == "d:s1"
    assert steps["hosts_added"].tolist()[2] == "a:s1"
    assert steps["excess_hosts"].tolist() == [2, 1, 0]


def test_stable_pairs(grid_sweep):
    table = pd.read_csv(grid_sweep / "stability.csv").set_index(["region", "segment"])
    assert table.loc[("a", "s2"), "stability"] == "always"
    assert table.loc[("b", "s1"), "runs_hosting"] == 2
    assert table.loc[("d", "s1"), "runs_hosting"] == 1
    assert set(table.loc[table["stability"] == "changes"].index) == {
        ("a", "s1"), ("b", "s1"), ("c", "s1"), ("d", "s1")}


def test_tornado(grid_sweep):
    tornado = pd.read_csv(grid_sweep / "tornado.csv").set_index("measure")
    excess = tornado.loc["excess_hosts"]
    assert (excess["at_from"], excess["at_to"], excess["swing"]) == (2, 0, 2)
    cost = tornado.loc["term_cost"]
    assert (cost["at_from"], cost["at_to"], cost["low"], cost["high"]) == \
        pytest.approx((18, 48, 18, 48))
    assert tornado.loc["total_hosts", "swing"] == 2
