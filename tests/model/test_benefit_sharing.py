"""Benefit sharing: a loss beyond lambda of current value added is owed as compensation."""

import pytest

from optimizer.results.record import result_tables


def _setup(micro, compensation_weight: float, share: str = "0.2"):
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\na,s1,1,,")
    micro.table("regions", f"""
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,,,{share}
b,,,1,0,,,
c,,,2,0,,,
""")
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 10, "cost": 1, "compensation": compensation_weight}})


def test_cheap_compensation_lets_the_segment_move(micro):
    _setup(micro, 0.1)
    res = micro.solve()
    # VA0(a) = 0.5*10 + 0.5*10 = 10, floor 0.8*10 = 8; moving s1 leaves 5: owed 3
    assert res.terms["compensation"]["value"] == pytest.approx(3)
    assert res.terms["cost"]["value"] == pytest.approx(0)
    regions = result_tables(res)["regions"].set_index("region")
    assert regions.loc["a", "compensation"] == pytest.approx(3)
    assert regions.loc["a", "value_added_change"] == pytest.approx(-5)


def test_dear_compensation_keeps_it(micro):
    _setup(micro, 10)
    res = micro.solve()
    # moving: 3 * 10 = 30 > staying: 10; splitting costs an excess host (10) plus 6
    assert res.terms["compensation"]["value"] == pytest.approx(0)
    assert res.outcome.objective == pytest.approx(10)


def test_default_share_from_policy(micro):
    _setup(micro, 0.1, share="")
    micro.settings(policy={"benefit_sharing": True, "max_loss_share": 0.6})
    res = micro.solve()
    assert res.terms["compensation"]["value"] == pytest.approx(0)  # 5 >= 0.4 * 10
