"""Check every answer before it is reported, from the allocation alone.

HiGHS meets rows only within its feasibility tolerance, may hand back auxiliary variables
(chain participation, host counts, compensation) that the decisions do not imply, and after
presolve may report an objective computed without a column it removed. So after every solve:

- `imply` sets each auxiliary variable to what the host and output decisions imply (a region
  is in a chain exactly when it hosts one of its segments; compensation is exactly what the
  loss floor leaves owed), so a later stage starts from a consistent point;
- `recheck` recomputes every objective term and every hard limit from the allocation and the
  instance tables alone, without reading any model variable but the decisions, and says when
  the solver's objective and the allocation's disagree, or a limit is broken, beyond the
  solver's feasibility scale (`FEASIBILITY`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pyomo.environ as pyo

from optimizer.model.benefit_sharing import loss_floors
from optimizer.model.change import change_cost_of, protection_floors, shrink_floors
from optimizer.model.data import ModelData, Pair
from optimizer.model.min_gain import gain_shortfalls
from optimizer.model.min_share import share_shortfalls
from optimizer.model.participation import entry_costs
from optimizer.model.partnerships import credit_balances, imply_new_output

# HiGHS's mip_feasibility_tolerance: a row may be off by this much (relative to its size
# here), so numbers that differ by less are the same number
FEASIBILITY = 1e-6

Flows = dict[tuple[str, str, str, str], float]  # (supplier s, user t, user region, host)


@dataclass
class Verification:
    """What the allocation itself achieves, against what the solver said."""

    terms: dict[str, float]
    objective: float
    solver_objective: float | None
    violations: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return self.solver_objective is None or close(self.objective, self.solver_objective)

    @property
    def ok(self) -> bool:
        return self.agrees and not self.violations

    def problems(self) -> list[str]:
        found = list(self.violations)
        if not self.agrees:
            found.insert(0, f"the solver's objective {self.solver_objective:,.6g} differs from "
                            f"{self.objective:,.6g}, which the allocation achieves")
        return found

    def to_dict(self) -> dict:
        return {"ok": self.ok, "objective_recomputed": self.objective,
                "objective_solver": self.solver_objective, "problems": self.problems()}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= FEASIBILITY * max(1.0, abs(a), abs(b))


def allocation_of(m: pyo.ConcreteModel) -> tuple[dict[Pair, float], Flows]:
    """The decisions: output of every host (host > 0.5), and the flows where modelled."""
    layout = {p: max(float(pyo.value(m.output[p])), 0.0) for p in m.PAIRS
              if (m.host[p].value or 0.0) > 0.5}
    flows = {k: float(v.value) for k, v in m.flow.items() if (v.value or 0.0) > 0.0} \
        if hasattr(m, "flow") else {}
    return layout, flows


def imply(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Set every auxiliary variable to what the host and output decisions imply."""
    layout, _ = allocation_of(m)
    for p in m.PAIRS:
        m.host[p].set_value(1.0 if p in layout else 0.0, skip_validation=True)
    in_chain = {(r, data.chain_of[s]) for r, s in layout}
    for rc in getattr(m, "CHAIN_PAIRS", []):
        m.in_chain[rc].set_value(1.0 if rc in in_chain else 0.0)
    counts = host_counts(data, layout)
    for s in m.excess:
        m.excess[s].set_value(max(counts[s] - 1, 0))
    for s in m.hosts_count:
        m.hosts_count[s].set_value(counts[s])
        m.overlap[s].set_value(counts[s] * (counts[s] - 1) / 2)
    imply_new_output(m, data, layout)
    owed = compensation_owed(data, layout)
    for r in m.compensation:
        m.compensation[r].set_value(owed.get(r, 0.0))
    for p in getattr(m, "shrink", []):  # model/change.py: shrinkage below today's output
        m.shrink[p].set_value(max(data.current[p] - layout.get(p, 0.0), 0.0))


def host_counts(data: ModelData, layout: dict[Pair, float]) -> dict[str, int]:
    counts = dict.fromkeys(data.segments, 0)
    for _, s in layout:
        counts[s] += 1
    return counts


def value_added(data: ModelData, layout: dict[Pair, float]) -> dict[str, float]:
    va = dict.fromkeys(data.regions, 0.0)
    for (r, s), q in layout.items():
        va[r] += data.segment[s]["value_added_rate"] * q
    return va


def compensation_owed(data: ModelData, layout: dict[Pair, float]) -> dict[str, float]:
    """Region -> the value added its loss floor leaves owed (zero above the floor)."""
    va = value_added(data, layout)
    for r, credit in credit_balances(data, layout).items():  # "1+N" partnerships
        va[r] += credit
    return {r: max(floor - va[r], 0.0) for r, floor in loss_floors(data).items()}


def allocation_terms(data: ModelData, layout: dict[Pair, float], flows: Flows
                     ) -> dict[str, float]:
    """Every objective term, from the allocation and the instance tables alone."""
    counts = host_counts(data, layout)
    weight = {s: data.segment[s]["weight"] for s in data.segments}
    return {
        "excess_hosts": sum(weight[s] * max(n - 1, 0) for s, n in counts.items()),
        "pairwise_overlap": sum(weight[s] * n * (n - 1) / 2 for s, n in counts.items()),
        "cost": _cost(data, layout),
        "linkage": sum(data.dist(r, q) * f for (_, _, r, q), f in flows.items()),
        "compensation": sum(compensation_owed(data, layout).values()),
    }


def _cost(data: ModelData, layout: dict[Pair, float]) -> float:
    table = data.instance.tables["costs"]
    total = 0.0
    for r, s, unit, opening, closure in zip(table["region"], table["segment"],
                                            table["unit_cost"], table["opening_cost"],
                                            table["closure_cost"], strict=True):
        pair = (r, s)
        if pair in layout:
            total += unit * layout[pair] + (opening if pair not in data.current else 0.0)
        elif pair in data.current:
            total += closure
    chains = {(r, data.chain_of[s]) for r, s in layout}
    change = change_cost_of(data, layout)  # growth and shrinkage (model/change.py)
    return total + sum(g for rc, g in entry_costs(data).items() if rc in chains) + \
        change["growth_cost"] + change["shrink_cost"]


def violations(data: ModelData, layout: dict[Pair, float], flows: Flows) -> list[str]:
    """Every hard limit the allocation breaks beyond the feasibility scale, in words."""
    found = [f"{r} hosts {s}, which it may not: {data.excluded.get((r, s), 'not eligible')}"
             for r, s in layout if not data.is_eligible((r, s))]
    found += _scale_and_targets(data, layout)
    found += _capacities(data, layout)
    found += _completeness_and_reach(data, layout)
    found += _policy(data, layout)
    found += _change_limits(data, layout)
    found += _flows(data, layout, flows)
    found += share_shortfalls(data, layout) + gain_shortfalls(data, layout)
    return found


def _change_limits(data: ModelData, layout: dict[Pair, float]) -> list[str]:
    """max_shrink for kept hosts, and protected hosts' shares (model/change.py)."""
    found = [f"{r} keeps {s} at {layout[(r, s)]:,.6g}, below the {floor:,.6g} its max_shrink "
             "allows" for (r, s), floor in shrink_floors(data).items()
             if (r, s) in layout and _over(floor, layout[(r, s)])]
    found += [f"protected host {r} {s} makes {layout.get((r, s), 0.0):,.6g}, below its "
              f"protected {floor:,.6g}" for (r, s), floor in protection_floors(data).items()
              if _over(floor, layout.get((r, s), 0.0))]
    return found


def _over(value: float, limit: float) -> bool:
    return value > limit + FEASIBILITY * max(1.0, abs(limit))


def _scale_and_targets(data: ModelData, layout: dict[Pair, float]) -> list[str]:
    found = []
    total = dict.fromkeys(data.segments, 0.0)
    for (r, s), q in layout.items():
        total[s] += q
        least = data.segment[s]["min_scale"]
        if _over(least, q):
            found.append(f"{r} makes {q:,.6g} of {s}, below its minimum scale {least:,.6g}")
        if (r, s) in data.upper and _over(q, data.upper[(r, s)]):
            found.append(f"{r} makes {q:,.6g} of {s}, above the most it can make "
                         f"{data.upper[(r, s)]:,.6g}")
    for s, q in total.items():
        lo, hi = data.segment[s]["target_min"], data.segment[s]["target_max"]
        if data.eligible_regions(s) and (_over(lo, q) or _over(q, hi)):
            found.append(f"{s} totals {q:,.6g}, outside its target [{lo:,.6g}, {hi:,.6g}]")
    return found


def _capacities(data: ModelData, layout: dict[Pair, float]) -> list[str]:
    rows = (data.resources if data.policy["resources"] else []) + (
        data.talent if data.policy["talent"] else [])
    found = []
    for cap in rows:
        used = sum(u * layout.get((cap.region, s), 0.0) for s, u in cap.use.items())
        if _over(used, cap.available):
            found.append(f"{cap.region} uses {used:,.6g} of {cap.kind}, more than its "
                         f"{cap.available:,.6g}")
    return found


def _completeness_and_reach(data: ModelData, layout: dict[Pair, float]) -> list[str]:
    hosts: dict[str, list[str]] = {s: [] for s in data.segments}
    for r, s in layout:
        hosts[s].append(r)
    found = []
    if data.policy["chain_completeness"]:
        found += [f"{s} is hosted nowhere" for s in data.segments
                  if data.eligible_regions(s) and not hosts[s]]
    if data.policy["supplier_reach"]:
        for s, t, reach, _ in data.links:
            for r in hosts[t]:
                near = hosts[s] if math.isinf(reach) else [
                    q for q in hosts[s] if data.dist(r, q) <= reach + 1e-6]
                if not near:
                    found.append(f"{r} hosts {t} with no host of its supplier {s} within "
                                 f"{reach:g}")
    return found


def _policy(data: ModelData, layout: dict[Pair, float]) -> list[str]:
    found = [f"policy says {r} must host {s}, but it does not"
             for r, s in sorted(data.must) if (r, s) not in layout]
    segments: dict[str, set[str]] = {r: set() for r in data.regions}
    for r, s in layout:
        segments[r].add(s)
    counts = host_counts(data, layout)
    for s, n in counts.items():
        cap = data.segment[s]["max_hosts"]
        if cap == cap and n > cap:
            found.append(f"{s} has {n} hosts, more than its max_hosts {cap:g}")
    for r, mine in segments.items():
        cap, chain_cap = data.region[r]["max_segments"], data.region[r]["max_chains"]
        chains = {data.chain_of[s] for s in mine}
        if cap == cap and len(mine) > cap:
            found.append(f"{r} hosts {len(mine)} segments, more than its max_segments {cap:g}")
        if chain_cap == chain_cap and len(chains) > chain_cap:
            found.append(f"{r} takes part in {len(chains)} chains, more than its max_chains "
                         f"{chain_cap:g}")
    budget = data.policy["change_budget"]
    changed = len(set(data.current) ^ set(layout))
    if budget is not None and changed > budget:
        found.append(f"{changed} allocations change, more than the change budget {budget}")
    return found


def _flows(data: ModelData, layout: dict[Pair, float], flows: Flows) -> list[str]:
    if not data.policy["flows"]:
        return []
    need = {(s, t): a for s, t, _, a in data.links if a > 0}
    into: dict[tuple[str, str, str], float] = {}
    out_of: dict[tuple[str, str], float] = {}
    for (s, t, r, q), f in flows.items():
        into[(s, t, r)] = into.get((s, t, r), 0.0) + f
        out_of[(s, q)] = out_of.get((s, q), 0.0) + f
    found = []
    for (s, t), a in need.items():
        for (r, seg), q in layout.items():
            got = into.get((s, t, r), 0.0)
            if seg == t and not close(got, a * q):
                found.append(f"{r} receives {got:,.6g} of {s} for {t}, not the {a * q:,.6g} "
                             "it uses")
    for (s, q), sent in out_of.items():
        if _over(sent, layout.get((q, s), 0.0)):
            found.append(f"{q} ships {sent:,.6g} of {s}, more than it makes")
    return found


def recheck(data: ModelData, layout: dict[Pair, float], flows: Flows, weights: dict[str, float],
            solver_objective: float | None) -> Verification:
    """The allocation's own terms and objective (weights: term -> weight), and what it breaks."""
    terms = allocation_terms(data, layout, flows)
    objective = sum(w * terms[t] for t, w in weights.items())
    return Verification(terms, objective, solver_objective, violations(data, layout, flows))
