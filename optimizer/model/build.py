"""Build the allocation MIP: one module per constraint family, each declared once
(model/family.py), assembled here in data order. Imported through `optimizer.model` when a
model is first built (it loads Pyomo); `prepare` alone does not need it."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model import (
    benefit_sharing,
    chain_completeness,
    change,
    cost,
    duplication,
    flows,
    host_scale,
    infrastructure,
    min_gain,
    min_share,
    participation,
    partnerships,
    policy,
    resources,
    talent,
    targets,
)
from optimizer.model.data import ModelData
from optimizer.model.family import Family, Row
from optimizer.model.objective import set_objective, used_terms, weighted

# every constraint family, in the order build_model adds them (which is the order of the rows
# HiGHS receives); eligibility has no rows of its own
FAMILIES: tuple[Family, ...] = (
    infrastructure.FAMILY, targets.FAMILY, host_scale.FAMILY, resources.FAMILY, talent.FAMILY,
    chain_completeness.FAMILY, flows.FAMILY, participation.FAMILY, policy.FAMILY,
    partnerships.FAMILY, min_share.FAMILY, min_gain.FAMILY, benefit_sharing.FAMILY,
    duplication.FAMILY, change.FAMILY, cost.FAMILY,
)


def declared_rows() -> list[Row]:
    """Every row of every family, in build order."""
    return [row for family in FAMILIES for row in family.rows]


def build_model(data: ModelData) -> pyo.ConcreteModel:
    settings = data.instance.settings
    m = pyo.ConcreteModel(name=settings.name)
    m.PAIRS = pyo.Set(initialize=data.eligible, dimen=2, ordered=True)
    m.host = pyo.Var(m.PAIRS, domain=pyo.Binary)
    m.output = pyo.Var(m.PAIRS, domain=pyo.NonNegativeReals,
                       bounds=lambda m, r, s: (0.0, data.upper[(r, s)]))
    for family in FAMILIES:
        if family.add is not None:
            family.add(m, data)
    if settings.objective_mode == "lexicographic":
        set_objective(m, {used_terms(settings)[0]: 1.0} if used_terms(settings) else {})
    else:
        set_objective(m, weighted(settings))
    return m
