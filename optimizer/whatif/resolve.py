"""One model, many solves: change its objective and limits in place and re-solve in HiGHS.

Alternatives and trade-off fronts ask HiGHS the same model many times with a different
objective or right-hand side. Building the model and handing it to HiGHS once, then changing
only what differs (Pyomo's persistent interface passes just the changes on), saves the build
and hand-over each time; starting HiGHS from the nearest allocation already found gives it
an incumbent at once.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from dataclasses import asdict

import pyomo.environ as pyo

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model import ModelData, build_model, prepare
from optimizer.model.benefit_sharing import loss_floors
from optimizer.model.objective import term, used_terms, weighted
from optimizer.results import Results, collect
from optimizer.solve.diagnose import presolve_findings
from optimizer.solve.run import conclude, optimise
from optimizer.solve.solver import AllocationSolver, SolveOptions, SolveOutcome, Stage
from optimizer.solve.verify import allocation_of, allocation_terms, imply

Pair = tuple[str, str]


class NoAllocation(UserError):
    """The instance's own optimum could not be found, so there is nothing to vary around."""


class Session:
    """An instance's model, built once and kept in one HiGHS session for many solves."""

    def __init__(self, instance: Instance, time_limit: float | None = None,
                 mip_gap: float | None = None, threads: int | None = None,
                 solver_options: dict | None = None):
        start = time.perf_counter()
        self.instance = instance
        self.data = prepare(instance)
        findings = presolve_findings(self.data)
        if findings:
            raise NoAllocation(f"{instance.name} cannot be solved: {' '.join(findings)} "
                               "(`optimizer solve` explains it in full)")
        self.options = SolveOptions.from_settings(self.data, time_limit=time_limit,
                                                  mip_gap=mip_gap, threads=threads,
                                                  solver_options=solver_options)
        self.model = build_model(self.data)
        self.solver = AllocationSolver(self.options)
        self.build_seconds = time.perf_counter() - start

    # ------------------------------------------------------------------ the instance's own

    def solve_own(self) -> Results:
        """The instance's own objective (weighted or lexicographic), exactly as `solve` does."""
        outcome = self.solver.solve(self.model, self.data)
        results = collect(self.model, self.data, outcome,
                          timings={"build": self.build_seconds, "solve": outcome.seconds})
        self.drop_holds()
        return results

    def optimum(self) -> Results:
        """solve_own, refusing to go on without an allocation."""
        results = self.solve_own()
        if not results.outcome.has_solution:
            raise NoAllocation(f"{self.instance.name}: {results.outcome.status}: "
                               f"{results.outcome.message}; `optimizer solve` explains why")
        return results

    def drop_holds(self) -> None:
        """Remove the lexicographic holds a solve leaves behind: the next question is new."""
        if hasattr(self.model, "lexicographic_hold"):
            self.model.del_component(self.model.lexicographic_hold)

    # ------------------------------------------------------------------ single stages

    def minimise(self, weights: dict[str, float], name: str, warm: bool = True,
                 time_limit: float | None = None) -> Stage:
        """Minimise a weighted sum of objective terms from where the model stands."""
        return self.run(pyo.quicksum(w * term(self.model, t) for t, w in weights.items()
                                     if w != 0), name, pyo.minimize, warm, time_limit)

    def run(self, expr, name: str, sense=pyo.minimize, warm: bool = True,
            time_limit: float | None = None) -> Stage:
        """Solve with `expr` as the objective, starting from the current values if `warm`;
        within `time_limit` seconds if given, else the session's limit per solve."""
        m = self.model
        if hasattr(m, "objective"):
            m.del_component(m.objective)
        m.objective = pyo.Objective(expr=expr, sense=sense)
        if warm and self.has_values():
            self.solver._start_from_current_values(m)
        return self.solver._run(m, name, self.options.time_limit if time_limit is None
                                else time_limit)

    def achieved(self, name: str) -> float:
        """What the allocation the model holds achieves on a term, recomputed from it.

        A hold on the solver's incumbent instead can sit a hair below what the allocation
        owes (HiGHS meets rows only within its tolerance) and cut that allocation off, so the
        next stage would lose its start. The auxiliary variables are set to what the
        decisions imply first, so the start handed on is consistent.
        """
        imply(self.model, self.data)
        return allocation_terms(self.data, *allocation_of(self.model))[name]

    def has_values(self) -> bool:
        return all(v.value is not None for v in self.model.host.values())

    # ------------------------------------------------------------------ reading and fixing

    def hosts(self) -> frozenset[Pair]:
        """The pairs hosted in the values the model holds now."""
        return frozenset(p for p, v in self.model.host.items()
                         if v.value is not None and v.value > 0.5)

    @contextlib.contextmanager
    def hosts_fixed(self, hosted: frozenset[Pair]) -> Iterator[None]:
        """Hold every host decision at `hosted` for the duration of the block.

        By column bounds, not `fix`: Pyomo's persistent interface would remove and re-add
        every row holding a fixed variable, and each removal rebuilds its column map
        (seconds per solve on YRD's 28,000 columns). Bounds change only the columns.
        """
        bounds = {p: v.bounds for p, v in self.model.host.items()}
        for p, v in self.model.host.items():
            value = 1.0 if p in hosted else 0.0
            v.setlb(value)
            v.setub(value)
        try:
            yield
        finally:
            for p, v in self.model.host.items():
                v.setlb(bounds[p][0])
                v.setub(bounds[p][1])

    def settle(self, hosted: frozenset[Pair]) -> SolveOutcome:
        """The best outputs for a given set of hosts, under the instance's own objective."""
        with self.hosts_fixed(hosted):
            outcome = self.solver.solve(self.model, self.data)
        self.drop_holds()
        return outcome

    def collect(self, outcome: SolveOutcome) -> Results:
        return collect(self.model, self.data, outcome,
                       timings={"solve": outcome.seconds})

    def outcome(self, stages: list[Stage], seconds: float) -> SolveOutcome:
        return self.solver._outcome(stages, seconds)

    # ------------------------------------------------------------------ objective terms

    def own_weights(self) -> dict[str, float]:
        """The weights of the instance's objective; in lexicographic mode, its first term."""
        settings = self.instance.settings
        if settings.objective_mode == "lexicographic":
            order = used_terms(settings)
            return {order[0]: 1.0} if order else {}
        return weighted(settings)

    def check_term(self, name: str) -> None:
        """A term to optimise must exist and must be in the model that was built."""
        if name not in OBJECTIVE_TERMS:
            raise UserError(f"unknown objective term {name!r}; expected one of "
                            f"{', '.join(OBJECTIVE_TERMS)}")
        expr = term(self.model, name).expr
        if pyo.is_constant(expr):
            raise UserError(f"the objective term {name!r} is not part of {self.instance.name}'s "
                            "model (give it a weight in instance.yaml, or switch on the policy "
                            "it measures)")


def weighted_value(terms: dict[str, dict], weights: dict[str, float]) -> float:
    """The weighted objective recomputed from the terms read off an allocation."""
    return sum(w * terms[t]["value"] for t, w in weights.items())


def allowance(value: float, share: float) -> float:
    """value plus a share of its size, plus a hair for solver tolerances."""
    return value + share * abs(value) + 1e-7 * max(1.0, abs(value))


def relative_change(value: float, reference: float) -> float:
    if reference == 0:
        return 0.0 if abs(value) <= 1e-9 else math.inf
    return (value - reference) / abs(reference)


# ---------------------------------------------------------------------------- grid points

# The limits a grid point may move without a new model: each row family's bounds, as the
# model's builders compute them from the data (model/targets.py, model/benefit_sharing.py).
MOVABLE_TABLE_COLUMNS = {"segments": ("target_min", "target_max")}
MOVABLE_POLICY = ("max_loss_share",)


def _row_limits(data: ModelData) -> dict[str, dict]:
    """Row family -> index -> (lower, upper) bound, for the families a grid point may move."""
    return {"target": {s: (data.segment[s]["target_min"], data.segment[s]["target_max"])
                       for s in data.segments if data.eligible_regions(s)},
            "loss_floor": {r: (floor, None) for r, floor in loss_floors(data).items()}}


class PointSession(Session):
    """A session that takes one grid point after another: targets, loss share and prices.

    Its target and loss-floor rows are written `body - limit == 0` with the limit a column
    whose bounds are the row's bounds; another point's targets and loss floors are then new
    column bounds and its prices a new objective, which Pyomo's persistent interface passes
    on as such, leaving the start HiGHS is given in place (a row with mutable bounds would be
    re-sent at each solve, and HiGHS drops a start when its model changes after the start).
    The model keeps the output bounds M_rs of the data it was built from: lower targets
    lower some of them, and a larger M_rs leaves the allocations allowed the same (the target
    and resource rows hold output below the smaller one), so such a point is taken too.
    Anything else that differs needs a model of its own (`take` says None).
    """

    def __init__(self, instance: Instance, **request):
        super().__init__(instance, **request)
        self.request = request
        self.built = self.data  # the data the model's coefficients come from
        m, limits = self.model, _row_limits(self.data)
        for family, bounds in limits.items():
            rows = getattr(m, family)
            keys = list(bounds)
            if set(keys) != set(rows.keys()) or any(
                    (rows[k].lower, rows[k].upper) != bounds[k] for k in keys):
                raise NotReusable(f"the {family} rows are not as the data says")
            m.add_component(f"grid_{family}", pyo.Var(keys))
            limit = getattr(m, f"grid_{family}")
            m.add_component(f"grid_{family}_row", pyo.Constraint(
                keys, rule=lambda m, k, rows=rows, limit=limit: rows[k].body - limit[k] == 0))
            rows.deactivate()
        self._set_limits(limits)

    def _set_limits(self, limits: dict[str, dict]) -> None:
        """New bounds for the limit columns; their values follow the allocation held now."""
        for family, bounds in limits.items():
            rows, limit = getattr(self.model, family), getattr(self.model, f"grid_{family}")
            for k, (lo, hi) in bounds.items():
                limit[k].setlb(lo)
                limit[k].setub(hi)
                if all(v.value is not None for v in pyo.expr.identify_variables(rows[k].body)):
                    limit[k].set_value(pyo.value(rows[k].body), skip_validation=True)

    def take(self, instance: Instance) -> ModelData | None:
        """The new point's data if this model can solve it by bounds and objective alone."""
        if not same_but_movable(self.instance, instance):
            return None
        data = prepare(instance)
        if presolve_findings(data) or data.eligible != self.data.eligible \
                or any(data.upper[p] > self.built.upper[p] for p in data.eligible) \
                or set(loss_floors(data)) != set(loss_floors(self.data)) \
                or used_terms(data.instance.settings) != used_terms(self.data.instance.settings):
            return None
        return data

    def move_to(self, data: ModelData) -> None:
        """Make the model the new point's: its limits and, at the next solve, its objective."""
        self.data, self.instance = data, data.instance
        imply(self.model, data)  # compensation as the new floors leave it owed: a valid start
        self._set_limits(_row_limits(data))


class NotReusable(Exception):
    """The model cannot be moved from one grid point to another (checked when it is made)."""


def same_but_movable(a: Instance, b: Instance) -> bool:
    """Whether two instances differ at most in prices, the loss share and targets."""
    first, second = asdict(a.settings), asdict(b.settings)
    for settings in (first, second):
        for key in ("weights", "name", "description"):  # a grid point names itself
            settings.pop(key)
        settings["policy"] = {k: v for k, v in settings["policy"].items()
                              if k not in MOVABLE_POLICY}
    if first != second or a.tables.keys() != b.tables.keys():
        return False
    for name, table in a.tables.items():
        moved = [c for c in MOVABLE_TABLE_COLUMNS.get(name, ()) if c in table.columns]
        if not table.drop(columns=moved).equals(b.tables[name].drop(columns=moved)):
            return False
    return True


_KEPT: dict[str, PointSession] = {}  # this process's model of the last grid point solved


def optimise_reusing(instance: Instance, time_limit: float | None = None,
                     mip_gap: float | None = None, threads: int | None = None,
                     solver_options: dict | None = None) -> Results:
    """`optimise`, on the model kept from this process's last call when the new instance
    differs from it only in prices, the loss share or targets (a grid over them): the build
    and hand-over are skipped and HiGHS starts from the last point's allocation.

    `bench many` measures it against fresh solves. Sweeps do not use it: since a single solve
    hands its model to HiGHS as arrays and prices on it (solve/handover.py), a fresh grid
    point costs less than one re-solved through the persistent interface (BENCHMARKS.md).
    """
    request = {"time_limit": time_limit, "mip_gap": mip_gap, "threads": threads,
               "solver_options": solver_options}
    session = _KEPT.pop("last", None)
    start = time.perf_counter()
    data = session.take(instance) if session and session.request == request else None
    if data is None:
        try:
            session = PointSession(instance, **request)
        except (NoAllocation, NotReusable):
            return optimise(instance, **request)
        timings = {"build": session.build_seconds}
    else:
        session.move_to(data)
        timings = {"prepare": time.perf_counter() - start, "build": 0.0}
    outcome = session.solver.solve(session.model, session.data,
                                   start_from_values=data is not None)
    results = conclude(session.model, session.data, outcome, session.options, timings)
    session.drop_holds()
    if session.solver.interrupted:
        return results  # its message says so, unchanged: the sweep stops on it
    if data is not None:
        results.outcome.message += f"; {KEPT_NOTE}"
    if outcome.has_solution:
        _KEPT["last"] = session
    return results


KEPT_NOTE = ("solved on the model kept from the previous grid point, with its targets, loss "
             "floors and prices changed, starting from that point's allocation")
