"""Least gain of lagging regions: the value added produced in a lagging region must exceed
today's by at least its `min_gain` (a hard limit, unlike the loss floor, which may be bought off
with compensation):

    VA[r] >= VA0[r] + g_r        for each lagging region r with a min_gain

Produced, not credited: the gain is the activity located in the region; a "1+N" credit it
cedes to a leader settles compensation only.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from optimizer.model.benefit_sharing import current_value_added, value_added
from optimizer.model.data import ModelData
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row
from optimizer.model.lagging import lagging_regions


def _tell(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region = gap.index[0]
    return (f"Lagging region {region} falls {gap.amount:,.4g} of value added short of its "
            f"min_gain ({min_gains(data)[region]:g})")


MIN_GAIN = Row("min_gain", "r", "`VA_r >= VA0_r + g_r`",
               relax=Relaxation(Lever.SHARES, "value added", _tell))


def min_gains(data: ModelData) -> dict[str, float]:
    """Region -> the least gain it must have; regions with a blank min_gain are absent."""
    return {r: float(row["min_gain"]) for r, row in lagging_regions(data).items()
            if row["min_gain"] is not None and not math.isnan(row["min_gain"])}


def add_min_gain(m: pyo.ConcreteModel, data: ModelData) -> None:
    gains = min_gains(data)
    today = current_value_added(data)
    MIN_GAIN.add(m, list(gains), lambda m, r: value_added(m, data, r)
                 >= today.get(r, 0.0) + gains[r])


def gain_shortfalls(data: ModelData, layout: dict[tuple[str, str], float],
                    tolerance: float = 1e-6) -> list[str]:
    """Least gains the allocation misses, recomputed from it alone (verify.violations)."""
    today = current_value_added(data)
    found = []
    for r, gain in min_gains(data).items():
        va = sum(data.segment[s]["value_added_rate"] * q for (x, s), q in layout.items()
                 if x == r)
        if va < today.get(r, 0.0) + gain - tolerance * max(1.0, gain):
            found.append(f"lagging {r} gains {va - today.get(r, 0.0):,.6g} of value added, "
                         f"less than its min_gain {gain:g}")
    return found


FAMILY = Family("least gains of lagging regions", add_min_gain, (MIN_GAIN,),
                modules=("lagging",),
                note="a lagging region's `lambda_r` is its own (0 if blank)")
