"""The family declarations are the model: every row built is declared once, with its switch."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from optimizer.instance import Instance, load_instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model import FAMILIES, build_model, declared_rows, prepare
from optimizer.model.family import Lever
from tests.conftest import REPO


def _tutorial(**policy) -> Instance:
    """The tutorial with every switchable family on: flows, a change budget, pairwise overlap."""
    instance = load_instance(REPO / "instances" / "tutorial")
    instance.settings.policy.update({"flows": True, "change_budget": 3} | policy)
    instance.settings.objective_mode = "weighted"
    instance.settings.weights.update(pairwise_overlap=1.0)
    return instance


def _rows(instance: Instance) -> dict[str, int]:
    m = build_model(prepare(instance))
    return {c.local_name: len(c) for c in m.component_objects(pyo.Constraint)}


def test_every_row_built_is_declared_once_and_every_declared_row_is_built():
    names = [row.name for row in declared_rows()]
    assert len(names) == len(set(names))
    assert list(_rows(_tutorial())) == names  # and in build order


def test_every_objective_term_is_defined_by_one_family():
    declared = [t for family in FAMILIES for t in family.terms]
    assert sorted(declared) == sorted(OBJECTIVE_TERMS)
    m = build_model(prepare(_tutorial()))
    assert all(hasattr(m, f"term_{t}") for t in declared)


@pytest.mark.parametrize("row", [row for row in declared_rows() if row.switch],
                         ids=lambda row: row.name)
def test_a_switch_turns_its_rows_on_and_off(row):
    assert row.switch in _tutorial().settings.policy
    assert _rows(_tutorial())[row.name] > 0
    off = None if row.switch == "change_budget" else False
    assert _rows(_tutorial(**{row.switch: off}))[row.name] == 0


def test_a_change_budget_of_zero_is_a_limit_not_off():
    assert _rows(_tutorial(change_budget=0))["change_budget"] == 1


def test_relaxations_are_declared_where_a_planner_can_act():
    relaxed = {row.name: row.relax.lever for row in declared_rows() if row.relax}
    # stocks first, structural limits last and counted double
    assert relaxed["resource_limit"] == relaxed["talent_limit"] == Lever.STOCK
    assert {relaxed[n] for n in ("target", "min_scale", "segment_hosted",
                                 "supplier_in_reach")} == {Lever.STRUCTURE}
    assert Lever.STRUCTURE.weight == 2 and Lever.CAPS.weight == 1
    # rows that define a helper variable are never relaxed
    assert not any(row.relax for row in declared_rows() if row.defines)
