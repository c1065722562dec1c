"""Policy: must-host pairs, caps on hosts per segment, segments and chains per region,
and a budget on how many allocations may change against the current layout."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.participation import capped_regions


def add_policy(m: pyo.ConcreteModel, data: ModelData) -> None:
    # forbidden pairs have no variables at all (data.py); must pairs are pinned here
    must = [p for p in sorted(data.must) if data.is_eligible(p)]
    m.must_host = pyo.Constraint(must, rule=lambda m, r, s: m.host[r, s] == 1)

    capped_segments = capped_segment_list(data)
    m.max_hosts = pyo.Constraint(capped_segments, rule=lambda m, s: pyo.quicksum(
        m.host[r, s] for r in data.eligible_regions(s)) <= data.segment[s]["max_hosts"])

    capped = capped_region_list(data)
    m.max_segments = pyo.Constraint(capped, rule=lambda m, r: pyo.quicksum(
        m.host[r, s] for s in data.eligible_segments(r)) <= data.region[r]["max_segments"])

    chain_caps = capped_regions(data)
    chains_of: dict[str, list[str]] = {}
    for q, c in m.CHAIN_PAIRS:
        chains_of.setdefault(q, []).append(c)
    m.max_chains = pyo.Constraint(list(chain_caps), rule=lambda m, r: pyo.quicksum(
        m.in_chain[r, c] for c in chains_of.get(r, [])) <= chain_caps[r])

    budget = data.policy["change_budget"]
    m.change_budget = pyo.Constraint(expr=changes(m, data) <= budget) if budget is not None \
        else pyo.Constraint(pyo.Set(initialize=[]))


def _capped(value, available: int) -> bool:
    return value == value and value < available  # NaN (blank) means no cap


def capped_segment_list(data: ModelData) -> list[str]:
    """Segments whose max_hosts is below the regions that could host them."""
    return [s for s in data.segments
            if _capped(data.segment[s]["max_hosts"], len(data.eligible_regions(s)))]


def capped_region_list(data: ModelData) -> list[str]:
    """Regions whose max_segments is below the segments they could host."""
    return [r for r in data.regions
            if _capped(data.region[r]["max_segments"], len(data.eligible_segments(r)))]


def changes(m: pyo.ConcreteModel, data: ModelData):
    """Allocations that differ from today: |x - x0| summed, linear because x0 is data.

    A current host that is no longer eligible must close, and counts as a change.
    """
    closed = pyo.quicksum(1 - m.host[p] if data.is_eligible(p) else 1 for p in data.current)
    opened = pyo.quicksum(m.host[p] for p in data.eligible if p not in data.current)
    return closed + opened
