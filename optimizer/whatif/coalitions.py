"""What a coalition of groups costs when its regions plan alone: one persistent model, restricted.

A coalition `S` of groups (provinces) plans only its own regions `R_S`:
- it produces what its regions produce today: for each segment, the instance's target range
  times the coalition's share of today's output, `D_s(S) = D_s * sum_{r in R_S} q0_rs / sum_r q0_rs`
  (for the grand coalition that is the instance's own target);
- the chains it takes part in today must be complete inside it, suppliers in reach inside
  it: every segment of those chains, and every segment that supplies one of them (closed
  under links), is its scope. A scope segment it does not make today is built at minimum
  scale (`D_s(S) = m_s`): a province planning alone builds its own full chains;
- only its regions' costs count: every objective term is attributed to the regions that
  incur it (see `Attribution`), and `v(S)` is the weighted sum over `R_S`.

A scope segment that no region of the coalition can host (no science base for R&D, no land
for a refinery) is handled by the rule `incomplete`:
- `buy_in`: the coalition buys it from outside; it is not hosted inside, its today's output
  in the coalition (if any) is bought too, and links from it need no supplier inside. The
  purchase itself has no price in the instance, so such a coalition's cost is a lower bound.
- `drop_chain`: the coalition leaves every chain that needs such a segment: it makes none
  of that chain, closing its hosts (closure costs and loss compensation count).

The model is built once; a coalition is imposed by bounding the variables of outside
regions to 0, lifting the few rows that breaks (loss floors, must-host pins), and changing
the mutable target and hosting bounds, so HiGHS keeps the model between coalitions
(pyomo.contrib.solver Highs).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.repn.standard_repn import generate_standard_repn

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.instance.settings import nest, values_of
from optimizer.model import build_model, prepare
from optimizer.model.data import ModelData
from optimizer.model.objective import weighted
from optimizer.solve.solver import AllocationSolver, SolveOptions

INCOMPLETE_RULES = ("buy_in", "drop_chain")
DUPLICATION_TERMS = ("excess_hosts", "pairwise_overlap")
LINK_ROWS = ("supplier_in_reach", "supply_covers_use")  # rows (supplier, user, region)
Coalition = frozenset[str]


@dataclass(frozen=True)
class Players:
    """The groups that decide (provinces), and the regions of each."""

    by: str  # the regions column that names the group, or "region" (each region alone)
    regions_of: dict[str, tuple[str, ...]]

    @property
    def names(self) -> list[str]:
        return list(self.regions_of)

    def regions(self, coalition: Iterable[str]) -> list[str]:
        return [r for g in coalition for r in self.regions_of[g]]


def players_of(instance: Instance, by: str = "group") -> Players:
    """Groups from the regions table: `group` (blank groups are an error) or `region`."""
    regions = instance.tables["regions"]
    if by == "region":
        return Players(by, {r: (r,) for r in regions["region"]})
    if by != "group":
        raise UserError(f"--by {by}: expected 'group' or 'region'")
    blank = [r for r, g in zip(regions["region"], regions["group"], strict=True) if not g]
    if blank:
        raise UserError(f"regions.csv, column 'group': regions {', '.join(blank[:5])} have no "
                        "group; give every region a group, or use --by region")
    groups: dict[str, list[str]] = {}
    for r, g in zip(regions["region"], regions["group"], strict=True):
        groups.setdefault(g, []).append(r)
    if len(groups) < 2:
        raise UserError("regions.csv, column 'group': coordination needs at least two groups")
    return Players(by, {g: tuple(rs) for g, rs in sorted(groups.items())})


@dataclass
class CoalitionPlan:
    """One coalition's plan: its value v(S), each term, and how it was reached."""

    members: tuple[str, ...]
    status: str
    value: float | None  # v(S): weighted terms, duplication priced against the whole area
    terms: dict[str, float] = field(default_factory=dict)  # unweighted, as in `value`
    own_objective: float | None = None  # the model's objective as if S were the whole area
    mip_gap: float | None = None
    bound: float | None = None  # HiGHS's bound, on the coalition's own cost
    seconds: float = 0.0
    bought: list[str] = field(default_factory=list)  # segments bought in (rule buy_in)
    dropped: list[str] = field(default_factory=list)  # chains left (rule drop_chain)
    built: list[str] = field(default_factory=list)  # scope segments built at minimum scale
    builds_given_up: bool = False  # its regions could not build the rest of its chains
    split: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # planned in two parts
    borne: dict[str, float] = field(default_factory=dict)  # per group: what its regions bear
    hosts: dict[tuple[str, str], float] = field(default_factory=dict)  # (region, seg) -> output


@dataclass
class Scope:
    """What a coalition must make: target ranges, segments to host, rows to lift."""

    low: dict[str, float]
    high: dict[str, float]
    must_host: set[str]
    bought: list[str]
    dropped: list[str]
    built: list[str]


class Attribution:
    """Every objective term split over the regions that incur it, read off the model once.

    Each variable's coefficient in a term (one pair's opening cost, one region's
    compensation...) is charged to the variable's region, the first region in its index:
    `output[r, s]`, `in_chain[r, c]`, `compensation[r]`, the user region of a flow.
    Constants (Pyomo merges them) are charged by the data that makes them: the closure cost
    of each of today's hosts to its region, checked against the term's total. The
    duplication terms are split over hosts: each host of segment s bears `w_s (n_s - 1) / n_s`
    of the excess hosts and `w_s (n_s - 1) / 2` of the pairwise overlap.
    """

    def __init__(self, m: pyo.ConcreteModel, data: ModelData, regions: set[str]):
        self.data = data
        self.regions = regions
        self.linear: dict[str, dict[str, list[tuple[pyo.Var, float]]]] = {}
        self.constant: dict[str, dict[str, float]] = {}
        for name in data.instance.settings.weights:
            if name in DUPLICATION_TERMS or not hasattr(m, f"term_{name}"):
                continue
            repn = generate_standard_repn(getattr(m, f"term_{name}").expr,
                                          compute_values=True, quadratic=False)
            if repn.nonlinear_expr is not None:
                raise UserError(f"the {name} term is not linear; coordinate cannot split it")
            lin: dict[str, list] = {}
            for v, coef in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                r = self.region_of(v)
                if r is None:
                    raise UserError(f"the {name} term uses {v.name}, which belongs to no "
                                    "region; coordinate cannot split it over groups")
                lin.setdefault(r, []).append((v, float(coef)))
            total = float(repn.constant)
            self.linear[name] = lin
            self.constant[name] = _term_constants(data, name, total) if total else {}

    def region_of(self, v) -> str | None:
        index = v.index()
        for item in index if isinstance(index, tuple) else (index,):
            if item in self.regions:
                return item
        return None

    def by_region(self, m: pyo.ConcreteModel) -> dict[str, dict[str, float]]:
        """Region -> term -> its share of the term at the model's current values."""
        out: dict[str, dict[str, float]] = {r: {} for r in self.regions}
        for name, lin in self.linear.items():
            for r, parts in lin.items():
                out[r][name] = out[r].get(name, 0.0) + sum(
                    c * (v.value or 0.0) for v, c in parts)
            for r, c in self.constant[name].items():
                out[r][name] = out[r].get(name, 0.0) + c
        for r, share in self._duplication(m).items():
            for name, x in share.items():
                out[r][name] = out[r].get(name, 0.0) + x
        return out

    def _duplication(self, m: pyo.ConcreteModel) -> dict[str, dict[str, float]]:
        hosts: dict[str, list[str]] = {}
        for (r, s), x in m.host.items():
            if (x.value or 0.0) > 0.5:
                hosts.setdefault(s, []).append(r)
        out: dict[str, dict[str, float]] = {}
        for s, rs in hosts.items():
            w, n = self.data.segment[s]["weight"], len(rs)
            for r in rs:
                share = out.setdefault(r, {})
                share["excess_hosts"] = share.get("excess_hosts", 0.0) + w * (n - 1) / n
                share["pairwise_overlap"] = share.get("pairwise_overlap", 0.0) + w * (n - 1) / 2
        return out


def _constant_candidates(data: ModelData) -> list[tuple[str, float]]:
    """(region, amount): the constants a cost term holds, by the region that owes them.

    Pyomo flattens `c * (1 - host)` into `c - c * host` and merges
    constants, so they are recomputed from the data that makes them: the closure cost of
    each of today's hosts (paid unless it stays), and, with priced change, a kept host's
    growth measured from today (`-growth_cost * q0`) or an ineligible host's stranded output
    (`shrink_cost * q0`).
    """
    costs = data.instance.tables["costs"]
    out = []
    for r, s, closure in zip(costs["region"], costs["segment"], costs["closure_cost"],
                             strict=True):
        if (r, s) in data.current and closure > 0:
            out.append((r, float(closure)))
    change = data.instance.tables.get("change_costs")
    if change is not None and "shrink_cost" in change:
        for r, s, g, k in zip(change["region"], change["segment"], change["growth_cost"],
                              change["shrink_cost"], strict=True):
            q0 = data.current.get((r, s), 0.0)
            if q0 > 0 and not data.is_eligible((r, s)) and k:
                out.append((r, float(k) * q0))
            elif q0 > 0 and data.is_eligible((r, s)) and g:
                out.append((r, -float(g) * q0))
    return out


def _term_constants(data: ModelData, name: str, total: float) -> dict[str, float]:
    """Split a term's constant over regions (see _constant_candidates); used only if the
    split adds up to the constant the model holds, else coordinate stops with a message."""
    per_region: dict[str, float] = {}
    for r, amount in _constant_candidates(data):
        per_region[r] = per_region.get(r, 0.0) + amount
    if abs(sum(per_region.values()) - total) > 1e-7 * max(1.0, abs(total)):
        raise UserError(f"the {name} term holds a constant {total:g} that coordinate cannot "
                        "trace to regions")
    return per_region


class CoalitionModel:
    """The allocation model, built once, restricted to one coalition at a time."""

    def __init__(self, instance: Instance, players: Players, incomplete: str,
                 options: SolveOptions | None = None, warm_start: bool = True):
        settings = instance.settings
        if settings.objective_mode != "weighted":
            raise UserError("coordinate needs objective.mode: weighted in instance.yaml: a "
                            "coalition's cost must be one number")
        if incomplete not in INCOMPLETE_RULES:
            raise UserError(f"incomplete rule {incomplete!r}: expected one of "
                            f"{', '.join(INCOMPLETE_RULES)}")
        self.players, self.incomplete, self.warm_start = players, incomplete, warm_start
        self.data = data = prepare(instance)
        check_names(data)
        self.m = m = build_model(data)
        regions = set(data.regions)
        self.attribution = Attribution(m, data, regions)
        self.options = options or SolveOptions.from_settings(data)
        self.solver = AllocationSolver(self.options)
        self.weights = weighted(settings)
        self._shares = _today_shares(data, players)
        self._scope_of_group = {g: _group_scope(data, players.regions_of[g])
                                for g in players.names}
        self._region_vars, rows = _by_region(m, regions)
        self._bounds = {r: [(v.lb, v.ub) for v in vs] for r, vs in self._region_vars.items()}
        self._region_rows = {r: _broken_at_zero(self._region_vars.get(r, []), rs)
                             for r, rs in rows.items()}
        self._coalition_rows(m, data)
        self._outside: set[str] = set()
        self._lifted: list = []
        self._solved = False

    def _coalition_rows(self, m: pyo.ConcreteModel, data: ModelData) -> None:
        """Replace the instance's target and hosting rows by rows with mutable bounds."""
        segs = [s for s in data.segments if data.eligible_regions(s)]
        m.target.deactivate()
        m.segment_hosted.deactivate()
        m.coalition_low = pyo.Param(segs, mutable=True, initialize=0.0)
        m.coalition_high = pyo.Param(segs, mutable=True, initialize=0.0)
        m.coalition_host = pyo.Param(segs, mutable=True, initialize=0.0)
        m.coalition_target = pyo.Constraint(segs, rule=lambda m, s: pyo.inequality(
            m.coalition_low[s], pyo.quicksum(m.output[r, s] for r in data.eligible_regions(s)),
            m.coalition_high[s]))
        m.coalition_hosted = pyo.Constraint(segs, rule=lambda m, s: pyo.quicksum(
            m.host[r, s] for r in data.eligible_regions(s)) >= m.coalition_host[s])
        if data.policy["change_budget"] is not None:
            m.change_budget.deactivate()
        m.coalition_budget = pyo.ConstraintList()

    def scope(self, coalition: Coalition, no_builds: bool = False) -> Scope:
        """Targets and hosting for a coalition, by the rule for what it cannot make alone.

        `no_builds`: the coalition's regions cannot build the rest of its chains within their
        resources and talent (the first attempt was infeasible), so every segment it does
        not make today counts as one it cannot make.
        """
        data = self.data
        regions = set(self.players.regions(coalition))
        share = {s: sum(self._shares[g].get(s, 0.0) for g in coalition) for s in data.segments}
        hosts = _possible_hosts(data, regions)
        can_host = {s: bool(hosts.get(s)) and (share[s] > 0 or not no_builds)
                    for s in data.segments}
        scope_of = {}
        for g in coalition:
            for c, segs in self._scope_of_group[g].items():
                scope_of.setdefault(c, set()).update(segs)
        dropped = []
        if self.incomplete == "drop_chain":
            dropped = sorted(c for c, segs in scope_of.items()
                             if any(not can_host[s] for s in segs))
        must = set().union(*[segs for c, segs in scope_of.items() if c not in dropped])
        bought = sorted(s for s in must if not can_host[s]) if self.incomplete == "buy_in" \
            else []
        must -= set(bought)
        left = {s for s in data.segments if data.chain_of[s] in dropped} - must
        low, high, built = {}, {}, []
        for s in data.segments:
            row = data.segment[s]
            if s in bought or s in left:
                low[s] = high[s] = 0.0
            elif share[s] > 0 or len(coalition) == len(self.players.names):
                whole = share[s] if len(coalition) < len(self.players.names) else 1.0
                low[s], high[s] = row["target_min"] * whole, row["target_max"] * whole
            elif s in must:
                low[s] = high[s] = row["min_scale"]
                built.append(s)
            else:
                low[s] = high[s] = 0.0
        return Scope(low, high, must, bought, dropped, built)

    def plan(self, coalition: Iterable[str]) -> CoalitionPlan:
        """Solve the coalition alone and read its value off the regions it holds."""
        members = tuple(g for g in self.players.names if g in set(coalition))
        start = time.perf_counter()
        scope = self.scope(frozenset(members))
        outcome = self._solve(frozenset(members), scope)
        given_up = outcome.status == "infeasible" and bool(scope.built)
        if given_up:
            scope = self.scope(frozenset(members), no_builds=True)
            outcome = self._solve(frozenset(members), scope)
        result = CoalitionPlan(members, outcome.status, None, bought=scope.bought,
                               dropped=scope.dropped, built=scope.built,
                               builds_given_up=given_up)
        if outcome.has_solution:
            self._read(result, set(self.players.regions(members)), outcome)
        result.mip_gap = outcome.mip_gap if outcome.has_solution else None
        result.seconds = time.perf_counter() - start
        return result

    def _solve(self, members: Coalition, scope: Scope):
        self._restrict(members, scope)
        if self.warm_start and self._solved:
            self.solver._start_from_current_values(self.m)
        outcome = self._run()
        self._solved = True
        return outcome

    def _run(self):
        """AllocationSolver.solve without re-making the objective, which build_model already
        set to the weighted sum: a new objective makes Pyomo re-send it to HiGHS each time."""
        start = time.perf_counter()
        stage = self.solver._run(self.m, "weighted", self.options.time_limit)
        if stage.incumbent is not None:
            self.solver._polish(self.m)
        return self.solver._outcome([stage], time.perf_counter() - start)

    def _area_excess(self, coalition: Coalition) -> float:
        """Excess hosts of S priced against the whole area: every host of segment s counts
        w_s, less S's share of the area's one free host (its share of today's output).

        Measured inside S alone (w_s (n_s(S) - 1)), duplication between groups planning
        apart would be free, and planning alone would look cheaper than planning together.
        Charged this way, the coalitions' terms add up: the groups' separate plans, taken
        together, are charged exactly the area's excess hosts of the combined layout.
        """
        n: dict[str, int] = {}
        for (_, s), x in self.m.host.items():
            if (x.value or 0.0) > 0.5:
                n[s] = n.get(s, 0) + 1
        return sum(self.data.segment[s]["weight"] * (
            n.get(s, 0) - sum(self._shares[g].get(s, 0.0) for g in coalition))
            for s in self.data.segments)

    def _read(self, result: CoalitionPlan, inside: set[str], outcome) -> None:
        by_region = self.attribution.by_region(self.m)
        own: dict[str, float] = {}
        for r in inside:
            for name, x in by_region[r].items():
                own[name] = own.get(name, 0.0) + x
        names = list(self.data.instance.settings.weights)
        own = {t: own.get(t, 0.0) for t in names}
        result.own_objective = sum(w * own[t] for t, w in self.weights.items())
        result.terms = own | {"excess_hosts": self._area_excess(frozenset(result.members))}
        result.value = sum(w * result.terms[t] for t, w in self.weights.items())
        outside = sum(w * by_region[r].get(t, 0.0) for r in self._outside
                      for t, w in self.weights.items())
        if outcome.bound is not None and math.isfinite(outcome.bound):
            result.bound = outcome.bound - outside
        group_of = {r: g for g in result.members for r in self.players.regions_of[g]}
        result.borne = {g: 0.0 for g in result.members}
        for r in inside:
            result.borne[group_of[r]] += sum(w * by_region[r].get(t, 0.0)
                                             for t, w in self.weights.items())
        result.hosts = {p: max(pyo.value(self.m.output[p]), 0.0) for p in self.m.PAIRS
                        if p[0] in inside and pyo.value(self.m.host[p]) > 0.5}

    def _restrict(self, coalition: Coalition, scope: Scope) -> None:
        m, data = self.m, self.data
        inside = set(self.players.regions(coalition))
        outside = set(data.regions) - inside
        for r in outside - self._outside:  # bounds, not fix(): Pyomo's persistent
            for v in self._region_vars.get(r, []):  # interface re-writes every row holding a
                v.setlb(0.0)  # fixed variable, but only changes a column's bounds
                v.setub(0.0)
                v.set_value(0.0, skip_validation=True)  # the next warm start stays in bounds
            for row in self._region_rows.get(r, []):
                row.deactivate()
        for r in self._outside - outside:
            for v, (lo, hi) in zip(self._region_vars.get(r, []), self._bounds.get(r, []),
                                   strict=True):
                v.setlb(lo)
                v.setub(hi)
            for row in self._region_rows.get(r, []):
                row.activate()
        self._outside = outside
        for row in self._lifted:  # reach rows lifted for the last coalition's purchases
            if row.index()[2] in inside:
                row.activate()
        self._lifted = []
        for s in m.coalition_low:
            m.coalition_low[s] = scope.low[s]
            m.coalition_high[s] = scope.high[s]
            m.coalition_host[s] = 1.0 if s in scope.must_host else 0.0
        bought = set(scope.bought)
        for name in LINK_ROWS if bought else ():  # users of a bought segment need no
            for (s, _t, _r), row in getattr(m, name, {}).items():  # supplier or flow inside
                if s in bought and row.active:
                    row.deactivate()
                    self._lifted.append(row)
        self._budget(inside)

    def _budget(self, inside: set[str]) -> None:
        """The change budget counts the coalition's own changes only."""
        m, data = self.m, self.data
        m.coalition_budget.clear()
        budget = data.policy["change_budget"]
        if budget is None:
            return
        closed = [1 - m.host[p] if data.is_eligible(p) else 1 for p in data.current
                  if p[0] in inside]
        opened = [m.host[p] for p in data.eligible if p not in data.current and p[0] in inside]
        m.coalition_budget.add(pyo.quicksum(closed) + pyo.quicksum(opened) <= budget)


def _possible_hosts(data: ModelData, regions: set[str]) -> dict[str, set[str]]:
    """Segment -> the coalition's regions that could host it with every supplier segment
    hostable within reach inside the coalition (dropping users until nothing changes, as
    the model's own eligibility does for the whole area)."""
    hosts = {s: {r for r in data.eligible_regions(s) if r in regions} for s in data.segments}
    if not data.policy["supplier_reach"] or not data.links:
        return hosts
    changed = True
    while changed:
        changed = False
        for s, t, _, _ in data.links:
            for r in list(hosts[t]):
                near = data.suppliers.get((s, t, r), [])
                if not any(q in hosts[s] for q in near):
                    hosts[t].discard(r)
                    changed = True
    return hosts


def _today_shares(data: ModelData, players: Players) -> dict[str, dict[str, float]]:
    """Group -> segment -> its share of today's output of the segment."""
    total: dict[str, float] = {}
    for (_, s), q in data.current.items():
        total[s] = total.get(s, 0.0) + q
    missing = [s for s in data.segments if data.segment[s]["target_max"] > 0
               and total.get(s, 0.0) <= 0]
    if missing:
        raise UserError(f"segments.csv: {', '.join(missing[:5])} have a target but no output "
                        "today; coordinate splits targets by today's output")
    out: dict[str, dict[str, float]] = {}
    for g, regions in players.regions_of.items():
        mine = set(regions)
        share: dict[str, float] = {}
        for (r, s), q in data.current.items():
            if r in mine:
                share[s] = share.get(s, 0.0) + q / total[s]
        out[g] = share
    return out


def _group_scope(data: ModelData, regions: Sequence[str]) -> dict[str, set[str]]:
    """Chain the group takes part in today -> the segments that chain needs (closed under
    supplier links, which may reach into other chains)."""
    mine = set(regions)
    chains = {data.chain_of[s] for (r, s) in data.current if r in mine}
    suppliers: dict[str, set[str]] = {}
    for s, t, _, _ in data.links:
        suppliers.setdefault(t, set()).add(s)
    out = {}
    for c in sorted(chains):
        need = {s for s in data.segments if data.chain_of[s] == c}
        frontier = list(need)
        while frontier:
            for s in suppliers.get(frontier.pop(), ()):
                if s not in need:
                    need.add(s)
                    frontier.append(s)
        out[c] = need
    return out


def _by_region(m: pyo.ConcreteModel, regions: set[str]) -> tuple[dict, dict]:
    """Region -> the variables and rows indexed by it (a coalition without the region fixes
    the variables at 0 and lifts the rows they would break). The coalition's own rows and
    the deactivated instance targets are left alone."""
    own = {"coalition_target", "coalition_hosted", "coalition_budget", "target",
           "segment_hosted"}
    variables: dict[str, list] = {}
    rows: dict[str, list] = {}
    for comp, store in ((pyo.Var, variables), (pyo.Constraint, rows)):
        for c in m.component_objects(comp, active=True, descend_into=True):
            if c.name in own or not c.is_indexed():
                continue
            for index, item in c.items():
                keys = index if isinstance(index, tuple) else (index,)
                hit = next((k for k in keys if k in regions), None)
                if hit is not None:
                    store.setdefault(hit, []).append(item)
    return variables, rows


def _broken_at_zero(variables: list, rows: list) -> list:
    """The rows of a region that its variables at 0 would break (a loss floor, a must-host
    pin): only these are lifted for a coalition without the region. Lifting every row would
    make the persistent interface remove and re-add rows and columns on every coalition,
    which costs more than HiGHS's solve on a provincial model."""
    from pyomo.core.expr.visitor import identify_variables

    saved = [(v, v.value, v.fixed) for v in variables]
    for v in variables:
        v.fix(0.0)
    broken = []
    try:
        for row in rows:
            if any(not v.fixed for v in identify_variables(row.body)):
                continue  # another region's variables can still meet it
            body = pyo.value(row.body)
            lo, hi = row.lb, row.ub
            if (lo is not None and body < lo - 1e-9) or (hi is not None and body > hi + 1e-9):
                broken.append(row)
    finally:
        for v, value, fixed in saved:
            v.set_value(value, skip_validation=True)
            if not fixed:
                v.unfix()
    return broken


def check_names(data: ModelData) -> None:
    """Regions are recognised in variable indices by name: they must not clash with others."""
    other = set(data.segments) | set(data.chain_of.values())
    other |= {c.kind for c in data.resources + data.talent}
    clash = sorted(set(data.regions) & other)
    if clash:
        raise UserError(f"regions.csv: region names {', '.join(clash)} are also segment, chain, "
                        "resource or talent names; coordinate needs them distinct")


def coalition_instance(model: CoalitionModel, coalition: Iterable[str],
                       no_builds: bool = False) -> Instance:
    """The coalition written as an instance of its own: its regions, its targets, the
    segments it must make (others, and links from bought segments, left out).

    Solving it directly gives the model's objective for the coalition (`own_objective`),
    which checks the restricted persistent model. Exact when no segment the coalition makes
    today is bought or dropped (their closures have no place in such an instance).
    """
    from optimizer.instance import instance_from_frames
    from optimizer.instance.schema import TABLES

    members = frozenset(coalition)
    scope = model.scope(members, no_builds)
    data = model.data
    regions = set(model.players.regions(members))
    keep = {s for s in data.segments if scope.high[s] > 0 or s in scope.must_host}
    chains = {data.chain_of[s] for s in keep}
    frames = {}
    for name, frame in data.instance.tables.items():
        f = frame.copy()
        table = TABLES.get(name)
        for column in table.columns if table else ():
            kind = column.kind
            if kind == "ref:regions" or column.name in ("region_from", "region_to"):
                f = f[f[column.name].isin(regions) | (f[column.name] == "")]
            elif kind == "ref:segments":
                f = f[f[column.name].isin(keep) | (f[column.name] == "")]
            elif kind == "ref:chains" or (name == "chains" and column.name == "chain"):
                f = f[f[column.name].isin(chains)]
        if name == "segments":
            f = f[f["segment"].isin(keep)]
            f["target_min"] = [scope.low[s] for s in f["segment"]]
            f["target_max"] = [scope.high[s] for s in f["segment"]]
        if name == "links":
            f = f[~f["supplier"].isin(scope.bought)]
        frames[name] = f
    return instance_from_frames(_settings_dict(data.instance), frames)


def instance_is_exact(model: CoalitionModel, plan: CoalitionPlan) -> bool:
    """Whether coalition_instance reproduces the plan's objective: nothing the coalition
    makes today was bought in or left (an instance cannot hold a closure of a segment it
    does not contain)."""
    regions = set(model.players.regions(plan.members))
    gone = set(plan.bought) | {s for s in model.data.segments
                               if model.data.chain_of[s] in plan.dropped}
    return plan.split is None and not any(
        r in regions and s in gone for (r, s) in model.data.current)


def _settings_dict(instance: Instance) -> dict:
    """The instance's own settings (a scenario's edits included), without its workbook: the
    coalition's tables are handed over as frames."""
    values = values_of(instance.settings)
    values.pop("workbook", None)
    return nest(values)
