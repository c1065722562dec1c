"""Host scale: a host produces at least the minimum efficient scale and at most its tight bound.

The bound M_rs is the least of the segment's target and what the region's resources and talent
allow (see data.py), which keeps the big-M as tight as the data permit.
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row


def _tell(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    region, segment = gap.index
    return (f"{region} would make {segment} {gap.amount:,.4g} below its minimum scale "
            f"{data.segment[segment]['min_scale']:,.4g}")


MIN_SCALE = Row("min_scale", "r,s", "`output >= m_s host`",
                relax=Relaxation(Lever.STRUCTURE, "output", _tell))
MAX_SCALE = Row("max_scale", "r,s", "`output <= M_rs host`")


def add_host_scale(m: pyo.ConcreteModel, data: ModelData) -> None:
    with_min = [(r, s) for r, s in data.eligible if data.segment[s]["min_scale"] > 0]
    MIN_SCALE.add(m, with_min, lambda m, r, s: m.output[r, s]
                  >= data.segment[s]["min_scale"] * m.host[r, s])
    MAX_SCALE.add(m, m.PAIRS,
                  lambda m, r, s: m.output[r, s] <= data.upper[(r, s)] * m.host[r, s])


FAMILY = Family("host scale", add_host_scale, (MIN_SCALE, MAX_SCALE))
