"""The allocation MIP in PuLP, solved by the CBC that ships in PuLP's wheel.

This is what a planner would otherwise write: one PuLP expression per row, family by
family, from the same ModelData and the same row-selection helpers as the Pyomo model, so
it is the same MIP (the tests check the optimum on small instances). CBC runs as a separate
program; its log gives the bound, gap and node count. PuLP is optional: `available()` says
whether it is installed.
"""

from __future__ import annotations

import re
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optimizer.bench.direct_highs import combine_stages
from optimizer.instance.levers import refuse_levers
from optimizer.model.benefit_sharing import loss_floors
from optimizer.model.capacity import binding_rows
from optimizer.model.chain_completeness import reach_keys
from optimizer.model.change import (
    change_prices,
    priced_hosts,
    protection_floors,
    shrink_floors,
)
from optimizer.model.data import ModelData
from optimizer.model.duplication import most_hosts
from optimizer.model.objective import used_terms, weighted
from optimizer.model.participation import capped_regions, chain_pairs, entry_costs
from optimizer.model.policy import capped_region_list, capped_segment_list
from optimizer.solve.solver import relative_gap


def available() -> bool:
    try:
        import pulp
    except ImportError:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return bool(pulp.PULP_CBC_CMD().available())


@dataclass
class PulpModel:
    problem: Any  # pulp.LpProblem
    terms: dict[str, Any]  # term name -> LpAffineExpression
    host: dict[tuple[str, str], Any]
    output: dict[tuple[str, str], Any]
    holds: list = field(default_factory=list)


@dataclass
class PulpOutcome:
    status: str
    objective: float | None
    bound: float | None
    mip_gap: float | None
    nodes: int
    cbc_seconds: float
    stages: list[dict]


def build_pulp(data: ModelData) -> PulpModel:
    """The MIP of build_model(data) as a PuLP problem (objective set per stage at solve)."""
    import pulp

    refuse_levers(data.instance.tables, "the PuLP baseline")

    prob = pulp.LpProblem(data.instance.settings.name.replace(" ", "_") or "allocation",
                          pulp.LpMinimize)
    idx = {p: i for i, p in enumerate(data.eligible)}
    host = {p: _var(prob, f"h{idx[p]}", 0, 1, pulp.LpBinary) for p in data.eligible}
    output = {p: _var(prob, f"q{idx[p]}", 0, data.upper[p]) for p in data.eligible}
    m = PulpModel(prob, {}, host, output)
    _targets(m, data)
    _host_scale(m, data)
    _capacity(m, data)
    _completeness(m, data)
    m.terms["linkage"] = _flows(m, data)
    in_chain = _participation(m, data)
    _policy(m, data, in_chain)
    m.terms["compensation"] = _benefit_sharing(m, data)
    m.terms.update(_duplication(m, data))
    change, change_constant = _change(m, data)
    m.terms["cost"] = _cost(m, data, in_chain, change, change_constant)
    return m


def _var(prob, name: str, low: float | None = 0, up: float | None = None,
         cat: str = "Continuous") -> Any:
    """A variable the way the installed PuLP wants it (3.x deprecates LpVariable(...))."""
    import pulp

    if hasattr(prob, "add_variable"):
        return prob.add_variable(name, low, up, cat=cat)
    return pulp.LpVariable(name, low, up, cat=cat)


def _sum(pairs) -> Any:
    import pulp

    return pulp.LpAffineExpression(list(pairs))


def _add(m: PulpModel, constraint, name: str) -> None:
    m.problem.addConstraint(constraint, name)


def _targets(m: PulpModel, data: ModelData) -> None:
    for i, s in enumerate(data.segments):
        regions = data.eligible_regions(s)
        if not regions:
            continue
        lo, hi = data.segment[s]["target_min"], data.segment[s]["target_max"]
        total = _sum((m.output[(r, s)], 1.0) for r in regions)
        if lo == hi:
            _add(m, total == lo, f"target_{i}")
        else:
            _add(m, total >= lo, f"target_lo_{i}")
            _add(m, total <= hi, f"target_hi_{i}")


def _host_scale(m: PulpModel, data: ModelData) -> None:
    for i, (r, s) in enumerate(data.eligible):
        scale = data.segment[s]["min_scale"]
        x, q = m.host[(r, s)], m.output[(r, s)]
        if scale > 0:
            _add(m, _sum([(q, 1.0), (x, -scale)]) >= 0, f"min_scale_{i}")
        _add(m, _sum([(q, 1.0), (x, -data.upper[(r, s)])]) <= 0, f"max_scale_{i}")


def _capacity(m: PulpModel, data: ModelData) -> None:
    for switch, rows in (("resources", data.resources), ("talent", data.talent)):
        caps = binding_rows(rows if data.policy[switch] else [], data)
        for i, cap in enumerate(caps.values()):
            _add(m, _sum((m.output[(cap.region, s)], u) for s, u in cap.use.items())
                 <= cap.available, f"{switch}_{i}")


def _completeness(m: PulpModel, data: ModelData) -> None:
    if data.policy["chain_completeness"]:
        for i, s in enumerate(data.segments):
            if data.eligible_regions(s):
                _add(m, _sum((m.host[(r, s)], 1.0) for r in data.eligible_regions(s)) >= 1,
                     f"hosted_{i}")
    for i, (s, t, r) in enumerate(reach_keys(data)):
        near = [(m.host[(q, s)], -1.0) for q in data.suppliers[(s, t, r)]]
        _add(m, _sum([(m.host[(r, t)], 1.0), *near]) <= 0, f"reach_{i}")


def _flows(m: PulpModel, data: ModelData) -> Any:

    if not data.policy["flows"]:
        return _sum([])
    intensity = {(s, t): a for s, t, _, a in data.links if a > 0}
    keys = [k for k in data.suppliers if k[:2] in intensity]
    flow, out_of, linkage = {}, {}, []
    for i, (s, t, r) in enumerate(keys):
        into = []
        for q in data.suppliers[(s, t, r)]:
            f = flow[(s, t, r, q)] = _var(m.problem, f"f{len(flow)}")
            into.append((f, 1.0))
            out_of.setdefault((s, q), []).append((f, 1.0))
            linkage.append((f, data.dist(r, q)))
        _add(m, _sum([*into, (m.output[(r, t)], -intensity[(s, t)])]) == 0, f"covers_{i}")
    for i, ((s, q), fs) in enumerate(out_of.items()):
        _add(m, _sum([*fs, (m.output[(q, s)], -1.0)]) <= 0, f"supplier_cap_{i}")
    return _sum(linkage)


def _participation(m: PulpModel, data: ModelData) -> dict[tuple[str, str], Any]:
    import pulp

    y = {rc: _var(m.problem, f"y{i}", 0, 1, pulp.LpBinary)
         for i, rc in enumerate(chain_pairs(data))}
    for i, (r, s) in enumerate(data.eligible):
        rc = (r, data.chain_of[s])
        if rc in y:
            _add(m, _sum([(m.host[(r, s)], 1.0), (y[rc], -1.0)]) <= 0, f"in_chain_{i}")
    return y


def _policy(m: PulpModel, data: ModelData, y: dict) -> None:
    for i, p in enumerate(sorted(data.must)):
        if data.is_eligible(p):
            _add(m, _sum([(m.host[p], 1.0)]) == 1, f"must_{i}")
    for i, s in enumerate(capped_segment_list(data)):
        _add(m, _sum((m.host[(r, s)], 1.0) for r in data.eligible_regions(s))
             <= data.segment[s]["max_hosts"], f"max_hosts_{i}")
    for i, r in enumerate(capped_region_list(data)):
        _add(m, _sum((m.host[(r, s)], 1.0) for s in data.eligible_segments(r))
             <= data.region[r]["max_segments"], f"max_segments_{i}")
    for i, (r, cap) in enumerate(capped_regions(data).items()):
        _add(m, _sum((v, 1.0) for (q, _), v in y.items() if q == r) <= cap, f"max_chains_{i}")
    budget = data.policy["change_budget"]
    if budget is not None:
        terms = [(m.host[p], -1.0) for p in data.current if data.is_eligible(p)]
        terms += [(m.host[p], 1.0) for p in data.eligible if p not in data.current]
        _add(m, _sum(terms) <= budget - len(data.current), "change_budget")


def _benefit_sharing(m: PulpModel, data: ModelData) -> Any:

    comp = []
    for i, (r, floor) in enumerate(loss_floors(data).items()):
        h = _var(m.problem, f"comp{i}")
        comp.append((h, 1.0))
        va = [(m.output[(r, s)], data.segment[s]["value_added_rate"])
              for s in data.eligible_segments(r)]
        _add(m, _sum([*va, (h, 1.0)]) >= floor, f"loss_floor_{i}")
    return _sum(comp)


def _duplication(m: PulpModel, data: ModelData) -> dict[str, Any]:

    excess, overlap = [], []
    pairwise = "pairwise_overlap" in used_terms(data.instance.settings)
    for i, s in enumerate(data.segments):
        regions = data.eligible_regions(s)
        if not regions:
            continue
        w = data.segment[s]["weight"]
        e = _var(m.problem, f"excess{i}")
        excess.append((e, w))
        hosts = [(m.host[(r, s)], 1.0) for r in regions]
        _add(m, _sum([(e, 1.0), *((x, -1.0) for x, _ in hosts)]) >= -1, f"excess_def_{i}")
        if not pairwise:
            continue
        n = _var(m.problem, f"n{i}", 0, most_hosts(data, s))
        z = _var(m.problem, f"overlap{i}")
        overlap.append((z, w))
        _add(m, _sum([*hosts, (n, -1.0)]) == 0, f"hosts_count_{i}")
        for k in range(1, most_hosts(data, s)):
            _add(m, _sum([(z, 1.0), (n, -float(k))]) >= -k * (k + 1) / 2, f"tangent_{i}_{k}")
    return {"excess_hosts": _sum(excess), "pairwise_overlap": _sum(overlap)}


def _change(m: PulpModel, data: ModelData) -> tuple[list, float]:
    """model/change.py: shrinkage, max_shrink, protected shares; the cost terms and constant."""
    prices = change_prices(data)
    shrink = {}
    for i, p in enumerate(priced_hosts(data, prices)):
        shrink[p] = _var(m.problem, f"shrink{i}", 0, data.current[p])
        _add(m, _sum([(m.output[p], 1.0), (shrink[p], 1.0)]) >= data.current[p],
             f"shrink_def_{i}")
    for i, (p, floor) in enumerate(shrink_floors(data).items()):
        _add(m, _sum([(m.output[p], 1.0), (m.host[p], -floor)]) >= 0, f"max_shrink_{i}")
    for i, (p, floor) in enumerate(protection_floors(data).items()):
        _add(m, _sum([(m.output[p], 1.0)]) >= floor, f"protected_share_{i}")
    terms, constant = [], 0.0
    for p, (grow, strand) in prices.items():
        before = data.current.get(p, 0.0)
        if not data.is_eligible(p):
            constant += strand * before if before > 0 else 0.0
        elif before > 0:
            constant -= grow * before
            terms += [(m.output[p], grow), (shrink[p], grow + strand)]
        elif grow:
            terms += [(m.output[p], grow), (m.host[p], -grow * data.segment[p[1]]["min_scale"])]
    return terms, constant


def _cost(m: PulpModel, data: ModelData, y: dict, change: list, change_constant: float
          ) -> Any:
    table = data.instance.tables["costs"]
    terms, constant = list(change), change_constant
    for r, s, unit, opening, closure in zip(table["region"], table["segment"],
                                            table["unit_cost"], table["opening_cost"],
                                            table["closure_cost"], strict=True):
        p = (r, s)
        if p in data.current and closure > 0:
            constant += closure
            if data.is_eligible(p):
                terms.append((m.host[p], -closure))
        if not data.is_eligible(p):
            continue
        if unit != 0:
            terms.append((m.output[p], unit))
        if p not in data.current and opening > 0:
            terms.append((m.host[p], opening))
    terms += [(y[rc], g) for rc, g in entry_costs(data).items() if rc in y]
    merged: dict = {}  # PuLP keeps the last coefficient of a repeated variable: add them up
    for var, coef in terms:
        merged[var] = merged.get(var, 0.0) + coef
    expr = _sum(merged.items())
    expr.constant = constant
    return expr


# --- solving -------------------------------------------------------------------------------

def solve_pulp(m: PulpModel, data: ModelData, time_limit: float | None, mip_gap: float,
               threads: int | None = None) -> PulpOutcome:
    """CBC on the same stages as AllocationSolver: weighted once, or term by term."""
    settings = data.instance.settings
    lexicographic = settings.objective_mode == "lexicographic"
    order = (used_terms(settings) or ["excess_hosts"]) if lexicographic else ["weighted"]
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    stages: list[dict] = []
    for k, name in enumerate(order):
        weights = {name: 1.0} if lexicographic else weighted(settings)
        m.problem.setObjective(_weighted(m, weights))
        left = None if deadline is None else max(deadline - time.perf_counter(), 1.0)
        stage = _run_cbc(m, name, left, mip_gap, threads)
        stages.append(stage)
        if stage["objective"] is None or not lexicographic:
            break
        value = stage["objective"]
        slack = settings.tolerance * abs(value) + 1e-6 * max(1.0, abs(value))
        m.problem.addConstraint(m.terms[name] <= value + slack, f"hold_{k}")
    return _outcome(stages)


def _weighted(m: PulpModel, weights: dict[str, float]) -> Any:
    import pulp

    expr = pulp.LpAffineExpression()
    for name, w in weights.items():
        if w:
            expr.addInPlace(w * m.terms[name])
    return expr


def _run_cbc(m: PulpModel, name: str, time_limit: float | None, mip_gap: float,
             threads: int | None) -> dict:
    import pulp

    with tempfile.TemporaryDirectory(prefix="cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        with warnings.catch_warnings():  # PuLP 3 deprecates its bundled CBC (gone in 4)
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=mip_gap,
                                       threads=threads, logPath=str(log), keepFiles=False)
        start = time.perf_counter()
        m.problem.solve(solver)
        seconds = time.perf_counter() - start
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    found = m.problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = pulp.value(m.problem.objective) if found else None
    optimal = m.problem.status == pulp.LpStatusOptimal and "Stopped" not in text
    bound = objective if optimal else _log_number(text, r"Lower bound:\s*(\S+)")
    return {"objective_term": name, "status": "optimal" if optimal else (
        "feasible" if found else pulp.LpStatus[m.problem.status].lower()),
        "objective": objective, "bound": bound, "mip_gap": relative_gap(objective, bound),
        "nodes": int(_log_number(text, r"Enumerated nodes:\s*(\S+)") or 0),
        "cbc_seconds": seconds}


def _log_number(text: str, pattern: str) -> float | None:
    found = re.findall(pattern, text)
    try:
        return float(found[-1]) if found else None
    except ValueError:
        return None



def _outcome(stages: list[dict]) -> PulpOutcome:
    return PulpOutcome(*combine_stages(stages, "cbc_seconds"), stages)
