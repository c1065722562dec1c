"""Flow form of chain links (optional): suppliers in reach ship what users consume.

For a link s -> t with intensity a, the users of t in region r draw a * output[r, t] from hosts
of s within reach, and no host of s ships more than it produces. The linkage term is the
output moved times distance.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Row

SUPPLY_COVERS_USE = Row("supply_covers_use", "s,t,r",
                        "`sum_{r' in reach} flow[s,t,r,r'] = a_st output[r,t]`",
                        switch="flows", defines=True)
SUPPLIER_CAPACITY = Row("supplier_capacity", "s,r'", "`sum_{t,r} flow[s,t,r,r'] <= output[r',s]`",
                        switch="flows")


def add_flows(m: pyo.ConcreteModel, data: ModelData) -> None:
    on = SUPPLY_COVERS_USE.on(data)
    intensity = {(s, t): a for s, t, _, a in data.links if a > 0}
    arcs = [(s, t, r, q) for (s, t, r), near in data.suppliers.items()
            if (s, t) in intensity and on for q in near]
    m.flow = pyo.Var(arcs, domain=pyo.NonNegativeReals)
    flow = dict(m.flow.items())  # one lookup table: a Var's own indexing checks every index
    into: dict[tuple[str, str, str], list] = {}
    out_of: dict[tuple[str, str], list] = {}
    for arc in arcs:
        s, t, r, q = arc
        into.setdefault((s, t, r), []).append(flow[arc])
        out_of.setdefault((s, q), []).append(flow[arc])
    SUPPLY_COVERS_USE.add(
        m, [k for k in data.suppliers if k[:2] in intensity and on],
        lambda m, s, t, r: pyo.quicksum(into.get((s, t, r), []))
        == intensity[(s, t)] * m.output[r, t])
    SUPPLIER_CAPACITY.add(
        m, list(out_of), lambda m, s, q: pyo.quicksum(out_of[(s, q)]) <= m.output[q, s])
    m.term_linkage = pyo.Expression(expr=pyo.quicksum(
        km * flow[arc] for km, arc in zip(_distances(data, arcs), arcs, strict=True)))


def _distances(data: ModelData, arcs: list[tuple[str, str, str, str]]) -> list[float]:
    """Distance from user region to supplier region of every arc, in one array lookup."""
    if not arcs:
        return []
    index = data.region_index
    users = np.fromiter((index[r] for _, _, r, _ in arcs), dtype=np.int64, count=len(arcs))
    hosts = np.fromiter((index[q] for _, _, _, q in arcs), dtype=np.int64, count=len(arcs))
    return data.distance[users, hosts].tolist()


FAMILY = Family("flows (option)", add_flows, (SUPPLY_COVERS_USE, SUPPLIER_CAPACITY),
                terms=("linkage",), note="term `linkage`: output moved times distance")
