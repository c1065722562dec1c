"""The benchmark's baselines are the product's own model handed over another way: raw HiGHS on
Pyomo's compiled standard form, and CBC on the MPS file Pyomo writes, reach the product's
optimum (the first stage's, for a lexicographic order)."""

from __future__ import annotations

from pathlib import Path

import highspy
import pandas as pd
import pytest

from optimizer.bench import perf
from optimizer.instance import Instance, instance_from_frames, load_instance
from optimizer.model import build_model, prepare
from optimizer.solve.solver import AllocationSolver, SolveOptions
from optimizer.sources.generate import generate
from optimizer.sources.orlib import gap_instance, read_gap
from tests.bench.test_orlib import BENCH
from tests.conftest import REPO
from tests.sources.test_orlib import GAP_TEXT

needs_scipy = pytest.mark.skipif(not perf.scipy_available(), reason="scipy not installed")
needs_pulp = pytest.mark.skipif(not perf.pulp_available(), reason="PuLP with CBC not installed")


def _generated(regions: int, segments: int, seed: int, objective: str = "weighted",
               **policy) -> Instance:
    settings, frames = generate(regions, segments, seed, objective=objective)
    settings["policy"].update(policy)
    return instance_from_frames(settings, frames)


def _tutorial_with_flows() -> Instance:
    """The flow form, with linkage priced (generated instances are not flow-feasible)."""
    instance = load_instance(REPO / "instances" / "tutorial")
    instance.settings.policy["flows"] = True
    instance.settings.objective_mode = "weighted"
    instance.settings.weights.update(excess_hosts=1.0, linkage=1e-3, cost=1e-2)
    return instance


def _tutorial_with_change_costs() -> Instance:
    """Growth and shrinkage priced for every pair, a global max_shrink and a protected host."""
    instance = load_instance(REPO / "instances" / "tutorial")
    t = instance.tables
    pairs = [(r, s) for r in instance.regions for s in instance.segments]
    t["change_costs"] = pd.DataFrame({
        "region": [r for r, _ in pairs], "segment": [s for _, s in pairs],
        "growth_cost": [0.1 + 0.01 * i for i in range(len(pairs))],
        "shrink_cost": [0.05 + 0.003 * i for i in range(len(pairs))],
        "_row": range(2, len(pairs) + 2)})
    instance.settings.policy["max_shrink"] = 0.6
    instance.settings.objective_mode = "weighted"
    instance.settings.weights.update(excess_hosts=100.0, cost=1.0)
    return instance


def _tiny_gap(tmp: Path) -> Instance:
    path = tmp / "tiny_gap.txt"
    path.write_text(GAP_TEXT)
    return gap_instance(read_gap(path)[0])


CASES = {
    "weighted": lambda tmp: _generated(8, 8, 1),
    "lexicographic": lambda tmp: _generated(10, 10, 2, "lexicographic"),
    "flows": lambda tmp: _tutorial_with_flows(),
    "change budget": lambda tmp: _generated(9, 8, 4, change_budget=12),
    "no completeness": lambda tmp: _generated(8, 8, 5, chain_completeness=False),
    "tutorial": lambda tmp: load_instance(REPO / "instances" / "tutorial"),
    "cost of change": lambda tmp: _tutorial_with_change_costs(),
    "OR-Library GAP, hand-written": _tiny_gap,
}
if (BENCH / "gap" / "gap1.txt").is_file():
    CASES["OR-Library gap1, first problem"] = lambda tmp: gap_instance(
        read_gap(BENCH / "gap" / "gap1.txt")[0])


def _product_first_stage(instance: Instance) -> float:
    """The optimum of the product's first (or only, weighted) stage, proven with no gap."""
    data = prepare(instance)
    outcome = AllocationSolver(SolveOptions(time_limit=60, mip_gap=0.0), once=True).solve(
        build_model(data), data)
    assert outcome.status == "optimal"
    return outcome.stages[0].incumbent


@needs_scipy
@pytest.mark.parametrize("name", list(CASES))
def test_raw_highs_on_the_standard_form_reaches_the_product_optimum(name, tmp_path):
    instance = CASES[name](tmp_path)
    model = build_model(prepare(instance))  # its objective is the first stage's
    highs = perf.standard_form_highs(model, perf.standard_form(model))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert highs.getInfo().objective_function_value == pytest.approx(
        _product_first_stage(instance), rel=1e-6, abs=1e-6)


@needs_pulp
@pytest.mark.parametrize("name", ["weighted", "tutorial", "cost of change",
                                  "OR-Library GAP, hand-written"])
def test_cbc_on_the_mps_file_reaches_the_product_optimum(name, tmp_path):
    instance = CASES[name](tmp_path)
    instance.settings.objective_mode = "weighted"  # the MPS file holds one objective
    result = perf.solve_mps_with_cbc(build_model(prepare(instance)), 60, 0.0, None)
    assert result["status"] == "optimal"
    assert result["objective"] == pytest.approx(_product_first_stage(instance), rel=1e-6,
                                                abs=1e-5)
