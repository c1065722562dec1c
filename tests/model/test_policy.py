"""Policy: must, forbid, caps on hosts, segments and chains, and the change budget."""

import pytest

from tests.conftest import hosts

S1_CHEAP_AT_A = """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,1,,
c,s1,1,,
"""


def test_must_overrides_the_cheaper_region(micro):
    micro.table("costs", S1_CHEAP_AT_A).table("policy", """
region,segment,rule,note
b,s1,must,Keep the plant
""")
    res = micro.solve()
    assert hosts(res, "s1") == ["b"]
    assert res.terms["cost"]["value"] == pytest.approx(10)


def test_forbid_keeps_the_segment_out(micro):
    micro.table("costs", S1_CHEAP_AT_A).table("policy", """
region,segment,rule,note
a,s1,forbid,Lake protection
""")
    res = micro.solve()
    assert "a" not in hosts(res, "s1")
    assert res.terms["cost"]["value"] == pytest.approx(10)


THREE_HOSTS = """
region,segment,output
a,s1,4
b,s1,3
c,s1,3
a,s2,10
"""
CLOSURE = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,,,5
b,s1,,,5
c,s1,,,5
a,s2,,,5
"""
COST_ONLY = {"mode": "lexicographic", "order": ["cost", "excess_hosts"]}


def test_max_hosts_closes_one(micro):
    micro.settings(objective=COST_ONLY)
    micro.table("current_layout", THREE_HOSTS).table("costs", CLOSURE)
    assert micro.solve().terms["cost"]["value"] == pytest.approx(0)
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,1,2
s2,c1,,,10,10,0,0.5,1,
""")
    res = micro.solve()
    assert len(hosts(res, "s1")) == 2
    assert res.terms["cost"]["value"] == pytest.approx(5)


def test_max_segments_per_region(micro):
    micro.settings(objective=COST_ONLY)
    micro.table("current_layout", THREE_HOSTS).table("costs", CLOSURE)
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,1,,
b,,,1,0,,,
c,,,2,0,,,
""")
    res = micro.solve()
    assert sum(1 for r, _ in res.layout if r == "a") == 1
    assert res.terms["cost"]["value"] == pytest.approx(5)


def test_max_chains_per_region(micro):
    micro.settings(objective=COST_ONLY)
    micro.table("chains", "chain,name\nc1,\nc2,")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,1,
s2,c2,,,10,10,0,0.5,1,
""")
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\na,s1,,,5\na,s2,,,7")
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,,1,
b,,,1,0,,,
c,,,2,0,,,
""")
    res = micro.solve()
    assert hosts(res, "s2") == ["a"]  # keeps the dearer one to close
    assert res.terms["cost"]["value"] == pytest.approx(5)


@pytest.mark.parametrize(("budget", "excess"), [(0, 1), (1, 0), (None, 0)])
def test_change_budget_limits_how_far_the_layout_moves(micro, budget, excess):
    micro.table("current_layout", "region,segment,output\na,s1,5\nb,s1,5\nc,s2,10")
    micro.settings(policy={"benefit_sharing": False, "change_budget": budget})
    res = micro.solve()
    assert res.terms["excess_hosts"]["value"] == excess
