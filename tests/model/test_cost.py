"""Cost: opening, closure (path dependence) and chain-entry costs decide where things go."""

import pytest

from tests.conftest import hosts


def test_opening_cost_picks_the_cheapest_new_site(micro):
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,,5,
b,s1,,3,
c,s1,,4,
""")
    res = micro.solve()
    assert hosts(res, "s1") == ["b"]
    assert res.terms["cost"]["value"] == pytest.approx(3)


@pytest.mark.parametrize(("closure", "where", "cost"), [(15, "a", 10), (5, "b", 5)])
def test_closure_cost_holds_an_existing_host(micro, closure, where, cost):
    micro.table("current_layout", "region,segment,output\na,s1,10")
    micro.table("costs", f"""
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,{closure}
c,s1,2,,
""")
    res = micro.solve()
    assert hosts(res, "s1") == [where]
    assert res.terms["cost"]["value"] == cost


@pytest.mark.parametrize(("entry", "where", "cost"), [(15, "a", 10), (5, "b", 5)])
def test_chain_entry_cost(micro, entry, where, cost):
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10")
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s2,1,,
c,s2,2,,
""")
    micro.table("chain_entry_costs", f"region,chain,entry_cost\nb,c1,{entry}\nc,c1,{entry}")
    res = micro.solve()
    assert hosts(res, "s2") == [where]
    assert res.terms["cost"]["value"] == cost
