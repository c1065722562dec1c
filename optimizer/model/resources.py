"""Resources: what a region's hosts use of land, energy, emission room stays within its stock."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.capacity import add_capacity
from optimizer.model.data import ModelData


def add_resources(m: pyo.ConcreteModel, data: ModelData) -> None:
    add_capacity(m, "resource_limit", data.resources if data.policy["resources"] else [], data)
