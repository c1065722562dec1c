"""The cost of change: growth and shrinkage priced per unit, max_shrink and protected hosts.

Every test uses the weighted objective with only the terms it names, on the micro instance
(regions a, b, c; segments s1, s2 of one chain, targets 10, no resources). s2 has no current
host and no prices, so where it goes is left open and never asserted.
"""

import pytest

from optimizer.instance import load_instance
from optimizer.instance.scenarios import load_with_scenario
from optimizer.model import prepare
from optimizer.model.change import change_cost_of, shrink_limits
from optimizer.solve.run import optimise
from optimizer.solve.verify import violations
from tests.conftest import hosts, output

COST_ONLY = {"objective": {"mode": "weighted", "weights": {"cost": 1, "excess_hosts": 0}}}


def _setup(micro, current: str, target: float, prices: str, **weights):
    micro.settings(**COST_ONLY)
    if weights:
        micro.settings(objective__weights={"cost": 1, "excess_hosts": 0, **weights})
    micro.table("segments", f"""
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Upstream,materials,{target},{target},0,0.5,1,
s2,c1,Downstream,assembly,10,10,0,0.5,1,
""")
    micro.table("current_layout", "region,segment,output\n" + current)
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\nc,s1,,10,")
    micro.table("change_costs", "region,segment,growth_cost,shrink_cost\n" + prices)
    return micro


PRICES = "a,s1,2,1\nb,s1,1,3\nc,s1,0.5,0"


def test_growth_goes_where_new_capacity_is_cheapest(micro):
    # Today a 6, b 4; the target is 12: 2 more. Growing b costs 2 x 1 = 2, growing a 2 x 2 = 4,
    # opening c 10 + 0.5 x 2 = 11. Optimum: b grows to 6, a is kept, cost 2. Without prices
    # every split of the 2 units between a and b would cost the same.
    res = _setup(micro, "a,s1,6\nb,s1,4", 12, PRICES).solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1"), output(res, "c", "s1")) == (6, 6, 0)
    assert res.terms["cost"]["value"] == pytest.approx(2)


def test_shrinkage_falls_where_it_strands_least(micro):
    # Today a 6, b 4; the target is 8: 2 less. Shrinking a costs 2 x 1 = 2, b 2 x 3 = 6.
    # Optimum: a shrinks to 4, cost 2.
    res = _setup(micro, "a,s1,6\nb,s1,4", 8, PRICES).solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (4, 4)
    assert res.terms["cost"]["value"] == pytest.approx(2)


def test_a_new_host_pays_growth_only_beyond_its_minimum_scale(micro):
    # Today a 10; the target is 14, min_scale 4. Growing a by 4 costs 4 x 3 = 12. Opening b
    # costs its opening_cost 5 (the minimum-scale plant) and growth 2 per unit beyond 4: 5 at
    # b = 4. Counting b's growth from zero as well (5 + 8 = 13) would keep it at a; so b opens
    # at its minimum scale, cost 5 (moving more to b costs 2 + a's shrink 1 per unit).
    micro.settings(**COST_ONLY)
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Upstream,materials,14,14,4,0.5,1,
s2,c1,Downstream,assembly,10,10,0,0.5,1,
""")
    micro.table("current_layout", "region,segment,output\na,s1,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\nb,s1,,5,\nc,s1,,9,")
    micro.table("change_costs", "region,segment,growth_cost,shrink_cost\na,s1,3,1\nb,s1,2,0\n"
                                "c,s1,2,0")
    res = micro.solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1"), output(res, "c", "s1")) == (10, 4, 0)
    assert res.terms["cost"]["value"] == pytest.approx(5)


@pytest.mark.parametrize(("duplicate", "kept"), [(5.0, ["a"]), (3.0, ["a", "b"])])
def test_closing_strands_all_of_todays_output(micro, duplicate, kept):
    # Today a 10, b 2; target 12. Closing b strands its 2 (shrink 1 each) and a must grow by 2
    # (growth 1 each): 4. It saves one excess host, priced `duplicate`. At 5 b closes
    # (objective 4 < 5), at 3 it stays (3 < 4). No fixed closure cost: closure is shrinkage.
    _setup(micro, "a,s1,10\nb,s1,2", 12, "a,s1,1,1\nb,s1,1,1\nc,s1,1,1",
           excess_hosts=duplicate)
    res = micro.solve()
    assert hosts(res, "s1") == kept
    closed = "b" not in kept
    assert res.terms["cost"]["value"] == pytest.approx(4 if closed else 0)


SHRINK = "a,s1,1,1\nb,s1,1,2\nc,s1,1,0"  # growth 1 everywhere; shrinking b costs twice a


def _shrink_case(micro):
    # Today a 10, b 10; target 12: 8 less. With no limit a shrinks to 2 (cost 8; b would cost
    # 16); c's opening cost 10 keeps it out.
    return _setup(micro, "a,s1,10\nb,s1,10", 12, SHRINK)


def test_without_a_limit_the_cheaper_host_takes_the_cut(micro):
    res = _shrink_case(micro).solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (2, 10)
    assert res.terms["cost"]["value"] == pytest.approx(8)


def test_max_shrink_binds(micro):
    # policy.max_shrink 0.5: a kept host keeps at least 5. Both kept: a in [5, 10], b = 12 - a
    # in [5, 10]; cost (10 - a) + 2 (a - 2) = a + 6, least at a = 5: 11. Closing a instead
    # costs 10 + b's growth 2 = 12. Optimum a 5, b 7, cost 11.
    res = _shrink_case(micro).settings(policy__max_shrink=0.5).solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (5, 7)
    assert res.terms["cost"]["value"] == pytest.approx(11)
    assert res.verification.ok, res.verification.problems()
    # the independent check names a kept host cut below its max_shrink
    data = prepare(load_instance(micro.folder))
    broken = {("a", "s1"): 4.0, ("b", "s1"): 8.0, ("c", "s2"): 10.0}
    assert any("a keeps s1 at 4" in v for v in violations(data, broken, {}))


def test_a_region_row_overrides_the_global_limit_and_a_host_may_still_close(micro):
    # a's region-wide row 0.3 (a keeps >= 7 if kept), b 0.5 from the policy. Both kept: cost
    # a + 6 at a >= 7, so 13; closing a: 10 + 2 = 12. Optimum: a closes, b grows to 12.
    micro = _shrink_case(micro).settings(policy__max_shrink=0.5)
    micro.table("shrink_limits", "region,segment,max_shrink\na,,0.3")
    res = micro.solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (0, 12)
    assert res.terms["cost"]["value"] == pytest.approx(12)


def test_protecting_a_cluster_keeps_it_open_and_at_its_share(micro):
    # As above, but a is protected with min_share 0.7: it must stay, at >= 7. Cost a + 6 at
    # a = 7: 13, with b at 5 (its own limit 0.5 holds).
    micro = _shrink_case(micro).settings(policy__max_shrink=0.5)
    micro.table("shrink_limits", "region,segment,max_shrink\na,,0.3")
    micro.table("protected_hosts", "region,segment,min_share,note\na,s1,0.7,the old works")
    res = micro.solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (7, 5)
    assert res.terms["cost"]["value"] == pytest.approx(13)


def test_protected_share_binds_without_max_shrink(micro):
    # No max_shrink; a protected at 0.9 keeps >= 9, so b takes the rest of the cut: a 9, b 3,
    # cost 1 + 2 x 7 = 15 (closing b instead: 20 + growth 2 = 22). Unprotected: a 2, cost 8.
    micro = _shrink_case(micro)
    micro.table("protected_hosts", "region,segment,min_share,note\na,s1,0.9,")
    res = micro.solve()
    assert (output(res, "a", "s1"), output(res, "b", "s1")) == (9, 3)
    assert res.terms["cost"]["value"] == pytest.approx(15)
    assert res.verification.ok, res.verification.problems()
    data = prepare(load_instance(micro.folder))
    broken = {("a", "s1"): 8.0, ("b", "s1"): 4.0, ("c", "s2"): 10.0}
    assert any("protected host a s1 makes 8" in v for v in violations(data, broken, {}))


def test_protection_beyond_the_target_is_explained(micro):
    # a is protected at all of its 10, but the target is 8: infeasible. Relaxing the protected
    # share alone (weight 1) is the fewest that must give (the target weighs 2).
    _setup(micro, "a,s1,10\nb,s1,10", 8, SHRINK)
    micro.table("protected_hosts", "region,segment,min_share,note\na,s1,1,")
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    assert any("Protected host a s1" in f for f in res.findings), res.findings


def test_shrink_limit_precedence(micro):
    # host row > region row (blank segment) > policy.max_shrink; a limit of 1 is no limit.
    micro.settings(policy__max_shrink=0.4)
    micro.table("current_layout", "region,segment,output\na,s1,5\na,s2,5\nb,s1,5\nc,s2,5")
    micro.table("shrink_limits", "region,segment,max_shrink\na,,0.2\na,s2,0.1\nc,s2,1")
    data = prepare(load_instance(micro.folder))
    assert shrink_limits(data) == {("a", "s1"): 0.2, ("a", "s2"): 0.1, ("b", "s1"): 0.4}


def test_input_row_order_does_not_move_output(micro):
    # The same instance with every table's rows reversed gives the same allocation: the
    # growth prices differ from host to host, so the optimum is unique.
    _setup(micro, "a,s1,6\nb,s1,4\nc,s2,10", 15, "a,s1,2,1\nb,s1,1,3\nc,s1,0.5,0\n"
           "a,s2,1,1\nb,s2,0.7,1\nc,s2,2,1")
    first = micro.solve().layout
    for name in ("current_layout", "change_costs", "costs", "segments", "regions"):
        path = micro.folder / f"{name}.csv"
        header, *rows = path.read_text().strip().splitlines()
        path.write_text("\n".join([header, *reversed(rows)]) + "\n")
    second = micro.solve().layout
    assert first.keys() == second.keys()
    assert all(first[p] == pytest.approx(second[p], abs=1e-6) for p in first)
    assert (first[("a", "s1")], first[("b", "s1")]) == pytest.approx((6, 9))


def test_scenarios_set_both_levers(micro):
    # A scenario file can set policy.max_shrink and protect a host: the results match the
    # hand-checked cases above (a 5, b 7 with max_shrink 0.5; a 9, b 3 with a protected at 0.9).
    _shrink_case(micro)
    (micro.folder / "scenarios.yaml").write_text("""
limit:
  policy: {max_shrink: 0.5}
protect:
  add_row: {table: protected_hosts, row: {region: a, segment: s1, min_share: 0.9}}
""")
    for name, expected in (("limit", (5, 7)), ("protect", (9, 3))):
        res = optimise(load_with_scenario(micro.folder, name, None))
        assert (output(res, "a", "s1"), output(res, "b", "s1")) == expected


def test_change_cost_recomputed_from_the_allocation_equals_the_models(micro):
    # The new-host case above: a kept at 10, b opens at its minimum scale 4 and pays no growth
    # (growth counts b's 4 and the 10 of s2's new host, unpriced). Then shrinkage on kept
    # hosts: a 9, b 3 with a protected (shrink 1 x 1 + 7 x 2 = 15).
    test_a_new_host_pays_growth_only_beyond_its_minimum_scale(micro)
    res = micro.solve()
    data = prepare(load_instance(micro.folder))
    assert change_cost_of(data, res.layout) == {"growth": 14, "shrinkage": 0, "growth_cost": 0,
                                                "shrink_cost": 0}
    micro = _shrink_case(micro)
    micro.table("protected_hosts", "region,segment,min_share,note\na,s1,0.9,")
    res = micro.solve()
    data = prepare(load_instance(micro.folder))
    split = change_cost_of(data, res.layout)
    assert (split["shrinkage"], split["shrink_cost"]) == pytest.approx((8, 15))
    assert split["growth_cost"] + split["shrink_cost"] == pytest.approx(res.terms["cost"]["value"])


def test_max_shrink_on_must_hosts_beyond_the_target_is_explained(micro):
    # a and b must stay and may lose at most 20 %: both keep >= 8, 16 in all, but the target
    # is 12. Relaxing one max_shrink row (weight 1) is the fewest that must give.
    _setup(micro, "a,s1,10\nb,s1,10", 12, SHRINK).settings(policy__max_shrink=0.2)
    micro.table("policy", "region,segment,rule,note\na,s1,must,\nb,s1,must,")
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    assert any("beyond its max_shrink" in f for f in res.findings), res.findings


def test_the_cost_of_change_is_summed_exactly_whatever_the_order(micro):
    # 1e16 + 1 + 1 left to right loses both ones: the recomputed growth must not depend on the
    # order in which hosts are visited (a set's order follows Python's hash seed)
    micro.table("current_layout", "region,segment,output\na,s1,0\nc,s2,0")
    data = prepare(load_instance(micro.folder))
    moves = {("a", "s1"): 1e16, ("b", "s1"): 1.0, ("b", "s2"): 1.0}
    assert 1e16 + 1.0 + 1.0 != 1.0 + 1.0 + 1e16
    for order in (list(moves), list(reversed(moves))):
        split = change_cost_of(data, {p: moves[p] for p in order})
        assert split["growth"] == 1e16 + 2.0
