"""Flow form of chain links (optional): suppliers in reach ship what users consume.

For a link s -> t with intensity a, the users of t in region r draw a * output[r, t] from hosts
of s within reach, and no host of s ships more than it produces. The linkage term is the
output moved times distance.
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData


def add_flows(m: pyo.ConcreteModel, data: ModelData) -> None:
    intensity = {(s, t): a for s, t, _, a in data.links if a > 0}
    arcs = [(s, t, r, q) for (s, t, r), near in data.suppliers.items()
            if (s, t) in intensity and data.policy["flows"] for q in near]
    m.flow = pyo.Var(arcs, domain=pyo.NonNegativeReals)
    into: dict[tuple[str, str, str], list] = {}
    out_of: dict[tuple[str, str], list] = {}
    for s, t, r, q in arcs:
        into.setdefault((s, t, r), []).append(m.flow[s, t, r, q])
        out_of.setdefault((s, q), []).append(m.flow[s, t, r, q])
    m.supply_covers_use = pyo.Constraint(
        [k for k in data.suppliers if k[:2] in intensity and data.policy["flows"]],
        rule=lambda m, s, t, r: pyo.quicksum(into.get((s, t, r), []))
        == intensity[(s, t)] * m.output[r, t])
    m.supplier_capacity = pyo.Constraint(
        list(out_of), rule=lambda m, s, q: pyo.quicksum(out_of[(s, q)]) <= m.output[q, s])
    m.term_linkage = pyo.Expression(
        expr=pyo.quicksum(data.dist(r, q) * m.flow[s, t, r, q] for s, t, r, q in arcs))
