"""Concentration in compare: today's and a run's figures side by side, recomputed the same way
as the solve's summary, overall and per chain."""

from __future__ import annotations

import pytest

from optimizer.results.concentration import concentration_measures
from optimizer.results.record import solve_provenance, write_run
from optimizer.solve.run import optimise
from optimizer.whatif.compare import compare_runs
from tests.scenario_fixtures import TUTORIAL


def test_compare_shows_concentration_of_today_and_the_run(tutorial, tmp_path):
    results = optimise(tutorial)
    run = tmp_path / "solved"
    write_run(run, results, extra=solve_provenance(TUTORIAL, None, None))
    table = compare_runs(["current", str(run)]).tables["measures"].set_index("measure")
    today = concentration_measures(tutorial, tutorial.current_output())
    after = concentration_measures(tutorial, results.layout)
    for key in ("hhi_output_regions", "top3_region_share", "gini_value_added",
                "supply_centres"):
        assert table.loc[key, "current"] == pytest.approx(today[key])
        assert table.loc[key, "solved"] == pytest.approx(after[key])
    ev = after["concentration_by_chain"]["ev"]
    assert table.loc["hhi_regions:ev", "solved"] == pytest.approx(ev["hhi_regions"])
    assert table.loc["top1_share:ev", "current"] == pytest.approx(
        today["concentration_by_chain"]["ev"]["top1_share"])
    # consolidating duplicates concentrates the tutorial's output
    assert after["hhi_output_regions"] > today["hhi_output_regions"]
