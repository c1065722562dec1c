"""Segment-level parameters that do not depend on the region: scale, costs, reach.

Each rule is a one-line assumption stated here and repeated in DATA.md; the numbers it uses
(depreciation, value added) come from the 2020 national IO table.
"""

from __future__ import annotations

import pandas as pd

from optimizer.databuild.chains import CHAINS, LINKS, SEGMENTS
from optimizer.databuild.sources import IOTable

MIN_SCALE_SHARE = 0.01  # a host's minimum efficient scale: 1 % of national output
ASSET_LIFE_YEARS = 15.0  # fixed assets ~ depreciation x asset life (straight line)
CLOSURE_SHARE = 0.4  # closing a host strands 40 % of the fixed assets behind its output
ENTRY_SHARE = 0.25  # entering a chain costs a quarter of opening all its segments at scale

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


def closure_cost(output: float, ratio: float) -> float:
    """Closing a host strands a share of the fixed assets behind its current output."""
    return output * ratio * CLOSURE_SHARE


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
