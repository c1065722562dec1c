"""The cost of change: output is today's output plus growth minus shrinkage, each priced per unit.

Opening and closure costs alone leave the quantities of kept hosts free (moving output between
two kept hosts costs nothing), so the solver would pick one of many equally good splits.
Pricing growth (new capacity) and shrinkage (stranded capacity) per unit determines them.

What is fixed and what is per unit, so that no asset is counted twice:
- a new host pays its `opening_cost` (fixed: the minimum-scale plant) and `growth_cost` on what
  it makes beyond its minimum scale;
- a kept host pays `growth_cost` on what it adds to today's output, `shrink_cost` on what it
  gives up;
- a closed host pays `shrink_cost` on all of today's output, plus its `closure_cost` (fixed:
  whatever closing the site costs beyond the stranded capacity).

Policy levers: `max_shrink` (the most a kept host may lose, as a share of today's output: per
host or per region in `shrink_limits`, or `policy.max_shrink` for all) and `protected_hosts`
(a `must` host that keeps at least a share of today's output).

Rows: `shrink_def[r,s]`: `output + shrink >= q0` for today's hosts with a price of change;
`max_shrink[r,s]`: `output >= (1 - sigma) q0 host`; `protected_share[r,s]`: `output >= share q0`.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from optimizer.model.data import EPS, ModelData, Pair, protected_shares
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row


def _tell_shrink(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region, segment = gap.index
    return (f"{region} would have to shrink {segment} {gap.amount:,.4g} beyond its max_shrink "
            f"(today {data.current.get((region, segment), 0.0):,.4g})")


def _tell_protected(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region, segment = gap.index
    return (f"Protected host {region} {segment} can keep only {gap.amount:,.4g} less than its "
            f"protected share of today's {data.current.get((region, segment), 0.0):,.4g}")


SHRINK_DEF = Row("shrink_def", "r,s", "`output + shrink >= q0`")
MAX_SHRINK = Row("max_shrink", "r,s", "`output >= (1 - sigma_rs) q0 host`",
                 relax=Relaxation(Lever.KEEP, "output", _tell_shrink))
PROTECTED_SHARE = Row("protected_share", "r,s", "`output >= share q0`",
                      relax=Relaxation(Lever.KEEP, "output", _tell_protected))


def change_prices(data: ModelData) -> dict[Pair, tuple[float, float]]:
    """(growth cost, shrink cost) per unit for every listed pair with a price."""
    t = data.instance.tables["change_costs"]
    return {(r, s): (g, k) for r, s, g, k in zip(t["region"], t["segment"], t["growth_cost"],
                                                 t["shrink_cost"], strict=True) if g or k}


def shrink_limits(data: ModelData) -> dict[Pair, float]:
    """Today's host -> the most it may shrink while kept: its own row, else its region's row
    (blank segment), else `policy.max_shrink`. Hosts with no limit are left out."""
    t = data.instance.tables["shrink_limits"]
    own, by_region = {}, {}
    for r, s, share in zip(t["region"], t["segment"], t["max_shrink"], strict=True):
        if s == "":
            by_region[r] = share
        else:
            own[(r, s)] = share
    default = data.policy.get("max_shrink")
    limits = {}
    for pair in data.current:
        share = own.get(pair, by_region.get(pair[0], default))
        if share is not None and share < 1:
            limits[pair] = share
    return limits


def priced_hosts(data: ModelData, prices: dict) -> list[Pair]:
    """Today's eligible hosts with a price of change: each gets a shrinkage variable."""
    return [p for p in data.current if data.is_eligible(p) and p in prices]


def shrink_floors(data: ModelData) -> dict[Pair, float]:
    """Kept host -> (1 - max_shrink) q0, where that is above what min_scale already asks."""
    floor = {p: (1 - share) * data.current[p] for p, share in shrink_limits(data).items()
             if data.is_eligible(p)}
    return {p: f for p, f in floor.items() if f > data.segment[p[1]]["min_scale"] + EPS}


def protection_floors(data: ModelData) -> dict[Pair, float]:
    """Protected host -> min_share q0, where that is above what min_scale already asks."""
    floor = {p: share * data.current.get(p, 0.0)
             for p, share in protected_shares(data.instance.tables).items()
             if data.is_eligible(p) and not math.isnan(share)}
    return {p: f for p, f in floor.items() if f > data.segment[p[1]]["min_scale"] + EPS}


def add_change(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Shrinkage variables and rows, the policy levers, and `change_cost` (part of `cost`)."""
    prices = change_prices(data)
    kept = priced_hosts(data, prices)
    m.shrink = pyo.Var(kept, domain=pyo.NonNegativeReals,
                       bounds=lambda m, r, s: (0.0, data.current[(r, s)]))
    SHRINK_DEF.add(m, kept, lambda m, r, s: m.output[r, s] + m.shrink[r, s]
                   >= data.current[(r, s)])
    m.change_cost = pyo.Expression(expr=pyo.quicksum(_change_terms(m, data, prices)))
    _add_max_shrink(m, data)
    _add_protection(m, data)


def _change_terms(m: pyo.ConcreteModel, data: ModelData, prices: dict) -> list:
    """Growth and shrinkage of every priced pair; an ineligible host strands all it makes."""
    terms = []
    for pair, (grow, shrink) in prices.items():
        q0 = data.current.get(pair, 0.0)
        if not data.is_eligible(pair):
            if q0 > 0 and shrink:
                terms.append(shrink * q0)
            continue
        if q0 > 0:  # growth = output - q0 + shrink
            terms.append(grow * (m.output[pair] - q0) + (grow + shrink) * m.shrink[pair])
        elif grow:  # a new host grows from its minimum scale, which opening_cost pays for
            terms.append(grow * (m.output[pair] - data.segment[pair[1]]["min_scale"]
                                 * m.host[pair]))
    return terms


def _add_max_shrink(m: pyo.ConcreteModel, data: ModelData) -> None:
    """A kept host keeps at least (1 - max_shrink) of today's output."""
    floor = shrink_floors(data)
    MAX_SHRINK.add(m, list(floor), lambda m, r, s: m.output[r, s]
                   - floor[(r, s)] * m.host[r, s] >= 0)


def _add_protection(m: pyo.ConcreteModel, data: ModelData) -> None:
    """A protected host (also `must`, see data.py) keeps at least its share of today's output."""
    floor = protection_floors(data)
    PROTECTED_SHARE.add(m, list(floor), lambda m, r, s: m.output[r, s] >= floor[(r, s)])


def change_cost_of(data: ModelData, layout: dict[Pair, float]) -> dict[str, float]:
    """Growth and shrinkage of an allocation against today, and what they cost, recomputed
    from the allocation alone (what the model's `change_cost` must equal at any solution)."""
    prices = change_prices(data)
    parts: dict[str, list[float]] = {"growth": [], "shrinkage": [], "growth_cost": [],
                                     "shrink_cost": []}
    for pair in sorted(set(data.current) | set(layout)):  # fixed order, exact sums: the
        q0, q = data.current.get(pair, 0.0), layout.get(pair, 0.0)  # same to the last digit
        grow, strand = prices.get(pair, (0.0, 0.0))
        base = q0 if q0 > 0 else (data.segment[pair[1]]["min_scale"] if q > 0 else 0.0)
        growth, shrinkage = max(q - base, 0.0), max(q0 - q, 0.0)
        parts["growth"].append(max(q - q0, 0.0))
        parts["shrinkage"].append(shrinkage)
        parts["growth_cost"].append(grow * growth)
        parts["shrink_cost"].append(strand * shrinkage)
    return {key: math.fsum(values) for key, values in parts.items()}


FAMILY = Family("cost of change", add_change, (SHRINK_DEF, MAX_SHRINK, PROTECTED_SHARE),
                note="growth and shrinkage priced in term `cost`")
