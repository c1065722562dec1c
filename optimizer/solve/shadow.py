"""Shadow prices: what one more unit of each binding limit is worth to the plan.

With every host decision fixed at the optimum, what is left is a linear programme over the
outputs (and compensation, flows, ...); its duals price each limit in objective units per unit
of the limit. The rows are found through the model's own constraint components, so a family
added to the model later is priced too; only the rows their families declare as defining a
variable rather than limiting the plan (their duals restate an objective weight) are left out.

A row whose variables are all host decisions (max_hosts, max_segments, max_chains, must,
change budget, completeness, reach) is fixed with the hosts and has no LP price: what such a
choice costs is what `optimizer why` measures by re-solving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import highspy
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.core.expr.visitor import identify_variables

from optimizer.instance import Instance
from optimizer.model import build_model, declared_rows, prepare
from optimizer.model.data import ModelData, Pair
from optimizer.model.objective import set_objective, used_terms, weighted
from optimizer.solve.handover import Arrays, hand_over, load_values, run, termination
from optimizer.solve.solver import use_threads

COLUMNS = ["limit", "region", "segment", "item", "shadow_price", "unit", "label"]
TOLERANCE = 1e-6  # |dual| at or below this is not binding (10 x HiGHS's dual feasibility tolerance)
# rows that define a helper variable (excess hosts, overlaps, chain participation, flows: as
# their families declare) or hold an earlier lexicographic stage: not limits a planner sets
DEFINITIONS = {row.name for row in declared_rows() if row.defines} | {"lexicographic_hold"}
HOST_COUNT_TERMS = {"excess_hosts", "pairwise_overlap"}  # constant once the hosts are fixed
SCALE_ROWS = {"min_scale", "max_scale"}  # per-host rows: they price a limit only for open hosts


@dataclass
class ShadowPrices:
    """The binding limits of one allocation, and how to read their prices."""

    table: pd.DataFrame
    objective_unit: str
    stage: str | None  # the objective term whose duals these are (lexicographic mode)
    note: str  # one sentence on what the prices are (and which stage's, if lexicographic)
    status: str = "optimal"
    notes: list[str] = field(default_factory=list)


def shadow_prices(instance: Instance, layout: dict[Pair, float],
                  threads: int | None = None, time_limit: float | None = None,
                  solved: tuple[pyo.ConcreteModel, ModelData] | None = None) -> ShadowPrices:
    """Fix the hosts of `layout`, solve the remaining LP and price every binding limit.

    `threads` is passed to HiGHS (its thread scheduler is remade if the count changes).
    `solved`: the model the allocation was solved on, and its data, to price on instead of
    building them again; its hosts are left fixed, so pass it only when done with it.
    """
    if solved is None:
        data = prepare(instance)
        m = build_model(data)
    else:
        m, data = solved
        if m.component("lexicographic_hold") is not None:  # the stages' holds: not limits
            m.del_component(m.lexicographic_hold)
    stage, weights = pricing_objective(instance)
    set_objective(m, weights)
    unit = objective_unit(instance, stage)
    note = pricing_note(instance, stage, unit)
    if not fix_hosts(m, layout):
        return _empty(unit, stage, note, "the allocation is no longer possible on this instance "
                      "(a host it uses cannot host any more)")
    use_threads(threads)
    answer = _solve_lp(m, {"threads": threads, "time_limit": time_limit})
    if answer is None:
        return _empty(unit, stage, note, "with these hosts fixed the remaining choices "
                      "(chain participation) have no feasible setting")
    arrays, highs = answer
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return _empty(unit, stage, note, f"the priced LP ended {termination(highs).name}")
    solution = highs.getSolution()
    load_values(arrays, solution.col_value)
    duals = dict(zip(arrays.rows, solution.row_dual, strict=True))
    costs = ComponentMap(zip(arrays.columns, solution.col_dual, strict=True))
    prices = _collect(m, data, duals, costs)
    return ShadowPrices(price_table(prices, data, unit), unit, stage, note)


def pricing_objective(instance: Instance) -> tuple[str | None, dict[str, float]]:
    """The objective whose duals are reported, and for lexicographic mode its stage.

    Weighted mode: the weighted sum. Lexicographic mode: the first term that the outputs can
    change; the host-counting terms before it are constants once the hosts are fixed, and a
    later stage is optimised only among allocations that hold this one at its optimum.
    """
    settings = instance.settings
    if settings.objective_mode != "lexicographic":
        return None, weighted(settings)
    order = used_terms(settings)
    stage = next((t for t in order if t not in HOST_COUNT_TERMS), order[0] if order else None)
    return stage, ({stage: 1.0} if stage else {})


def objective_unit(instance: Instance, stage: str | None) -> str:
    """The objective's unit in a few words (what a shadow price is counted in)."""
    units = instance.settings.units
    by_term = {"cost": short_unit(units.get("cost", "")),
               "compensation": short_unit(units.get("output", "")),
               "linkage": f"{short_unit(units.get('output', ''))}·{units.get('distance', '')}",
               "excess_hosts": "weighted excess hosts",
               "pairwise_overlap": "weighted region pairs"}
    if stage is not None:
        return by_term.get(stage, stage)
    weights = instance.settings.weights
    if weights.get("cost", 0.0) == 1.0 and by_term["cost"]:
        return by_term["cost"]  # the other terms are converted into cost by their weights
    return "weighted objective units"


def pricing_note(instance: Instance, stage: str | None, unit: str) -> str:
    base = (f"Shadow prices are the change in the objective ({unit}) when a binding limit "
            "rises by one unit, with every host decision fixed as in the reported "
            "allocation; negative means the plan would be cheaper.")
    if stage is None:
        return base
    order = used_terms(instance.settings)
    return base + (f" In lexicographic mode these are the duals of the {stage} stage (stage "
                   f"{order.index(stage) + 1} of {len(order)}): the terms before it count "
                   "hosts, which are fixed here, so it is the first term a limit can change; "
                   "later stages are optimised only among plans that hold it at its optimum.")


def short_unit(text: str) -> str:
    """'100 million CNY (亿元), one-off' -> '亿元'; 'km² of industrial land' -> 'km²'."""
    text = str(text or "").strip()
    if "(" in text and ")" in text.split("(", 1)[1]:
        return text.split("(", 1)[1].split(")", 1)[0].strip()
    for cut in (",", " of ", " in ", " employed "):
        text = text.split(cut, 1)[0]
    return text.strip()


def fix_hosts(m: pyo.ConcreteModel, layout: dict[Pair, float]) -> bool:
    """Fix every host decision to the layout (as a continuous variable); False if impossible."""
    open_pairs = {p for p, q in layout.items() if q > 0}
    if not open_pairs <= set(m.PAIRS):
        return False
    for p in m.PAIRS:
        m.host[p].fix(1.0 if p in open_pairs else 0.0)
        m.host[p].domain = pyo.Reals  # a fixed column, so HiGHS solves an LP with duals
    return True


def _solve_lp(m: pyo.ConcreteModel, options: dict) -> tuple[Arrays, highspy.Highs] | None:
    """Solve the LP left once the hosts are fixed; None if no setting of the rest is feasible.

    Any other integer choice (chain participation, ...) is first relaxed: with the hosts
    fixed, its LP optimum is integral in the model as it stands, and one LP is all it takes.
    Should a relaxed choice come out fractional, the small MIP settles it, it is fixed, and
    the LP is solved again, so the prices are always those of an integral plan. The model is
    solved once each time, so it goes to HiGHS as arrays (handover.py).
    """
    free = [v for v in m.component_data_objects(pyo.Var)
            if not v.fixed and not v.is_continuous()]
    domains = [(v, v.domain, v.bounds) for v in free]
    for v, _, (lb, ub) in domains:
        v.domain = pyo.Reals
        v.setlb(lb)
        v.setub(ub)
    arrays, highs = _run(m, options)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return arrays, highs
    load_values(arrays, highs.getSolution().col_value)
    if all(abs(v.value - round(v.value)) <= 1e-6 for v in free):
        return arrays, highs
    for v, domain, _ in domains:
        v.domain = domain
    arrays, highs = _run(m, options)
    if highs.getInfo().primal_solution_status != 2:  # no integral setting found
        return None
    load_values(arrays, highs.getSolution().col_value)
    for v in free:
        v.fix(round(v.value))
        v.domain = pyo.Reals
    return _run(m, options)


def _run(m: pyo.ConcreteModel, options: dict) -> tuple[Arrays, highspy.Highs]:
    arrays, highs = hand_over(m)
    run(highs, options)
    return arrays, highs


def _collect(m: pyo.ConcreteModel, data: ModelData, duals, costs) -> dict[tuple, float]:
    """(limit, region, segment, item) -> summed price, over every constraint component."""
    prices: dict[tuple, float] = {}
    names = _Names(data)
    for component in m.component_objects(pyo.Constraint, active=True):
        family = component.local_name
        if family in DEFINITIONS:
            continue
        for index, row in component.items():
            dual = duals.get(row, 0.0)
            if abs(dual) <= TOLERANCE or _all_fixed(row):
                continue
            key = _key(family, index, row, dual, data, names, m)
            if key is not None:
                prices[key[0]] = prices.get(key[0], 0.0) + dual * key[1]
    for pair in m.PAIRS:  # an output at its bound M_rs: the limit that sets M_rs binds
        var = m.output[pair]
        rc = costs.get(var, 0.0)
        if abs(rc) > TOLERANCE and m.host[pair].value > 0.5 and var.ub is not None \
                and abs(var.value - var.ub) <= 1e-7 * max(1.0, var.ub):
            key, factor = bound_limit(data, pair)
            prices[key] = prices.get(key, 0.0) + rc * factor
    return {k: v for k, v in prices.items() if abs(v) > TOLERANCE}


def _all_fixed(row) -> bool:
    return all(v.fixed for v in identify_variables(row.body, include_fixed=True))


def _key(family: str, index, row, dual: float, data: ModelData, names: _Names,
         m: pyo.ConcreteModel) -> tuple[tuple, float] | None:
    """Where a row's price goes, and the factor from the row's bound to the limit's unit."""
    idx = index if isinstance(index, tuple) else (index,)
    if family == "target":
        lo, hi = row.lower, row.upper
        limit = "target" if lo is not None and hi is not None and \
            pyo.value(lo) == pyo.value(hi) else ("target_min" if dual > 0 else "target_max")
        return (limit, "", idx[0], ""), 1.0
    if family in ("resource_limit", "talent_limit"):
        return (family.removesuffix("_limit"), idx[0], "", idx[1]), 1.0
    if family in SCALE_ROWS:
        if m.host[idx].value < 0.5:
            return None  # a closed host's rows only restate that it produces nothing
        if family == "max_scale":
            return bound_limit(data, idx)
        return ("min_scale", idx[0], idx[1], ""), 1.0
    if family == "loss_floor":
        return ("loss_floor", idx[0], "", ""), 1.0
    if family == "supplier_capacity":
        return ("supplier_capacity", idx[1], idx[0], ""), 1.0
    return (family, *names.place(idx)), 1.0


def bound_limit(data: ModelData, pair: Pair) -> tuple[tuple, float]:
    """The limit that sets a host's most output M_rs, and d M_rs / d limit.

    M_rs is the least of the segment's target_max and each resource or talent stock divided
    by the segment's use of it (data.py); one more unit of that stock adds 1 / use to M_rs.
    """
    region, segment = pair
    row = data.segment[segment]
    target = "target" if row["target_min"] == row["target_max"] else "target_max"
    best = (row["target_max"], (target, "", segment, ""), 1.0)
    kinds = (("resource", data.resources if data.policy["resources"] else []),
             ("talent", data.talent if data.policy["talent"] else []))
    for limit, rows in kinds:
        for cap in rows:
            use = cap.use.get(segment, 0.0) if cap.region == region else 0.0
            if use > 0 and cap.available / use < best[0]:
                best = (cap.available / use, (limit, region, "", cap.kind), 1.0 / use)
    return best[1], best[2]


class _Names:
    """Reads an index of an unknown family: which parts are regions, segments, items."""

    def __init__(self, data: ModelData):
        self.regions, self.segments = set(data.regions), set(data.segments)

    def place(self, idx: tuple) -> tuple[str, str, str]:
        region = next((str(i) for i in idx if i in self.regions), "")
        segment = next((str(i) for i in idx if i in self.segments), "")
        rest = [str(i) for i in idx if i not in self.regions and i not in self.segments]
        return region, segment, "/".join(rest)


def price_table(prices: dict[tuple, float], data: ModelData, unit: str) -> pd.DataFrame:
    """One row per binding limit, largest |price| first, then by names (deterministic)."""
    rows = []
    for (limit, region, segment, item), price in prices.items():
        limit_unit = _limit_unit(data, limit, item)
        rows.append({"limit": limit, "region": region, "segment": segment, "item": item,
                     "shadow_price": price,
                     "unit": f"{unit} per {limit_unit} (objective change when the limit "
                             "rises by one)",
                     "label": label(data, limit, region, segment, item, price, unit)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame["_abs"] = frame["shadow_price"].abs().round(9)
    frame = frame.sort_values(["_abs", "limit", "region", "segment", "item"],
                              ascending=[False, True, True, True, True], kind="mergesort")
    return frame.drop(columns="_abs").reset_index(drop=True)


def _limit_unit(data: ModelData, limit: str, item: str) -> str:
    units = data.instance.settings.units
    if limit in ("resource", "talent"):
        group = units.get("resources" if limit == "resource" else "talent") or {}
        return short_unit(group.get(item, "")) or f"unit of {item}"
    if limit in ("target", "target_min", "target_max", "min_scale", "loss_floor",
                 "supplier_capacity") or limit.startswith(("target", "max_shrink")):
        return short_unit(units.get("output", "")) or "unit of output"
    return "unit of the limit"


def label(data: ModelData, limit: str, region: str, segment: str, item: str, price: float,
          unit: str) -> str:
    """A sentence a planner reads: 'One more km² of land in 苏州市 would save 3.2 亿元'."""
    amount = f"{number(abs(price))} {unit}"
    effect = f"would save {amount}" if price < 0 else f"would cost {amount}"
    where = _region_name(data, region)
    what = segment
    per = _limit_unit(data, limit, item)
    text = {
        "resource": f"One more {per} of {item} in {where} {effect}",
        "talent": f"One more unit of {item} talent ({per}) in {where} {effect}",
        "target": f"One more {per} of {what} to place {effect}",
        "target_min": f"Raising the least target of {what} by one {per} {effect}",
        "target_max": f"Allowing one more {per} of {what} above today's most {effect}",
        "min_scale": f"Raising the minimum scale of {what} by one {per} at {where} {effect}",
        "loss_floor": f"Raising the value-added floor of {where} by one {per} {effect}",
        "supplier_capacity": f"One more {per} of {what} made in {where} for its users {effect}",
    }.get(limit)
    if text is None:
        place = ", ".join(x for x in (where if region else "", what if segment else "", item)
                          if x)
        text = f"Raising the {limit} limit" + (f" for {place}" if place else "") + \
            f" by one unit {effect}"
    return text


def _region_name(data: ModelData, region: str) -> str:
    name = data.region.get(region, {}).get("name") if region else None
    return str(name) if isinstance(name, str) and name else region


def number(x: float) -> str:
    """Readable magnitude: 3,210 / 3.21 / 0.00321."""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:,.2f}"
    return f"{x:.3g}" if x > 0 and math.isfinite(x) else str(x)


def _empty(unit: str, stage: str | None, note: str, why: str) -> ShadowPrices:
    return ShadowPrices(pd.DataFrame(columns=COLUMNS), unit, stage, note, status="not priced",
                        notes=[f"No shadow prices: {why}."])


def for_results(results) -> ShadowPrices | None:
    """The shadow prices of a solve's allocation; None when it has none."""
    if not results.outcome.has_solution:
        return None
    if results.shadow is not None:  # priced by optimise, right after the solve
        return results.shadow
    options = results.outcome.options or {}
    return shadow_prices(results.instance, results.layout, threads=options.get("threads"),
                         time_limit=options.get("time_limit"))


def summary_entry(prices: ShadowPrices) -> dict:
    """What summary.json records about the prices (the table itself is shadow_prices.csv)."""
    return {"status": prices.status, "objective_unit": prices.objective_unit,
            "stage": prices.stage, "binding_limits": len(prices.table), "note": prices.note,
            "notes": prices.notes}
