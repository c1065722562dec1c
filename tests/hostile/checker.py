"""An independent check that an allocation obeys every hard limit of its instance.

Written from the instance tables alone, without the model's code, so that a bug in the model
cannot hide behind the same bug here.
"""

from __future__ import annotations

import math

import numpy as np

from optimizer.instance import Instance


def violations(inst: Instance, layout: dict[tuple[str, str], float]) -> list[str]:
    t, pol = inst.tables, inst.settings.policy
    seg = t["segments"].set_index("segment")
    reg = t["regions"].set_index("region")
    tol = 1e-6
    found = []

    def close_above(a: float, b: float) -> bool:  # a > b beyond tolerance
        return a > b + tol * max(1.0, abs(b))

    forbid = {(r, s) for r, s, rule in t["policy"][["region", "segment", "rule"]].itertuples(
        index=False) if rule == "forbid"}
    must = {(r, s) for r, s, rule in t["policy"][["region", "segment", "rule"]].itertuples(
        index=False) if rule == "must"}
    found += [f"forbidden {p} hosted" for p in layout if p in forbid]
    found += [f"must {p} not hosted" for p in must if p not in layout]
    if pol["infrastructure"]:
        have = {(r, i): lvl for r, i, lvl in t["infrastructure_levels"][
            ["region", "infrastructure", "level"]].itertuples(index=False)}
        for s, i, need in t["infrastructure_requirements"][
                ["segment", "infrastructure", "level"]].itertuples(index=False):
            found += [f"{r} hosts {s} without {i} {need}" for (r, q) in layout
                      if q == s and have.get((r, i), 0) < need]
    for (r, s), q in layout.items():
        if q < seg.loc[s, "min_scale"] - tol * max(1.0, seg.loc[s, "min_scale"]):
            found.append(f"{r} makes {q} of {s}, below min scale")
    totals = {s: 0.0 for s in seg.index}
    for (_, s), q in layout.items():
        totals[s] += q
    for s, total in totals.items():
        if close_above(seg.loc[s, "target_min"], total) or close_above(total, seg.loc[s,
                                                                                  "target_max"]):
            found.append(f"{s} total {total} outside its target")
    for prefix, col, switch in (("resource", "resource", "resources"),
                                ("talent", "talent", "talent")):
        if not pol[switch]:
            continue
        use = {(s, k): u for s, k, u in t[f"{prefix}_use"][["segment", col, "use"]].itertuples(
            index=False)}
        have = {(r, k): a for r, k, a in t[f"{prefix}_availability"][
            ["region", col, "available"]].itertuples(index=False)}
        spent: dict[tuple[str, str], float] = {}
        for (r, s), q in layout.items():
            for (s2, k), u in use.items():
                if s2 == s:
                    spent[(r, k)] = spent.get((r, k), 0.0) + u * q
        found += [f"{r} uses {v} of {k}" for (r, k), v in spent.items()
                  if close_above(v, have.get((r, k), 0.0))]
    hosts = {s: [r for (r, q) in layout if q == s] for s in seg.index}
    for s, rs in hosts.items():
        cap = seg.loc[s, "max_hosts"]
        if not math.isnan(cap) and len(rs) > cap:
            found.append(f"{s} has {len(rs)} hosts over {cap}")
        if pol["chain_completeness"] and not rs:
            found.append(f"{s} unhosted")
    chain_of = seg["chain"].to_dict()
    for r in reg.index:
        mine = [s for (q, s) in layout if q == r]
        if not math.isnan(reg.loc[r, "max_segments"]) and len(mine) > reg.loc[r, "max_segments"]:
            found.append(f"{r} hosts too many segments")
        chains = {chain_of[s] for s in mine}
        if not math.isnan(reg.loc[r, "max_chains"]) and len(chains) > reg.loc[r, "max_chains"]:
            found.append(f"{r} takes too many chains")
    if pol["supplier_reach"]:
        found += _reach(inst, layout, hosts)
    if pol["change_budget"] is not None:
        current = {(r, s) for r, s, q in t["current_layout"][["region", "segment", "output"]]
                   .itertuples(index=False) if q > 0}
        if len(current ^ set(layout)) > pol["change_budget"]:
            found.append("change budget exceeded")
    found += _polarisation(inst, layout)
    return found


def _polarisation(inst: Instance, layout) -> list[str]:
    """Least shares (of a chain's output, or of value added) and lagging regions' least gains."""
    t = inst.tables
    rate = t["segments"].set_index("segment")["value_added_rate"]
    chain_of = t["segments"].set_index("segment")["chain"]
    group = t["regions"].set_index("region")["group"]
    found = []

    def amount(regions, chain: str, lay) -> float:
        return sum(q * (1.0 if chain else rate[s]) for (r, s), q in lay.items()
                   if r in regions and (not chain or chain_of[s] == chain))

    everyone = set(group.index)
    for region, grp, chain, share in t["min_shares"][["region", "group", "chain",
                                                      "min_share"]].itertuples(index=False):
        area = {region} if region else set(group.index[group == grp]) | set(
            t["areas"].loc[t["areas"]["area"] == grp, "region"])
        if amount(area, chain, layout) < share * amount(everyone, chain, layout) - 1e-6 * max(
                1.0, amount(everyone, chain, layout)):
            found.append(f"{region or grp} below its least share of {chain or 'value added'}")
    today = {(r, s): q for r, s, q in t["current_layout"][["region", "segment", "output"]]
             .itertuples(index=False) if q > 0}
    for region, gain in t["lagging_regions"][["region", "min_gain"]].itertuples(index=False):
        if not math.isnan(gain) and amount({region}, "", layout) < amount(
                {region}, "", today) + gain - 1e-6 * max(1.0, gain):
            found.append(f"lagging {region} gains less than {gain}")
    return found


def _reach(inst: Instance, layout, hosts) -> list[str]:
    reg = inst.tables["regions"].set_index("region")
    found = []
    for s, u, reach in inst.tables["links"][["supplier", "user", "reach"]].itertuples(
            index=False):
        for r in hosts[u]:
            near = [q for q in hosts[s] if math.isinf(reach) or _km(reg, r, q) <= reach + 1e-6]
            if not near:
                found.append(f"{r} hosts {u} with no {s} in reach")
    return found


def _km(reg, a: str, b: str) -> float:
    lon1, lat1, lon2, lat2 = map(np.radians, (reg.loc[a, "lon"], reg.loc[a, "lat"],
                                              reg.loc[b, "lon"], reg.loc[b, "lat"]))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(
        (lon2 - lon1) / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(min(1.0, h))))
