"""Results of a solve: the allocation read off the model, its objective terms and measures."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

from optimizer.instance import Instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model.data import ModelData
from optimizer.model.duplication import excess_hosts_value, pairwise_overlap_value
from optimizer.model.objective import used_terms
from optimizer.results.measures import Layout, layout_measures
from optimizer.solve import SolveOutcome

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
    shadow: object | None = None  # optimizer.shadow.ShadowPrices, set by optimise

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
    """Read the allocation and every objective term off a solved model."""
    results = Results(data.instance, outcome, {}, findings=findings or [],
                      timings=timings or {})
    if not outcome.has_solution:
        return results
    results.layout = {p: max(pyo.value(m.output[p]), 0.0) for p in m.PAIRS
                      if pyo.value(m.host[p]) > 0.5}
    results.compensation = {r: max(pyo.value(m.compensation[r]), 0.0) for r in m.compensation}
    results.terms = _term_values(m, data)
    return results


def _term_values(m: pyo.ConcreteModel, data: ModelData) -> dict[str, dict]:
    settings = data.instance.settings
    units = settings.units
    optimised = used_terms(settings)
    unit_of = {"cost": units.get("cost", ""), "compensation": units.get("output", ""),
               "linkage": f"{units.get('output', '')} x {units.get('distance', '')}"}
    terms = {}
    for name, (unit, what) in OBJECTIVE_TERMS.items():
        if name == "pairwise_overlap":
            value = pairwise_overlap_value(m, data)
        elif name == "excess_hosts":
            value = excess_hosts_value(m, data)
        else:
            value = pyo.value(getattr(m, f"term_{name}"))
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
