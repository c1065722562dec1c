"""Hand a model to HiGHS as arrays in one call, and read HiGHS's answer back onto it.

Pyomo's persistent interface (`set_instance`) walks every row, adds each row's new columns
with calls of their own and keeps the bookkeeping that later changes need; for a model solved
once that costs more than building it (BENCHMARKS.md). Here each active row is put in linear
form once by Pyomo's own walker (`LinearRepnVisitor`, which its LP and standard-form writers
use), and the whole model goes to HiGHS with one `passModel`.

Columns are numbered as the persistent interface numbers them: by first appearance, row by
row, then the objective's. So HiGHS receives the same LP, row for row and column for column,
and finds the same answer (tests/solve/test_handover.py compares the two). A fixed variable is
a constant here, not a column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import TeeStream, capture_output
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.core.base.constraint import ConstraintData
from pyomo.core.base.var import VarData
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import FileDeterminism, FileDeterminism_to_SortComponents, VarRecorder

INF = highspy.kHighsInf


@dataclass
class Arrays:
    """The model as HiGHS takes it, with the Pyomo row and column behind each index."""

    rows: list[ConstraintData]
    columns: list[VarData]
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray  # row-wise matrix: row i's entries are index/value[start[i]:start[i+1]]
    index: np.ndarray
    value: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    cost: np.ndarray
    offset: float
    maximise: bool = False

    @property
    def nonzeros(self) -> int:
        return len(self.value)


def compile_model(m: pyo.ConcreteModel) -> Arrays:
    """Every active row and the active objective of `m` in linear form, as arrays."""
    visitor = LinearRepnVisitor({}, var_recorder=VarRecorder(
        {}, FileDeterminism_to_SortComponents(FileDeterminism.ORDERED)))
    variables = visitor.var_map  # id -> variable, filled by the walker
    column: dict[int, int] = {}
    rows, lower, upper, start, index, value = [], [], [], [0], [], []
    for con in m.component_data_objects(pyo.Constraint, active=True):
        lo, body, hi = con.to_bounded_expression(evaluate_bounds=True)
        repn = visitor.walk_expression(body)
        if repn.nonlinear is not None:
            raise ValueError(f"row {con.name} is not linear")
        for vid, coef in repn.linear.items():
            index.append(column.setdefault(vid, len(column)))
            value.append(coef)
        constant = repn.constant
        rows.append(con)
        lower.append(-INF if lo is None else lo - constant)
        upper.append(INF if hi is None else hi - constant)
        start.append(len(index))
    cost, offset, maximise = _objective(m, visitor, column)
    columns = [variables[vid] for vid in column]
    lb = np.array([-INF if v.lb is None else v.lb for v in columns], dtype=float)
    ub = np.array([INF if v.ub is None else v.ub for v in columns], dtype=float)
    integer = np.array([v.domain.get_interval()[2] == 1 for v in columns], dtype=bool)
    return Arrays(rows, columns, np.array(lower, float), np.array(upper, float),
                  np.array(start, np.int32), np.array(index, np.int32),
                  np.array(value, float), lb, ub, integer, cost, offset, maximise)


def _objective(m: pyo.ConcreteModel, visitor: LinearRepnVisitor,
               column: dict[int, int]) -> tuple[np.ndarray, float, bool]:
    """Costs per column (columns only in the objective are added last), offset, sense."""
    objectives = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objectives) > 1:
        raise ValueError(f"{m.name} has {len(objectives)} active objectives; HiGHS takes one")
    terms: dict[int, float] = {}
    offset, maximise = 0.0, False
    if objectives:
        repn = visitor.walk_expression(objectives[0].expr)
        if repn.nonlinear is not None:
            raise ValueError(f"objective {objectives[0].name} is not linear")
        terms, offset = dict(repn.linear), float(repn.constant)
        maximise = objectives[0].sense == pyo.maximize
    for vid in terms:
        column.setdefault(vid, len(column))
    cost = np.zeros(len(column))
    for vid, coef in terms.items():
        cost[column[vid]] = coef
    return cost, offset, maximise


def hand_over(m: pyo.ConcreteModel) -> tuple[Arrays, highspy.Highs]:
    """The model compiled and passed to a new HiGHS."""
    arrays = compile_model(m)
    return arrays, pass_to_highs(arrays)


def pass_to_highs(arrays: Arrays) -> highspy.Highs:
    """One `passModel` of the arrays into a new HiGHS."""
    with capture_output(TeeStream(io.StringIO()), capture_fd=True):  # a first HiGHS prints
        highs = highspy.Highs()  # a banner
    if pass_arrays(highs, arrays) == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS refused the model passed to it")
    return highs


def pass_arrays(highs: highspy.Highs, arrays: Arrays) -> highspy.HighsStatus:
    """`passModel` of the arrays as they are (row-wise matrix), nothing else."""
    sense = highspy.ObjSense.kMaximize if arrays.maximise else highspy.ObjSense.kMinimize
    return highs.passModel(
        len(arrays.columns), len(arrays.rows), arrays.nonzeros,
        int(highspy.MatrixFormat.kRowwise), int(sense), arrays.offset, arrays.cost,
        arrays.col_lower, arrays.col_upper, arrays.row_lower, arrays.row_upper, arrays.start,
        arrays.index, arrays.value, arrays.integer.astype(np.int32))


def run(highs: highspy.Highs, options: dict) -> str:
    """Run HiGHS with `options` (None values left at HiGHS's default) as Pyomo's interface
    runs it: logging to the console, captured and returned; Ctrl-C may cancel the run."""
    log = io.StringIO()
    with capture_output(TeeStream(log), capture_fd=True):
        highs.setOptionValue("log_to_console", True)
        for key, value in options.items():
            if value is not None:
                highs.setOptionValue(key, value)
        highs.HandleKeyboardInterrupt = True
        highs.run()
    return log.getvalue()


def load_values(arrays: Arrays, col_value) -> None:
    """Put HiGHS's column values onto the Pyomo variables, as the persistent interface does."""
    for v, x in zip(arrays.columns, np.asarray(col_value, dtype=float).tolist(), strict=True):
        v.set_value(x, skip_validation=True)


# how Pyomo's HiGHS interface names HiGHS's model status (pyomo.contrib.solver.solvers.highs),
# so that both hand-overs report the same termination
_TERMINATION = {
    "kNotset": TerminationCondition.unknown, "kLoadError": TerminationCondition.error,
    "kModelError": TerminationCondition.error, "kPresolveError": TerminationCondition.error,
    "kSolveError": TerminationCondition.error, "kPostsolveError": TerminationCondition.error,
    "kModelEmpty": TerminationCondition.unknown,
    "kOptimal": TerminationCondition.convergenceCriteriaSatisfied,
    "kInfeasible": TerminationCondition.provenInfeasible,
    "kUnboundedOrInfeasible": TerminationCondition.infeasibleOrUnbounded,
    "kUnbounded": TerminationCondition.unbounded,
    "kObjectiveBound": TerminationCondition.objectiveLimit,
    "kObjectiveTarget": TerminationCondition.objectiveLimit,
    "kTimeLimit": TerminationCondition.maxTimeLimit,
    "kIterationLimit": TerminationCondition.iterationLimit,
    "kSolutionLimit": TerminationCondition.iterationLimit,
    "kUnknown": TerminationCondition.unknown,
}


def termination(highs: highspy.Highs) -> TerminationCondition:
    """How the last run ended, in Pyomo's terms."""
    return _TERMINATION.get(highs.getModelStatus().name, TerminationCondition.unknown)
