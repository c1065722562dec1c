"""Explain an infeasible instance: re-solve an elastic copy and report the fewest shortfalls.

Every limit a planner can act on (resource and talent availability, targets, minimum scale,
completeness, supplier reach, must-host, caps, change budget) gets a slack. The elastic model
minimises, in three stages:

1. how many limits must give, weighted by `RELAXABLE` (limits a planner can act on count 1,
   structural ones 2);
2. how far they give, each relative to how far it could ever give;
3. among sets equally good on both (within 1e-6), the set that comes first in the documented
   order `PRIORITY`: a region's resources and talent first, then policy caps, then a
   segment's target, scale, completeness and reach; within a family by region, then item,
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
from optimizer.model import build_model, prepare
from optimizer.model.data import EPS, ModelData
from optimizer.model.min_gain import min_gains
from optimizer.model.min_share import min_share_rows

# family -> weight when counting relaxed limits: limits a planner can act on (investment in
# resources or talent, policy) count 1; structural ones, which mostly restate the problem
# ("the target cannot be met"), count 2 so they are named only when nothing better exists.
RELAXABLE = {"resource_limit": 1, "talent_limit": 1, "must_host": 1, "max_hosts": 1,
             "max_segments": 1, "max_chains": 1, "change_budget": 1, "max_shrink": 1,
             "protected_share": 1, "min_share": 1, "min_gain": 1, "target": 2,
             "min_scale": 2, "segment_hosted": 2, "supplier_in_reach": 2}
# the order in which equally good relaxations are preferred (stage 3 above)
PRIORITY = ["resource_limit", "talent_limit", "must_host", "max_hosts", "max_segments",
            "max_chains", "change_budget", "max_shrink", "protected_share", "min_share",
            "min_gain", "target", "min_scale", "segment_hosted", "supplier_in_reach"]


@dataclass
class Shortfall:
    family: str
    index: tuple
    amount: float  # how far the limit must give, in its own unit
    message: str


@dataclass
class _Slack:
    family: str
    index: tuple
    var: pyo.Var
    side: str  # "upper": the row's body exceeds its upper limit; "lower": falls below
    bound: float | None  # how far the row could ever be violated; None if unbounded

    def order_key(self) -> tuple:
        return (PRIORITY.index(self.family), tuple(str(i) for i in self.index), self.side)


def explain_infeasibility(instance: Instance, time_limit: float | None = 60.0) -> list[str]:
    """Sentences a planner can act on; empty if the elastic model says nothing useful."""
    data = prepare(instance, elastic=True)
    m = build_model(data)
    slacks = _relax(m)
    shortfalls, proven = _solve_elastic(m, slacks, data, time_limit)
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


def _relax(m: pyo.ConcreteModel) -> list[_Slack]:
    """Add a slack to every row of the relaxable families."""
    slacks: list[_Slack] = []
    m.slack = pyo.VarList(domain=pyo.NonNegativeReals)
    for family in RELAXABLE:
        component = getattr(m, family, None)
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
                slacks.append(_Slack(family, key, over, "upper",
                                     _reach_of(most, pyo.value(hi), +1)))
            if under is not None:
                slacks.append(_Slack(family, key, under, "lower",
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
    count = pyo.quicksum(RELAXABLE[s.family] * m.relaxed[i] for i, s in enumerate(slacks))
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
            m.hold_size = pyo.Constraint(expr=relative_size <= value + 1e-6 * max(1.0, value))
    if best is None:
        return None, False
    return [_describe(s, m, data) for s in best], proven


def _unit(data: ModelData, kind: str, name: str) -> str:
    return (data.instance.settings.units.get(kind) or {}).get(name, "")


def _hosted_using(data: ModelData, m: pyo.ConcreteModel, region: str, kind: str,
                  caps: list) -> str:
    use = next((c.use for c in caps if c.region == region and c.kind == kind), {})
    segs = sorted((s for s in use if data.is_eligible((region, s))
                   and (m.output[region, s].value or 0) > EPS),
                  key=lambda s: -use[s] * m.output[region, s].value)
    return ", ".join(segs) or "its segments"


def _describe(s: _Slack, m: pyo.ConcreteModel, data: ModelData) -> Shortfall:
    amount = float(s.var.value)
    idx = s.index
    text = {
        "resource_limit": lambda: (
            f"{idx[0]} lacks {amount:,.4g} {_unit(data, 'resources', idx[1])} of {idx[1]} for "
            f"{_hosted_using(data, m, idx[0], idx[1], data.resources)}"),
        "talent_limit": lambda: (
            f"{idx[0]} lacks {amount:,.4g} {_unit(data, 'talent', idx[1])} of {idx[1]} for "
            f"{_hosted_using(data, m, idx[0], idx[1], data.talent)}"),
        "target": lambda: (
            f"Segment {idx[0]} can place only {data.segment[idx[0]]['target_min'] - amount:,.4g}"
            f" of its least target {data.segment[idx[0]]['target_min']:,.4g}"
            if s.side == "lower" else
            f"Segment {idx[0]} must make {amount:,.4g} more than its target_max "
            f"{data.segment[idx[0]]['target_max']:,.4g}"),
        "min_scale": lambda: (
            f"{idx[0]} would make {idx[1]} {amount:,.4g} below its minimum scale "
            f"{data.segment[idx[1]]['min_scale']:,.4g}"),
        "segment_hosted": lambda: f"No region can host segment {idx[0]} within the other limits",
        "supplier_in_reach": lambda: (
            f"{idx[2]} hosts {idx[1]} with no region able to host its supplier {idx[0]} "
            "within reach"),
        "must_host": lambda: (
            f"Policy says {idx[0]} must host {idx[1]}, which the other limits do not allow"),
        "max_hosts": lambda: (
            f"Segment {idx[0]} needs {amount:,.4g} more host(s) than its max_hosts "
            f"{data.segment[idx[0]]['max_hosts']:g}"),
        "max_segments": lambda: (
            f"{idx[0]} needs {amount:,.4g} more segment(s) than its max_segments "
            f"{data.region[idx[0]]['max_segments']:g}"),
        "max_chains": lambda: (
            f"{idx[0]} needs {amount:,.4g} more chain(s) than its max_chains "
            f"{data.region[idx[0]]['max_chains']:g}"),
        "min_share": lambda: (
            f"{min_share_rows(data)[idx[0]].area} falls {amount:,.4g} short of its least share "
            f"({min_share_rows(data)[idx[0]].share:g}) of {min_share_rows(data)[idx[0]].what}"),
        "min_gain": lambda: (
            f"Lagging region {idx[0]} falls {amount:,.4g} of value added short of its "
            f"min_gain ({min_gains(data)[idx[0]]:g})"),
        "change_budget": lambda: (
            f"The change budget ({data.policy['change_budget']}) is {amount:,.4g} change(s) "
            "short"),
        "max_shrink": lambda: (
            f"{idx[0]} would have to shrink {idx[1]} {amount:,.4g} beyond its max_shrink "
            f"(today {data.current.get((idx[0], idx[1]), 0.0):,.4g})"),
        "protected_share": lambda: (
            f"Protected host {idx[0]} {idx[1]} can keep only {amount:,.4g} less than its "
            f"protected share of today's {data.current.get((idx[0], idx[1]), 0.0):,.4g}"),
    }[s.family]()
    return Shortfall(s.family, idx, amount, text)
