"""The raw highspy builder and the PuLP model are the product's MIP: same size, same optimum."""

from __future__ import annotations

import pandas as pd
import pytest

from optimizer.bench import pulp_model
from optimizer.bench.direct_highs import build_direct, direct_layout, solve_direct
from optimizer.instance import Instance, instance_from_frames, load_instance
from optimizer.model import build_model, prepare
from optimizer.solve.solver import AllocationSolver, SolveOptions
from optimizer.sources.generate import generate
from tests.conftest import REPO

needs_pulp = pytest.mark.skipif(not pulp_model.available(), reason="PuLP with CBC not installed")


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


CASES = {
    "weighted": lambda: _generated(8, 8, 1),
    "lexicographic": lambda: _generated(10, 10, 2, "lexicographic"),
    "flows": _tutorial_with_flows,
    "change budget": lambda: _generated(9, 8, 4, change_budget=12),
    "no completeness": lambda: _generated(8, 8, 5, chain_completeness=False),
    "tutorial": lambda: load_instance(REPO / "instances" / "tutorial"),
    "cost of change": _tutorial_with_change_costs,
}


def _pyomo(instance: Instance):
    data = prepare(instance)
    model = build_model(data)
    solver = AllocationSolver(SolveOptions(time_limit=60, mip_gap=0.0))
    solver.highs.set_instance(model)
    h = solver.highs._solver_model
    dims = (h.getNumRow(), h.getNumCol(), h.getNumNz())
    return data, dims, solver.solve(model, data)


@pytest.mark.parametrize("name", list(CASES))
def test_direct_build_is_the_same_mip(name):
    data, dims, outcome = _pyomo(CASES[name]())
    direct = build_direct(data)
    assert (direct.num_row, direct.num_col, direct.num_nz) == dims
    result = solve_direct(direct, data, time_limit=60, mip_gap=0.0)
    assert outcome.status == result.status == "optimal"
    assert result.objective == pytest.approx(outcome.objective, rel=1e-6, abs=1e-6)
    assert direct_layout(direct, data)  # an allocation can be read back


@needs_pulp
@pytest.mark.parametrize("name", ["weighted", "lexicographic", "tutorial", "cost of change"])
def test_pulp_model_reaches_the_same_optimum(name):
    data, _, outcome = _pyomo(CASES[name]())
    result = pulp_model.solve_pulp(pulp_model.build_pulp(data), data, time_limit=60,
                                   mip_gap=0.0)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(outcome.objective, rel=1e-6, abs=1e-5)
