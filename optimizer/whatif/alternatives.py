"""Near-optimal alternatives: allocations within (1 + S) of the optimum that differ most.

Modelling to generate alternatives on the host decisions (docs/alternatives.md). After the
instance's own optimum x0, alternative k maximises the smallest Hamming distance between its
hosts and those of x0 and every earlier alternative, with the instance's objective held
within (1 + S) of the optimum (each term of the order, in lexicographic mode); ties are
broken by the summed distance, with a weight too small to trade against one unit of the
smallest. A smallest distance of 0 means no allocation within the slack differs from those
found. The hosts so chosen then get the best outputs under the instance's own objective.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo

from optimizer.report.text import run_documents
from optimizer.results import Results
from optimizer.results.files import safe_csv, staged_folder
from optimizer.results.record import write_run
from optimizer.solve.solver import Stage, relative_gap
from optimizer.whatif.resolve import Pair, Session, allowance, relative_change, weighted_value

OPTIMUM = "optimum"
ALWAYS, NEVER, CHOICE = "always", "never", "choice"


@dataclass
class Layout:
    """One allocation of the set: the optimum or an alternative."""

    label: str
    results: Results
    hosts: frozenset[Pair]
    objective: float
    distance: int = 0  # smallest Hamming distance to the optimum and earlier alternatives
    search: Stage | None = None  # the distance-maximising stage (None for the optimum)


@dataclass
class AlternativeSet:
    instance_name: str
    slack: float
    weights: dict[str, float]
    optimum: Layout
    alternatives: list[Layout] = field(default_factory=list)
    stopped: str = ""  # why fewer than asked for were found, if so
    seconds: float = 0.0
    eligible: set[Pair] = field(default_factory=set)  # pairs the model could host

    @property
    def layouts(self) -> list[Layout]:
        return [self.optimum, *self.alternatives]


def hamming(a: frozenset[Pair], b: frozenset[Pair]) -> int:
    """How many host decisions differ between two layouts."""
    return len(a ^ b)


def find_alternatives(session: Session, count: int, slack: float,
                      progress: Callable[[str], None] | None = None) -> AlternativeSet:
    """The optimum and up to `count` alternatives within (1 + slack) of it."""
    start = time.perf_counter()
    weights = session.own_weights()
    best = session.optimum()
    optimum = Layout(OPTIMUM, best, session.hosts(), weighted_value(best.terms, weights))
    found = AlternativeSet(session.instance.name, slack, weights, optimum,
                           eligible=set(session.data.eligible))
    _hold_within_slack(session, slack)
    m = session.model
    m.mga_floor = pyo.Var(bounds=(0, len(m.host)))
    m.mga_spread = pyo.ConstraintList()
    _add_spread_row(session, optimum.hosts)
    for k in range(1, count + 1):
        layout, why = _next_alternative(session, found, k)
        if layout is None:
            found.stopped = why
            break
        found.alternatives.append(layout)
        _add_spread_row(session, layout.hosts)
        if progress:
            change = relative_change(layout.objective, optimum.objective)
            progress(f"alternative {k}: {layout.distance} hosts differ from the nearest "
                     f"earlier layout, objective {change:+.2%}")
    _remove(m, ("mga_budget", "mga_spread", "mga_floor"))
    found.seconds = time.perf_counter() - start
    return found


def _hold_within_slack(session: Session, slack: float) -> None:
    """The objective (each ordered term, in lexicographic mode) at most (1 + S) x optimum."""
    m = session.model
    settings = session.instance.settings
    if settings.objective_mode == "lexicographic":
        parts = [{t: 1.0} for t in settings.order]
    else:
        parts = [session.own_weights()]
    m.mga_budget = pyo.ConstraintList()
    for weights in parts:
        expr = pyo.quicksum(w * getattr(m, f"term_{t}") for t, w in weights.items())
        m.mga_budget.add(expr <= allowance(pyo.value(expr), slack))


def _add_spread_row(session: Session, hosts: frozenset[Pair]) -> None:
    m = session.model
    m.mga_spread.add(m.mga_floor <= _distance(m, hosts))


def _distance(m: pyo.ConcreteModel, hosts: frozenset[Pair]):
    """Hamming distance of the model's hosts to a fixed layout, a linear expression."""
    return len(hosts) + pyo.quicksum((-1 if p in hosts else 1) * v for p, v in m.host.items())


def _next_alternative(session: Session, found: AlternativeSet, k: int
                      ) -> tuple[Layout | None, str]:
    m = session.model
    earlier = [x.hosts for x in found.layouts]
    current = session.hosts()
    m.mga_floor.value = min(hamming(current, h) for h in earlier)  # a valid warm start
    tie_break = 1.0 / (len(earlier) * len(m.host) + 1)  # sum <= that many: never beats 1 unit
    total = pyo.quicksum(_distance(m, h) for h in earlier)
    stage = session.run(m.mga_floor + tie_break * total, f"alternative_{k}_distance",
                        pyo.maximize)
    if stage.incumbent is None:
        return None, f"the search for alternative {k} ended {stage.status} without an allocation"
    hosts = session.hosts()
    distance = min(hamming(hosts, h) for h in earlier)
    if distance == 0:
        proof = ("proven: every allocation" if stage.status == "optimal"
                 else f"none found before the time limit ({stage.status}); an allocation may "
                      "still exist, but every one found")
        return None, (f"{proof} within {found.slack:.2%} of the optimum has the same hosts as "
                      "the optimum or an earlier alternative")
    settled = session.settle(hosts)
    if not settled.has_solution:
        return None, f"alternative {k}: its outputs could not be settled ({settled.status})"
    results = session.collect(settled)
    objective = weighted_value(results.terms, found.weights)
    bound = found.optimum.results.outcome.bound
    searched = "proven to differ most" if stage.status == "optimal" else (
        f"the best found before the time limit (distance gap {_pct(stage.mip_gap)})")
    results.outcome = replace(
        settled, status="feasible", objective=objective, bound=bound,
        mip_gap=relative_gap(objective, bound), stages=[stage, *settled.stages],
        seconds=stage.wall_seconds + settled.seconds,
        message=(f"alternative {k}: within {found.slack:.2%} of the optimum "
                 f"({relative_change(objective, found.optimum.objective):+.3%}); its hosts are "
                 f"{searched} from the optimum and earlier alternatives ({distance} host "
                 "decisions at least); its outputs are the best for those hosts"))
    return Layout(f"alternative_{k}", results, hosts, objective, distance, stage), ""


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def _remove(m: pyo.ConcreteModel, names: tuple[str, ...]) -> None:
    for name in names:
        if hasattr(m, name):
            m.del_component(name)


# ---------------------------------------------------------------------------- tables


def alternatives_table(found: AlternativeSet) -> pd.DataFrame:
    """One row per layout: objective, every term, gap to the optimum, hosts that differ."""
    rows = []
    base = found.optimum
    for x in found.layouts:
        r = x.results
        added = sorted(x.hosts - base.hosts)
        removed = sorted(base.hosts - x.hosts)
        row = {"alternative": x.label, "status": r.outcome.status, "objective": x.objective,
               "gap_to_optimum": relative_change(x.objective, base.objective)}
        row |= {f"term_{name}": t["value"] for name, t in r.terms.items()}
        row |= {"hosts": len(x.hosts), "hosts_differ_from_optimum": len(added) + len(removed),
                "least_distance_to_earlier": x.distance if x is not base else None,
                "distance_search": x.search.status if x.search else "",
                "distance_search_gap": x.search.mip_gap if x.search else None,
                "hosts_added": "; ".join(f"{a}:{b}" for a, b in added),
                "hosts_removed": "; ".join(f"{a}:{b}" for a, b in removed),
                "folder": x.label}
        rows.append(row)
    return pd.DataFrame(rows)


def robustness_table(found: AlternativeSet) -> pd.DataFrame:
    """Each region-segment pair that can host or hosts today: how often the layouts host it.

    `always` (every layout hosts it) and `never` (none does) are what a planner can take as
    settled within the slack; `choice` pairs are where the near-optimal layouts differ.
    """
    instance = found.optimum.results.instance
    chain_of = instance.chain_of()
    today = set(instance.current_output())
    layouts = found.layouts
    pairs = sorted(set().union(*(x.hosts for x in layouts)) | today | found.eligible)
    rows = []
    for r, s in pairs:
        n = sum((r, s) in x.hosts for x in layouts)
        label = ALWAYS if n == len(layouts) else NEVER if n == 0 else CHOICE
        rows.append({"region": r, "segment": s, "chain": chain_of[s],
                     "hosted_today": (r, s) in today, "in_optimum": (r, s) in layouts[0].hosts,
                     "layouts_hosting": n, "share": n / len(layouts), "robustness": label})
    return pd.DataFrame(rows)


def write_alternatives(found: AlternativeSet, out: Path, extra: dict | None = None,
                       reports: bool = True) -> dict[str, pd.DataFrame]:
    """A folder per layout (as `solve` writes it), the two tables and a manifest for compare."""
    tables = {"alternatives": alternatives_table(found), "robustness": robustness_table(found)}
    with staged_folder(out) as tmp:
        for x in found.layouts:
            notes = write_run(tmp / x.label, x.results, extra=(extra or {}) | {
                "alternative": {"label": x.label, "slack": found.slack,
                                "least_distance_to_earlier": x.distance}},
                documents=run_documents(visual=reports))
            if notes:  # a chart problem must not cost the allocation
                (tmp / x.label / "report_error.txt").write_text("\n".join(notes) + "\n")
        for name, frame in tables.items():
            (tmp / f"{name}.csv").write_text(safe_csv(frame), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest(found), indent=2, default=str)
                                           + "\n", encoding="utf-8")
        if reports:
            from optimizer.whatif.pages import write_alternatives_pages

            write_alternatives_pages(tmp, found, tables)
    return tables


def manifest(found: AlternativeSet) -> dict:
    """The folder's record: what was asked, what was found; `compare` reads its runs."""
    return {"alternatives": {"instance": found.instance_name, "slack": found.slack,
                             "asked_weights": found.weights, "found": len(found.alternatives),
                             "stopped": found.stopped, "seconds": round(found.seconds, 3)},
            "runs": [{"run": x.label, "output": x.label, "status": x.results.outcome.status,
                      "objective": x.objective, "mip_gap": x.results.outcome.mip_gap}
                     for x in found.layouts]}
