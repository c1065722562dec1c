"""Benefit sharing: a region may lose at most a share lambda of its current value added;
a loss beyond that is owed to it as compensation h[r] (the seeds' transfer payments).

VA[r] + h[r] >= (1 - lambda_r) VA0[r]. The compensation is an objective term; a region with a
blank lambda and no `policy.max_loss_share` has no floor.
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Row
from optimizer.model.lagging import lagging_loss_share
from optimizer.model.partnerships import credit_balance

LOSS_FLOOR = Row("loss_floor", "r", "`VA_r + compensation[r] >= (1 - lambda_r) VA0_r`",
                 switch="benefit_sharing")


def current_value_added(data: ModelData) -> dict[str, float]:
    va: dict[str, float] = {}
    for (r, s), q in data.current.items():
        va[r] = va.get(r, 0.0) + data.segment[s]["value_added_rate"] * q
    return va


def loss_floors(data: ModelData) -> dict[str, float]:
    """Region -> the value added below which it is owed compensation."""
    if not LOSS_FLOOR.on(data):
        return {}
    default = data.policy["max_loss_share"]
    floors = {}
    for r, va0 in current_value_added(data).items():
        share = data.region[r]["max_loss_share"]
        share = default if share != share else share
        share = share if (own := lagging_loss_share(data, r)) is None else own  # lagging
        if share is not None and va0 > 0 and share < 1:
            floors[r] = (1 - share) * va0
    return floors


def value_added(m: pyo.ConcreteModel, data: ModelData, region: str):
    return pyo.quicksum(data.segment[s]["value_added_rate"] * m.output[region, s]
                        for s in data.eligible_segments(region))


def add_benefit_sharing(m: pyo.ConcreteModel, data: ModelData) -> None:
    floors = loss_floors(data)
    m.compensation = pyo.Var(list(floors), domain=pyo.NonNegativeReals)
    LOSS_FLOOR.add(m, list(floors), lambda m, r: value_added(m, data, r)
                   + credit_balance(m, r)  # credited value added
                   + m.compensation[r] >= floors[r])
    m.term_compensation = pyo.Expression(expr=pyo.quicksum(m.compensation[r] for r in floors))


FAMILY = Family("benefit sharing", add_benefit_sharing, (LOSS_FLOOR,), terms=("compensation",))
