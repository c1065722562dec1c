"""The coordination dividend and fair transfers: what groups of regions gain by planning
together, how to split it, and who pays whom.

Every coalition of groups is solved planning alone (optimizer/whatif/coalitions.py) on one
persistent model per worker; the game maths is in optimizer/whatif/games.py. With few groups
every coalition is solved and the Shapley value is exact; with many, joining orders are
sampled (Shapley with a 95 % interval) and the core is checked over the coalitions solved.
Writes coalitions.csv, shares.csv, summary.json and report.html to a new folder.
"""

from __future__ import annotations

import itertools
import json
import math
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.results.files import safe_csv, staged_folder
from optimizer.solve.solver import SolveOptions
from optimizer.whatif import games
from optimizer.whatif.coalitions import (
    Coalition,
    CoalitionModel,
    CoalitionPlan,
    Players,
    players_of,
)

SHOWN = 6  # payments named in the one-sentence reading; summary.json lists all
SAMPLING_SHARE = 0.75  # of the time budget; the rest goes to the core search
EXACT_UP_TO = 10  # groups; beyond, Shapley is sampled (2^10 - 1 = 1023 coalitions)
RULE_TEXT = {
    "buy_in": "a segment of its chains that the coalition cannot make alone (no region able to "
              "host it; or, if its regions cannot build the rest of its chains within their "
              "resources and talent, every segment it does not make today) is bought from "
              "outside at no modelled price, so such a coalition's cost is a lower bound",
    "drop_chain": "a coalition leaves every chain it cannot complete alone (a segment no region "
                  "of it can host; or, if its regions cannot build the rest of its chains within "
                  "their resources and talent, every chain that needs a new segment): it makes "
                  "none of that chain and pays for closing its hosts",
}
DUPLICATION_TEXT = ("a coalition's excess hosts are priced against the whole area: each host of "
                    "segment s counts its weight w_s, less the coalition's share of today's "
                    "output of s (its share of the area's one free host); so the groups' separate "
                    "plans, put together, are charged exactly the area's excess hosts")
PROVINCE_NAMES = {
    "anhui": "安徽", "beijing": "北京", "chongqing": "重庆", "fujian": "福建", "gansu": "甘肃",
    "guangdong": "广东", "guangxi": "广西", "guizhou": "贵州", "hainan": "海南", "hebei": "河北",
    "heilongjiang": "黑龙江", "henan": "河南", "hubei": "湖北", "hunan": "湖南",
    "innermongolia": "内蒙古", "jiangsu": "江苏", "jiangxi": "江西", "jilin": "吉林",
    "liaoning": "辽宁", "ningxia": "宁夏", "qinghai": "青海", "shaanxi": "陕西", "shandong": "山东",
    "shanghai": "上海", "shanxi": "山西", "sichuan": "四川", "tianjin": "天津", "tibet": "西藏",
    "xinjiang": "新疆", "yunnan": "云南", "zhejiang": "浙江",
}


@dataclass
class Settings:
    by: str = "group"
    incomplete: str = "buy_in"
    workers: int = 1
    exact_up_to: int = EXACT_UP_TO
    samples: int = 200  # joining orders, when sampled
    budget_seconds: float | None = 1500.0  # stop sampling (after a whole batch) beyond this
    seed: int = 0
    warm_start: bool = True


@dataclass
class Coordination:
    instance: Instance
    players: Players
    settings: Settings
    options: SolveOptions
    plans: dict[Coalition, CoalitionPlan]
    mode: str  # exact | sampled
    sampled: games.SampledShapley | None = None
    core_search: int | None = None  # coalitions solved by the core search (sampled games)
    seconds: float = 0.0
    analysis: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ solving

_WORKER: CoalitionModel | None = None


def _init_worker(instance: Instance, players: Players, incomplete: str, options: SolveOptions,
                 warm_start: bool) -> None:
    global _WORKER
    _WORKER = CoalitionModel(instance, players, incomplete, options, warm_start)


def _plan_many(coalitions: list[Coalition]) -> list[CoalitionPlan]:
    assert _WORKER is not None
    return [_WORKER.plan(c) for c in coalitions]


class CoalitionSolver:
    """Solves coalitions on `workers` processes, each holding one persistent model (one HiGHS
    thread each); with one worker, in this process."""

    def __init__(self, instance: Instance, players: Players, settings: Settings,
                 options: SolveOptions):
        self.args = (instance, players, settings.incomplete, options, settings.warm_start)
        self.workers = settings.workers
        self.pool: ProcessPoolExecutor | None = None
        self.cache: dict[Coalition, CoalitionPlan] = {}

    def __enter__(self) -> CoalitionSolver:
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                            initializer=_init_worker, initargs=self.args)
        else:
            _init_worker(*self.args)
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def solve(self, coalitions: Iterable[Coalition]) -> dict[Coalition, CoalitionPlan]:
        todo = gray_order([c for c in dict.fromkeys(coalitions) if c not in self.cache])
        if self.pool is None:
            plans = _plan_many(todo)
        else:  # contiguous blocks: neighbours in Gray order differ by one group (warm starts)
            size = max(1, math.ceil(len(todo) / (self.workers * 2)))
            blocks = [todo[i:i + size] for i in range(0, len(todo), size)]
            plans = [p for part in self.pool.map(_plan_many, blocks) for p in part]
        for p in sorted(plans, key=lambda p: len(p.members)):
            self.cache[frozenset(p.members)] = p
        plan_in_parts(self.cache, exhaustive=len(set().union(*self.cache)) <= EXACT_UP_TO)
        return self.cache


def plan_in_parts(plans: dict[Coalition, CoalitionPlan], exhaustive: bool) -> None:
    """A coalition that cannot plan as one (infeasible even after its rule) plans in two
    parts: its value is the cheapest split into two coalitions that have a value, over every
    split (`exhaustive`) or over splitting off one group (sampled orders solve every prefix
    and every group alone, so that split is always there). The parts' plans together
    satisfy every constraint of the coalition, so this is a plan it can make."""
    for c in sorted(plans, key=len):
        p = plans[c]
        if p.value is not None or p.split is not None or len(c) < 2:
            continue
        members = sorted(c)
        if exhaustive:
            first = members[0]
            parts = [frozenset(t) | {first} for k in range(len(members) - 1)
                     for t in itertools.combinations(members[1:], k)]
        else:
            parts = [c - {g} for g in members]
        best = None
        for t in parts:
            a, b = plans.get(t), plans.get(c - t)
            if a is None or b is None or a.value is None or b.value is None:
                continue
            if best is None or a.value + b.value < best[0].value + best[1].value:
                best = (a, b)
        if best is None:
            continue
        a, b = best
        p.split = (a.members, b.members)
        p.value = a.value + b.value
        p.terms = {t: a.terms.get(t, 0.0) + b.terms.get(t, 0.0) for t in a.terms}
        p.own_objective = None
        p.borne = a.borne | b.borne
        p.mip_gap = max(a.mip_gap or 0.0, b.mip_gap or 0.0)


def gray_order(coalitions: list[Coalition]) -> list[Coalition]:
    """Order coalitions so that neighbours share most members (binary-reflected Gray code
    rank over the sorted players): the fewest bound changes between solves, and the
    previous plan as close as it gets to a start (which HiGHS still mostly rejects)."""
    players = sorted(set().union(*coalitions)) if coalitions else []
    bit = {g: 1 << i for i, g in enumerate(players)}

    def rank(c: Coalition) -> int:
        code = sum(bit[g] for g in c)
        mask = code >> 1
        while mask:  # inverse Gray code
            code ^= mask
            mask >>= 1
        return code

    return sorted(coalitions, key=rank)


def coordinate(instance: Instance, settings: Settings, options: SolveOptions,
               progress: Callable[[str], None] | None = None) -> Coordination:
    """Solve the coalitions (all, or those sampled orders need) and analyse the game."""
    start = time.perf_counter()
    players = players_of(instance, settings.by)
    names = players.names
    exact = len(names) <= settings.exact_up_to
    with CoalitionSolver(instance, players, settings, options) as solver:
        if exact:
            plans = solver.solve(games.all_coalitions(names))
            sampled = None
        else:
            sampled = _sample(names, solver, settings, start, progress)
            searched = search_core(names, solver, sampled.estimate, settings, start, progress)
            plans = solver.cache
    run = Coordination(instance, players, settings, options, dict(plans),
                       "exact" if exact else "sampled", sampled)
    run.core_search = None if exact else searched
    run.seconds = time.perf_counter() - start
    run.analysis = analyse(run)
    return run


def _sample(names: list[str], solver: CoalitionSolver, settings: Settings, start: float,
            progress: Callable[[str], None] | None) -> games.SampledShapley:
    """Draw joining orders in batches, solving each batch's new coalitions in parallel."""
    orders = games.sample_orders(names, settings.samples, settings.seed)
    batch = max(2, 2 * settings.workers)
    used: list[list[str]] = []
    solver.solve([frozenset(names)] + [frozenset([g]) for g in names])
    for i in range(0, len(orders), batch):
        chunk = orders[i:i + batch]
        solver.solve(frozenset(o[:k]) for o in chunk for k in range(1, len(o) + 1))
        used += chunk
        if progress:
            progress(f"{len(used)} orders, {len(solver.cache)} coalitions solved, "
                     f"{time.perf_counter() - start:.0f} s")
        if settings.budget_seconds is not None and \
                time.perf_counter() - start > SAMPLING_SHARE * settings.budget_seconds:
            break  # the rest of the budget is for the core search
    values = {c: p.value for c, p in solver.cache.items()}
    if any(v is None for v in values.values()):
        bad = next(c for c, v in values.items() if v is None)
        raise UserError(f"coalition {'+'.join(sorted(bad))} has no plan "
                        f"({solver.cache[bad].status}), nor any split into two that has one")
    result = games.shapley_from_orders(names, used, lambda c: values[c])
    result.seconds = time.perf_counter() - start
    return result


def search_core(names: list[str], solver: CoalitionSolver, shapley: dict[str, float],
                settings: Settings, start: float,
                progress: Callable[[str], None] | None, starts: int = 3, rounds: int = 3
                ) -> int:
    """Look for coalitions that would pay less alone than under the split: constraint
    generation with a local search as the separation step.

    From the worst coalitions solved so far, add or remove one group at a time (solving the
    new coalitions) while that raises x(S) - v(S); then move the split to the least-core
    point over every coalition solved and search again. A local search finds violated
    coalitions but cannot prove there are none: the summary says how many were examined.
    Returns the coalitions solved by the search.
    """
    budget = settings.budget_seconds
    grand = frozenset(names)
    x = dict(shapley)
    before = len(solver.cache)
    for _ in range(rounds):
        found = False
        value = {c: p.value for c, p in solver.cache.items() if p.value is not None}
        excess = sorted(((sum(x[g] for g in c) - v, sorted(c)) for c, v in value.items()
                         if c != grand), reverse=True)
        for _, members in excess[:starts]:
            current = frozenset(members)
            while (budget is None or time.perf_counter() - start < budget) and \
                    solver.cache[current].value is not None:
                near = [current ^ {g} for g in names]
                near = [c for c in near if c and c != grand]
                solver.solve(near)
                gain = {c: sum(x[g] for g in c) - solver.cache[c].value for c in near
                        if solver.cache[c].value is not None}
                best = max(gain, key=gain.get, default=None)
                here = sum(x[g] for g in current) - solver.cache[current].value
                if best is None or gain[best] <= here + 1e-9:
                    break
                current = best
            reached = solver.cache[current].value
            if reached is not None and sum(x[g] for g in current) - reached > \
                    games.tolerance_for(value):
                found = True
        if progress:
            progress(f"core search: {len(solver.cache) - before} coalitions examined, "
                     f"{time.perf_counter() - start:.0f} s")
        if not found:
            break
        value = {c: p.value for c, p in solver.cache.items() if p.value is not None}
        x = games.least_core(names, value, reference=shapley).split
    return len(solver.cache) - before


# ------------------------------------------------------------------------------ analysis

def analyse(run: Coordination) -> dict:
    """Dividend, Shapley, core check, a core (or least-core) point, transfers, rule."""
    names = run.players.names
    grand = frozenset(names)
    plans = run.plans
    failed = sorted((sorted(c), p.status) for c, p in plans.items() if p.value is None)
    if failed:
        return {"error": f"{len(failed)} coalitions have no plan, e.g. {failed[0][0]} "
                         f"({failed[0][1]}); the game cannot be analysed"}
    value = {c: p.value for c, p in plans.items()}
    alone = {g: value[frozenset([g])] for g in names}
    borne = plans[grand].borne
    if run.mode == "exact":
        shapley, half = games.shapley_exact(names, value), None
    else:
        shapley, half = run.sampled.estimate, run.sampled.half_width
    violations = games.core_violations(shapley, value)
    lc = games.least_core(names, value, reference=shapley)
    core_empty = lc.epsilon > games.tolerance_for(value)
    # each value is an incumbent within its MIP gap of the bound: a core decided by less
    # than that could go the other way with exact values
    uncertainty = max((p.mip_gap or 0.0) * abs(p.value) for p in plans.values())
    shapley_in_core = not violations
    if shapley_in_core:
        rule, share = "shapley", shapley
        why = ("the Shapley split lies in the core: no group or coalition of groups would "
               "pay less planning alone, and each group pays its average marginal cost")
    elif not core_empty:
        rule, share = "core_nearest_shapley", lc.split
        why = (f"the Shapley split is outside the core (coalition {_names(violations[0][0])} "
               f"would pay {violations[0][1]:.4g} less alone); the core point nearest the "
               "Shapley split keeps every coalition no worse off than alone")
    else:
        rule, share = "least_core", lc.split
        why = (f"the core is empty: no split leaves every coalition as well off as alone; the "
               f"least-core point asks no coalition for more than {lc.epsilon:.4g} above its "
               "cost alone, the smallest such excess, nearest the Shapley split")
    transfer = games.transfers(share, borne)
    total_alone = sum(alone.values())
    dividend = total_alone - value[grand]
    return {
        "value": value, "alone": alone, "borne": borne, "shapley": shapley,
        "shapley_half_width": half, "violations": violations, "least_core": lc,
        "core_empty": core_empty, "shapley_in_core": shapley_in_core, "rule": rule,
        "why": why, "share": share, "transfer": transfer,
        "shapley_transfer": games.transfers(shapley, borne),
        "payments": games.settle(transfer, 1e-9 * max(1.0, abs(value[grand]))),
        "dividend": dividend, "sum_alone": total_alone, "grand": value[grand],
        "dividend_share": dividend / total_alone if total_alone else math.nan,
        "individually_rational": games.individually_rational(share, value),
        "value_uncertainty": uncertainty,
        "core_decided": abs(lc.epsilon) > uncertainty
        and all(e > uncertainty for _, e in violations),
    }


def _names(c: Iterable[str]) -> str:
    return "{" + ", ".join(sorted(c)) + "}"


# ------------------------------------------------------------------------------ output

def write_coordination(run: Coordination, out: Path, lang: str | None = None) -> None:
    """coalitions.csv, shares.csv, summary.json and report.html (in `lang`, else the
    instance's language), into a new folder."""
    from optimizer.report.coordination import coordination_page

    with staged_folder(out) as tmp:
        (tmp / "coalitions.csv").write_text(safe_csv(coalition_table(run)), encoding="utf-8")
        if "error" not in run.analysis:
            (tmp / "shares.csv").write_text(safe_csv(share_table(run)), encoding="utf-8")
        summary = summary_dict(run)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
        (tmp / "report.html").write_text(coordination_page(run, summary, lang),
                                         encoding="utf-8")


def coalition_table(run: Coordination) -> pd.DataFrame:
    names = run.players.names
    rows = []
    for c, p in sorted(run.plans.items(), key=lambda cp: (len(cp[0]), sorted(cp[0]))):
        row = {"coalition": "+".join(p.members), "groups": len(p.members),
               "value": p.value, "status": p.status, "mip_gap": p.mip_gap,
               "own_objective": p.own_objective}
        row |= {f"term_{t}": p.terms.get(t) for t in run.instance.settings.weights}
        row |= {"bought_in": " ".join(p.bought), "chains_left": " ".join(p.dropped),
                "built_at_min_scale": " ".join(p.built), "builds_given_up": p.builds_given_up,
                "planned_in_parts": "" if p.split is None else
                " | ".join("+".join(part) for part in p.split),
                "seconds": round(p.seconds, 3)}
        row |= {f"in_{g}": int(g in c) for g in names}
        rows.append(row)
    return pd.DataFrame(rows)


def share_table(run: Coordination) -> pd.DataFrame:
    a = run.analysis
    lc = a["least_core"]
    rows = []
    for g in run.players.names:
        rows.append({
            "group": g, "name": label(run, g), "regions": len(run.players.regions_of[g]),
            "cost_alone": a["alone"][g], "borne_in_coordinated_plan": a["borne"][g],
            "shapley_share": a["shapley"][g],
            "shapley_half_width_95": (a["shapley_half_width"] or {}).get(g),
            "shapley_in_core": a["shapley_in_core"],
            "core_point": lc.split.get(g), "least_core_epsilon": lc.epsilon,
            "recommended_rule": a["rule"], "recommended_share": a["share"][g],
            "transfer": a["transfer"][g], "shapley_transfer": a["shapley_transfer"][g],
            "net_cost": a["borne"][g] + a["transfer"][g],
            "gain_vs_alone": a["alone"][g] - a["share"][g],
        })
    return pd.DataFrame(rows)


def summary_dict(run: Coordination) -> dict:
    plans = run.plans
    gaps = [p.mip_gap for p in plans.values() if p.mip_gap is not None]
    statuses: dict[str, int] = {}
    for p in plans.values():
        statuses[p.status] = statuses.get(p.status, 0) + 1
    out = {
        "instance": run.instance.name, "by": run.players.by, "groups": run.players.names,
        "mode": run.mode, "coalitions_solved": len(plans),
        "coalition_statuses": statuses, "largest_mip_gap": max(gaps) if gaps else None,
        "incomplete_rule": run.settings.incomplete,
        "incomplete_rule_means": RULE_TEXT[run.settings.incomplete],
        "coalitions_buying_in": sum(bool(p.bought) for p in plans.values()),
        "coalitions_leaving_chains": sum(bool(p.dropped) for p in plans.values()),
        "coalitions_planned_in_parts": sum(p.split is not None for p in plans.values()),
        "planned_in_parts_means": "a coalition that cannot plan as one even after its rule "
                                  "(its regions' resources, talent or reach do not allow it) "
                                  "takes the cheapest split into two coalitions planning alone",
        "duplication_pricing": DUPLICATION_TEXT,
        "cost_unit": run.instance.settings.units.get("cost", ""),
        "weights": run.instance.settings.weights,
        "seconds": round(run.seconds, 2), "workers": run.settings.workers,
        "highs_threads": run.options.threads, "mip_gap_tolerance": run.options.mip_gap,
    }
    if run.sampled is not None:
        out["sampling"] = {"orders": run.sampled.orders, "seed": run.settings.seed,
                           "interval": "95 % normal interval over antithetic pairs of orders",
                           "seconds": round(run.sampled.seconds, 2),
                           "coalitions_solved_by_core_search": run.core_search,
                           "core_check": "constraint generation over the coalitions solved "
                                         "while sampling, with a local search (add or remove "
                                         "one group) for violated coalitions as the separation "
                                         "step: it finds violations but does not prove that "
                                         "none exist; a coalition never solved is not checked"}
    a = run.analysis
    if "error" in a:
        return out | {"error": a["error"]}
    lc = a["least_core"]
    return out | {
        "sum_alone": a["sum_alone"], "coordinated": a["grand"],
        "dividend": a["dividend"], "dividend_percent": 100 * a["dividend_share"],
        "shapley_in_core": a["shapley_in_core"],
        "worst_coalition_under_shapley": (
            {"coalition": sorted(a["violations"][0][0]), "pays_more_than_alone_by":
             a["violations"][0][1]} if a["violations"] else None),
        "core_empty": a["core_empty"], "least_core_epsilon": lc.epsilon,
        "largest_value_uncertainty": a["value_uncertainty"],
        "core_decided_at_this_gap": a["core_decided"],
        "core_note": None if a["core_decided"] else (
            "the least-core epsilon or a Shapley violation is within the coalition values' "
            "MIP-gap uncertainty, so whether the core is empty (or holds the Shapley split) "
            "could go the other way with exact values; re-run with a smaller --gap"),
        "recommended_rule": a["rule"], "why": a["why"],
        "every_group_no_worse_off_than_alone": all(a["individually_rational"].values()),
        "transfers": {g: a["transfer"][g] for g in run.players.names},
        "payments": [{"payer": p, "receiver": r, "amount": x} for p, r, x in a["payments"]],
        "sentence_en": sentence(run, "en"), "sentence_zh": sentence(run, "zh"),
    }


def label(run: Coordination, g: str, lang: str = "en") -> str:
    """A group's name: a region's own name when each region plays, else the instance's name
    for the group (names table), else the province name."""
    if run.players.by == "region":
        names = run.instance.tables["regions"].set_index("region")["name"]
        name = names.get(g, "")
        if isinstance(name, str) and name and lang == "zh":
            return name
    else:
        names = run.instance.tables["names"]
        found = names[(names["kind"] == "group") & (names["id"] == g)]
        if not found.empty and found.iloc[0][lang]:
            return str(found.iloc[0][lang])
    if lang == "zh" and g in PROVINCE_NAMES:
        return PROVINCE_NAMES[g]
    return "Inner Mongolia" if g == "innermongolia" else g.replace("_", " ").title()


def sentence(run: Coordination, lang: str) -> str:
    """The reading in one or two sentences: the dividend and who pays whom."""
    a = run.analysis
    unit = "亿元" if "亿元" in run.instance.settings.units.get("cost", "") else \
        run.instance.settings.units.get("cost", "")
    rule = {"shapley": ("the Shapley split", "Shapley 分摊"),
            "core_nearest_shapley": ("the core split nearest Shapley", "最接近 Shapley 的核心分摊"),
            "least_core": ("the least-core split", "最小核心分摊")}[a["rule"]]
    pays = a["payments"]
    if lang == "zh":
        head = (f"协同规划可节省 {a['dividend']:,.1f} {unit}（{100 * a['dividend_share']:.1f}%）。")
        if not pays:
            return head + f"按{rule[1]}，无需转移支付。"
        parts = [f"{label(run, p, 'zh')}向{label(run, r, 'zh')}支付 {x:,.1f} {unit}"
                 for p, r, x in _largest(pays)]
        more = f"，另有 {len(pays) - SHOWN} 笔较小支付（见 summary.json）" \
            if len(pays) > SHOWN else ""
        return head + f"按{rule[1]}，" + "，".join(parts) + more + "。"
    percent = 100 * a["dividend_share"]
    head = f"Planning together saves {a['dividend']:,.1f} {unit} ({percent:.1f} %)."
    if not pays:
        return head + f" Under {rule[0]} no transfer is needed."
    parts = [f"{label(run, p)} pays {x:,.1f} to {label(run, r)}" for p, r, x in _largest(pays)]
    more = f", and {len(pays) - SHOWN} smaller payments (summary.json)" \
        if len(pays) > SHOWN else ""
    return head + f" Under {rule[0]}, " + ", ".join(parts) + more + "."


def _largest(pays: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """The payments a sentence names: all of them, or the SHOWN largest."""
    return pays if len(pays) <= SHOWN else sorted(pays, key=lambda p: -p[2])[:SHOWN]


def terminal_lines(run: Coordination) -> list[str]:
    a = run.analysis
    if "error" in a:
        return [a["error"]]
    lines = [sentence(run, "en"), sentence(run, "zh"),
             f"recommended: {a['rule']} ({a['why']})",
             *([] if a["core_decided"] else [
                 f"note: least-core epsilon {a['least_core'].epsilon:.4g} or a violation is "
                 f"within the values' MIP-gap uncertainty ({a['value_uncertainty']:.4g}); "
                 "re-run with a smaller --gap to decide the core"]),
             f"{'group':<16}{'alone':>12}{'borne':>12}{'Shapley':>12}{'share':>12}"
             f"{'transfer':>12}"]
    for g in run.players.names:
        lines.append(f"{g:<16}{a['alone'][g]:>12,.1f}{a['borne'][g]:>12,.1f}"
                     f"{a['shapley'][g]:>12,.1f}{a['share'][g]:>12,.1f}"
                     f"{a['transfer'][g]:>12,.1f}")
    return lines


# ------------------------------------------------------------------------------ command

HELP = """\
The coordination dividend: solve every coalition of groups (provinces) planning alone, its
regions only, producing what they produce today, with the chains it takes part in complete
inside it; then split the cost of planning together fairly (Shapley value, core check, a core
or least-core point) and say who pays whom. Beyond --exact-up-to groups the Shapley value is
sampled over joining orders, with a 95 % interval. Writes coalitions.csv, shares.csv,
summary.json and report.html to a new folder.

examples:
  optimizer coordinate instances/yangtze_delta --out out/yrd-coordinate --workers 2
  optimizer coordinate instances/provinces --by region --samples 100 --workers 2
"""


def add_command(subparsers) -> None:
    """`optimizer coordinate INSTANCE [--by group] [--out DIR] [--scenario NAME] [--workers N]`."""
    import argparse

    from optimizer.cli.types import add_lang, add_solver_limits, at_least_one, positive

    c = subparsers.add_parser("coordinate", help="the coordination dividend and fair transfers",
                              description=HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("instance", help="instance folder")
    c.add_argument("--by", default="group", choices=("group", "region"),
                   help="who plays: the regions' groups (default) or each region")
    c.add_argument("--out", help="new output folder (default: out/<instance>-coordinate-<time>)")
    c.add_argument("--scenario", metavar="NAME", help="apply a what-if scenario first")
    c.add_argument("--scenarios-file", metavar="FILE", help="scenario file")
    c.add_argument("--workers", type=at_least_one, default=1, metavar="N",
                   help="processes, each with one persistent model and one HiGHS thread")
    c.add_argument("--incomplete", default="buy_in", choices=("buy_in", "drop_chain"),
                   help="what a coalition that cannot complete its chains alone does "
                        "(default buy_in)")
    c.add_argument("--exact-up-to", type=at_least_one, default=EXACT_UP_TO, metavar="N",
                   help=f"solve every coalition up to N groups (default {EXACT_UP_TO})")
    c.add_argument("--samples", type=at_least_one, default=200, metavar="K",
                   help="joining orders to sample beyond that (default 200)")
    c.add_argument("--budget", type=positive, default=1500.0, metavar="S",
                   help="stop sampling after S seconds, at a whole batch (default 1500)")
    c.add_argument("--seed", type=int, default=0, help="random seed for the orders")
    add_solver_limits(c, "per coalition", with_threads=False)
    c.add_argument("--no-warm-start", action="store_true",
                   help="do not hand the previous coalition's plan to HiGHS")
    add_lang(c)
    c.set_defaults(func=cmd_coordinate)


def cmd_coordinate(args) -> int:
    import sys

    from optimizer.instance.scenarios import load_with_scenario
    from optimizer.model import prepare
    from optimizer.results.files import refuse_existing

    folder = Path(args.instance)
    scenarios_file = Path(args.scenarios_file) if args.scenarios_file else None
    instance = load_with_scenario(folder, args.scenario, scenarios_file)
    out = Path(args.out) if args.out else Path("out") / (
        f"{instance.name}-coordinate-{time.strftime('%Y%m%d-%H%M%S')}")
    refuse_existing(out)
    options = SolveOptions.from_settings(prepare(instance), time_limit=args.time_limit,
                                         mip_gap=args.gap, threads=1)
    settings = Settings(by=args.by, incomplete=args.incomplete, workers=args.workers,
                        exact_up_to=args.exact_up_to, samples=args.samples,
                        budget_seconds=args.budget, seed=args.seed,
                        warm_start=not args.no_warm_start)
    run = coordinate(instance, settings, options,
                     progress=lambda text: print(text, file=sys.stderr))
    write_coordination(run, out, args.lang)
    print("\n".join(terminal_lines(run)))
    print(f"{len(run.plans)} coalitions in {run.seconds:.1f} s; written to {out}/ "
          "(coalitions.csv, shares.csv, summary.json, report.html)")
    return 0 if "error" not in run.analysis else 3
