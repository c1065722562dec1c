"""`optimizer why RUN --keep REGION:SEGMENT`: what keeping a host would cost, and what else moves.

The run's instance is rebuilt from what its folder records, the run's hosts are fixed to
re-evaluate every objective term on the same model, then the host is kept at no less than
today's output and the model is re-solved on the same persistent HiGHS session, started from
the run's hosts plus the kept one. The difference, term by term, is the price of keeping it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.instance.schema import OBJECTIVE_TERMS
from optimizer.model import build_model, prepare
from optimizer.model.data import ModelData, Pair
from optimizer.model.objective import term, used_terms
from optimizer.results import Results, collect
from optimizer.results.measures import Layout
from optimizer.results.record import json_safe
from optimizer.solve.solver import AllocationSolver, SolveOptions

TOP_CHANGES = 10
# relative output change below which a host did not move: allocation.csv keeps 6 significant
# digits, so a segment's outputs read back miss its target by up to (hosts x 5e-6) relative,
# and the re-solve must place that residual somewhere; 0.01 % is below any planner's reading
CHANGE_TOLERANCE = 1e-4


@dataclass
class Run:
    """A solved run as `why` needs it: its instance and its allocation."""

    folder: Path
    instance: Instance
    layout: Layout
    summary: dict


@dataclass
class KeepAnswer:
    region: str
    segment: str
    today: float  # output today, the least the kept host must make
    in_run: float  # what the run gives it (0 if closed)
    status: str
    message: str
    seconds: float = 0.0
    terms: list[dict] = field(default_factory=list)
    objective: dict | None = None  # weighted mode: before, after, difference
    opened: list[dict] = field(default_factory=list)
    closed: list[dict] = field(default_factory=list)
    output_changes: list[dict] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.status in ("optimal", "feasible")


# ---------------------------------------------------------------------------- the run


def load_run(folder: Path) -> Run:
    """The run's instance (with its scenario) and allocation; UserError if either is unusable."""
    from optimizer.results.record import read_run

    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder; give an output folder of solve or sweep")
    view = read_run(folder, tables=["allocation"])  # checked (optimizer/results/record.py)
    if view.layout is None:
        raise UserError(f"{folder} has no allocation.csv (status {view.status}): there is no "
                        "allocation to ask about")
    instance = view.instance
    if instance is None:
        raise UserError(f"{folder}: " + "; ".join(view.notes or ["its instance is not known"]))
    recorded = view.summary.get("instance_hash")
    if recorded and recorded != instance.content_hash:
        raise UserError(f"{folder}: the instance has changed since this run (hash "
                        f"{instance.content_hash}, run made with {recorded}); solve it again "
                        "before asking why")
    unknown = sorted(p for p in view.layout if p[0] not in instance.regions
                     or p[1] not in instance.segments)
    if unknown:
        raise UserError(f"{folder}/allocation.csv names pairs the instance does not have, "
                        f"e.g. {unknown[0][0]}:{unknown[0][1]}")
    return Run(folder, instance, view.layout, view.summary)


def parse_keep(text: str, instance: Instance) -> Pair:
    """'REGION:SEGMENT' (region id or name) -> a pair that hosts the segment today."""
    region, sep, segment = text.partition(":")
    if not sep or not region or not segment or ":" in segment:
        raise UserError(f"--keep {text!r}: expected REGION:SEGMENT, e.g. "
                        f"{_example(instance)}")
    region = _region_id(region.strip(), instance)
    segment = segment.strip()
    if segment not in instance.segments:
        raise UserError(f"--keep {text!r}: unknown segment {segment!r} (segments.csv has "
                        f"{', '.join(instance.segments[:5])}, ...)")
    if (region, segment) not in instance.current_output():
        raise UserError(f"--keep {text!r}: {region} does not host {segment} today "
                        "(current_layout.csv); --keep asks what keeping an existing host costs")
    return region, segment


def _region_id(text: str, instance: Instance) -> str:
    if text in instance.regions:
        return text
    regions = instance.tables["regions"]
    named = [r for r, n in zip(regions["region"], regions["name"], strict=True) if n == text]
    if len(named) == 1:
        return named[0]
    raise UserError(f"--keep: unknown region {text!r} (use the region id of regions.csv, "
                    f"e.g. {instance.regions[0]})")


def _example(instance: Instance) -> str:
    pair = next(iter(sorted(instance.current_output())), (instance.regions[0],
                                                          instance.segments[0]))
    return f"{pair[0]}:{pair[1]}"


# ---------------------------------------------------------------------------- the re-solve


class _StartedSolver(AllocationSolver):
    """AllocationSolver whose first HiGHS run starts from given host decisions.

    The start gives every integer decision: HiGHS completes it by solving the LP that is
    left and drops it if no completion exists, so a start can cost time, never a wrong answer.
    """

    def __init__(self, options: SolveOptions):
        super().__init__(options)
        self.start: dict[int, float] = {}  # id(integer variable) -> value

    def _run(self, m: pyo.ConcreteModel, name: str, time_limit: float | None):
        return self._run_started(m, name, time_limit) if self.start else \
            super()._run(m, name, time_limit)

    def _run_started(self, m: pyo.ConcreteModel, name: str, time_limit: float | None):
        self.highs.update()
        highs = getattr(self.highs, "_solver_model", None)
        columns = getattr(self.highs, "_pyomo_var_to_solver_var_map", None)
        if highs is not None and columns is not None:
            pairs = sorted((columns[k], v) for k, v in self.start.items() if k in columns)
            highs.setSolution(len(pairs), np.array([c for c, _ in pairs], dtype=np.int32),
                              np.array([v for _, v in pairs], dtype=np.float64))
            self.started = True  # AllocationSolver._run checks what HiGHS makes of it
        self.start = {}
        # the model is already up to date; with Pyomo's second update before the run,
        # HiGHS drops the start (its log then has no "MIP start" line)
        self.highs.update = lambda timer=None: None
        try:
            return super()._run(m, name, time_limit)
        finally:
            del self.highs.update


def why_keep(run: Run, pair: Pair, time_limit: float | None = None,
             threads: int | None = None, mip_gap: float | None = None) -> KeepAnswer:
    """Re-solve with `pair` kept at no less than today's output; compare with the run."""
    region, segment = pair
    data = prepare(run.instance)
    today = data.current[pair]
    answer = KeepAnswer(region, segment, today, run.layout.get(pair, 0.0), "optimal", "")
    impossible = _cannot_keep(data, pair, today)
    if impossible:
        answer.status, answer.message = "infeasible", "the host cannot be kept"
        answer.explanation = [impossible]
        return answer
    options = SolveOptions.from_settings(data, time_limit=time_limit, threads=threads,
                                         mip_gap=mip_gap)
    m = build_model(data)
    if not set(run.layout) <= set(m.PAIRS):
        raise UserError(f"{run.folder}: its allocation uses hosts this instance no longer "
                        "allows; solve it again before asking why")
    solver = _StartedSolver(options)  # one HiGHS session for every solve
    before = _run_as_it_is(m, data, run.layout, solver)
    if before is None:
        raise UserError(f"{run.folder}: its allocation does not satisfy the instance's limits "
                        "any more; solve it again before asking why")
    solver.start = _start(m, data, run.layout, pair)
    for p in m.PAIRS:
        m.host[p].setlb(1 if p == pair else 0)
        m.host[p].setub(1)
    m.output[pair].setlb(today)
    outcome = solver.solve(m, data)
    answer.status, answer.message, answer.seconds = (outcome.status, outcome.message,
                                                    outcome.seconds)
    if outcome.status == "infeasible":
        answer.message = "keeping it at today's output breaks another limit"
        answer.explanation = explain_keep(run.instance, pair, today, options.time_limit)
    if not outcome.has_solution:
        return answer
    answer.notes += solver.notes
    if not _least_moves(m, data, solver, run.layout):
        answer.notes.append("the outputs shown are the solver's; finding the equally good plan "
                            "closest to the run failed")
    after = collect(m, data, outcome)
    _compare(answer, run, before, after)
    if answer.objective is not None and outcome.bound is not None and math.isfinite(
            outcome.bound):
        # the re-solve is proven only within its gap: the cheapest plan that keeps the host
        # lies between the bound and the plan found
        answer.objective["after_bound"] = outcome.bound
        answer.objective["difference_at_least"] = outcome.bound - answer.objective["before"]
    recorded = (run.summary.get("objective") or {}).get("value")
    if recorded is not None and before.outcome.objective is not None and abs(
            recorded - before.outcome.objective) > 1e-6 * max(1.0, abs(recorded)):
        answer.notes.append(f"the run recorded objective {recorded:,.6g}; re-evaluated with "
                            f"its hosts it is {before.outcome.objective:,.6g} (the run was not "
                            "proven optimal, or its outputs were not the cheapest for its hosts)")
    return answer


def _start(m: pyo.ConcreteModel, data: ModelData, layout: Layout, pair: Pair
           ) -> dict[int, float]:
    """Every integer decision of the run, plus the kept host (and its chain participation).

    HiGHS completes a start that gives every integer variable by solving the LP that is left.
    """
    start = {id(v): float(round(v.value)) for v in m.component_data_objects(pyo.Var)
             if v.is_integer() and v.value is not None}
    start |= {id(m.host[p]): 1.0 if layout.get(p, 0.0) > 0 or p == pair else 0.0
              for p in m.PAIRS}
    chain = (pair[0], data.chain_of[pair[1]])
    if hasattr(m, "in_chain") and chain in m.in_chain:
        start[id(m.in_chain[chain])] = 1.0
    return start


def _cannot_keep(data: ModelData, pair: Pair, today: float) -> str | None:
    """Why the host cannot be kept at today's output whatever else changes, if it cannot."""
    region, segment = pair
    if not data.is_eligible(pair):
        return (f"{region} cannot host {segment} in this instance: "
                f"{data.excluded.get(pair, 'it is not eligible')}")
    if today > data.upper[pair] * (1 + 1e-9):
        return (f"{region} makes {today:,.6g} of {segment} today, but this instance allows it "
                f"at most {data.upper[pair]:,.6g} (its target or its resources and talent)")
    return None


def _run_as_it_is(m: pyo.ConcreteModel, data: ModelData, layout: Layout,
                  solver: AllocationSolver) -> Results | None:
    """Every term of the run's allocation, on this model: its hosts fixed, the rest solved.

    allocation.csv keeps outputs to a few digits, too few to satisfy an equality target
    exactly, so the outputs are re-solved with the hosts fixed; for a run solved to optimality
    that gives its objective (a difference is noted).
    """
    for p in m.PAIRS:  # by bounds, not fix(): a fixed variable would enter HiGHS's rows as
        value = 1 if layout.get(p, 0.0) > 0 else 0  # a constant, to be rebuilt when freed
        m.host[p].setlb(value)
        m.host[p].setub(value)
    outcome = solver.solve(m, data)
    return collect(m, data, outcome) if outcome.has_solution else None


def _least_moves(m: pyo.ConcreteModel, data: ModelData, solver: AllocationSolver,
                 run: Layout) -> bool:
    """Among plans as good as the re-solve (same hosts, no optimised term worse), the one
    whose outputs move least from the run's, so that "what else moves" shows what keeping
    the host forces rather than one of many equally good splits. False (values unchanged)
    if that LP fails."""
    saved = [(v, v.value) for v in m.component_data_objects(pyo.Var) if not v.fixed]
    hosts = [p for p in m.PAIRS if not m.host[p].fixed]
    for p in hosts:
        m.host[p].fix(round(m.host[p].value))
    m.why_hold = pyo.ConstraintList()
    for name in used_terms(data.instance.settings):
        value = pyo.value(term(m, name))
        m.why_hold.add(term(m, name) <= value + 1e-7 * max(1.0, abs(value)))
    moved = [p for p in m.PAIRS if m.host[p].value > 0.5 or p in run]
    m.why_move = pyo.Var(moved, domain=pyo.NonNegativeReals)
    m.why_move_up = pyo.Constraint(moved, rule=lambda m, r, s: m.why_move[r, s]
                                   >= m.output[r, s] - run.get((r, s), 0.0))
    m.why_move_down = pyo.Constraint(moved, rule=lambda m, r, s: m.why_move[r, s]
                                     >= run.get((r, s), 0.0) - m.output[r, s])
    m.del_component(m.objective)
    m.objective = pyo.Objective(expr=pyo.quicksum(m.why_move[p] for p in moved))
    stage = solver._run(m, "least_moves", solver.options.time_limit)
    if stage.status != "optimal":
        for v, value in saved:
            v.set_value(value, skip_validation=True)
    for p in hosts:
        m.host[p].unfix()
    return stage.status == "optimal"


def _compare(answer: KeepAnswer, run: Run, before: Results, after: Results) -> None:
    settings = run.instance.settings
    for name in OBJECTIVE_TERMS:
        b, a = before.terms[name], after.terms[name]
        answer.terms.append({"term": name, "unit": _short(a["unit"]), "before": b["value"],
                             "after": a["value"], "difference": a["value"] - b["value"],
                             "weight": a["weight"], "rank": a["rank"],
                             "optimised": a["optimised"]})
    if settings.objective_mode == "weighted":
        total = {k: sum((t["weight"] or 0.0) * t[k] for t in answer.terms)
                 for k in ("before", "after")}
        answer.objective = total | {"difference": total["after"] - total["before"]}
    old, new = run.layout, after.layout
    answer.opened = [{"region": r, "segment": s, "output": new[(r, s)]}
                     for r, s in sorted(set(new) - set(old))]
    answer.closed = [{"region": r, "segment": s, "output": old[(r, s)]}
                     for r, s in sorted(set(old) - set(new))]
    moves = []
    for p in sorted(set(old) | set(new)):
        b, a = old.get(p, 0.0), new.get(p, 0.0)
        if abs(a - b) > CHANGE_TOLERANCE * max(1.0, abs(b)):
            moves.append({"region": p[0], "segment": p[1], "before": b, "after": a,
                          "change": a - b})
    moves.sort(key=lambda d: (-round(abs(d["change"]), 9), d["region"], d["segment"]))
    answer.output_changes = moves[:TOP_CHANGES]
    if len(moves) > TOP_CHANGES:
        answer.notes.append(f"{len(moves)} hosts change output; the {TOP_CHANGES} largest "
                            "changes are shown")


def explain_keep(instance: Instance, pair: Pair, today: float,
                 time_limit: float | None) -> list[str]:
    """The product's infeasibility explanation (optimizer/solve/explain.py), with the host kept.

    The keep itself is not relaxed: the answer names the other limits that would have to give.
    """
    from optimizer.model.data import KEEP_EVERY_ROW
    from optimizer.solve.explain import relax_and_solve

    data = prepare(instance, KEEP_EVERY_ROW)
    m = build_model(data)
    if pair not in set(m.PAIRS):
        return [f"{pair[0]} cannot host {pair[1]}: {data.excluded.get(pair, 'not eligible')}"]
    m.host[pair].fix(1)
    m.output[pair].setlb(today)
    shortfalls, proven = relax_and_solve(m, data, time_limit)
    if shortfalls is None:
        return [f"Keeping {pair[0]}:{pair[1]} at {today:,.6g} is impossible even with every "
                "other limit relaxed: check its infrastructure and the forbidden pairs."]
    lines = [s.message for s in shortfalls]
    if len(lines) == 1:
        lines[0] += "; relaxing that alone would make keeping it possible."
    elif lines:
        lines.append(f"Relaxing these {len(lines)} limits together would make keeping it "
                     "possible" + ("; no smaller set does." if proven else "."))
    return lines


# ---------------------------------------------------------------------------- output


def _short(unit: str) -> str:
    """'100 million CNY (亿元) of gross output ... x km' -> '亿元 x km'."""
    from optimizer.solve.shadow import short_unit

    return " x ".join(short_unit(part) for part in str(unit).split(" x "))


def to_json(answer: KeepAnswer) -> str:
    record = {k: v for k, v in vars(answer).items()}
    return json.dumps(json_safe(record), indent=2, ensure_ascii=False)


def _num(x: float) -> str:
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.1f}"


def to_text(answer: KeepAnswer) -> str:
    head = (f"Keeping {answer.region}:{answer.segment} at no less than today's "
            f"{_num(answer.today)} (the run gives it {_num(answer.in_run)})")
    lines = [head, f"  {answer.status.upper()}: {answer.message} ({answer.seconds:.1f} s)"]
    lines += [f"  ! {e}" for e in answer.explanation]
    if not answer.answered:
        return "\n".join(lines)
    lines.append(f"  {'term':<18}{'before':>14}{'after':>14}{'difference':>14}  unit")
    if answer.objective is not None:
        o = answer.objective
        lines.append(f"  {'objective':<18}{_num(o['before']):>14}{_num(o['after']):>14}"
                     f"{_num(o['difference']):>14}  weighted sum")
    for t in answer.terms:
        mark = "*" if t["optimised"] else " "
        lines.append(f"{mark} {t['term']:<18}{_num(t['before']):>14}{_num(t['after']):>14}"
                     f"{_num(t['difference']):>14}  {t['unit']}")
    lines.append("  (* optimised; the others are reported only)")
    if answer.objective is not None and "difference_at_least" in answer.objective:
        o = answer.objective
        lines.append(f"  keeping it costs between {_num(o['difference_at_least'])} and "
                     f"{_num(o['difference'])} (the re-solve is proven within its gap)")
    for title, rows in (("hosts opened", answer.opened), ("hosts closed", answer.closed)):
        names = ", ".join(f"{r['region']}:{r['segment']}" for r in rows)
        lines.append(f"  {title} ({len(rows)}): {names or '-'}")
    if answer.output_changes:
        lines.append("  largest output changes:")
        for c in answer.output_changes:
            lines.append(f"    {c['region'] + ':' + c['segment']:<36}{_num(c['before']):>12} -> "
                         f"{_num(c['after']):>12}  ({c['change']:+,.1f})")
    lines += [f"  note: {n}" for n in answer.notes]
    return "\n".join(lines)



WHY_HELP = """\
What would keeping a host cost? Re-solves a run's instance with REGION still making SEGMENT
at no less than today's output, and reports the objective and each term before and after,
the hosts that open or close as a result, and the largest output changes. RUN is an output
folder of solve (or one run of a sweep); its instance is found through summary.json.

examples:
  optimizer why out/yrd --keep js_320500:ic_design
  optimizer why out/yrd --keep 苏州市:ic_design --json
"""


def add_why_command(subparsers) -> None:
    import argparse

    from optimizer.cli.types import add_solver_limits

    w = subparsers.add_parser("why", help="what keeping a host would cost, term by term",
                              description=WHY_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("run", metavar="RUN_DIR", help="output folder of solve or a sweep run")
    w.add_argument("--keep", required=True, metavar="REGION:SEGMENT",
                   help="the host to keep at no less than today's output")
    w.add_argument("--json", action="store_true", help="print JSON")
    add_solver_limits(w, "per solve")
    w.set_defaults(func=cmd_why)


def cmd_why(args) -> int:
    """Exit 0 with the answer, 3 if the host cannot be kept (with the reasons) or no
    allocation was found in time; a bad RUN_DIR or --keep is a UserError (exit 2)."""
    run = load_run(Path(args.run))
    pair = parse_keep(args.keep, run.instance)
    answer = why_keep(run, pair, time_limit=args.time_limit, threads=args.threads,
                      mip_gap=args.gap)
    print(to_json(answer) if args.json else to_text(answer))
    return 0 if answer.answered else 3
