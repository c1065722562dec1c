"""Pre-solve checks: impossibilities found from the data alone, said in the planner's terms.

Each finding is certain: if any is found the instance is infeasible and HiGHS is not run.
"""

from __future__ import annotations

from collections import Counter

from optimizer.model.data import EPS, ModelData


def presolve_findings(data: ModelData) -> list[str]:
    return [*_unhostable_segments(data), *_impossible_musts(data), *_totals_short(data),
            *_must_over_caps(data), *_budget_too_small(data)]


def _name(data: ModelData, segment: str) -> str:
    name = data.segment[segment].get("name") or ""
    return f"{segment} ({name})" if name and name != segment else segment


def _unhostable_segments(data: ModelData) -> list[str]:
    out = []
    for s in data.segments:
        needed = data.policy["chain_completeness"] or data.segment[s]["target_min"] > 0
        if data.eligible_regions(s) or not needed:
            continue
        reasons = Counter(data.excluded.get((r, s), "cannot host it") for r in data.regions)
        detail = "; ".join(f"{n} region{'s' if n > 1 else ''}: {why}"
                           for why, n in reasons.most_common(3))
        out.append(f"No region can host segment {_name(data, s)}: {detail}.")
    return out


def _impossible_musts(data: ModelData) -> list[str]:
    return [f"Policy says {r} must host {_name(data, s)}, but {data.excluded[(r, s)]}."
            for r, s in sorted(data.must) if (r, s) in data.excluded]


def _totals_short(data: ModelData) -> list[str]:
    """The least targets alone need more of a resource or talent than all regions have."""
    out = []
    for label, rows, switch in (("resource", data.resources, "resources"),
                                ("talent", data.talent, "talent")):
        if not data.policy[switch]:
            continue
        need: dict[str, float] = {}
        have: dict[str, float] = {}
        for cap in rows:
            have[cap.kind] = have.get(cap.kind, 0.0) + cap.available
            need[cap.kind] = sum(u * data.segment[s]["target_min"] for s, u in cap.use.items())
        for kind, total in need.items():
            if total > have[kind] * (1 + 1e-9) + EPS:
                unit = data.instance.settings.units.get(
                    "resources" if label == "resource" else "talent", {}).get(kind, "")
                out.append(f"The targets need {total:,.6g} {unit} of {label} {kind!r} in all, "
                           f"but the regions have only {have[kind]:,.6g}: a shortfall of "
                           f"{total - have[kind]:,.6g}.")
    return out


def _must_over_caps(data: ModelData) -> list[str]:
    out = []
    musts_by_segment = Counter(s for _, s in data.must)
    for s, n in musts_by_segment.items():
        cap = data.segment[s]["max_hosts"]
        if cap == cap and n > cap:
            out.append(f"Policy requires {n} hosts of {_name(data, s)}, but at most {cap:g} "
                       "are allowed (max_hosts).")
    musts_by_region = Counter(r for r, _ in data.must)
    for r, n in musts_by_region.items():
        cap = data.region[r]["max_segments"]
        if cap == cap and n > cap:
            out.append(f"Policy requires {r} to host {n} segments, but its max_segments is "
                       f"{cap:g}.")
        chains = {data.chain_of[s] for q, s in data.must if q == r}
        cap = data.region[r]["max_chains"]
        if cap == cap and len(chains) > cap:
            out.append(f"Policy requires {r} to take part in {len(chains)} chains, but its "
                       f"max_chains is {cap:g}.")
    return out


def _budget_too_small(data: ModelData) -> list[str]:
    budget = data.policy["change_budget"]
    if budget is None:
        return []
    forced_closures = [p for p in data.current if not data.is_eligible(p)]
    forced_openings = [p for p in data.must if p not in data.current]
    forced = len(forced_closures) + len(forced_openings)
    if forced <= budget:
        return []
    return [f"The change budget allows {budget} changes, but {forced} are forced: "
            f"{len(forced_closures)} current hosts can no longer host (e.g. "
            f"{_first(forced_closures, data)}) and {len(forced_openings)} must-host pairs are "
            "new."]


def _first(pairs: list, data: ModelData) -> str:
    if not pairs:
        return "none"
    r, s = pairs[0]
    return f"{r} / {s}: {data.excluded.get((r, s), '')}"
