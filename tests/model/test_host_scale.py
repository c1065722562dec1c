"""Host scale: minimum efficient scale per host, and the tight upper bound M_rs."""

import pytest

from optimizer.instance import load_instance
from optimizer.model import prepare
from tests.conftest import hosts, output

LAND = """
region,resource,available
a,land,6
b,land,100
c,land,100
"""
LAND_USE = """
segment,resource,use
s1,land,1
"""
COST_FIRST = {"mode": "lexicographic", "order": ["cost", "excess_hosts"]}
REWARD_A = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,-1,,
"""


def test_upper_bound_is_the_least_of_target_and_resources(micro):
    micro.table("resource_availability", LAND).table("resource_use", LAND_USE)
    data = prepare(load_instance(micro.folder))
    assert data.upper[("a", "s1")] == 6  # land 6 / use 1, below the target 10
    assert data.upper[("b", "s1")] == 10  # the target
    assert data.upper[("a", "s2")] == 10  # s2 uses no land


def test_without_min_scale_the_small_host_takes_the_rest(micro):
    micro.table("resource_availability", LAND).table("resource_use", LAND_USE)
    micro.table("costs", REWARD_A).settings(objective=COST_FIRST)
    res = micro.solve()
    assert output(res, "a", "s1") == 6
    assert sum(output(res, r, "s1") for r in "bc") == pytest.approx(4)


def test_min_scale_binds_on_the_second_host(micro):
    micro.table("resource_availability", LAND).table("resource_use", LAND_USE)
    micro.table("costs", REWARD_A).settings(objective=COST_FIRST).table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,5,0.5,1,
s2,c1,,,10,10,0,0.5,1,
""")
    res = micro.solve()
    # a could make 6, but the other host needs at least 5 of the 10
    assert output(res, "a", "s1") == 5
    assert len(hosts(res, "s1")) == 2
    assert res.terms["cost"]["value"] == pytest.approx(-5)


def test_pair_below_min_scale_gets_no_variable(micro):
    micro.table("resource_availability", LAND).table("resource_use", LAND_USE)
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,7,0.5,1,
s2,c1,,,10,10,0,0.5,1,
""")
    data = prepare(load_instance(micro.folder))
    assert ("a", "s1") not in data.eligible
    assert "below the minimum scale 7" in data.excluded[("a", "s1")]
