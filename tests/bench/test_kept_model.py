"""optimise_reusing (bench/kept_model.py): grid points on one kept model, as `bench many`
measures it against fresh solves; each answer must be a fresh solve's."""

from __future__ import annotations

import pytest

from optimizer.bench import kept_model
from optimizer.bench.kept_model import KEPT_NOTE, optimise_reusing
from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from tests.scenario_fixtures import LAND, REGIONS
from tests.whatif.test_sensitivity import COSTS, POLICY, SEGMENTS


@pytest.fixture
def fresh_process():
    """No model kept from an earlier test in this process."""
    kept_model._KEPT.clear()
    yield
    kept_model._KEPT.clear()


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
