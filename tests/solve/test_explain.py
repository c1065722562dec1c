"""Infeasible what-ifs come back explained: the fewest limits that must give, in words."""

import re

from tests.conftest import Micro

# Each segment needs 10; a host makes at least 7, so two hosts (>= 14) overshoot and one host
# must make all 10. No region has 10 of what it needs: one limit per segment must give.
AT_LEAST_7 = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,7,0.5,1,
s2,c1,,,10,10,7,0.5,1,
"""


def test_resource_shortfall_named_with_amount_and_segment(micro: Micro):
    micro.table("segments", AT_LEAST_7)
    micro.table("resource_availability", "region,resource,available\na,land,12\nb,land,9\nc,land,5")
    micro.table("resource_use", "segment,resource,use\ns1,land,1\ns2,land,1")
    res = micro.solve()
    assert res.findings and res.outcome.status == "infeasible"
    # a takes one segment (10 of its 12); b has 9 of the 10 the other needs
    assert re.fullmatch(r"b lacks 1 ha of land for s[12]; relaxing that alone makes the "
                        r"instance feasible\.", res.findings[0]), res.findings
    assert len(res.findings) == 1


def test_two_shortfalls_are_listed_together(micro: Micro):
    micro.table("segments", AT_LEAST_7)
    micro.table("resource_availability", "region,resource,available\na,land,9\nb,land,9\nc,land,9")
    micro.table("resource_use", "segment,resource,use\ns1,land,1")
    micro.table("talent_availability", "region,talent,available\na,rd,9\nb,rd,9\nc,rd,9")
    micro.table("talent_use", "segment,talent,use\ns2,rd,1")
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    # a, b and c each lack 1 equally: the documented order (explain.PRIORITY, then region
    # name) names a, whatever the solver's tie-breaking
    assert res.findings[:2] == ["a lacks 1 ha of land for s1", "a lacks 1 persons of rd for s2"]
    assert res.findings[-1] == ("Relaxing these 2 limits together makes the instance feasible; "
                                "no smaller set does.")


def test_policy_cap_shortfall(micro: Micro):
    micro.table("current_layout", "region,segment,output\na,s1,5\nb,s2,5")
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,0,,
b,,,1,0,0,,
c,,,2,0,0,,
""")
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    assert any("more segment(s) than its max_segments 0" in f for f in res.findings), res.findings


def test_equal_relaxations_follow_the_documented_order(micro: Micro):
    # s1 needs 10 with at most one host; a and b have 9 ha each (1 ha a unit). Three single
    # relaxations are equally small (each gives its whole reach, 1): a's land, b's land, or
    # max_hosts (two hosts of 5). The order of explain.PRIORITY picks a region's resources
    # before a cap, then the region named first: a. (c may not host s1.)
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,1,1
s2,c1,,,10,10,0,0.5,1,
""")
    micro.table("policy", "region,segment,rule,note\nc,s1,forbid,")
    micro.table("resource_availability", "region,resource,available\na,land,9\nb,land,9")
    micro.table("resource_use", "segment,resource,use\ns1,land,1")
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    assert res.findings == ["a lacks 1 ha of land for s1; relaxing that alone makes the "
                            "instance feasible."]


def test_priority_order_is_documented_and_complete():
    # the order of the module's docstring: stocks, policy caps, what today's hosts keep, least
    # shares and gains, then structural limits, which count double
    from optimizer.model import declared_rows
    from optimizer.solve.explain import PRIORITY, RELAXABLE
    assert PRIORITY == ["resource_limit", "talent_limit", "must_host", "max_hosts",
                        "max_segments", "max_chains", "change_budget", "max_shrink",
                        "protected_share", "min_share", "min_gain", "target", "min_scale",
                        "segment_hosted", "supplier_in_reach"]
    assert sorted(PRIORITY) == sorted(row.name for row in declared_rows() if row.relax)
    assert {name for name, weight in RELAXABLE.items() if weight == 2} == {
        "target", "min_scale", "segment_hosted", "supplier_in_reach"}
