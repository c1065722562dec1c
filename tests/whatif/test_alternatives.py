"""Near-optimal alternatives on micro-instances whose layouts can be listed by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from optimizer.cli.main import main
from optimizer.instance import load_instance
from optimizer.whatif.alternatives import find_alternatives, robustness_table
from optimizer.whatif.resolve import Session

# Regions a, b, c; s2 must stay in c and s1 may not go there. Costs are zero, so a layout is
# optimal exactly when each segment has one host: s1 in a or in b, s2 in c. Two optima.
TWO_OPTIMA_POLICY = """
region,segment,rule,note
c,s2,must,
c,s1,forbid,
"""
LAYOUT_A = frozenset({("a", "s1"), ("c", "s2")})
LAYOUT_B = frozenset({("b", "s1"), ("c", "s2")})

# The same, weighted, with opening costs: s1 in a costs 0, in b 5; s2 in c costs 10. The
# optimum {a:s1, c:s2} costs 10 and is unique (a second host of a segment costs 100); the
# other layout {b:s1, c:s2} costs 15, i.e. 50 % more.
OPENING = """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,,5,
c,s2,,10,
"""


def _two_optima(micro):
    micro.table("policy", TWO_OPTIMA_POLICY)
    return micro


def _alternatives(micro, count: int, slack: float):
    return find_alternatives(Session(load_instance(micro.folder)), count, slack)


def test_two_optimal_layouts_give_the_other_one_and_no_more(micro):
    found = _alternatives(_two_optima(micro), count=3, slack=0.0)
    # whichever optimum HiGHS returns first, the alternative is the other one
    assert {found.optimum.hosts, *(x.hosts for x in found.alternatives)} == {LAYOUT_A, LAYOUT_B}
    assert len(found.alternatives) == 1
    assert found.alternatives[0].distance == 2  # s1 leaves one region, enters the other
    assert found.alternatives[0].objective == pytest.approx(0.0)
    assert found.stopped.startswith("proven")  # a third layout would need a second host


def test_robustness_labels(micro):
    found = _alternatives(_two_optima(micro), count=3, slack=0.0)
    table = robustness_table(found).set_index(["region", "segment"])
    assert table.loc[("c", "s2"), "robustness"] == "always"
    assert table.loc[("a", "s1"), "robustness"] == "choice"
    assert table.loc[("b", "s1"), "robustness"] == "choice"
    assert table.loc[("a", "s1"), "share"] == pytest.approx(0.5)
    assert table.loc[("a", "s2"), "robustness"] == "never"
    assert table.loc[("b", "s2"), "robustness"] == "never"
    assert ("c", "s1") not in table.index  # forbidden: not a pair that could host


def _weighted_with_costs(micro):
    micro.table("policy", TWO_OPTIMA_POLICY).table("costs", OPENING)
    micro.settings(objective={"mode": "weighted",
                              "weights": {"excess_hosts": 100, "cost": 1}})
    return micro


def test_slack_below_the_second_layout_finds_none(micro):
    found = _alternatives(_weighted_with_costs(micro), count=2, slack=0.4)
    assert found.optimum.hosts == LAYOUT_A
    assert found.optimum.objective == pytest.approx(10.0)
    assert found.alternatives == []  # 15 > 1.4 x 10: the slack binds
    assert found.stopped.startswith("proven")


def test_slack_reaching_the_second_layout_finds_it(micro):
    found = _alternatives(_weighted_with_costs(micro), count=2, slack=0.5)
    assert [x.hosts for x in found.alternatives] == [LAYOUT_B]
    alt = found.alternatives[0]
    assert alt.objective == pytest.approx(15.0)
    assert alt.results.outcome.status == "feasible"  # an alternative is never "optimal"
    assert alt.results.terms["cost"]["value"] == pytest.approx(15.0)


def test_command_writes_run_folders_tables_and_compare_reads_them(micro, tmp_path, capsys):
    _weighted_with_costs(micro)
    out = tmp_path / "alts"
    assert main(["alternatives", str(micro.folder), "--count", "2", "--slack", "0.5",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "alternatives.csv")
    assert table["alternative"].tolist() == ["optimum", "alternative_1"]
    assert table["gap_to_optimum"].tolist() == pytest.approx([0.0, 0.5])
    assert table["hosts_differ_from_optimum"].tolist() == [0, 2]
    assert table["hosts_added"].tolist()[1] == "b:s1"
    for folder in ("optimum", "alternative_1"):
        allocation = pd.read_csv(out / folder / "allocation.csv")
        assert set(allocation["segment"]) == {"s1", "s2"}
        assert json.loads((out / folder / "summary.json").read_text())["status"] in (
            "optimal", "feasible")
    robust = pd.read_csv(out / "robustness.csv")
    assert set(robust["robustness"]) == {"always", "choice", "never"}
    page = (out / "report.html").read_text()
    assert "Robustness map" in page and "alternative_1" in page
    assert (out / "report.xlsx").is_file()
    capsys.readouterr()
    assert main(["compare", str(out), "--out", str(tmp_path / "cmp"), "--no-reports"]) == 0
    runs = pd.read_csv(tmp_path / "cmp" / "runs.csv")
    assert runs["run"].tolist() == ["optimum", "alternative_1"]


def test_no_allocation_exits_3(micro, tmp_path, capsys):
    micro.table("policy", "region,segment,rule,note\na,s1,forbid,\nb,s1,forbid,\nc,s1,forbid,")
    out = tmp_path / "alts"
    assert main(["alternatives", str(micro.folder), "--out", str(out)]) == 3
    assert "cannot be solved" in capsys.readouterr().err
    assert not out.exists()


def test_reports_show_the_robustness_map_in_both_languages(micro, tmp_path):
    _weighted_with_costs(micro)
    out = tmp_path / "alts"
    assert main(["alternatives", str(micro.folder), "--count", "2", "--slack", "0.5",
                 "--out", str(out), "--quiet"]) == 0
    page = (out / "report.html").read_text()
    # a:s1 is hosted in one of the two layouts: a choice, orange, 50 %; c:s2 in both
    assert 'title="A · Upstream: choice, 50%"' in page
    assert 'title="C · Downstream: always, 100%"' in page
    assert '<a href="alternative_1/report.html">' in page
    assert (out / "alternative_1" / "report.html").is_file()  # each layout's own report
    book = load_workbook(out / "report.xlsx")
    grid = book["Robustness map"]
    rows = {r[0].value: r for r in grid.iter_rows(min_row=2)}
    upstream = [c.value for c in grid[1]].index("Upstream")
    assert rows["A"][upstream].value == pytest.approx(0.5)
    assert rows["A"][upstream].fill.fgColor.rgb.endswith("F6AD55")
    # rebuilt later from the folder's files, in Chinese
    for name in ("report.html", "report.xlsx"):
        (out / name).unlink()
    assert main(["report", str(out), "--lang", "zh"]) == 0
    page = (out / "report.html").read_text()
    assert "稳健性图" in page and "可选" in page and 'lang="zh-CN"' in page
