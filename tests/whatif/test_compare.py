"""Compare: hand-made runs whose differences can be checked by hand, then real sweep runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from optimizer.errors import UserError
from optimizer.whatif.compare import ALL_EQUAL, compare_runs, terminal_table, write_comparison

RATE = 0.5  # value added per unit of output, every segment
LAND = 1.0  # land per unit of output, every segment
CHAIN = {"s1": "c", "s2": "c"}
REGIONS = ["a", "b", "c"]
TODAY = {("a", "s1"): 10.0, ("b", "s1"): 10.0, ("b", "s2"): 10.0}
RUN_A = {("a", "s1"): 20.0, ("b", "s2"): 10.0}
RUN_B = {("a", "s1"): 10.0, ("a", "s2"): 5.0, ("c", "s1"): 10.0, ("c", "s2"): 5.0}


def measures(layout: dict) -> dict:
    hosts = {s: sum(1 for _, t in layout if t == s) for s in CHAIN}
    return {"hosts_per_segment": hosts, "total_hosts": sum(hosts.values()),
            "excess_hosts": sum(max(n - 1, 0) for n in hosts.values()),
            "pairwise_overlaps": sum(n * (n - 1) // 2 for n in hosts.values()),
            "similarity_mean": None, "unhosted_segments": [],
            "value_added_total": RATE * sum(layout.values())}


def write_run(folder: Path, layout: dict, cost: float) -> Path:
    """An output folder as solve writes it, for a layout chosen by hand."""
    folder.mkdir(parents=True)
    pairs = sorted(set(TODAY) | set(layout))
    pd.DataFrame([{"region": r, "segment": s, "chain": CHAIN[s], "output": layout.get((r, s), 0),
                   "value_added": RATE * layout.get((r, s), 0),
                   "current_output": TODAY.get((r, s), 0),
                   "change": "closed" if (r, s) not in layout else "kept"} for r, s in pairs]
                 ).to_csv(folder / "allocation.csv", index=False)
    rows = []
    for r in REGIONS:
        mine = {s: q for (x, s), q in layout.items() if x == r}
        now = {s: q for (x, s), q in TODAY.items() if x == r}
        rows.append({"region": r, "name": r.upper(), "group": "g",
                     "segments_current": len(now), "segments_optimised": len(mine),
                     "value_added_current": RATE * sum(now.values()),
                     "value_added_optimised": RATE * sum(mine.values()),
                     "value_added_change": RATE * (sum(mine.values()) - sum(now.values())),
                     "compensation": 0, "land_used": LAND * sum(mine.values()),
                     "land_available": 100, "land_use_share": LAND * sum(mine.values()) / 100})
    pd.DataFrame(rows).to_csv(folder / "regions.csv", index=False)
    pd.DataFrame([{"chain": "c", "segments": 2, "hosts_current": 3, "unhosted_current": "",
                   "unsupplied_links_current": 1, "complete_current": False,
                   "hosts_optimised": len(layout), "unhosted_optimised": "",
                   "unsupplied_links_optimised": 0, "complete_optimised": True}]
                 ).to_csv(folder / "chains.csv", index=False)
    summary = {"instance": "toy", "instance_hash": "h", "status": "optimal", "mip_gap": 0.0,
               "objective": {"value": cost, "terms": {
                   "excess_hosts": {"value": measures(layout)["excess_hosts"], "unit": "hosts"},
                   "cost": {"value": cost, "unit": "CNY"}}},
               "measures": {"current": measures(TODAY), "optimised": measures(layout)}}
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


@pytest.fixture
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    return write_run(tmp_path / "A", RUN_A, 30.0), write_run(tmp_path / "B", RUN_B, 20.0)


def region_row(comparison, region: str, run: str) -> dict:
    frame = comparison.tables["regions"]
    return frame[(frame["region"] == region) & (frame["run"] == run)].iloc[0].to_dict()


def test_changes_per_region_against_the_first_run(two_runs):
    a, b = two_runs
    comparison = compare_runs([str(a), str(b)])
    assert comparison.reference == "A"
    row = region_row(comparison, "a", "B")
    assert (row["added"], row["removed"], row["kept"]) == (1, 0, 1)
    assert row["added_segments"] == "s2"
    assert row["value_added_change"] == pytest.approx(RATE * (15 - 20))
    assert row["land_used_change"] == pytest.approx(LAND * (15 - 20))
    row = region_row(comparison, "b", "B")
    assert (row["added"], row["removed"], row["kept"], row["removed_segments"]) == (0, 1, 0, "s2")
    row = region_row(comparison, "c", "B")
    assert (row["added"], row["value_added_change"]) == (2, pytest.approx(7.5))
    row = region_row(comparison, "a", "A")  # the reference against itself
    assert (row["added"], row["removed"], row["kept"], row["value_added_change"]) == (0, 0, 1, 0)


def test_measures_side_by_side_with_the_best_run(two_runs):
    a, b = two_runs
    table = compare_runs([str(a), str(b)]).tables["measures"].set_index("measure")
    assert table.loc["excess_hosts", "A"] == 0 and table.loc["excess_hosts", "B"] == 2
    assert table.loc["excess_hosts", "best"] == "A"
    assert table.loc["term_cost", "best"] == "B"
    assert table.loc["value_added_total", "best"] == ALL_EQUAL
    assert table.loc["value_added_total", "better"] == "higher"


def test_current_without_the_instance_falls_back_to_the_folder(two_runs):
    a, b = two_runs
    comparison = compare_runs(["current", str(a), str(b)])
    assert [r.label for r in comparison.runs] == ["current", "A", "B"]
    assert comparison.reference == "current"
    assert any("instance folder is not recorded" in n for n in comparison.notes)
    row = region_row(comparison, "b", "A")  # today b hosts s1 and s2; A keeps s2 only
    assert (row["added"], row["removed"], row["kept"]) == (0, 1, 1)
    assert row["value_added_change"] == pytest.approx(RATE * (10 - 20))
    assert math.isnan(row["land_used_change"])  # today's use needs the instance
    chains = comparison.tables["chains"].set_index("run")
    assert not chains.loc["current", "complete"] and chains.loc["A", "complete"]
    hosts = comparison.tables["hosts"].set_index("segment")
    assert hosts.loc["s1", "current"] == 2 and hosts.loc["s1", "B"] == 2


def test_written_folder_and_terminal_table(two_runs, tmp_path):
    a, b = two_runs
    comparison = compare_runs([str(a), str(b)], reference="B")
    out = tmp_path / "cmp"
    write_comparison(comparison, out)
    assert {p.name for p in out.iterdir()} == {"runs.csv", "measures.csv", "hosts.csv",
                                               "regions.csv", "chains.csv", "allocation.csv",
                                               "compare.json"}
    allocation = pd.read_csv(out / "allocation.csv")
    assert list(allocation.columns[-2:]) == ["A", "B"]
    text = terminal_table(comparison)
    assert "against `B`" in text and "excess hosts" in text
    with pytest.raises(UserError, match="already exists"):
        write_comparison(comparison, out)


def test_user_errors(two_runs, tmp_path):
    a, _ = two_runs
    with pytest.raises(UserError, match="not one of the runs"):
        compare_runs([str(a)], reference="Z")
    with pytest.raises(UserError, match="no such output folder"):
        compare_runs([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no summary.json"):
        compare_runs([str(tmp_path / "empty")])
    with pytest.raises(UserError, match="needs at least one run folder"):
        compare_runs(["current"])


def test_sweep_runs_with_their_instance(tutorial_sweep):
    out, _ = tutorial_sweep
    runs = out / "runs"
    comparison = compare_runs(["current", str(runs / "base"), str(runs / "rail_port")])
    assert comparison.notes == []
    today = region_row(comparison, "portcity", "current")
    assert today["value_added"] == pytest.approx(147)  # 0.45*120 + 0.30*150 + 0.16*300
    assert today["land_used"] == pytest.approx(0.02 * 120 + 0.2 * 150 + 0.4 * 300)
    assert "lon" in comparison.tables["regions"].columns
    assert set(comparison.tables["allocation"]["stage"]) - {""}


def test_a_sweep_folder_expands_to_its_runs(tutorial_sweep):
    out, manifest = tutorial_sweep
    comparison = compare_runs([str(out)])
    assert [r.label for r in comparison.runs] == [r["run"] for r in manifest["runs"]]
    frozen = next(r for r in comparison.runs if r.label == "frozen")
    assert frozen.status == "infeasible" and frozen.layout is None
    assert "frozen" not in set(comparison.tables["regions"]["run"])


def test_a_reference_without_an_allocation_is_compared_and_reported(tutorial_sweep, tmp_path):
    """The infeasible `frozen` run as reference: no change can be measured against it, and
    the numbers stay numbers (blank), so the report is still drawn."""
    from optimizer.report import write_comparison_reports

    out, _ = tutorial_sweep
    comparison = compare_runs([str(out / "runs" / "frozen"), str(out / "runs" / "base")])
    regions = comparison.tables["regions"]
    assert set(regions["run"]) == {"base"}
    assert regions["value_added_change"].isna().all()
    assert pd.api.types.is_float_dtype(regions["value_added_change"])
    write_comparison(comparison, tmp_path / "cmp", write_comparison_reports)
    assert "has no allocation" in (tmp_path / "cmp" / "report.html").read_text()


def test_compare_builds_and_the_report_draws():
    """No import cycle: compare does not import the reports (they import compare)."""
    import subprocess
    import sys

    code = ("import sys, optimizer.whatif.compare; "
            "print(sorted(m for m in sys.modules if m.startswith('optimizer.report')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout
