"""Lagging regions: a least gain of value added (hard), and a loss floor of their own.

Regions a, b, c; s1 -> s2 in chain c1, 10 each, value-added rate 0.5; today a hosts both
(value added 10), b and c nothing. Where a table of unit costs is given, a costs nothing.
"""

import pytest

from optimizer.results.record import result_tables
from tests.conftest import output

TODAY = "region,segment,output\na,s1,10\na,s2,10"


def test_lagging_region_gains_at_least_its_min_gain(micro):
    micro.table("current_layout", TODAY)
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,1,,
b,s2,1,,
c,s1,2,,
c,s2,3,,
""")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    assert micro.solve().outcome.objective == pytest.approx(0)  # without: a keeps both
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nc,3,,")
    res = micro.solve()
    # c must reach value added 0 + 3, i.e. 6 output. Whole s1: 20; whole s2: 30; six of s1
    # beside a's four: 10 (excess host) + 12. So c takes s1: objective 20.
    assert output(res, "c", "s1") == 10 and output(res, "a", "s2") == 10
    assert res.outcome.objective == pytest.approx(20)


def _loss_setup(micro):
    micro.table("current_layout", TODAY)
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
a,s2,1,,
""")
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 10, "cost": 1, "compensation": 3}})


def test_not_lagging_no_floor_everything_leaves(micro):
    _loss_setup(micro)
    res = micro.solve()
    # no max_loss_share anywhere: no floor, both segments leave a for free places
    assert res.outcome.objective == pytest.approx(0)
    assert not any(r == "a" for r, _ in res.layout)


def test_lagging_region_is_owed_any_loss(micro):
    _loss_setup(micro)
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\na,,,")
    res = micro.solve()
    # lagging with a blank share: floor is all of today's 10. Moving one segment saves 10 of
    # cost but owes 5 * 3 = 15; moving both saves 20 and owes 30. a keeps both: 20.
    assert output(res, "a", "s1") == 10 and output(res, "a", "s2") == 10
    assert res.outcome.objective == pytest.approx(20)
    assert res.terms["compensation"]["value"] == pytest.approx(0)


def test_impossible_gain_is_explained(micro):
    micro.table("current_layout", TODAY)
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nc,12,,")
    res = micro.solve()
    # c can make at most both segments, value added 10: 2 short of 12
    assert res.outcome.status == "infeasible"
    assert any("Lagging region c falls 2 of value added short of its min_gain (12)" in f
               for f in res.findings), res.findings


def test_gain_counts_what_is_produced_not_what_is_credited(micro):
    micro.table("current_layout", TODAY)
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,1,,
b,s2,1,,
c,s1,2,,
c,s2,3,,
""")
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nc,3,,")
    micro.table("partnerships", "leader,partner,credit_share,note\na,c,1,")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    res = micro.solve()
    # as without the partnership: c takes s1 (20). Had the credit counted, c would keep none of
    # its gain and no allocation could give it 3.
    assert output(res, "c", "s1") == 10
    assert res.outcome.objective == pytest.approx(20)
    row = result_tables(res)["lagging_regions"].set_index("region").loc["c"]
    assert (row["gain"], row["value_added_credited"], row["min_gain"]) == pytest.approx((5, 0, 3))
