"""Shared row builder for the resource and talent families (same algebra, other data)."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from optimizer.model.data import EPS, Capacity, ModelData


def binding_rows(rows: list[Capacity], data: ModelData) -> dict[tuple[str, str], Capacity]:
    """Rows that can bind: two or more hosts may draw on them, and together could exceed them.

    A row with one possible user is already enforced by that pair's upper bound M_rs (except
    in the elastic model, whose bounds ignore resources and talent).
    """
    keep = {}
    for cap in rows:
        mine = data.eligible_segments(cap.region)
        if len(mine) < len(cap.use):  # walk the shorter of the two lists
            users = {s: cap.use[s] for s in mine if s in cap.use}
            users = {s: users[s] for s in cap.use if s in users}  # keep the use order
        else:
            users = {s: u for s, u in cap.use.items() if data.is_eligible((cap.region, s))}
        if len(users) < (1 if data.elastic else 2):
            continue
        if sum(u * data.upper[(cap.region, s)] for s, u in users.items()) <= cap.available + EPS:
            continue
        keep[(cap.region, cap.kind)] = Capacity(cap.region, cap.kind, cap.available, users)
    return keep


def binding_mask(user_region: np.ndarray, user_load: np.ndarray, available: np.ndarray,
                 elastic: bool) -> np.ndarray:
    """binding_rows for one kind on arrays: per region, whether its row can bind.

    `user_region[i]` is the region of the i-th eligible user pair and `user_load[i]` its
    u * M_rs; `available[r]` is the region's stock.
    """
    n = len(available)
    users = np.bincount(user_region, minlength=n)
    load = np.bincount(user_region, weights=user_load, minlength=n)
    return (users >= (1 if elastic else 2)) & (load > available + EPS)


def add_capacity(m: pyo.ConcreteModel, name: str, rows: list[Capacity], data: ModelData) -> None:
    caps = binding_rows(rows, data)

    def rule(m, region, kind):
        cap = caps[(region, kind)]
        return pyo.quicksum(u * m.output[region, s] for s, u in cap.use.items()) <= cap.available

    setattr(m, name, pyo.Constraint(list(caps), rule=rule))
