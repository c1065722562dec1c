"""Chain completeness: every segment hosted, and every user host has a supplier in reach."""

import pytest

from tests.conftest import hosts

OPTIONAL_S2 = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,1,
s2,c1,,,0,10,0,0.5,1,
"""
OPENING = """
region,segment,unit_cost,opening_cost,closure_cost
a,s2,,3,
b,s2,,3,
c,s2,,3,
"""


def test_completeness_hosts_a_segment_nobody_needs_output_from(micro):
    micro.table("segments", OPTIONAL_S2).table("costs", OPENING)
    res = micro.solve()
    assert len(hosts(res, "s2")) == 1
    assert res.terms["cost"]["value"] == pytest.approx(3)


def test_without_completeness_the_segment_is_left_unhosted(micro):
    micro.table("segments", OPTIONAL_S2).table("costs", OPENING)
    micro.settings(policy={"benefit_sharing": False, "chain_completeness": False})
    res = micro.solve()
    assert hosts(res, "s2") == []
    assert res.terms["cost"]["value"] == pytest.approx(0)
    assert res.measures()["optimised"]["unhosted_segments"] == ["s2"]


def _reach(micro, reach: str):
    micro.table("links", f"""
supplier,user,reach,intensity
s1,s2,{reach},
""").table("policy", """
region,segment,rule,note
c,s1,must,
""").table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
b,s2,1,,
c,s2,1,,
""")


def test_supplier_reach_binds(micro):
    _reach(micro, "150")  # a is 222 km from c, b is 111 km
    res = micro.solve()
    assert hosts(res, "s1") == ["c"]
    assert hosts(res, "s2") in (["b"], ["c"])
    assert res.terms["cost"]["value"] == pytest.approx(10)
    assert res.measures()["optimised"]["unsupplied_links"] == 0


def test_longer_reach_frees_the_cheap_user(micro):
    _reach(micro, "250")
    res = micro.solve()
    assert hosts(res, "s2") == ["a"]
    assert res.terms["cost"]["value"] == pytest.approx(0)


def test_switching_reach_off(micro):
    _reach(micro, "150")
    micro.settings(policy={"benefit_sharing": False, "supplier_reach": False})
    res = micro.solve()
    assert hosts(res, "s2") == ["a"]
    assert res.measures()["optimised"]["unsupplied_links"] == 1
