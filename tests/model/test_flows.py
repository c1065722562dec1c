"""Flow form: suppliers in reach ship what users consume; linkage = output moved x distance."""

import math

import pytest

from tests.conftest import hosts

FREE_S1 = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,0,20,0,0.5,1,
s2,c1,,,10,10,0,0.5,1,
"""
S1_COSTS = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
b,s1,1,,
c,s1,1,,
"""
LINK = """
supplier,user,reach,intensity
s1,s2,,0.5
"""


def test_supply_must_cover_use(micro):
    micro.table("segments", FREE_S1).table("costs", S1_COSTS).table("links", LINK)
    micro.settings(policy={"benefit_sharing": False, "flows": True})
    res = micro.solve()
    assert sum(q for (r, s), q in res.layout.items() if s == "s1") == pytest.approx(5)
    assert res.terms["cost"]["value"] == pytest.approx(5)


def test_presence_form_alone_does_not_require_volume(micro):
    micro.table("segments", FREE_S1).table("costs", S1_COSTS).table("links", LINK)
    res = micro.solve()
    assert res.terms["cost"]["value"] == pytest.approx(0)


def test_linkage_is_volume_times_distance(micro):
    micro.table("segments", FREE_S1).table("costs", S1_COSTS).table("links", LINK)
    micro.table("policy", """
region,segment,rule,note
a,s1,forbid,
a,s2,must,
""")
    micro.settings(policy={"benefit_sharing": False, "flows": True},
                   objective={"mode": "weighted", "weights": {"excess_hosts": 100, "cost": 1,
                                                              "linkage": 0.001}})
    res = micro.solve()
    assert hosts(res, "s1") == ["b"]  # the nearest allowed supplier
    one_degree = 2 * 6371.0 * math.asin(math.sin(math.radians(0.5)))
    assert res.terms["linkage"]["value"] == pytest.approx(5 * one_degree, rel=1e-9)
