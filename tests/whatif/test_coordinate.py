"""`coordinate`: coalition values from the restricted persistent model, checked by hand on a
micro instance and against direct solves of each coalition written as an instance."""

from __future__ import annotations

import itertools
import json

import highspy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.cli.main import main
from optimizer.instance import load_instance
from optimizer.instance.scenarios import apply_scenario
from optimizer.solve.run import optimise
from optimizer.solve.solver import SolveOptions
from optimizer.whatif.coalitions import (
    CoalitionModel,
    coalition_instance,
    instance_is_exact,
    players_of,
)
from optimizer.whatif.coordinate import Settings, coordinate, write_coordination
from tests.conftest import REPO

OPTIONS = SolveOptions(time_limit=60, mip_gap=0.0, threads=1)


@pytest.fixture(autouse=True)
def fresh_highs_scheduler():
    """These tests solve with one HiGHS thread, which resets the process's HiGHS scheduler to
    one thread; reset it again afterwards so later tests start from a fresh one."""
    yield
    highspy.Highs.resetGlobalScheduler(True)


@pytest.fixture
def three_cities(micro):
    """Three cities, each its own province, each making 10 of the one segment today.

    The area must make 30. A host's duplication price is w = 10 (excess hosts, weight 1);
    closing a host costs 3 in a, 4 in b, 5 in c. Nothing else costs anything.
    """
    micro.settings(objective={"mode": "weighted",
                              "weights": {"excess_hosts": 1.0, "cost": 1.0}})
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,pa,0,0,,,
b,B,pb,1,0,,,
c,C,pc,2,0,,,
""").table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Only segment,assembly,30,30,1,0.5,10,
""").table("current_layout", """
region,segment,output
a,s1,10
b,s1,10
c,s1,10
""").table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,,,3
b,s1,,,4
c,s1,,,5
""")
    return load_instance(micro.folder)


def test_three_provinces_values_shapley_core_and_transfers_by_hand(three_cities, tmp_path):
    # Each province has a third of today's output, so a third of the area's one free host.
    # Alone: it keeps its host (closing it is impossible: it must make 10) and pays
    #   w (1 - 1/3) = 20/3 for it.
    # Pairs make 20. {a, b}: keep both 10 (2 - 2/3) = 40/3; close a: 3 + 10 (1 - 2/3) = 19/3;
    #   close b: 4 + 10/3 = 22/3. So v(ab) = 19/3; likewise v(ac) = 19/3 (close a), and
    #   v(bc) = 22/3 (close b).
    # All three make 30: keep only c, closing a and b: 7; keeping two costs at least 3 + 10.
    # Dividend: 3 * 20/3 - 7 = 13.
    # Shapley (weights 1/3 for joining first or last, 1/6 for joining second):
    #   a: 1/3 (20/3) + 1/6 (19/3 - 20/3) + 1/6 (19/3 - 20/3) + 1/3 (7 - 22/3) = 2
    #   b: 1/3 (20/3) + 1/6 (19/3 - 20/3) + 1/6 (22/3 - 20/3) + 1/3 (7 - 19/3) = 5/2
    #   c: 7 - 2 - 5/2 = 5/2.
    # Core: ab 9/2 <= 19/3, ac 9/2 <= 19/3, bc 5 <= 22/3, each <= 20/3: Shapley is in it.
    # In the plan a and b close and bear 3 and 4, c bears 0; transfers x - c: a receives 1,
    # b receives 3/2, c pays 5/2.
    run = coordinate(three_cities, Settings(workers=1), OPTIONS)
    value = {c: p.value for c, p in run.plans.items()}
    expect = {"a": 20 / 3, "b": 20 / 3, "c": 20 / 3, "ab": 19 / 3, "ac": 19 / 3,
              "bc": 22 / 3, "abc": 7.0}
    for key, v in expect.items():
        assert value[frozenset("p" + k for k in key)] == pytest.approx(v, abs=1e-6), key
    a = run.analysis
    assert a["dividend"] == pytest.approx(13.0)
    assert a["shapley"] == pytest.approx({"pa": 2.0, "pb": 2.5, "pc": 2.5})
    assert a["shapley_in_core"] and not a["core_empty"] and a["rule"] == "shapley"
    assert a["borne"] == pytest.approx({"pa": 3.0, "pb": 4.0, "pc": 0.0})
    assert a["transfer"] == pytest.approx({"pa": -1.0, "pb": -1.5, "pc": 2.5})
    assert [(p, r) for p, r, _ in sorted(a["payments"])] == [("pc", "pa"), ("pc", "pb")]
    assert [x for _, _, x in sorted(a["payments"])] == pytest.approx([1.0, 1.5])
    out = tmp_path / "coord"
    write_coordination(run, out)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dividend"] == pytest.approx(13.0)
    assert summary["dividend_percent"] == pytest.approx(65.0)
    assert summary["every_group_no_worse_off_than_alone"] is True
    assert "Pc pays 1.5 to Pb" in summary["sentence_en"]
    assert (out / "shares.csv").read_text().count("\n") == 4
    assert (out / "coalitions.csv").read_text().count("\n") == 8
    assert "<svg" in (out / "report.html").read_text()


def test_sampled_orders_estimate_shapley_with_an_interval(three_cities):
    # the same three provinces, sampled as if there were many: the interval must hold the
    # exact Shapley value worked out above, and the estimate adds up to v(G) = 7 exactly
    run = coordinate(three_cities, Settings(workers=1, exact_up_to=2, samples=40), OPTIONS)
    assert run.mode == "sampled" and run.sampled.orders == 40
    exact = {"pa": 2.0, "pb": 2.5, "pc": 2.5}
    for g, phi in exact.items():
        assert abs(run.sampled.estimate[g] - phi) <= run.sampled.half_width[g] + 1e-9
    assert sum(run.sampled.estimate.values()) == pytest.approx(7.0)
    assert run.analysis["shapley_in_core"]


def test_a_segment_no_member_can_host_is_bought_or_its_chain_left(three_cities, micro):
    # City a may no longer host s1 (forbidden) but makes 10 of it today: it must close,
    # paying 3, a cost with no variable that must still be charged to a.
    # pa alone cannot make s1: buy_in buys it, drop_chain leaves c1; either way it closes
    # its host (3) and hosts nothing, credited its third of the free host: 3 - 10/3 = -1/3.
    # All three: a closes (3); keeping b and c costs 10 more, closing b 4: so 7, with a
    # bearing 3 and b 4.
    micro.table("policy", """
region,segment,rule,note
a,s1,forbid,
""")
    instance = load_instance(micro.folder)
    players = players_of(instance)
    bought = CoalitionModel(instance, players, "buy_in", OPTIONS).plan(["pa"])
    assert bought.bought == ["s1"] and bought.dropped == []
    assert bought.value == pytest.approx(-1 / 3)
    left = CoalitionModel(instance, players, "drop_chain", OPTIONS)
    alone = left.plan(["pa"])
    assert alone.dropped == ["c1"] and alone.bought == []
    assert alone.value == pytest.approx(-1 / 3)
    grand = left.plan(players.names)
    assert grand.value == pytest.approx(7.0)
    assert grand.borne == pytest.approx({"pa": 3.0, "pb": 4.0, "pc": 0.0})


def test_a_coalition_instance_keeps_the_scenario_settings(three_cities, tmp_path):
    # A scenario doubles the duplication price; the coalition written as an instance must carry
    # the scenario's weight, not re-read the base instance.yaml (which says 1).
    book = tmp_path / "scenarios.yaml"
    book.write_text("pricier:\n  settings: {objective: {weights: {excess_hosts: 2.0}}}\n",
                    encoding="utf-8")
    scenario = apply_scenario(three_cities, "pricier", book)
    model = CoalitionModel(scenario, players_of(scenario), "buy_in", OPTIONS)
    plan = model.plan(["pa", "pb"])
    written = coalition_instance(model, ["pa", "pb"], plan.builds_given_up)
    assert written.settings.weights["excess_hosts"] == 2.0
    assert three_cities.settings.weights["excess_hosts"] == 1.0


def test_each_coalition_matches_a_direct_solve_of_it_as_an_instance():
    # Beijing, Tianjin, Hebei: the restricted persistent model against a fresh solve of each
    # coalition written as an instance of its own (model objective over its regions), and
    # the grand coalition against the plain solve of the instance.
    instance = load_instance(REPO / "instances" / "jing_jin_ji")
    players = players_of(instance)
    model = CoalitionModel(instance, players, "buy_in", SolveOptions(60, 1e-6, 1))
    checked = 0
    for k in range(1, 4):
        for members in itertools.combinations(players.names, k):
            plan = model.plan(members)
            if not instance_is_exact(model, plan):
                continue  # bought what it makes today: its closures are not writable
            checked += 1
            direct = optimise(coalition_instance(model, members, plan.builds_given_up),
                              mip_gap=1e-6, threads=1)
            assert plan.status == direct.outcome.status == "optimal", members
            assert plan.own_objective == pytest.approx(direct.outcome.objective, rel=1e-5), \
                members
    assert checked >= 5  # of 7: those with Beijing alone buy materials it makes today
    grand = optimise(instance, mip_gap=1e-6, threads=1).outcome.objective
    assert model.plan(players.names).value == pytest.approx(grand, rel=1e-5)


def test_cli_writes_the_outputs_and_refuses_groupless_regions(micro, three_cities, tmp_path,
                                                             capsys):
    out = tmp_path / "out"
    assert main(["coordinate", str(micro.folder), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "coalitions.csv", "report.html", "shares.csv", "summary.json"]
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,pa,0,0,,,
b,B,,1,0,,,
c,C,pc,2,0,,,
""")
    assert main(["coordinate", str(micro.folder), "--out", str(tmp_path / "x")]) == 2
    assert "regions b have no group" in capsys.readouterr().err


@st.composite
def small_instances(draw):
    """Two or three provinces of one or two cities, one chain of two linked segments, random
    outputs today (at least one host of each segment), closure and opening costs."""
    n_groups = draw(st.integers(2, 3))
    cities = [(f"r{g}{k}", f"p{g}") for g in range(n_groups)
              for k in range(draw(st.integers(1, 2)))]
    outputs = {(r, s): draw(st.sampled_from([0, 0, 5, 10, 20])) for r, _ in cities
               for s in ("s1", "s2")}
    for s in ("s1", "s2"):
        if not any(outputs[(r, s)] for r, _ in cities):
            outputs[(cities[0][0], s)] = 10
    costs = {(r, s): (draw(st.integers(0, 20)), draw(st.integers(0, 20))) for r, _ in cities
             for s in ("s1", "s2")}
    weight = draw(st.sampled_from([1.0, 5.0, 20.0]))
    return cities, outputs, costs, weight


def _write(micro, cities, outputs, costs, weight):
    micro.settings(objective={"mode": "weighted",
                              "weights": {"excess_hosts": weight, "cost": 1.0}})
    micro.table("regions", "region,name,group,lon,lat,max_segments,max_chains,max_loss_share\n"
                + "\n".join(f"{r},{r},{g},{i * 0.5},0,,," for i, (r, g) in enumerate(cities)))
    total = {s: sum(q for (_, t), q in outputs.items() if t == s) for s in ("s1", "s2")}
    micro.table("segments", "segment,chain,name,stage,target_min,target_max,min_scale,"
                "value_added_rate,weight,max_hosts\n"
                f"s1,c1,Up,materials,{total['s1']},{total['s1']},2,0.5,1,\n"
                f"s2,c1,Down,assembly,{total['s2']},{total['s2']},2,0.5,1,")
    micro.table("links", "supplier,user,reach,intensity\ns1,s2,,0")
    micro.table("current_layout", "region,segment,output\n" + "\n".join(
        f"{r},{s},{q}" for (r, s), q in outputs.items() if q))
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\n" + "\n".join(
        f"{r},{s},,{o},{c}" for (r, s), (o, c) in costs.items()))
    return load_instance(micro.folder)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(small_instances())
def test_random_small_instances_split_efficiently_and_transfers_balance(micro, case):
    # whatever the instance: the shares add up to the coordinated cost, the transfers to
    # zero; each group's net cost after its transfer is its share; with a core that is not
    # empty nobody pays more than alone; and planning together never costs more than the
    # groups' separate plans (their union is a plan the grand coalition could make)
    run = coordinate(_write(micro, *case), Settings(workers=1), OPTIONS)
    a = run.analysis
    grand = a["grand"]
    tol = 1e-6 * max(1.0, abs(grand))
    assert sum(a["share"].values()) == pytest.approx(grand, abs=tol)
    assert sum(a["transfer"].values()) == pytest.approx(0.0, abs=tol)
    assert sum(a["borne"].values()) == pytest.approx(grand, abs=tol)
    for g in run.players.names:
        assert a["borne"][g] + a["transfer"][g] == pytest.approx(a["share"][g], abs=tol)
        if not a["core_empty"]:
            assert a["share"][g] <= a["alone"][g] + tol
    assert a["dividend"] >= -tol
