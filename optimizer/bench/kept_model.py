"""A grid point solved on the model kept from the last one: the path `bench many` measures
against fresh solves.

Sweeps do not take it: since a single solve hands its model to HiGHS as arrays and is priced
on it (solve/handover.py), a fresh grid point costs less than one re-solved through Pyomo's
persistent interface (BENCHMARKS.md, "Many solves of one model"). It lives with the benchmark
so that the measurement can be repeated, and every answer it gives is a fresh solve's
(tests/bench/test_kept_model.py).
"""

from __future__ import annotations

import time
from dataclasses import asdict

import pyomo.environ as pyo

from optimizer.instance import Instance
from optimizer.model import ModelData, prepare
from optimizer.model.benefit_sharing import loss_floors
from optimizer.model.objective import used_terms
from optimizer.results import Results
from optimizer.solve.diagnose import presolve_findings
from optimizer.solve.run import conclude, optimise
from optimizer.solve.verify import imply
from optimizer.whatif.resolve import NoAllocation, Session

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

    `bench many` measures it against fresh solves (see the module's docstring).
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
