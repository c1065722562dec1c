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

import pyomo.environ as pyo

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model import build_model, prepare
from optimizer.model.objective import term, used_terms, weighted
from optimizer.results import Results, collect
from optimizer.solve.diagnose import presolve_findings
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
