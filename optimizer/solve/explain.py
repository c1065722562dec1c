"""Explain an infeasible instance: re-solve an elastic copy and report the fewest shortfalls.

Every row whose family declares a `Relaxation` (optimizer/model/family.py: resource and talent
availability, targets, minimum scale, completeness, supplier reach, must-host, caps, change
budget, what today's hosts keep, least shares and gains) gets a slack, on a model prepared so
that every limit is a row (`KEEP_EVERY_ROW`). The elastic model minimises, in three stages:

1. how many limits must give, each weighted by its lever (`Lever.weight`: limits a planner can
   act on count 1, structural ones 2);
2. how far they give, each relative to how far it could ever give;
3. among sets equally good on both (within 1e-6), the set that comes first in the documented
   order `PRIORITY`: by lever (a region's resources and talent first, then policy caps, what
   today's hosts keep, least shares and gains, then a segment's target, scale, completeness
   and reach), within a lever by family and row order; within a row by region, then item,
   then segment name. This stage makes the answer independent of the solver's tie-breaking.

The answer reads as "Hillside lacks 1,240 R&D staff-years for wafer_fab; relaxing that alone
makes the instance feasible".
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.fbbt.fbbt import compute_bounds_on_expr
from pyomo.contrib.solver.solvers.highs import Highs

from optimizer.instance import Instance
from optimizer.model import build_model, declared_rows, prepare
from optimizer.model.data import EPS, KEEP_EVERY_ROW, ModelData
from optimizer.model.family import Gap, Row
from optimizer.solve.verify import FEASIBILITY

# the relaxable rows in the order equally good relaxations are preferred (stage 3 above)
RELAXED: tuple[Row, ...] = tuple(sorted((row for row in declared_rows() if row.relax),
                                        key=lambda row: row.relax.lever))
PRIORITY = [row.name for row in RELAXED]
RELAXABLE = {row.name: row.relax.lever.weight for row in RELAXED}  # what naming one counts
_POSITION = {name: i for i, name in enumerate(PRIORITY)}


@dataclass
class Shortfall:
    family: str  # the row's name
    index: tuple
    amount: float  # how far the limit must give, in its own unit
    message: str


@dataclass
class _Slack:
    row: Row
    index: tuple
    var: pyo.Var
    side: str  # "upper": the row's body exceeds its upper limit; "lower": falls below
    bound: float | None  # how far the row could ever be violated; None if unbounded

    def order_key(self) -> tuple:
        return (_POSITION[self.row.name], tuple(str(i) for i in self.index), self.side)


def explain_infeasibility(instance: Instance, time_limit: float | None = 60.0) -> list[str]:
    """Sentences a planner can act on; empty if the elastic model says nothing useful."""
    data = prepare(instance, KEEP_EVERY_ROW)
    m = build_model(data)
    shortfalls, proven = relax_and_solve(m, data, time_limit)
    if shortfalls is None:
        return ["Relaxing resources, talent, targets, scale, completeness, reach and policy "
                "limits does not make the instance feasible: check the infrastructure "
                "requirements and forbidden pairs."]
    lines = [s.message for s in shortfalls]
    if not lines:
        return ["HiGHS found no allocation, yet relaxing the limits shows none that must give: "
                "this points to numerical trouble from extreme values (check the units of very "
                "large or very small numbers)."]
    if len(lines) == 1:
        lines[0] += "; relaxing that alone makes the instance feasible."
    elif lines:
        lines.append(f"Relaxing these {len(lines)} limits together makes the instance feasible"
                     + ("; no smaller set does." if proven else "."))
    return lines


def relax_and_solve(m: pyo.ConcreteModel, data: ModelData, time_limit: float | None
                    ) -> tuple[list[Shortfall] | None, bool]:
    """The fewest limits of `m` (built on `prepare(..., KEEP_EVERY_ROW)`) that must give, by
    the three stages above, and whether stage 1 was proven; None if no relaxation helps."""
    return _solve_elastic(m, _relax(m), data, time_limit)


def _relax(m: pyo.ConcreteModel) -> list[_Slack]:
    """Add a slack to every row of the relaxable families."""
    slacks: list[_Slack] = []
    m.slack = pyo.VarList(domain=pyo.NonNegativeReals)
    for row in RELAXED:
        component = m.component(row.name)
        if component is None:
            continue
        for index, con in component.items():
            lo, body, hi = con.lower, con.body, con.upper
            least, most = compute_bounds_on_expr(body)  # before any slack enters the row
            over = m.slack.add() if hi is not None else None
            under = m.slack.add() if lo is not None else None
            con.set_value((lo, body - (over if over is not None else 0)
                           + (under if under is not None else 0), hi))
            key = index if isinstance(index, tuple) else (index,)
            if over is not None:
                slacks.append(_Slack(row, key, over, "upper",
                                     _reach_of(most, pyo.value(hi), +1)))
            if under is not None:
                slacks.append(_Slack(row, key, under, "lower",
                                     _reach_of(least, pyo.value(lo), -1)))
    return sorted(slacks, key=_Slack.order_key)


def _reach_of(extreme: float | None, limit: float, sign: int) -> float | None:
    """How far a row's body can pass its limit, from the bounds of its variables."""
    if extreme is None:
        return None
    return max(sign * (extreme - limit), EPS)


def _solve_elastic(m: pyo.ConcreteModel, slacks: list[_Slack], data: ModelData,
                   time_limit: float | None) -> tuple[list[Shortfall] | None, bool]:
    """Fewest relaxed limits, then the smallest relative relaxation, then PRIORITY order."""
    m.del_component(m.objective)
    m.relaxed = pyo.Var(range(len(slacks)), domain=pyo.Binary)
    m.relaxed_if_used = pyo.ConstraintList()
    size = []
    for i, s in enumerate(slacks):
        if s.bound is not None:
            m.relaxed_if_used.add(s.var <= s.bound * m.relaxed[i])
            size.append(s.var / max(1.0, s.bound))
        else:
            m.relaxed[i].fix(1)  # unbounded slack: counted only through its size
            size.append(s.var / 1e6)
    count = pyo.quicksum(s.row.relax.lever.weight * m.relaxed[i]
                          for i, s in enumerate(slacks))
    relative_size = pyo.quicksum(size)
    # stage 3 prefers earlier slacks: weight = position in PRIORITY order (slacks are sorted)
    position = pyo.quicksum((i + 1) * m.relaxed[i] for i, s in enumerate(slacks)
                            if s.bound is not None)
    highs = Highs()
    best, proven = None, False
    for stage, objective in enumerate((count, relative_size, position)):
        m.objective = pyo.Objective(expr=objective)
        res = highs.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                          time_limit=time_limit)
        m.del_component(m.objective)
        if res.incumbent_objective is None:
            break
        res.solution_loader.load_vars()
        best = [s for s in slacks if (s.var.value or 0.0) > 1e-6]
        value = res.incumbent_objective
        if stage == 0:
            proven = res.termination_condition.name == "convergenceCriteriaSatisfied"
            m.hold_count = pyo.Constraint(expr=count <= value + 0.5)
        elif stage == 1:
            m.hold_size = pyo.Constraint(expr=relative_size
                                         <= value + FEASIBILITY * max(1.0, value))
    if best is None:
        return None, False
    return [_describe(s, m, data) for s in best], proven


def _describe(s: _Slack, m: pyo.ConcreteModel, data: ModelData) -> Shortfall:
    amount = float(s.var.value)
    message = s.row.relax.tell(Gap(s.index, s.side, amount), m, data)
    return Shortfall(s.row.name, s.index, amount, message)
