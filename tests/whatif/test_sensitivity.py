"""The sensitivity summary of a sweep grid, on a micro-instance worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from optimizer.solve.solver import SolveOptions
from optimizer.whatif import resolve
from optimizer.whatif.resolve import KEPT_NOTE, optimise_reusing
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


# ---------------------------------------------------------------------------- a kept model
# optimise_reusing (whatif/resolve.py): grid points on one kept model, as `bench many`
# measures it against fresh solves; each answer must be a fresh solve's.


@pytest.fixture
def fresh_process():
    """No model kept from an earlier test in this process."""
    resolve._KEPT.clear()
    yield
    resolve._KEPT.clear()


# Regions a and b, one segment s1 (target 10) made today by a alone, at unit cost 2 in a and 1
# in b; a second host costs 100, compensation 3 per unit owed. Moving to b saves 10 of cost
# and leaves a owed (1 - share) x 5 of value added (0.5 x 10 today):
#   share 0:    b costs 10 + 3 x 5    = 25 > 20 -> stays in a
#   share 0.5:  b costs 10 + 3 x 2.5  = 17.5    -> moves to b
#   share 0.25: b costs 10 + 3 x 3.75 = 21.25   -> stays in a
LOSS_REGIONS = """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,,0,0,,,
b,B,,1,0,,,
"""
LOSS_SEGMENTS = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Only,assembly,10,10,0,0.5,1,
"""


def _loss_micro(micro, share: float):
    micro.table("regions", LOSS_REGIONS).table("segments", LOSS_SEGMENTS)
    micro.table("current_layout", "region,segment,output\na,s1,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\na,s1,2,,\nb,s1,1,,")
    micro.settings(objective={"mode": "weighted", "weights": {
        "excess_hosts": 100, "cost": 1, "compensation": 3}},
        policy={"benefit_sharing": True, "max_loss_share": share})
    return load_instance(micro.folder)


@pytest.mark.parametrize("shares, hosts", [((0.0, 0.5, 0.25), ("a", "b", "a"))])
def test_loss_share_moves_on_the_kept_model(micro, fresh_process, shares, hosts):
    for share, host in zip(shares, hosts, strict=True):
        instance = _loss_micro(micro, share)
        kept = optimise_reusing(instance)
        assert [r for r, _ in kept.layout] == [host]
        assert kept.outcome.objective == pytest.approx(optimise(instance).outcome.objective)
        assert (KEPT_NOTE in kept.outcome.message) == (share != shares[0])
        assert kept.verification.ok


def _priced_micro(micro, scale: float):
    micro.table("regions", REGIONS).table("segments", SEGMENTS.replace(
        "12,12", f"{12 * scale:g},{12 * scale:g}")).table("costs", COSTS)
    micro.table("resource_availability", LAND).table("policy", POLICY).table(
        "resource_use", "segment,resource,use\ns1,land,1")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    return load_instance(micro.folder)


def test_lower_targets_reuse_the_model_higher_ones_build_a_new_one(micro, fresh_process):
    # target 12: {b, c} as above (30); target 6: b alone makes it at 2 a unit (12, no excess);
    # target 18: b 8 + c 4 + d 4 = 16 falls short, so a makes the rest: a new model (a's
    # bound M_a rises from 12 to 18), and its answer is a fresh solve's
    expected = {1.0: (["b", "c"], 30.0), 0.5: (["b"], 12.0), 1.5: (None, None)}
    for scale, (regions, objective) in expected.items():
        instance = _priced_micro(micro, scale)
        kept, fresh = optimise_reusing(instance), optimise(instance)
        assert kept.outcome.objective == pytest.approx(fresh.outcome.objective)
        assert (KEPT_NOTE in kept.outcome.message) == (scale == 0.5)
        if regions is not None:
            assert sorted(r for r, s in kept.layout if s == "s1") == regions
            assert kept.outcome.objective == pytest.approx(objective)


def test_any_other_change_builds_a_new_model(micro, fresh_process):
    optimise_reusing(_priced_micro(micro, 1.0))
    micro.table("resource_availability", LAND.replace("b,land,8", "b,land,9"))
    changed = load_instance(micro.folder)
    assert KEPT_NOTE not in optimise_reusing(changed).outcome.message
