"""Targets bind at whichever end of [target_min, target_max] the objective pushes toward."""

import pytest

from tests.conftest import output

RANGE = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,5,10,0,0.5,1,
s2,c1,,,10,10,0,0.5,1,
"""


def test_rewarded_output_stops_at_target_max(micro):
    micro.table("segments", RANGE).table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,-1,,
""")
    res = micro.solve()
    assert res.outcome.status == "optimal"
    assert output(res, "a", "s1") == 10
    assert res.terms["cost"]["value"] == pytest.approx(-10)


def test_costly_output_stops_at_target_min(micro):
    micro.table("segments", RANGE).table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
b,s1,1,,
c,s1,1,,
""")
    res = micro.solve()
    assert sum(q for (r, s), q in res.layout.items() if s == "s1") == pytest.approx(5)
    assert res.terms["cost"]["value"] == pytest.approx(5)


def test_fixed_target_is_met_exactly(micro):
    res = micro.solve()
    assert sum(q for (r, s), q in res.layout.items() if s == "s2") == pytest.approx(10)
