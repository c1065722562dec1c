"""Shared row builder for the resource and talent families (same algebra, other data)."""

from __future__ import annotations

from collections.abc import Callable

import pyomo.environ as pyo

from optimizer.model.data import EPS, Capacity, ModelData
from optimizer.model.family import Gap, Row


def binding_rows(rows: list[Capacity], data: ModelData) -> dict[tuple[str, str], Capacity]:
    """Rows that can bind: two or more hosts may draw on them, and together could exceed them.

    A row with one possible user is already enforced by that pair's upper bound M_rs (unless
    the model keeps every limit a row, data.KEEP_EVERY_ROW, whose bounds ignore stocks).
    """
    keep = {}
    least_users = 2 if data.pruning.implied_rows else 1
    for cap in rows:
        mine = data.eligible_segments(cap.region)
        if len(mine) < len(cap.use):  # walk the shorter of the two lists
            users = {s: cap.use[s] for s in mine if s in cap.use}
            users = {s: users[s] for s in cap.use if s in users}  # keep the use order
        else:
            users = {s: u for s, u in cap.use.items() if data.is_eligible((cap.region, s))}
        if len(users) < least_users:
            continue
        if sum(u * data.upper[(cap.region, s)] for s, u in users.items()) <= cap.available + EPS:
            continue
        keep[(cap.region, cap.kind)] = Capacity(cap.region, cap.kind, cap.available, users)
    return keep


def add_capacity(m: pyo.ConcreteModel, row: Row, rows: list[Capacity], data: ModelData) -> None:
    caps = binding_rows(rows if row.on(data) else [], data)

    def rule(m, region, kind):
        cap = caps[(region, kind)]
        return pyo.quicksum(u * m.output[region, s] for s, u in cap.use.items()) <= cap.available

    row.add(m, list(caps), rule)


def shortfall_teller(units: str, stock: Callable[[ModelData], list[Capacity]]):
    """The sentence for a stock that falls short: "b lacks 1 ha of land for s1, s2"."""

    def tell(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
        region, kind = gap.index
        unit = (data.instance.settings.units.get(units) or {}).get(kind, "")
        use = next((c.use for c in stock(data) if c.region == region and c.kind == kind), {})
        segments = sorted((s for s in use if data.is_eligible((region, s))
                           and (m.output[region, s].value or 0) > EPS),
                          key=lambda s: -use[s] * m.output[region, s].value)
        return (f"{region} lacks {gap.amount:,.4g} {unit} of {kind} for "
                f"{', '.join(segments) or 'its segments'}")

    return tell
