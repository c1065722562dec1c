"""Targets: each segment's total output over all regions lies in [target_min, target_max]."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row


def _tell(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    segment = gap.index[0]
    row = data.segment[segment]
    if gap.side == "lower":
        return (f"Segment {segment} can place only {row['target_min'] - gap.amount:,.4g} of its "
                f"least target {row['target_min']:,.4g}")
    return (f"Segment {segment} must make {gap.amount:,.4g} more than its target_max "
            f"{row['target_max']:,.4g}")


TARGET = Row("target", "s", "`target_min <= sum_r output[r,s] <= target_max`",
             relax=Relaxation(Lever.STRUCTURE, "output", _tell))


def add_targets(m: pyo.ConcreteModel, data: ModelData) -> None:
    def rule(m, s):
        regions = data.eligible_regions(s)
        if not regions:
            return pyo.Constraint.Skip  # no host possible: reported by the pre-solve checks
        lo, hi = data.segment[s]["target_min"], data.segment[s]["target_max"]
        total = pyo.quicksum(m.output[r, s] for r in regions)
        return total == lo if lo == hi else pyo.inequality(lo, total, hi)

    TARGET.add(m, data.segments, rule)


FAMILY = Family("targets", add_targets, (TARGET,))
