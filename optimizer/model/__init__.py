"""Build the allocation MIP: one module per constraint family, assembled here in data order.

Pyomo is imported when a model is built, not with the package: `validate` needs only `prepare`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.model.data import ModelData, prepare

if TYPE_CHECKING:
    import pyomo.environ as pyo

__all__ = ["ModelData", "build_model", "prepare"]


def build_model(data: ModelData) -> pyo.ConcreteModel:
    import pyomo.environ as pyo

    from optimizer.model.benefit_sharing import add_benefit_sharing
    from optimizer.model.chain_completeness import add_chain_completeness
    from optimizer.model.change import add_change
    from optimizer.model.cost import add_cost
    from optimizer.model.duplication import add_duplication
    from optimizer.model.flows import add_flows
    from optimizer.model.host_scale import add_host_scale
    from optimizer.model.min_gain import add_min_gain
    from optimizer.model.min_share import add_min_share
    from optimizer.model.objective import set_objective, used_terms, weighted
    from optimizer.model.participation import add_participation
    from optimizer.model.partnerships import add_partnerships
    from optimizer.model.policy import add_policy
    from optimizer.model.resources import add_resources
    from optimizer.model.talent import add_talent
    from optimizer.model.targets import add_targets

    settings = data.instance.settings
    m = pyo.ConcreteModel(name=settings.name)
    m.PAIRS = pyo.Set(initialize=data.eligible, dimen=2, ordered=True)
    m.host = pyo.Var(m.PAIRS, domain=pyo.Binary)
    m.output = pyo.Var(m.PAIRS, domain=pyo.NonNegativeReals,
                       bounds=lambda m, r, s: (0.0, data.upper[(r, s)]))
    add_targets(m, data)
    add_host_scale(m, data)
    add_resources(m, data)
    add_talent(m, data)
    add_chain_completeness(m, data)
    add_flows(m, data)
    add_participation(m, data)
    add_policy(m, data)
    add_partnerships(m, data)
    add_min_share(m, data)
    add_min_gain(m, data)
    add_benefit_sharing(m, data)
    add_duplication(m, data, with_pairwise="pairwise_overlap" in used_terms(settings))
    add_change(m, data)
    add_cost(m, data)
    if settings.objective_mode == "lexicographic":
        set_objective(m, {used_terms(settings)[0]: 1.0} if used_terms(settings) else {})
    else:
        set_objective(m, weighted(settings))
    return m
