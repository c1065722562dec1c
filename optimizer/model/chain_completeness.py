"""Chain completeness: every segment is hosted somewhere, and every host of a user segment has
a host of each of its supplier segments within reach (the presence form of MODEL.md)."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData


def add_chain_completeness(m: pyo.ConcreteModel, data: ModelData) -> None:
    hosted = [s for s in data.segments if data.eligible_regions(s)]
    if not data.policy["chain_completeness"]:
        hosted = []
    m.segment_hosted = pyo.Constraint(
        hosted, rule=lambda m, s: pyo.quicksum(m.host[r, s] for r in data.eligible_regions(s)) >= 1)

    keys = list(data.suppliers) if data.policy["supplier_reach"] else []

    def reach_rule(m, s, t, r):
        return m.host[r, t] <= pyo.quicksum(m.host[q, s] for q in data.suppliers[(s, t, r)])

    m.supplier_in_reach = pyo.Constraint(keys, rule=reach_rule)
