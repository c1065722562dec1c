"""Least shares: a region or a group keeps a share of a chain's output, or of value added.

Every test: regions a, b, c (b, c form group g2); s1 -> s2 in chain c1, 10 each, nothing
today; weighted objective 10 per excess host + unit cost. Unit costs per unit of output:
            a   b   c
    s1      0   1   2
    s2      0 1.5   3
Without a least share everything goes to a at no cost (objective 0).
"""

import pytest

from tests.conftest import output

COSTS = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,0,,
a,s2,0,,
b,s1,1,,
b,s2,1.5,,
c,s1,2,,
c,s2,3,,
"""


def _setup(micro, rows: str, rates: tuple[float, float] = (0.5, 0.5)):
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,g1,0,0,,,
b,,g2,1,0,,,
c,,g2,2,0,,,
""")
    micro.table("segments", f"""
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,{rates[0]},1,
s2,c1,,,10,10,0,{rates[1]},1,
""")
    micro.table("costs", COSTS)
    micro.table("min_shares", "region,group,chain,min_share,note\n" + rows)
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    return micro.solve()


def test_without_a_least_share_a_takes_everything(micro):
    res = _setup(micro, "")
    assert res.outcome.objective == pytest.approx(0)
    assert output(res, "a", "s1") == 10 and output(res, "a", "s2") == 10


def test_region_keeps_its_share_of_chain_output(micro):
    res = _setup(micro, "c,,c1,0.3,\n")
    # c needs 0.3 * 20 = 6 of c1. Whole s1 in c: cost 2 * 10 = 20. Whole s2: 30. Six of s1
    # split with a: 10 (excess host) + 12 = 22. So s1 moves whole to c: objective 20.
    assert res.outcome.status == "optimal"
    assert output(res, "c", "s1") == 10 and output(res, "a", "s2") == 10
    assert res.outcome.objective == pytest.approx(20)


def test_group_keeps_its_share(micro):
    res = _setup(micro, ",g2,c1,0.3,\n")
    # b or c: whole s1 in b costs 10 (whole s2 in b 15), the cheapest way to give g2 six units
    assert output(res, "b", "s1") == 10 and output(res, "a", "s2") == 10
    assert res.outcome.objective == pytest.approx(10)


def test_share_of_value_added(micro):
    res = _setup(micro, "c,,,0.3,\n", rates=(0.2, 0.8))
    # value added 0.2 * 10 + 0.8 * 10 = 10; c needs 3. Whole s1 gives only 2. Whole s2 in c:
    # 30. Split s2, c making 3 / 0.8 = 3.75: 10 (excess) + 3 * 3.75 = 21.25. Whole s1 plus
    # 1.25 of s2: 20 + 10 + 3.75. So the split of s2 wins at 21.25.
    assert output(res, "c", "s2") == pytest.approx(3.75)
    assert output(res, "a", "s2") == pytest.approx(6.25)
    assert output(res, "a", "s1") == 10
    assert res.outcome.objective == pytest.approx(21.25)


def test_impossible_share_is_explained(micro):
    micro.table("policy", "region,segment,rule,note\nc,s2,forbid,")
    res = _setup(micro, "c,,c1,0.6,\n")
    # c may host only s1: at most 10 of 20, short of 0.6 * 20 = 12 by 2
    assert res.outcome.status == "infeasible"
    assert any("c falls 2 short of its least share (0.6) of c1 output" in f
               for f in res.findings), res.findings


def test_area_keeps_its_share(micro):
    micro.table("areas", "area,region\neast,b\neast,c")
    res = _setup(micro, ",east,c1,0.3,\n")
    # the area {b, c} as the group g2 above: whole s1 in b, 10
    assert output(res, "b", "s1") == 10 and output(res, "a", "s2") == 10
    assert res.outcome.objective == pytest.approx(10)
