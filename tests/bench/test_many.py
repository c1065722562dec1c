"""`bench many` keeps working (its figures belong in BENCHMARKS.md, not in a test)."""

from __future__ import annotations

from optimizer.bench.many import measure
from tests.whatif.test_pareto import COSTS, LAND, REGIONS, SEGMENTS


def test_measure_runs_every_part(micro):
    micro.table("regions", REGIONS).table("segments", SEGMENTS).table("costs", COSTS)
    micro.table("resource_availability", LAND).table(
        "resource_use", "segment,resource,use\ns1,land,1")
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 10, "cost": 1}})
    row = measure(micro.folder, count=2, slack=1.0, points=3, terms=["excess_hosts", "cost"],
                  threads=None)  # HiGHS's one scheduler per process: keep what tests use
    # within 100 % of the optimum 30 ({b,c}) lie {b,d} (30), {b,c,d} (36) and {a} (48): two asked
    assert row["alternatives_found"] == 2
    assert row["front_points"] == 3 and row["front_monotone"]
    assert len(row["solve_seconds_each"]) == 3 and row["solve_status"] == "optimal"
    assert {"alternatives_ratio", "front_ratio", "independent_2_seconds",
            "independent_3_seconds", "alternatives_cpu_ratio", "front_cpu_ratio"} <= set(row)
    # the duplication price x 1, 0.75, 0.5, 1.5, 2: one model, the first point builds it
    assert row["grid_points"] == 5 and row["grid_points_on_kept_model"] == 4
    assert row["grid_objectives_agree"] and set(row["grid_statuses"]) == {"optimal"}
