"""Resources: what a region's hosts use of land, energy, emission room stays within its stock."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.capacity import add_capacity, shortfall_teller
from optimizer.model.data import ModelData
from optimizer.model.family import Family, Lever, Relaxation, Row

RESOURCE_LIMIT = Row(
    "resource_limit", "r,k", "`sum_s u_sk output[r,s] <= U_rk`", switch="resources",
    relax=Relaxation(Lever.STOCK, "the resource's unit",
                     shortfall_teller("resources", lambda data: data.resources)))


def add_resources(m: pyo.ConcreteModel, data: ModelData) -> None:
    add_capacity(m, RESOURCE_LIMIT, data.resources, data)


FAMILY = Family("resources", add_resources, (RESOURCE_LIMIT,), modules=("capacity",))
