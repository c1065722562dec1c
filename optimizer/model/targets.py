"""Targets: each segment's total output over all regions lies in [target_min, target_max]."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData


def add_targets(m: pyo.ConcreteModel, data: ModelData) -> None:
    def rule(m, s):
        regions = data.eligible_regions(s)
        if not regions:
            return pyo.Constraint.Skip  # no host possible: reported by the pre-solve checks
        lo, hi = data.segment[s]["target_min"], data.segment[s]["target_max"]
        total = pyo.quicksum(m.output[r, s] for r in regions)
        return total == lo if lo == hi else pyo.inequality(lo, total, hi)

    m.target = pyo.Constraint(data.segments, rule=rule)
