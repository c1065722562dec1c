""""1+N" partnerships: the leader is credited with a share of the value added of its
partner's new output, and its loss floor counts that credit.

Regions a, b, c; s1 -> s2 in chain c1, 10 each, value-added rate 0.5. a's loss floor is all of
today's value added (max_loss_share 0), compensation weighs 3, an excess host 10. s1 costs 1
per unit in a and nothing elsewhere; s2 costs nothing in a and 1 elsewhere.
"""

import pytest

from optimizer.results.record import result_tables
from tests.conftest import output


def _setup(micro, today: str, partnership: str = ""):
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,,,0
b,,,1,0,,,
c,,,2,0,,,
""")
    micro.table("current_layout", "region,segment,output\n" + today)
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
b,s2,1,,
c,s2,1,,
""")
    micro.table("partnerships", "leader,partner,credit_share,note\n" + partnership)
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 10, "cost": 1, "compensation": 3}})
    return micro.solve()


def test_without_partnership_the_leader_keeps_the_segment(micro):
    res = _setup(micro, "a,s1,10\na,s2,10")
    # moving s1 saves 10 but a loses 5 of value added, owed 5 * 3 = 15: it stays (10)
    assert output(res, "a", "s1") == 10
    assert res.outcome.objective == pytest.approx(10)


def test_half_credit_lets_the_leader_move_it(micro):
    res = _setup(micro, "a,s1,10\na,s2,10", "a,b,0.5,")
    # s1 to b: b's new value added 5, half credited to a: a counts 5 + 2.5, owed 2.5 * 3 = 7.5
    # < 10 of keeping it. In c, which is no partner, a would be owed 15: so b, uniquely.
    assert output(res, "b", "s1") == 10
    assert res.outcome.objective == pytest.approx(7.5)


def test_full_credit_moves_it_without_compensation(micro):
    res = _setup(micro, "a,s1,10\na,s2,10", "a,b,1,")
    assert output(res, "b", "s1") == 10
    assert res.outcome.objective == pytest.approx(0)
    table = result_tables(res)["partnerships"].iloc[0]
    assert table["moved_segments"] == "s1 (10)"
    assert table["credited_to_leader"] == pytest.approx(5)
    assert table["leader_credited_value_added_change"] == pytest.approx(0)
    assert table["partner_credited_value_added_change"] == pytest.approx(0)


def test_only_output_beyond_today_is_credited(micro):
    res = _setup(micro, "a,s1,6\nb,s1,4\na,s2,10", "a,b,0.5,")
    # Today a: 3 + 5 = 8 (its floor), b: 2. All s1 to b (no excess host, no cost): b's new
    # output is 10 - 4 = 6, value added 3, half to a: a counts 5 + 1.5, owed 1.5 * 3 = 4.5.
    # (Crediting all of b's s1 would give 2.5 and owe 1.5.) All s1 in a: cost 10; keeping the
    # split: 10 + 6. So 4.5.
    assert output(res, "b", "s1") == 10
    assert res.outcome.objective == pytest.approx(4.5)
    assert res.terms["compensation"]["value"] == pytest.approx(1.5)
    regions = result_tables(res)["regions"].set_index("region")
    assert regions.loc["a", "value_added_credited"] == pytest.approx(6.5)
    assert regions.loc["b", "value_added_credited"] == pytest.approx(3.5)
