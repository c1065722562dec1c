"""Solve with HiGHS, and say honestly how it ended.

A model solved once in weighted mode (`solve`, a sweep's runs) goes to HiGHS as arrays in one
call (handover.py); a model re-solved after changes (lexicographic stages, alternatives, why,
coalitions) goes through Pyomo's persistent interface, which passes each change on.
An answer stopped by a limit or an interrupt is `feasible` (or `no_solution`), never
`optimal`; the incumbent, the bound and the gap are always reported.
"""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

import highspy
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from optimizer.model.data import ModelData
from optimizer.model.objective import set_objective, term, used_terms, weighted
from optimizer.solve.handover import Arrays, hand_over, load_values, run, termination
from optimizer.solve.verify import (
    FEASIBILITY,
    allocation_of,
    allocation_terms,
    close,
    imply,
    violations,
)


class _KnownInterruptStatus(logging.Filter):
    """Pyomo warns that HiGHS's interrupt status is unhandled; we handle it (see _status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "kInterrupt" not in record.getMessage()


logging.getLogger("pyomo.contrib.solver.solvers.highs").addFilter(_KnownInterruptStatus())


@dataclass
class SolveOptions:
    """How HiGHS runs. What a user sets (a sweep sends it to every run) leaves the rest None;
    `from_settings` fills that from the instance's solver settings before a solve."""

    time_limit: float | None = None  # seconds; once filled in, None is no limit
    mip_gap: float | None = None  # relative; None: HiGHS's own default
    threads: int | None = None
    solver_options: dict = field(default_factory=dict)  # passed to HiGHS as they are

    @classmethod
    def from_settings(cls, data: ModelData, **overrides) -> SolveOptions:
        s = data.instance.settings
        options = cls(s.time_limit, s.mip_gap, s.threads)
        for key, value in overrides.items():
            if value is not None:
                setattr(options, key, value)
        return options


@dataclass
class Stage:
    """One HiGHS run: the whole objective, or one term of a lexicographic order."""

    objective: str
    status: str
    termination: str
    incumbent: float | None
    bound: float | None
    mip_gap: float | None
    nodes: int | None
    solver_seconds: float
    wall_seconds: float
    achieved: float | None = None  # the stage's term, recomputed from its allocation


@dataclass
class SolveOutcome:
    status: str  # optimal | feasible | infeasible | no_solution | unbounded | error
    message: str
    objective: float | None = None
    bound: float | None = None
    mip_gap: float | None = None
    stages: list[Stage] = field(default_factory=list)
    seconds: float = 0.0
    log: str = ""
    options: dict = field(default_factory=dict)
    solver_version: str = ""

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("log")
        return d


@dataclass
class Answer:
    """What one HiGHS run ended with, however the model was handed over."""

    status: str  # as _status says
    termination: str  # Pyomo's TerminationCondition name
    incumbent: float | None
    bound: float | None
    nodes: int | None
    highs_total: float  # HiGHS's run clock after the run
    log: str
    load: Callable[[], None]  # puts the run's values onto the model's variables
    fresh: bool = False  # a HiGHS made for this run alone (its clock started with it)


def answer_of(highs: highspy.Highs, arrays: Arrays, log: str) -> Answer:
    """A run of a model handed over as arrays, read as Pyomo's interface reads its own."""
    info = highs.getInfo()
    found = info.primal_solution_status == 2
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    ended = termination(highs)
    solution = SolutionStatus.optimal if optimal else (
        SolutionStatus.feasible if found else SolutionStatus.noSolution)
    incumbent = info.objective_function_value if found else None
    if info.mip_node_count == -1:  # an LP: its bound is its optimum
        bound = incumbent if found and optimal else None
    else:
        bound = info.mip_dual_bound
    return Answer(
        status=_status(SimpleNamespace(termination_condition=ended, solution_status=solution)),
        termination=str(ended.name), incumbent=incumbent, bound=bound,
        nodes=info.mip_node_count if info.valid else None, highs_total=highs.getRunTime(),
        log=log, load=lambda: load_values(arrays, highs.getSolution().col_value), fresh=True)


MESSAGES = {
    "optimal": "proven optimal within the relative gap tolerance",
    "feasible": "stopped before optimality was proven (time limit or interrupt); the best "
                "allocation found is reported with its gap",
    "interrupted": "interrupted by the user (Ctrl-C); the best allocation found so far is "
                   "reported with its gap",
    "infeasible": "no allocation satisfies every constraint",
    "no_solution": "stopped before any allocation was found",
    "unbounded": "the objective is unbounded; check for negative unit costs without a target cap",
    "error": "the solver failed",
}


class AllocationSolver:
    """A HiGHS session: later solves of the same model reuse what HiGHS holds.

    With `once`, the model is solved once and not changed after: in weighted mode it is handed
    to HiGHS as arrays (handover.py), several times faster than the persistent interface's
    `set_instance`, to the same LP. Lexicographic stages change the model between runs and
    keep the persistent interface either way.
    """

    def __init__(self, options: SolveOptions, once: bool = False):
        self.options = options
        self.once = once
        self.highs = Highs()
        self.interrupted = False
        self._highs_total = 0.0
        self._by_arrays = False  # hand the model over as arrays in the current solve
        self._arrays: highspy.Highs | None = None  # the HiGHS of a run handed over as arrays
        self.started = False  # a starting solution was handed to HiGHS for the next run
        self.notes: list[str] = []  # what a reader of the answer should know about the runs

    def solve(self, m: pyo.ConcreteModel, data: ModelData) -> SolveOutcome:
        settings = data.instance.settings
        start = time.perf_counter()
        lexicographic = settings.objective_mode == "lexicographic"
        self._by_arrays = self.once and not lexicographic
        try:
            if lexicographic:
                stages = self._lexicographic(m, data, used_terms(settings), settings.tolerance)
            else:
                set_objective(m, weighted(settings))
                stages = [self._run(m, "weighted", self.options.time_limit)]
            if any(s.incumbent is not None for s in stages):
                imply(m, data)
                self._polish(m, force=bool(violations(data, *allocation_of(m))))
                imply(m, data)
        finally:
            self._by_arrays = False
        return self._outcome(stages, time.perf_counter() - start)

    def _polish(self, m: pyo.ConcreteModel, force: bool = False) -> None:
        """Fix every binary at its rounded value and re-solve the remaining LP.

        HiGHS accepts a binary within 1e-6 of 0 or 1, which lets a closed host keep a crumb of
        output (up to M_rs x 1e-6); re-solving with the hosts fixed makes outputs, totals and
        the kept/grown/shrunk labels exact. If the LP fails, the MIP's values stand. Skipped when
        every binary came back within 1e-9 of 0 or 1, as it usually does, unless `force`d: the
        re-check found a limit broken (HiGHS has returned a target missed by 1e-3 as
        optimal), which the LP with the hosts fixed meets to its tighter tolerance.
        """
        binaries = [v for v in m.component_data_objects(pyo.Var, active=True)
                    if v.is_binary() and not v.fixed and v.value is not None]
        if not force and all(abs(v.value - round(v.value)) <= 1e-9 for v in binaries):
            return  # crumbs are at most M_rs x 1e-9; re-solving a national model costs ~20 s
        for v in binaries:
            v.fix(round(v.value))
        try:
            with self._ctrl_c_stops_highs():
                answer = self._highs_run(m, None, polish=True)
            if answer.status == "optimal":
                answer.load()
        finally:
            for v in binaries:
                v.unfix()

    def _lexicographic(self, m: pyo.ConcreteModel, data: ModelData, order: list[str],
                       tolerance: float) -> list[Stage]:
        """Optimise each term in turn, holding earlier ones within the tolerance.

        The hold is what the stage's allocation really achieves, recomputed from the
        decisions (`verify.allocation_terms`), not the solver's incumbent: HiGHS meets rows
        only within its feasibility tolerance, so its incumbent can sit a hair below what the
        allocation owes and a hold on it would cut off the true optimum. The slack is the
        tolerance plus the feasibility scale, `FEASIBILITY` x max(1, |value|).
        """
        if hasattr(m, "lexicographic_hold"):
            m.del_component(m.lexicographic_hold)
        m.lexicographic_hold = pyo.ConstraintList()
        stages, deadline = [], _deadline(self.options.time_limit)
        for name in order or ["excess_hosts"]:
            set_objective(m, {name: 1.0})
            if stages:
                self._start_from_current_values(m)
            stage = self._run(m, name, _remaining(deadline))
            stages.append(stage)
            if stage.incumbent is None or self.interrupted:
                break
            imply(m, data)
            achieved = stage.achieved = allocation_terms(data, *allocation_of(m))[name]
            m.lexicographic_hold.add(term(m, name) <= achieved + hold_slack(achieved, tolerance))
        return stages

    def _run(self, m: pyo.ConcreteModel, name: str, time_limit: float | None) -> Stage:
        """One HiGHS run; a run from a start whose answer does not add up runs again.

        HiGHS 1.16 can hand back the start as optimal with an objective the start does not
        achieve ("MIP start solution is feasible in the reduced space" at a lower value than
        in the original space). The objective is re-evaluated at the values returned; if it
        disagrees, HiGHS forgets the start and solves from scratch.
        """
        stage = self._run_once(m, name, time_limit)
        if self.started and stage.incumbent is not None \
                and not close(pyo.value(m.objective), stage.incumbent):
            highs = self._running()
            if highs is not None:
                highs.clearSolver()
            self.notes.append("HiGHS's answer from the given start did not add up, so it was "
                              "solved again from scratch")
            self.started = False
            stage = self._run_once(m, name, time_limit)
        self.started = False
        return stage

    def _run_once(self, m: pyo.ConcreteModel, name: str, time_limit: float | None) -> Stage:
        start = time.perf_counter()
        use_threads(self.options.threads)
        with self._ctrl_c_stops_highs():
            answer = self._highs_run(m, time_limit)
        if answer.status in ("optimal", "feasible"):
            answer.load()
        self._log = getattr(self, "_log", "") + answer.log
        if answer.fresh:  # a HiGHS of its own, whose clock started with this run
            highs_seconds = answer.highs_total
        else:  # the persistent HiGHS reports its running total
            highs_seconds, self._highs_total = answer.highs_total - self._highs_total, \
                answer.highs_total
        incumbent = answer.incumbent if answer.status in ("optimal", "feasible") else None
        return Stage(
            objective=name, status=answer.status, termination=answer.termination,
            incumbent=incumbent, bound=answer.bound,
            mip_gap=relative_gap(incumbent, answer.bound), nodes=answer.nodes,
            solver_seconds=max(highs_seconds, 0.0), wall_seconds=time.perf_counter() - start)

    def _highs_run(self, m: pyo.ConcreteModel, time_limit: float | None,
                   polish: bool = False) -> Answer:
        """One HiGHS run of the model as it stands. A `polish` run on the persistent HiGHS
        keeps the options of the run before it."""
        if self._by_arrays:
            return self._run_arrays(m, time_limit)
        self._arrays = None
        options = {} if polish else {
            "time_limit": time_limit, "rel_gap": self.options.mip_gap,
            "threads": self.options.threads, "solver_options": self.options.solver_options}
        res = self.highs.solve(m, load_solutions=False,
                               raise_exception_on_nonoptimal_result=False, **options)
        return Answer(
            status=_status(res), termination=str(res.termination_condition.name),
            incumbent=res.incumbent_objective, bound=res.objective_bound,
            nodes=getattr(res.extra_info, "mip_node_count", None),
            highs_total=float(getattr(res.timing_info, "highs_time", 0.0) or 0.0),
            log=res.solver_log or "", load=res.solution_loader.load_vars)

    def _run_arrays(self, m: pyo.ConcreteModel, time_limit: float | None) -> Answer:
        """Compile the model, pass it to a new HiGHS in one call and run it with the options
        Pyomo's interface would set."""
        arrays, highs = hand_over(m)
        self._arrays = highs
        log = run(highs, {"time_limit": time_limit, "mip_rel_gap": self.options.mip_gap,
                          "threads": self.options.threads} | self.options.solver_options)
        return answer_of(highs, arrays, log)

    def _start_from_current_values(self, m: pyo.ConcreteModel) -> None:
        """Hand the previous stage's allocation to HiGHS as its starting solution.

        It satisfies every hold, so the next stage starts with an incumbent instead of
        searching for one from scratch (which can take the whole remaining time). Uses the
        persistent interface's variable-to-column map; skipped if that is not available.
        """
        self.highs.update()  # push the new objective and hold rows into HiGHS first
        highs = getattr(self.highs, "_solver_model", None)
        columns = getattr(self.highs, "_pyomo_var_to_solver_var_map", None)
        if highs is None or columns is None:
            return
        values = [0.0] * highs.getNumCol()
        for v in m.component_data_objects(pyo.Var, active=True):
            col = columns.get(id(v))
            if col is not None and v.value is not None:
                values[col] = float(v.value)
        start = highspy.HighsSolution()
        start.col_value = values
        start.value_valid = True
        highs.setSolution(start)
        self.started = True

    def _running(self) -> highspy.Highs | None:
        """The HiGHS that holds the model now (None before the first hand-over)."""
        if self._arrays is not None:
            return self._arrays
        return getattr(self.highs, "_solver_model", None)

    @contextlib.contextmanager
    def _ctrl_c_stops_highs(self) -> Iterator[None]:
        """Ctrl-C asks HiGHS to stop and keep its incumbent, instead of raising inside it.

        highspy runs Python signal handlers from its interrupt callbacks; the default handler
        would raise KeyboardInterrupt there and lose the incumbent.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def stop(signum, frame):
            highs = self._running()
            if highs is None:  # not handed to HiGHS yet: nothing to keep
                raise KeyboardInterrupt
            self.interrupted = True
            highs.cancelSolve()

        previous = signal.signal(signal.SIGINT, stop)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def _outcome(self, stages: list[Stage], seconds: float) -> SolveOutcome:
        status = max(stages, key=lambda s: _RANK[s.status]).status
        solved = [s for s in stages if s.incumbent is not None]
        last = solved[-1] if solved else stages[-1]
        message = MESSAGES["interrupted" if self.interrupted and status == "feasible" else status]
        if solved and status not in ("optimal", "feasible"):
            # a later lexicographic stage failed: the earlier stage's allocation still stands
            failed = next(s for s in stages if s.incumbent is None)
            status = "feasible"
            message = (f"the {failed.objective} stage ended {failed.status}, so the allocation "
                       f"of the {last.objective} stage is reported; later terms are not optimised")
        gaps = [s.mip_gap for s in solved if s.mip_gap is not None]
        outcome = SolveOutcome(
            status=status, message=message, objective=last.incumbent, bound=last.bound,
            mip_gap=max(gaps) if gaps and status in ("optimal", "feasible") else None,
            stages=stages, seconds=seconds, log=getattr(self, "_log", ""),
            options=asdict(self.options), solver_version=".".join(map(str, self.highs.version())))
        self._log = ""
        return outcome


def hold_slack(achieved: float, tolerance: float) -> float:
    """How far a later lexicographic stage may let an earlier term rise above what its stage
    achieved: the order's tolerance, plus HiGHS's feasibility scale (`FEASIBILITY`)."""
    return tolerance * abs(achieved) + FEASIBILITY * max(1.0, abs(achieved))


def use_threads(threads: int | None) -> None:
    """Let this process's next HiGHS run use `threads`.

    HiGHS keeps one thread scheduler per process, made by the first run; a later run asking
    for another explicit count fails ("the scheduler has already been initialized") and
    returns no solution, while the default count (0, automatic) runs on any scheduler. So a
    run with an explicit count remakes the scheduler first: it costs milliseconds, and no
    record of what another HiGHS user in the process did can go stale.
    """
    if threads:
        highspy.Highs.resetGlobalScheduler(True)


_RANK = {"optimal": 0, "feasible": 1, "no_solution": 2, "unbounded": 3, "infeasible": 4,
         "error": 5}


def _status(res) -> str:
    tc = res.termination_condition
    if tc == TerminationCondition.convergenceCriteriaSatisfied and \
            res.solution_status == SolutionStatus.optimal:
        return "optimal"
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible):
        return "infeasible"
    if tc == TerminationCondition.infeasibleOrUnbounded:
        return "infeasible"  # our variables are bounded, so unboundedness is ruled out
    if tc == TerminationCondition.unbounded:
        return "unbounded"
    if tc == TerminationCondition.error:
        return "error"
    if res.solution_status in (SolutionStatus.feasible, SolutionStatus.optimal):
        return "feasible"
    return "no_solution"


def relative_gap(incumbent: float | None, bound: float | None) -> float | None:
    """Relative gap |incumbent - bound| / |incumbent|, as HiGHS measures it."""
    if incumbent is None or bound is None or not math.isfinite(bound):
        return None
    diff = abs(incumbent - bound)
    if diff <= 1e-9 * max(1.0, abs(incumbent)):
        return 0.0
    return diff / abs(incumbent) if incumbent != 0 else math.inf


def _deadline(limit: float | None) -> float | None:
    return None if limit is None else time.perf_counter() + limit


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.perf_counter(), 1e-3)
