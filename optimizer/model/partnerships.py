""""1+N" partnerships with shared credit (co-built parks, 飞地): a leader is credited with a
share of the value added of its partner's new output, and the partner keeps the rest.

New output is the partner's output beyond today's, segment by segment: n = max(0, x - q0).
Where the partner has no output today n is x itself. Where it has, n is exact with one binary
g per pair (g = 1 when the host grows):

    n >= x - q0,   n <= (M - q0) g,   n <= x - q0 + q0 (1 - g),   n >= 0

so g = 1 forces n = x - q0 >= 0 and g = 0 forces n = 0 and x <= q0. Exactness matters: the
leader's floor wants n large and the partner's wants it small.

Credited value added: VA[r] + sum over partners p of r of share * sum_s v_s n[p, s]
                           - sum over leaders l of r of share * sum_s v_s n[r, s].
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import EPS, ModelData
from optimizer.model.family import Family, Row

NEW_OUTPUT_BEYOND_TODAY = Row("new_output_beyond_today", "p,s", "`n >= output - q0`")
NEW_OUTPUT_IF_GROWS = Row("new_output_if_grows", "p,s", "`n <= (M - q0) grows`")
NEW_OUTPUT_AT_MOST = Row("new_output_at_most", "p,s", "`n <= output - q0 + q0 (1 - grows)`")


def partnership_rows(data: ModelData) -> list[tuple[str, str, float]]:
    """(leader, partner, credit share) with a positive share."""
    t = data.instance.tables["partnerships"]
    return [(leader, partner, float(share)) for leader, partner, share in
            zip(t["leader"], t["partner"], t["credit_share"], strict=True) if share > 0]


def _growing_pairs(data: ModelData, partners: set[str]) -> list[tuple[str, str]]:
    """Partner pairs with output today that could still grow: they need the binary."""
    return [(p, s) for p in sorted(partners) for s in data.eligible_segments(p)
            if data.current.get((p, s), 0.0) > 0
            and data.upper[(p, s)] - data.current[(p, s)] > EPS]


def add_partnerships(m: pyo.ConcreteModel, data: ModelData) -> None:
    rows = partnership_rows(data)
    partners = {p for _, p, _ in rows}
    pairs = _growing_pairs(data, partners)
    room = {p: data.upper[p] - data.current[p] for p in pairs}
    m.new_output = pyo.Var(pairs, domain=pyo.NonNegativeReals,
                           bounds=lambda m, r, s: (0.0, room[(r, s)]))
    m.grows = pyo.Var(pairs, domain=pyo.Binary)
    NEW_OUTPUT_BEYOND_TODAY.add(m, pairs, lambda m, r, s: m.new_output[r, s]
                                >= m.output[r, s] - data.current[(r, s)])
    NEW_OUTPUT_IF_GROWS.add(m, pairs, lambda m, r, s: m.new_output[r, s]
                            <= room[(r, s)] * m.grows[r, s])
    NEW_OUTPUT_AT_MOST.add(m, pairs, lambda m, r, s: m.new_output[r, s]
                           <= m.output[r, s] - data.current[(r, s)]
                           + data.current[(r, s)] * (1 - m.grows[r, s]))
    m.PARTNERSHIPS = pyo.Set(initialize=[(leader, p) for leader, p, _ in rows], dimen=2,
                             ordered=True)
    share = {(leader, p): s for leader, p, s in rows}
    m.credit = pyo.Expression(m.PARTNERSHIPS, rule=lambda m, leader, p: share[(leader, p)]
                              * new_value_added(m, data, p))


def new_value_added(m: pyo.ConcreteModel, data: ModelData, partner: str):
    """Value added of the partner's output beyond today's."""
    terms = []
    for s in data.eligible_segments(partner):
        rate = data.segment[s]["value_added_rate"]
        if rate <= 0:
            continue
        if data.current.get((partner, s), 0.0) <= 0:
            terms.append(rate * m.output[partner, s])
        elif (partner, s) in m.new_output:
            terms.append(rate * m.new_output[partner, s])
    return pyo.quicksum(terms)


def credit_balance(m: pyo.ConcreteModel, region: str):
    """Value added credited to the region as leader, less what it cedes as partner."""
    if not hasattr(m, "PARTNERSHIPS"):
        return 0.0
    return (pyo.quicksum(m.credit[lead, p] for lead, p in m.PARTNERSHIPS if lead == region)
            - pyo.quicksum(m.credit[lead, p] for lead, p in m.PARTNERSHIPS if p == region))


def credited_value_added(m: pyo.ConcreteModel, data: ModelData, region: str):
    """Value added produced in the region, plus credits in, less credits out."""
    produced = pyo.quicksum(data.segment[s]["value_added_rate"] * m.output[region, s]
                            for s in data.eligible_segments(region))
    return produced + credit_balance(m, region)


def credit_balances(data: ModelData, layout: dict[tuple[str, str], float]) -> dict[str, float]:
    """Region -> credits in less credits out, for an allocation (as credit_balance in the model)."""
    balance: dict[str, float] = {}
    for leader, partner, share in partnership_rows(data):
        grown = sum(data.segment[s]["value_added_rate"] * max(q - data.current.get((r, s), 0.0),
                                                              0.0)
                    for (r, s), q in layout.items() if r == partner)
        balance[leader] = balance.get(leader, 0.0) + share * grown
        balance[partner] = balance.get(partner, 0.0) - share * grown
    return balance


def imply_new_output(m: pyo.ConcreteModel, data: ModelData,
                     layout: dict[tuple[str, str], float]) -> None:
    """Set new_output and grows to what the allocation implies (verify.imply)."""
    for r, s in getattr(m, "new_output", {}):
        grown = layout.get((r, s), 0.0) - data.current[(r, s)]
        m.new_output[r, s].set_value(max(grown, 0.0), skip_validation=True)
        m.grows[r, s].set_value(1.0 if grown > 0 else 0.0)


FAMILY = Family(
    '"1+N" partnerships', add_partnerships,
    (NEW_OUTPUT_BEYOND_TODAY, NEW_OUTPUT_IF_GROWS, NEW_OUTPUT_AT_MOST),
    note="`credit[l,p] = share_lp sum_s v_s n[p,s]` with `n = max(0, output - q0)`, exact with "
         "one binary `grows[p,s]` where the partner produces today; `loss_floor` then reads "
         "credited value added `VA_r + sum credit in - sum credit out`")
