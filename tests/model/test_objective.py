"""Objective modes: weighted sums trade terms; lexicographic puts the first term first."""

import pytest

CURRENT = "region,segment,output\na,s1,5\nb,s1,5\nc,s2,10"
CLOSURE = "region,segment,unit_cost,opening_cost,closure_cost\na,s1,,,3\nb,s1,,,3"


def test_lexicographic_removes_duplication_whatever_it_costs(micro):
    micro.table("current_layout", CURRENT).table("costs", CLOSURE)
    res = micro.solve()
    assert res.terms["excess_hosts"]["value"] == pytest.approx(0)
    assert res.terms["cost"]["value"] == pytest.approx(3)
    assert [s.objective for s in res.outcome.stages] == ["excess_hosts", "cost"]


def test_weighted_keeps_duplication_when_closing_costs_more(micro):
    micro.table("current_layout", CURRENT).table("costs", CLOSURE)
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 1, "cost": 1}})
    res = micro.solve()
    assert res.terms["excess_hosts"]["value"] == pytest.approx(1)
    assert res.terms["cost"]["value"] == pytest.approx(0)
    assert res.outcome.objective == pytest.approx(1)
