"""Segment-level parameters that do not depend on the region: scale, costs, reach.

Each rule is a one-line assumption stated here and repeated in DATA.md; the numbers it uses
(depreciation, value added) come from the 2020 national IO table.
"""

from __future__ import annotations

import pandas as pd

from optimizer.sources.databuild.chains import CHAINS, LINKS, SEGMENTS
from optimizer.sources.databuild.sources import IOTable

MIN_SCALE_SHARE = 0.01  # a host's minimum efficient scale: 1 % of national output
ASSET_LIFE_YEARS = 15.0  # fixed assets ~ depreciation x asset life (straight line)
CLOSURE_SHARE = 0.4  # giving up output strands 40 % of the fixed assets behind it
ENTRY_SHARE = 0.25  # entering a chain costs a quarter of opening all its segments at scale
# Growth is cheaper, and shrinkage dearer, where the segment's cluster is larger today (shared
# suppliers, trained workers, serviced land): up to this share of the capital-output ratio.
AGGLOMERATION_DISCOUNT = 0.1

# Farthest a supplier may be from its user (km), by the supplier's stage: knowledge travels
# far, bulk materials and equipment a day's freight, components must sit near assembly.
REACH_KM = {"research": 1000.0, "services": 600.0, "materials": 800.0, "equipment": 800.0,
            "components": 300.0, "manufacturing": 400.0, "assembly": 300.0}
CROSS_CHAIN_REACH_KM = 500.0


def min_scale(national_output: pd.Series) -> pd.Series:
    """Minimum efficient scale of one host, the same in every instance (a plant is a plant)."""
    return national_output * MIN_SCALE_SHARE


def capital_output_ratio(io: IOTable, shares: pd.DataFrame) -> pd.Series:
    """Fixed assets per unit of output: depreciation rate of the segment's products x life."""
    dep = shares.mul(io.depreciation, axis=1).sum(axis=1)
    out = shares.mul(io.gross_output, axis=1).sum(axis=1)
    return dep / out * ASSET_LIFE_YEARS


def opening_cost(io: IOTable, shares: pd.DataFrame, scale: pd.Series) -> pd.Series:
    """Building a minimum-scale host: its fixed assets (亿元)."""
    return scale * capital_output_ratio(io, shares)


def cluster_rank(current: pd.DataFrame, regions: list[str], segment: str,
                 chain_of: dict[str, str]) -> list[str]:
    """Regions from the largest cluster of `segment` today to the smallest: by the segment's
    output, then the output of its chain, then all chain output, then the region's name, so
    that every region has its own place and no tie is left to the solver."""
    seg = current[current["segment"] == segment].set_index("region")["output"]
    in_chain = current["segment"].map(chain_of) == chain_of[segment]
    chain = current[in_chain].groupby("region")["output"].sum()
    total = current.groupby("region")["output"].sum()
    return sorted(regions, key=lambda r: (-seg.get(r, 0.0), -chain.get(r, 0.0),
                                          -total.get(r, 0.0), r))


def agglomeration_factor(rank: int, regions: int) -> float:
    """From AGGLOMERATION_DISCOUNT for the largest cluster (rank 0) down in equal steps."""
    return AGGLOMERATION_DISCOUNT * (regions - rank) / regions


def growth_cost(ratio: float, factor: float) -> float:
    """New capacity per unit of output: its fixed assets, less the agglomeration discount."""
    return ratio * (1.0 - factor)


def shrink_cost(ratio: float, factor: float) -> float:
    """Capacity stranded per unit of output given up (closure included), dearer in a larger
    cluster, which loses the most it shares with its neighbours."""
    return ratio * CLOSURE_SHARE * (1.0 + factor)


def entry_cost(opening: pd.Series) -> pd.Series:
    """Per chain: setting up the park, supplier base and training for a new cluster."""
    chain_of = {s.key: s.chain for s in SEGMENTS}
    total = opening.groupby(opening.index.map(chain_of)).sum()
    return (total * ENTRY_SHARE).reindex([c.key for c in CHAINS])


def link_reach() -> pd.Series:
    """Reach of every link from its supplier's stage; links across chains get their own."""
    stage = {s.key: s.stage for s in SEGMENTS}
    chain = {s.key: s.chain for s in SEGMENTS}
    out = {}
    for link in LINKS:
        same = chain[link.supplier] == chain[link.user]
        out[(link.supplier, link.user)] = REACH_KM[stage[link.supplier]] if same else \
            CROSS_CHAIN_REACH_KM
    return pd.Series(out)
