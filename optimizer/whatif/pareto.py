"""Trade-off fronts between two objective terms, by the epsilon-constraint method.

The front runs between the two lexicographic optima: A (least `first`, then least `second`
with `first` held) and B (least `second`, then least `first`). Between them, `second` is
capped at evenly spaced values eps and each point is again found in two stages: least
`first` with `second` <= eps, then least `second` with `first` held at what it reached. The
second stage makes every point non-dominated (a single stage may return a point that
another with the same `first` beats on `second`). Points are solved from B towards A, so
each earlier point satisfies the next, looser cap and is handed to HiGHS as its start.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo

from optimizer.model.objective import term, used_terms
from optimizer.report.text import run_documents
from optimizer.results import Results
from optimizer.results.files import safe_csv, staged_folder
from optimizer.results.record import write_run
from optimizer.solve.solver import Stage, _deadline, _remaining
from optimizer.whatif.alternatives import language
from optimizer.whatif.resolve import Session, allowance, weighted_value

WEIGHTED = "weighted_optimum"


@dataclass
class Point:
    label: str
    kind: str  # end point of either term, or interior
    epsilon: float | None  # the cap on the second term, None at the end points
    results: Results

    def value(self, name: str) -> float:
        return self.results.terms[name]["value"]


@dataclass
class Front:
    instance_name: str
    first: str
    second: str
    weights: dict[str, float]
    weighted: Results  # the instance's own optimum, marked on the chart
    points: list[Point] = field(default_factory=list)  # by `first` rising
    dropped: list[dict] = field(default_factory=list)  # repeated or dominated, with why
    held: dict[str, float] = field(default_factory=dict)  # other terms, held at these values
    seconds: float = 0.0


def trade_off_front(session: Session, first: str, second: str, points: int = 9,
                    progress: Callable[[str], None] | None = None,
                    hold_others: bool = False, workers: int = 1) -> Front:
    """The front between two terms: its two lexicographic end points and points between.

    The instance's other objective terms are free unless `hold_others`. With `workers` > 1
    the points between the ends are shared out to that many processes, each with a model of
    its own and one HiGHS thread, each walking its run of caps from the tight one.
    """
    for name in (first, second):
        session.check_term(name)
    if first == second:
        raise _user_error(f"--terms names {first!r} twice; give two different terms")
    start = time.perf_counter()
    front = Front(session.instance.name, first, second, session.own_weights(),
                  session.optimum())
    others = [t for t in used_terms(session.instance.settings)
              if t not in (first, second)] if hold_others else []
    front.held = {t: front.weighted.terms[t]["value"] for t in others}
    _hold(session, front.held)
    end_a = _point(session, first, second, None, f"end_{first}")
    end_b = _point(session, second, first, None, f"end_{second}")
    low, high = end_b.value(second), end_a.value(second)
    caps = [low + i * (high - low) / (points - 1) for i in range(1, points - 1)]
    if workers > 1 and len(caps) > 1:
        interior = _in_processes(session, front, caps, workers, progress)
    else:
        interior = []
        for i, eps in enumerate(caps, 2):
            interior.append(_point(session, first, second, eps, "interior"))
            if progress:
                progress(f"point {i} of {points}: {second} <= {eps:,.4g}")
    _remove_rows(session.model, first, second)
    front.points, front.dropped = _non_dominated([end_b, *interior, end_a], first, second)
    for k, p in enumerate(front.points, 1):
        p.label = f"point_{k}"
    front.seconds = time.perf_counter() - start
    return front


def _in_processes(session: Session, front: Front, caps: list[float], workers: int,
                  progress: Callable[[str], None] | None) -> list[Point]:
    """The interior points in `workers` processes, each a contiguous run of caps."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = min(workers, len(caps))
    runs = [caps[k * len(caps) // n:(k + 1) * len(caps) // n] for k in range(n)]
    options = session.options
    request = {"time_limit": options.time_limit, "mip_gap": options.mip_gap, "threads": 1,
               "solver_options": options.solver_options}
    found: list[Point] = []
    with ProcessPoolExecutor(max_workers=len(runs),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(solve_caps, session.instance, request, front.first, front.second,
                            front.held, run) for run in runs]
        try:
            for job in jobs:
                found += job.result()
                if progress:
                    progress(f"{len(found)} of {len(caps)} points between the ends solved")
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return found


def solve_caps(instance, request: dict, first: str, second: str, held: dict[str, float],
               caps: list[float]) -> list[Point]:
    """In a worker process: the points of a run of caps, on a model of its own."""
    session = Session(instance, **request)
    _hold(session, held)
    return [_point(session, first, second, eps, "interior") for eps in caps]


def _user_error(text: str) -> Exception:
    from optimizer.errors import UserError

    return UserError(text)


def _hold(session: Session, held: dict[str, float]) -> None:
    """Every term in `held` at most its value there (the weighted optimum's, --hold-others).

    The front is then the trade-off between the two terms among allocations no worse than
    the weighted optimum on anything else, and the weighted optimum itself lies on it (up to
    its gap): any allocation that beat it on both terms would beat its weighted objective.
    """
    session.model.front_other = pyo.Constraint(
        list(held), rule=lambda m, t: term(m, t) <= allowance(held[t], 0.0))


def _limit(m: pyo.ConcreteModel, name: str, value: float | None) -> None:
    """Cap a term at `value` (None: no cap).

    A row with a constant bound, replaced rather than given a mutable parameter: the
    persistent interface re-sends every mutable parameter at each solve, and HiGHS drops the
    starting solution when the model changes after it was set.
    """
    row = f"front_cap_{name}"
    if hasattr(m, row):
        m.del_component(row)
    if value is not None:
        m.add_component(row, pyo.Constraint(expr=term(m, name) <= allowance(value, 0.0)))


def _remove_rows(m: pyo.ConcreteModel, first: str, second: str) -> None:
    for name in (first, second):
        _limit(m, name, None)
    m.del_component("front_other")


def _point(session: Session, lead: str, other: str, cap: float | None, kind: str) -> Point:
    """Least `lead` with `other` <= cap (if any), then least `other` with `lead` held.

    `lead` is the front's first term at interior points and at end A; at end B the roles
    swap. Each stage starts from the allocation the model holds (the previous point). The
    two stages share the time limit, as the stages of a lexicographic `solve` do: a point
    is one lexicographic solve with a cap.
    """
    m = session.model
    start = time.perf_counter()
    deadline = _deadline(session.options.time_limit)
    _limit(m, other, cap)
    _limit(m, lead, None)
    capped = f" with {other} <= {cap:,.6g}" if cap is not None else ""
    stages: list[Stage] = [session.minimise({lead: 1.0}, lead, time_limit=_remaining(deadline))]
    if stages[0].incumbent is not None:
        achieved = stages[0].achieved = session.achieved(lead)
        _limit(m, lead, achieved)
        stages.append(session.minimise({other: 1.0}, other, time_limit=_remaining(deadline)))
        session.solver._polish(m)
    _limit(m, lead, None)
    _limit(m, other, None)
    outcome = session.outcome(stages, time.perf_counter() - start)
    outcome = replace(outcome, message=(
        f"a point of the {lead}-{other} trade-off: the least {lead}{capped}, then the least "
        f"{other} with {lead} held there; {outcome.message}"))
    # the objective reported is the last stage's term, recomputed from the allocation; the
    # solver's figure is not handed to collect as if it were the instance's objective
    results = session.collect(replace(outcome, objective=None))
    results.outcome = replace(results.outcome, objective=results.terms[other]["value"])
    return Point("", kind, cap, results)


def _non_dominated(found: list[Point], first: str, second: str
                   ) -> tuple[list[Point], list[dict]]:
    """Points by `first` rising; repeats and (after a time limit) dominated points dropped."""
    solved = [p for p in found if p.results.outcome.has_solution]
    dropped = [{"epsilon": p.epsilon, "reason": "no_allocation", "status": p.results.outcome.status,
                "why": f"no allocation: {p.results.outcome.status}"}
               for p in found if not p.results.outcome.has_solution]
    solved.sort(key=lambda p: (p.value(first), p.value(second)))
    kept: list[Point] = []
    for p in solved:
        if kept and _same(p.value(first), kept[-1].value(first)) \
                and _same(p.value(second), kept[-1].value(second)):
            if p.kind.startswith("end_"):  # an end point replaces an interior repeat
                kept[-1], p = p, kept[-1]
            dropped.append({"epsilon": p.epsilon, "reason": "repeat",
                            "why": "the same point as another cap gave"})
        elif kept and p.value(second) >= kept[-1].value(second) - _tol(p.value(second)):
            dropped.append({"epsilon": p.epsilon, "reason": "dominated", "why": (
                f"dominated by a point with less {first} and no more {second} (a stage "
                "stopped before optimality)")})
        else:
            kept.append(p)
    return kept, dropped


def _tol(value: float) -> float:
    return 1e-6 * max(1.0, abs(value))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _tol(max(abs(a), abs(b)))


# ---------------------------------------------------------------------------- tables


def front_table(front: Front) -> pd.DataFrame:
    """Every term at each point, with the instance's weighted objective there."""
    rows = []
    for p in front.points:
        out = p.results.outcome
        row = {"point": p.label, "kind": p.kind, f"cap_{front.second}": p.epsilon}
        row |= {f"term_{n}": t["value"] for n, t in p.results.terms.items()}
        row |= {"weighted_objective": weighted_value(p.results.terms, front.weights),
                "status": out.status, "mip_gap": out.mip_gap, "folder": p.label}
        rows.append(row)
    return pd.DataFrame(rows)


def is_monotone(table: pd.DataFrame, first: str, second: str) -> bool:
    """`first` strictly rising and `second` strictly falling from point to point."""
    a, b = table[f"term_{first}"].to_numpy(), table[f"term_{second}"].to_numpy()
    return bool(((a[1:] - a[:-1]) > 0).all() and ((b[1:] - b[:-1]) < 0).all())


def write_front(front: Front, out: Path, extra: dict | None = None,
                reports: bool = True, lang: str | None = None) -> pd.DataFrame:
    """A folder per point (as `solve` writes it), front.csv, front.svg and a manifest; with
    `reports`, each point's reports and the folder's report.html and report.xlsx."""
    from optimizer.report.alternatives import front_chart, write_many_reports
    from optimizer.report.i18n import Words
    from optimizer.report.i18n import language as report_language

    table = front_table(front)
    instance = front.weighted.instance
    words = Words(report_language(lang, None, instance), instance)
    with staged_folder(out) as tmp:
        documents = run_documents(visual=reports)
        notes = {p.label: write_run(tmp / p.label, p.results, extra=(extra or {}) | {
            "front_point": {"terms": [front.first, front.second], "kind": p.kind,
                            "cap": p.epsilon}} | language(lang), documents=documents)
            for p in front.points}
        notes[WEIGHTED] = write_run(tmp / WEIGHTED, front.weighted,
                                    extra=(extra or {}) | language(lang), documents=documents)
        for label, lines in notes.items():
            if lines:  # a chart problem must not cost the allocation
                (tmp / label / "report_error.txt").write_text("\n".join(lines) + "\n")
        (tmp / "front.csv").write_text(safe_csv(table), encoding="utf-8")
        weighted = {t: front.weighted.terms[t]["value"] for t in (front.first, front.second)}
        (tmp / "front.svg").write_text(front_chart(
            table, front.first, front.second, weighted, words, front.instance_name,
            term_units(front)), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest(front, table), indent=2,
                                                      default=str) + "\n", encoding="utf-8")
        if reports:
            write_many_reports(tmp, instance, lang)
    return table


def term_units(front: Front) -> dict[str, str]:
    """The unit of each of the front's two terms, as the weighted optimum reports it."""
    return {t: front.weighted.terms[t].get("unit", "") for t in (front.first, front.second)}


def manifest(front: Front, table: pd.DataFrame) -> dict:
    """The folder's record; `compare` reads its runs (the points, then the weighted optimum)."""
    w = front.weighted.terms
    return {"front": {"instance": front.instance_name, "terms": [front.first, front.second],
                      "points": len(front.points), "monotone": is_monotone(
                          table, front.first, front.second) if len(table) > 1 else True,
                      "weighted_optimum": {t: w[t]["value"] for t in (front.first,
                                                                      front.second)},
                      "units": term_units(front),
                      "other_terms_held_at": front.held, "dropped": front.dropped,
                      "seconds": round(front.seconds, 3)},
            "runs": [*({"run": p.label, "output": p.label, "status": p.results.outcome.status}
                       for p in front.points),
                     {"run": WEIGHTED, "output": WEIGHTED,
                      "status": front.weighted.outcome.status}]}
