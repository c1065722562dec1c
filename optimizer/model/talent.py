"""Talent: the R&D staff, engineers and skilled workers a region's hosts need fit its pool."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.capacity import add_capacity
from optimizer.model.data import ModelData


def add_talent(m: pyo.ConcreteModel, data: ModelData) -> None:
    add_capacity(m, "talent_limit", data.talent if data.policy["talent"] else [], data)
