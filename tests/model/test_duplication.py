"""Duplication: excess hosts and the exact tangent form of pairwise overlap."""

import pytest


def _must(micro, regions: str):
    rows = "\n".join(f"{r},s1,must," for r in regions)
    micro.table("policy", "region,segment,rule,note\n" + rows)


@pytest.mark.parametrize(("regions", "pairs"), [("a", 0), ("ab", 1), ("abc", 3)])
def test_pairwise_overlap_is_exact_at_every_host_count(micro, regions, pairs):
    _must(micro, regions)
    micro.settings(objective={"mode": "lexicographic", "order": ["pairwise_overlap"]})
    res = micro.solve()
    assert res.terms["pairwise_overlap"]["value"] == pytest.approx(pairs)
    assert res.outcome.objective == pytest.approx(pairs)  # the tangents, not a post-hoc count
    assert res.terms["excess_hosts"]["value"] == len(regions) - 1


def test_weights_scale_duplication(micro):
    _must(micro, "abc")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,2.5,
s2,c1,,,10,10,0,0.5,1,
""")
    res = micro.solve()
    assert res.terms["excess_hosts"]["value"] == pytest.approx(5)
    assert res.terms["pairwise_overlap"]["value"] == pytest.approx(7.5)


def test_duplication_is_removed_when_nothing_prevents_it(micro):
    micro.table("current_layout", "region,segment,output\na,s1,5\nb,s1,5\nc,s2,10")
    res = micro.solve()
    assert res.terms["excess_hosts"]["value"] == pytest.approx(0)
    m = res.measures()
    assert m["current"]["excess_hosts"] == 1 and m["optimised"]["excess_hosts"] == 0
