"""Cost: unit costs of output, opening new hosts, closing existing ones (sunk cost and path
dependence) and entering chains a region has no presence in today."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family
from optimizer.model.participation import entry_costs


def add_cost(m: pyo.ConcreteModel, data: ModelData) -> None:
    table = data.instance.tables["costs"]
    rows = zip(table["region"], table["segment"], table["unit_cost"], table["opening_cost"],
               table["closure_cost"], strict=True)
    terms = []
    for r, s, unit, opening, closure in rows:
        pair = (r, s)
        if pair in data.current and closure > 0:
            terms.append(closure * (1 - m.host[pair]) if data.is_eligible(pair) else closure)
        if not data.is_eligible(pair):
            continue
        if unit != 0:
            terms.append(unit * m.output[pair])
        if pair not in data.current and opening > 0:
            terms.append(opening * m.host[pair])
    terms += [g * m.in_chain[rc] for rc, g in entry_costs(data).items() if rc in m.CHAIN_PAIRS]
    if hasattr(m, "change_cost"):
        terms.append(m.change_cost)  # growth and shrinkage (model/change.py)
    m.term_cost = pyo.Expression(expr=pyo.quicksum(terms))


FAMILY = Family("cost", add_cost, terms=("cost",), note="term `cost` (no rows)")
