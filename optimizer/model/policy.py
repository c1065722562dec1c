"""Policy: must-host pairs, caps on hosts per segment, segments and chains per region,
and a budget on how many allocations may change against the current layout."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row
from optimizer.model.participation import capped_regions


def _tell_must(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region, segment = gap.index
    return f"Policy says {region} must host {segment}, which the other limits do not allow"


def _tell_max_hosts(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    segment = gap.index[0]
    return (f"Segment {segment} needs {gap.amount:,.4g} more host(s) than its max_hosts "
            f"{data.segment[segment]['max_hosts']:g}")


def _tell_max_segments(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region = gap.index[0]
    return (f"{region} needs {gap.amount:,.4g} more segment(s) than its max_segments "
            f"{data.region[region]['max_segments']:g}")


def _tell_max_chains(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region = gap.index[0]
    return (f"{region} needs {gap.amount:,.4g} more chain(s) than its max_chains "
            f"{data.region[region]['max_chains']:g}")


def _tell_budget(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    return (f"The change budget ({data.policy['change_budget']}) is {gap.amount:,.4g} "
            "change(s) short")


MUST_HOST = Row("must_host", "r,s", "`host[r,s] = 1`",
                relax=Relaxation(Lever.CAPS, "hosts", _tell_must))
MAX_HOSTS = Row("max_hosts", "s", "`sum_r host[r,s] <= max_hosts_s`",
                relax=Relaxation(Lever.CAPS, "hosts", _tell_max_hosts))
MAX_SEGMENTS = Row("max_segments", "r", "`sum_s host[r,s] <= max_segments_r`",
                   relax=Relaxation(Lever.CAPS, "segments", _tell_max_segments))
MAX_CHAINS = Row("max_chains", "r", "`sum_c in_chain[r,c] <= max_chains_r`",
                 relax=Relaxation(Lever.CAPS, "chains", _tell_max_chains))
CHANGE_BUDGET = Row("change_budget", "", "`closed + opened hosts against today <= B`",
                    switch="change_budget",
                    relax=Relaxation(Lever.CAPS, "changes", _tell_budget))


def add_policy(m: pyo.ConcreteModel, data: ModelData) -> None:
    # forbidden pairs have no variables at all (data.py); must pairs are pinned here
    must = [p for p in sorted(data.must) if data.is_eligible(p)]
    MUST_HOST.add(m, must, lambda m, r, s: m.host[r, s] == 1)

    MAX_HOSTS.add(m, capped_segment_list(data), lambda m, s: pyo.quicksum(
        m.host[r, s] for r in data.eligible_regions(s)) <= data.segment[s]["max_hosts"])

    MAX_SEGMENTS.add(m, capped_region_list(data), lambda m, r: pyo.quicksum(
        m.host[r, s] for s in data.eligible_segments(r)) <= data.region[r]["max_segments"])

    chain_caps = capped_regions(data)
    chains_of: dict[str, list[str]] = {}
    for q, c in m.CHAIN_PAIRS:
        chains_of.setdefault(q, []).append(c)
    MAX_CHAINS.add(m, list(chain_caps), lambda m, r: pyo.quicksum(
        m.in_chain[r, c] for c in chains_of.get(r, [])) <= chain_caps[r])

    if CHANGE_BUDGET.on(data):
        CHANGE_BUDGET.add(m, None, expr=changes(m, data) <= data.policy["change_budget"])
    else:
        CHANGE_BUDGET.add(m, pyo.Set(initialize=[]))


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


FAMILY = Family("policy", add_policy,
                (MUST_HOST, MAX_HOSTS, MAX_SEGMENTS, MAX_CHAINS, CHANGE_BUDGET),
                note="forbidden pairs get no variables")
