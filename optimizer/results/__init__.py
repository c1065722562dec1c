"""Results of a solve: the allocation read off the model, its objective terms and measures."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

from optimizer.instance import Instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model.data import ModelData
from optimizer.model.objective import used_terms, weighted
from optimizer.results.measures import Layout, layout_measures
from optimizer.solve.solver import SolveOutcome
from optimizer.solve.verify import (
    FEASIBILITY,
    Verification,
    allocation_of,
    compensation_owed,
    recheck,
)

__all__ = ["Results", "collect", "current_layout"]


@dataclass
class Results:
    instance: Instance
    outcome: SolveOutcome
    layout: Layout  # the optimised allocation; empty when there is none
    compensation: dict[str, float] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)  # pre-solve explanations
    timings: dict[str, float] = field(default_factory=dict)
    verification: Verification | None = None  # the answer re-checked from the allocation
    shadow: object | None = None  # optimizer.solve.shadow.ShadowPrices, set by optimise

    @property
    def current(self) -> Layout:
        return current_layout(self.instance)

    def measures(self) -> dict[str, dict]:
        both = {"current": layout_measures(self.instance, self.current)}
        if self.outcome.has_solution:
            both["optimised"] = layout_measures(self.instance, self.layout)
        return both


def current_layout(instance: Instance) -> Layout:
    return instance.current_output()


def collect(m: pyo.ConcreteModel, data: ModelData, outcome: SolveOutcome,
            findings: list[str] | None = None, timings: dict | None = None) -> Results:
    """Read the allocation off a solved model; recompute its terms and re-check its limits.

    Every number reported comes from the allocation itself (`optimizer.solve.verify`): the
    objective is what the allocation achieves, and any disagreement with the solver's
    objective, or a broken limit, is carried in `verification` and reported.
    """
    results = Results(data.instance, outcome, {}, findings=findings or [],
                      timings=timings or {})
    if not outcome.has_solution:
        return results
    layout, flows = allocation_of(m)
    results.layout = layout
    results.compensation = compensation_owed(data, layout)
    settings = data.instance.settings
    solved = [s for s in outcome.stages if s.incumbent is not None]
    weights = weighted(settings) if settings.objective_mode == "weighted" else {
        solved[-1].objective: 1.0}
    results.verification = check = recheck(data, layout, flows, weights, outcome.objective)
    check.violations += _priorities_given_up(solved[:-1], check.terms, settings.tolerance)
    outcome.objective = check.objective
    results.terms = _term_values(data, results.verification.terms)
    return results


def _priorities_given_up(earlier: list, terms: dict[str, float], tolerance: float) -> list[str]:
    """Lexicographic: the final allocation must keep each earlier term within its hold."""
    return [f"the final allocation's {s.objective} is {terms[s.objective]:,.6g}, beyond the "
            f"{s.achieved:,.6g} its stage achieved" for s in earlier if s.achieved is not None
            and terms[s.objective] > s.achieved + tolerance * abs(s.achieved)
            + 2 * FEASIBILITY * max(1.0, abs(s.achieved))]


def _term_values(data: ModelData, values: dict[str, float]) -> dict[str, dict]:
    settings = data.instance.settings
    units = settings.units
    optimised = used_terms(settings)
    unit_of = {"cost": units.get("cost", ""), "compensation": units.get("output", ""),
               "linkage": f"{units.get('output', '')} x {units.get('distance', '')}"}
    terms = {}
    for name, (unit, what) in OBJECTIVE_TERMS.items():
        value = values[name]
        value = 0.0 if abs(value) < 1e-9 else float(value)  # no "-0.000" from the solver
        terms[name] = {
            "value": value, "unit": unit_of.get(name, unit), "what": what,
            "weight": settings.weights.get(name, 0.0) if settings.objective_mode == "weighted"
            else None,
            "rank": optimised.index(name) + 1 if settings.objective_mode == "lexicographic"
            and name in optimised else None,
            "optimised": name in optimised,
        }
    return terms
