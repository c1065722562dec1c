"""Shadow prices: hand-derived duals of binding limits on micro-instances."""

import pandas as pd
import pyomo.environ as pyo
import pytest

from optimizer.instance import load_instance
from optimizer.report.text import run_documents
from optimizer.results.record import write_run
from optimizer.solve import shadow
from optimizer.solve.shadow import COLUMNS, for_results, shadow_prices

WEIGHTED_COST = {"mode": "weighted", "weights": {"excess_hosts": 0, "cost": 1}}


def _land(micro, s2_uses_land: bool = True):
    """s1 (target 10) costs 1 in a, 3 in b; a has 4 ha of land; s2 (target 10) costs 2 in b.

    c has no land, so it cannot host. Optimum (cost only): s1 4 in a (all its land) + 6 in b,
    s2 10 in b: 4 + 18 + 20 = 42.
    - one more ha in a moves one t of s1 from b (3) to a (1): land in a is worth -2;
    - one more t of s1 to place goes to b at 3: the s1 target's price is +3, b's unit cost;
    - one more t of s2 goes to b at 2: +2.
    """
    micro.table("resource_availability", "region,resource,available\na,land,4\nb,land,100")
    use = "s1,land,1\ns2,land,1" if s2_uses_land else "s1,land,1"
    micro.table("resource_use", f"segment,resource,use\n{use}")
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
b,s1,3,,
a,s2,10,,
b,s2,2,,
c,s2,2,,
""")
    micro.settings(objective=WEIGHTED_COST)


def _prices(res) -> dict[tuple, float]:
    table = for_results(res).table
    return {(r.limit, r.region, r.segment, r.item): r.shadow_price
            for r in table.itertuples(index=False)}


def test_binding_land_and_targets_priced_by_hand(micro):
    _land(micro)
    res = micro.solve()
    assert res.outcome.objective == pytest.approx(42)
    prices = _prices(res)
    assert prices == pytest.approx({("target", "", "s1", ""): 3.0,
                                    ("resource", "a", "", "land"): -2.0,
                                    ("target", "", "s2", ""): 2.0})
    table = for_results(res).table
    assert list(table.columns) == COLUMNS
    # sorted by |price|, ties by limit name: resource before target
    assert list(table["limit"]) == ["target", "resource", "target"]
    land = table[table["limit"] == "resource"].iloc[0]
    assert land["label"] == "One more ha of land in A would save 2.00 CNY"
    assert land["unit"].startswith("CNY per ha")


def test_land_with_one_user_is_priced_through_the_host_bound(micro):
    # only s1 uses land, so a's land is a bound on output[a, s1] (no row): same price
    _land(micro, s2_uses_land=False)
    res = micro.solve()
    assert _prices(res)[("resource", "a", "", "land")] == pytest.approx(-2.0)


def test_a_slack_limit_has_no_price(micro):
    _land(micro)
    micro.table("resource_availability", "region,resource,available\na,land,40\nb,land,100")
    res = micro.solve()
    # a has land for both: s1 10 in a (cost 10), s2 10 in b (20); land is not binding
    assert res.outcome.objective == pytest.approx(30)
    assert ("resource", "a", "", "land") not in _prices(res)
    assert _prices(res)[("target", "", "s1", "")] == pytest.approx(1.0)


def test_loss_floor_priced_at_the_cost_of_keeping_value_added(micro):
    """a makes s1 10 today (VA 0.5 x 10 = 5) and may lose at most 20 %: floor 4.

    s1 costs 1.5 in a, 1 in b; compensation weighs 2 per unit of value added. Each t kept in
    a costs 0.5 more and keeps 0.5 VA, so 1 per unit of VA < 2: a keeps 8 t (VA 4, the floor),
    b makes 2. Objective 8 x 1.5 + 2 = 14; the floor's price is 1 per unit of value added.
    """
    micro.table("current_layout", "region,segment,output\na,s1,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\n"
                         "a,s1,1.5,,\nb,s1,1,,\nc,s1,1.2,,\na,s2,5,,")
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,,0,0,,,0.2
b,B,,1,0,,,
c,C,,2,0,,,
""")
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 0, "cost": 1, "compensation": 2}})
    res = micro.solve()
    assert res.outcome.objective == pytest.approx(14)
    prices = _prices(res)
    assert prices[("loss_floor", "a", "", "")] == pytest.approx(1.0)
    # one more t of s1 to place goes to b at 1; s2's target is placed at no cost
    assert prices[("target", "", "s1", "")] == pytest.approx(1.0)


def test_lexicographic_reports_the_first_stage_outputs_can_change(micro):
    _land(micro)
    micro.settings(objective={"mode": "lexicographic", "order": ["excess_hosts", "cost"]})
    res = micro.solve()
    # one host per segment: s1 cannot fit in a's 4 ha, so both go to b: 30 + 20
    assert res.terms["cost"]["value"] == pytest.approx(50)
    prices = for_results(res)
    assert prices.stage == "cost"
    assert "duals of the cost stage (stage 2 of 2)" in prices.note
    assert prices.objective_unit == "CNY"
    assert ("resource", "a", "", "land") not in _prices(res)  # a hosts nothing


def test_a_new_family_is_priced_without_being_named(micro, monkeypatch):
    """A constraint family the pricing code has never heard of still gets its price."""
    _land(micro)
    build = shadow.build_model

    def with_cap(data):
        m = build(data)
        m.planning_cap = pyo.Constraint([("a", "s1")], rule=lambda m, r, s: m.output[r, s] <= 3)
        return m

    monkeypatch.setattr(shadow, "build_model", with_cap)
    instance = load_instance(micro.folder)
    prices = shadow_prices(instance, {("a", "s1"): 3.0, ("b", "s1"): 7.0, ("b", "s2"): 10.0})
    rows = {(r.limit, r.region, r.segment): r.shadow_price
            for r in prices.table.itertuples(index=False)}
    # the cap (3) now binds instead of the land (4): one more t under it saves 3 - 1
    assert rows[("planning_cap", "a", "s1")] == pytest.approx(-2.0)
    assert ("resource", "a", "") not in rows


def test_a_host_the_instance_no_longer_allows_is_not_priced(micro):
    _land(micro)
    prices = shadow_prices(load_instance(micro.folder), {("c", "s1"): 10.0})
    assert prices.status == "not priced" and prices.table.empty
    assert "no longer possible" in prices.notes[0]


def test_solve_writes_the_table_and_the_report_section(micro, tmp_path):
    _land(micro)
    out = tmp_path / "run"
    write_run(out, micro.solve(), documents=run_documents(visual=False))
    table = pd.read_csv(out / "shadow_prices.csv", keep_default_na=False)
    assert list(table.columns) == COLUMNS
    assert len(table) == 3
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Shadow prices" in report
    assert "land (A): one more ha would save 2.00 CNY" in report  # report/prices.py


def test_a_fractional_side_choice_is_settled_before_pricing(micro, monkeypatch):
    """A binary that the LP would set to 0.5 (2 z >= 1, z costs 7) is settled by the MIP at 1
    and fixed, so its row is not priced at the LP's 7 / 2, and land keeps its price of -2."""
    _land(micro)
    build = shadow.build_model

    def with_side_choice(data):
        m = build(data)
        m.side = pyo.Var(domain=pyo.Binary)
        m.side_needed = pyo.Constraint(expr=2 * m.side >= 1)
        m.term_cost.expr = m.term_cost.expr + 7 * m.side
        return m

    monkeypatch.setattr(shadow, "build_model", with_side_choice)
    prices = shadow_prices(load_instance(micro.folder),
                           {("a", "s1"): 4.0, ("b", "s1"): 6.0, ("b", "s2"): 10.0})
    rows = {(r.limit, r.region, r.item): r.shadow_price
            for r in prices.table.itertuples(index=False)}
    assert ("side_needed", "", "") not in rows
    assert rows[("resource", "a", "land")] == pytest.approx(-2.0)


def test_the_solves_own_model_is_priced_as_a_fresh_one(micro):
    """optimise prices on the model it solved (its lexicographic holds dropped): same table."""
    from optimizer.model import build_model, prepare
    from optimizer.solve.solver import AllocationSolver, SolveOptions

    _land(micro)
    micro.settings(objective={"mode": "lexicographic", "order": ["excess_hosts", "cost"]})
    instance = load_instance(micro.folder)
    data = prepare(instance)
    m = build_model(data)
    AllocationSolver(SolveOptions(time_limit=10)).solve(m, data)
    assert m.component("lexicographic_hold") is not None
    layout = {p: m.output[p].value for p in m.PAIRS if m.host[p].value > 0.5}
    fresh = shadow_prices(instance, layout)
    reused = shadow_prices(instance, layout, solved=(m, data))
    pd.testing.assert_frame_equal(reused.table, fresh.table)
    assert not reused.table.empty and reused.note == fresh.note
    assert m.component("lexicographic_hold") is None  # a hold could bind in the priced LP
