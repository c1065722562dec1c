"""Chain participation y[r, c]: whether region r takes part in chain c.

Only created where something depends on it (a region's cap on chains, or a chain-entry cost
where the region has no presence today), and then tied to hosting: host[r, s] <= y[r, c].
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Row

IN_CHAIN_IF_HOSTING = Row("in_chain_if_hosting", "r,s", "`host[r,s] <= in_chain[r,c]`",
                          defines=True)


def present_chains(data: ModelData) -> set[tuple[str, str]]:
    """(region, chain) pairs with some current output: y0 = 1."""
    return {(r, data.chain_of[s]) for (r, s) in data.current}


def entry_costs(data: ModelData) -> dict[tuple[str, str], float]:
    """(region, chain) -> cost of entering, for chains the region is not in today."""
    table = data.instance.tables["chain_entry_costs"]
    present = present_chains(data)
    return {(r, c): g for r, c, g in zip(table["region"], table["chain"], table["entry_cost"],
                                         strict=True) if g > 0 and (r, c) not in present}


def capped_regions(data: ModelData) -> dict[str, int]:
    """Regions whose chain cap could bind: fewer allowed than the chains they could enter."""
    caps = {}
    for r in data.regions:
        cap = data.region[r]["max_chains"]
        chains = {data.chain_of[s] for s in data.eligible_segments(r)}
        if cap == cap and cap < len(chains):
            caps[r] = int(cap)
    return caps


def chain_pairs(data: ModelData) -> list[tuple[str, str]]:
    """The (region, chain) pairs that get an in_chain variable, sorted."""
    capped = capped_regions(data)
    needed = {(r, data.chain_of[s]) for r in capped for s in data.eligible_segments(r)}
    needed |= {(r, c) for (r, c) in entry_costs(data)
               if any(data.chain_of[s] == c for s in data.eligible_segments(r))}
    return sorted(needed)


def add_participation(m: pyo.ConcreteModel, data: ModelData) -> None:
    needed = chain_pairs(data)
    m.CHAIN_PAIRS = pyo.Set(initialize=needed, dimen=2)
    m.in_chain = pyo.Var(m.CHAIN_PAIRS, domain=pyo.Binary)
    wanted = set(needed)
    links = [(r, s) for r, s in data.eligible if (r, data.chain_of[s]) in wanted]
    IN_CHAIN_IF_HOSTING.add(m, links,
                            lambda m, r, s: m.host[r, s] <= m.in_chain[r, data.chain_of[s]])


FAMILY = Family("chain participation", add_participation, (IN_CHAIN_IF_HOSTING,),
                note="`in_chain[r,c]` only for a region whose chain cap could bind, or a chain "
                     "it would pay to enter")
