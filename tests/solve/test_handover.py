"""A model handed over as arrays is the LP the persistent interface passes, and solves the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
from pyomo.contrib.solver.solvers.highs import Highs

from optimizer.instance import Instance, load_instance
from optimizer.model import build_model, prepare
from optimizer.solve.handover import compile_model, load_values, pass_to_highs
from optimizer.solve.solver import AllocationSolver, SolveOptions
from tests.conftest import REPO


def _every_family() -> Instance:
    """The tutorial with flows, a change budget, pairwise overlap and every lever in use."""
    instance = load_instance(REPO / "instances" / "tutorial")
    instance.settings.policy.update(flows=True, change_budget=3)
    instance.settings.objective_mode = "weighted"
    instance.settings.weights.update(pairwise_overlap=1.0, linkage=1e-3)
    t = instance.tables
    t["partnerships"] = pd.DataFrame({"leader": ["portcity"], "partner": ["hillside"],
                                      "credit_share": [0.3], "note": [""], "_row": [2]})
    t["min_shares"] = pd.DataFrame({"region": [""], "group": ["West"], "chain": ["ev"],
                                    "min_share": [0.05], "note": [""], "_row": [2]})
    t["lagging_regions"] = pd.DataFrame({"region": ["hillside"], "min_gain": [1.0],
                                         "max_loss_share": [float("nan")], "note": [""],
                                         "_row": [2]})
    return instance


def _lp(highs) -> dict:
    """What HiGHS holds, with the matrix as (column, row, value) triplets in column order."""
    lp = highs.getLp()
    a = lp.a_matrix_
    start, index, value = (np.asarray(x) for x in (a.start_, a.index_, a.value_))
    outer = np.repeat(np.arange(len(start) - 1), np.diff(start))
    col, row = (index, outer) if "Rowwise" in str(a.format_) else (outer, index)
    order = np.lexsort((row, col))
    return {"cost": np.asarray(lp.col_cost_), "offset": lp.offset_,
            "col_lower": np.asarray(lp.col_lower_), "col_upper": np.asarray(lp.col_upper_),
            "row_lower": np.asarray(lp.row_lower_), "row_upper": np.asarray(lp.row_upper_),
            "integer": np.asarray([int(x) for x in lp.integrality_]),
            "matrix": np.column_stack([col[order], row[order], value[order]])}


@pytest.mark.parametrize("instance", [_every_family, lambda: load_instance(
    REPO / "instances" / "jing_jin_ji")], ids=["tutorial, every family", "jing_jin_ji"])
def test_arrays_are_the_lp_the_persistent_interface_passes(instance):
    m = build_model(prepare(instance()))
    persistent = Highs()
    persistent.set_instance(m)
    arrays = compile_model(m)
    theirs, ours = _lp(persistent._solver_model), _lp(pass_to_highs(arrays))
    assert len(arrays.rows) == len(list(m.component_data_objects(pyo.Constraint, active=True)))
    for key, value in theirs.items():
        np.testing.assert_array_equal(ours[key], value, err_msg=key)


def test_a_fixed_variable_is_a_constant_and_values_come_back():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.y = pyo.Var(domain=pyo.Binary)
    m.z = pyo.Var(bounds=(0, None))
    m.z.fix(2)
    m.row = pyo.Constraint(expr=m.x + 3 * m.y + m.z <= 5)
    m.objective = pyo.Objective(expr=-m.x - m.y + 1, sense=pyo.minimize)
    arrays = compile_model(m)
    assert [v.name for v in arrays.columns] == ["x", "y"]
    assert arrays.row_upper.tolist() == [3.0] and arrays.integer.tolist() == [False, True]
    assert arrays.offset == 1.0
    highs = pass_to_highs(arrays)
    highs.setOptionValue("output_flag", False)
    highs.run()
    load_values(arrays, highs.getSolution().col_value)
    assert (m.x.value, m.y.value) == pytest.approx((3.0, 0.0))  # 3 + 0 beats 0 + 1
    assert highs.getInfo().objective_function_value == pytest.approx(-2.0)


def test_a_single_solve_by_arrays_matches_the_persistent_solve():
    instance = load_instance(REPO / "instances" / "jing_jin_ji")
    outcomes, layouts = [], []
    for once in (False, True):
        data = prepare(instance)
        m = build_model(data)
        outcome = AllocationSolver(SolveOptions(time_limit=60, threads=1), once=once).solve(
            m, data)
        outcomes.append(outcome)
        layouts.append({p: round(m.output[p].value, 6) for p in m.PAIRS
                        if m.host[p].value > 0.5})
    persistent, arrays = outcomes
    assert persistent.status == arrays.status == "optimal"
    assert arrays.objective == pytest.approx(persistent.objective, rel=1e-9)
    assert layouts[0] == layouts[1]  # JJJ's optimum is unique: its prices of change differ
    assert arrays.stages[0].termination == "convergenceCriteriaSatisfied"
    assert "HiGHS" in arrays.log and arrays.stages[0].solver_seconds > 0
