"""Talent: the R&D staff, engineers and skilled workers a region's hosts need fit its pool."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.capacity import add_capacity, shortfall_teller
from optimizer.model.data import ModelData
from optimizer.model.family import Family, Lever, Relaxation, Row

TALENT_LIMIT = Row(
    "talent_limit", "r,j", "`sum_s tau_sj output[r,s] <= T_rj`", switch="talent",
    relax=Relaxation(Lever.STOCK, "the talent's unit",
                     shortfall_teller("talent", lambda data: data.talent)))


def add_talent(m: pyo.ConcreteModel, data: ModelData) -> None:
    add_capacity(m, TALENT_LIMIT, data.talent, data)


FAMILY = Family("talent", add_talent, (TALENT_LIMIT,), modules=("capacity",))
