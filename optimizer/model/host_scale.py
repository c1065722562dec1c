"""Host scale: a host produces at least the minimum efficient scale and at most its tight bound.

The bound M_rs is the least of the segment's target and what the region's resources and talent
allow (see data.py), which keeps the big-M as tight as the data permit.
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData


def add_host_scale(m: pyo.ConcreteModel, data: ModelData) -> None:
    with_min = [(r, s) for r, s in data.eligible if data.segment[s]["min_scale"] > 0]
    m.min_scale = pyo.Constraint(with_min, rule=lambda m, r, s: m.output[r, s]
                                 >= data.segment[s]["min_scale"] * m.host[r, s])
    m.max_scale = pyo.Constraint(
        m.PAIRS, rule=lambda m, r, s: m.output[r, s] <= data.upper[(r, s)] * m.host[r, s])
