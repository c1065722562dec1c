"""Trade-off fronts on a micro-instance whose front is worked out by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from optimizer.cli.main import main
from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from optimizer.whatif.pareto import front_table, is_monotone, trade_off_front
from optimizer.whatif.resolve import Session
from tests.scenario_fixtures import LAND, REGIONS

# One segment s1 (target 12) and four regions. a may make all of it at unit cost 4; b at 2 but
# only 8 (land); c and d at 1 but only 4 each. The cheapest layout with
#   1 host : {a}          cost 12 x 4          = 48   excess 0
#   2 hosts: {b, c}/{b, d} cost 8 x 2 + 4 x 1  = 20   excess 1  ({a,c}: 36, {a,b}: 32)
#   3 hosts: {b, c, d}    cost 4 x 2 + 8 x 1  = 16   excess 2  ({a,c,d}: 24)
#   4 hosts: no cheaper than 16, so dominated by {b, c, d}.
# The front is (0, 48), (1, 20), (2, 16). With weights excess 10, cost 1 the weighted
# objective is 48, 30, 36: the weighted optimum is the middle point.
SEGMENTS = """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Only,assembly,12,12,0,0.5,1,
"""
COSTS = """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,4,,
b,s1,2,,
c,s1,1,,
d,s1,1,,
"""
FRONT = [(0.0, 48.0), (1.0, 20.0), (2.0, 16.0)]


@pytest.fixture
def staircase(micro):
    micro.table("regions", REGIONS).table("segments", SEGMENTS).table("costs", COSTS)
    micro.table("resource_availability", LAND).table(
        "resource_use", "segment,resource,use\ns1,land,1")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    return micro


def _front(micro, points: int):
    session = Session(load_instance(micro.folder))
    return trade_off_front(session, "excess_hosts", "cost", points)


def _pairs(front) -> list[tuple[float, float]]:
    return [(round(p.value("excess_hosts"), 6), round(p.value("cost"), 6))
            for p in front.points]


def test_three_point_front_by_hand(staircase):
    front = _front(staircase, 3)  # caps: none, 32 (gives 20 with 1 excess host), none
    assert _pairs(front) == FRONT
    assert [p.kind for p in front.points] == ["end_excess_hosts", "interior", "end_cost"]
    assert is_monotone(front_table(front), "excess_hosts", "cost")
    w = front.weighted.terms
    assert (w["excess_hosts"]["value"], w["cost"]["value"]) == pytest.approx((1.0, 20.0))


def test_repeated_points_are_dropped_not_listed_twice(staircase):
    front = _front(staircase, 5)  # caps 24, 32 and 40 all give (1, 20)
    assert _pairs(front) == FRONT
    assert len(front.dropped) == 2
    assert all("same point" in d["why"] for d in front.dropped)


@pytest.mark.parametrize("order, expected", [(["excess_hosts", "cost"], FRONT[0]),
                                             (["cost", "excess_hosts"], FRONT[-1])])
def test_end_points_match_the_lexicographic_solves(staircase, order, expected):
    front = _front(staircase, 3)
    end = front.points[0] if order[0] == "excess_hosts" else front.points[-1]
    staircase.settings(objective={"mode": "lexicographic", "order": order})
    lex = optimise(load_instance(staircase.folder))
    assert (lex.terms["excess_hosts"]["value"], lex.terms["cost"]["value"]) == \
        pytest.approx(expected)
    assert (end.value("excess_hosts"), end.value("cost")) == pytest.approx(expected)


def test_pareto_command_writes_front_chart_and_point_folders(staircase, tmp_path):
    out = tmp_path / "front"
    assert main(["pareto", str(staircase.folder), "--terms", "excess_hosts,cost",
                 "--points", "3", "--out", str(out)]) == 0
    table = pd.read_csv(out / "front.csv")
    assert table["term_excess_hosts"].tolist() == pytest.approx([a for a, _ in FRONT])
    assert table["term_cost"].tolist() == pytest.approx([b for _, b in FRONT])
    assert {"term_compensation", "term_pairwise_overlap"} <= set(table.columns)
    assert (out / "front.svg").read_text().startswith("<svg")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["front"]["monotone"] is True
    assert pd.read_csv(out / "point_2" / "allocation.csv")["region"].tolist() in (
        ["b", "c"], ["b", "d"])
    assert "weighted optimum" in (out / "report.html").read_text()


@pytest.mark.parametrize("terms, message", [("excess_hosts", "exactly two"),
                                            ("excess_hosts,costs", "unknown objective term"),
                                            ("cost,cost", "twice"),
                                            ("excess_hosts,linkage", "not part of")])
def test_bad_terms_exit_2(staircase, tmp_path, capsys, terms, message):
    assert main(["pareto", str(staircase.folder), "--terms", terms,
                 "--out", str(tmp_path / "f")]) == 2
    assert message in capsys.readouterr().err


def test_holding_the_other_terms_puts_the_weighted_optimum_on_the_front(staircase):
    # with pairwise overlap weighted 0.5 as well, the layouts score 48 ({a}: no pair),
    # 10 + 20 + 0.5 = 30.5 ({b,c}: one pair) and 20 + 16 + 1.5 = 37.5 ({b,c,d}: three pairs);
    # holding the overlap at most at the optimum's 1 pair leaves only the first two layouts
    staircase.settings(objective={"mode": "weighted", "weights": {
        "excess_hosts": 10, "cost": 1, "pairwise_overlap": 0.5}})
    session = Session(load_instance(staircase.folder))
    held = trade_off_front(session, "excess_hosts", "cost", 3, hold_others=True)
    assert _pairs(held) == FRONT[:2]
    assert held.held == {"pairwise_overlap": pytest.approx(1.0)}
    free = trade_off_front(Session(load_instance(staircase.folder)),
                           "excess_hosts", "cost", 3)
    assert _pairs(free) == FRONT


def test_front_report_marks_the_weighted_optimum_and_time_limited_points(staircase, tmp_path):
    out = tmp_path / "front"
    assert main(["pareto", str(staircase.folder), "--terms", "excess_hosts,cost",
                 "--points", "3", "--out", str(out), "--quiet"]) == 0
    svg = (out / "front.svg").read_text()
    assert "the instance's weighted optimum" in svg and "stopped at the time limit" not in svg
    book = load_workbook(out / "report.xlsx")
    chart = book["The points"]._charts[0]
    assert [s.tx.strRef.f if s.tx.strRef else s.tx.v for s in chart.series] == [
        "trade-off front", "the instance's weighted optimum"]
    # a point that stopped at a time limit is drawn hollow and said to be unproven
    table = pd.read_csv(out / "front.csv")
    table["mip_gap"] = table["mip_gap"].astype(float)
    table.loc[1, ["status", "mip_gap"]] = ["feasible", 0.05]
    (out / "front.csv").write_text(table.to_csv(index=False))
    for name in ("report.html", "report.xlsx"):
        (out / name).unlink()
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text()
    assert "1 of the points stopped at the time limit" in page and "5.00%" in page


def test_points_in_worker_processes_are_the_same_front(staircase):
    # caps 24, 32 and 40 between the ends (16 and 48) all give (1, 20); shared by two workers
    front = trade_off_front(Session(load_instance(staircase.folder)), "excess_hosts", "cost",
                            5, workers=2)
    assert _pairs(front) == FRONT
    assert len(front.dropped) == 2
