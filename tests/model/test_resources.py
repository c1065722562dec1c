"""Resources: a region's hosts together stay within what it has."""

import pytest

from tests.conftest import hosts, output

B_AND_C_COST = """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,1,,
b,s2,1,,
c,s1,1,,
c,s2,1,,
"""


def _setup(micro):
    micro.table("resource_availability", """
region,resource,available
a,land,10
b,land,100
c,land,100
""").table("resource_use", """
segment,resource,use
s1,land,1
s2,land,1
""").table("costs", B_AND_C_COST)


def test_shared_land_binds_across_two_segments(micro):
    _setup(micro)
    res = micro.solve()
    # a alone could host either segment (bound 10 each) but not both: one goes elsewhere
    assert output(res, "a", "s1") + output(res, "a", "s2") == pytest.approx(10)
    assert res.terms["excess_hosts"]["value"] == pytest.approx(0)
    assert res.terms["cost"]["value"] == pytest.approx(10)


def test_switching_resources_off_lets_a_host_both(micro):
    _setup(micro)
    micro.settings(policy={"benefit_sharing": False, "resources": False})
    res = micro.solve()
    assert hosts(res, "s1") == ["a"] and hosts(res, "s2") == ["a"]
    assert res.terms["cost"]["value"] == pytest.approx(0)
