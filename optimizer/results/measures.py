"""Measures of any layout (current, optimised, a scenario's), computed the same way for each.

A layout maps each hosted (region, segment) pair to its output; pairs not hosted are absent.
The current layout hosts where today's output is positive; a solution hosts where host = 1.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from optimizer.instance import Instance
from optimizer.model.data import EPS, distance_matrix

Layout = dict[tuple[str, str], float]


# The measures shown side by side (terminal, report, compare), with their English labels.
HEADLINE = [
    ("total_hosts", "hosts (region-segment pairs)"),
    ("excess_hosts", "excess hosts"),
    ("pairwise_overlaps", "region pairs sharing a segment"),
    ("similarity_mean", "mean structural similarity"),
    ("similarity_max", "max structural similarity"),
    ("krugman_mean", "mean Krugman index"),
    ("unhosted_segments", "unhosted segments"),
    ("unsupplied_links", "hosts with no supplier in reach"),
    ("value_added_total", "value added"),
    ("output_moved", "output moved between hosts"),
    ("supply_shortfall", "input need beyond supply in reach"),
]
# Concentration (optimizer/results/concentration.py, docs/measures.md): shown in its own section.
CONCENTRATION = [
    ("hhi_output_regions", "HHI of output across regions"),
    ("hhi_output_groups", "HHI of output across groups"),
    ("top1_region_share", "share of the largest region"),
    ("top3_region_share", "share of the 3 largest regions"),
    ("gini_value_added", "Gini of value added (regions)"),
    ("gini_value_added_per_person", "Gini of value added per person"),
    ("supply_centres", "regions supplying others in reach"),
]


def layout_matrix(instance: Instance, layout: Layout) -> pd.DataFrame:
    """Regions x segments output, zeros where nothing is produced."""
    frame = pd.DataFrame(0.0, index=instance.regions, columns=instance.segments)
    for (r, s), q in layout.items():
        frame.loc[r, s] = q
    frame.index.name = "region"
    return frame


def hosts_per_segment(instance: Instance, layout: Layout) -> dict[str, int]:
    counts = dict.fromkeys(instance.segments, 0)
    for _, s in layout:
        counts[s] += 1
    return counts


def similarity_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """UNIDO structural similarity S = sum a b / sqrt(sum a^2 sum b^2), for producing regions."""
    active = matrix[matrix.sum(axis=1) > EPS]
    values = active.to_numpy(float)
    norms = np.sqrt((values**2).sum(axis=1))
    sim = values @ values.T / np.outer(norms, norms)
    return pd.DataFrame(sim, index=active.index, columns=active.index)


def krugman_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Krugman index K = sum |a/sum a - b/sum b|: 0 identical structures, 2 disjoint."""
    active = matrix[matrix.sum(axis=1) > EPS]
    shares = active.to_numpy(float) / active.sum(axis=1).to_numpy(float)[:, None]
    k = np.abs(shares[:, None, :] - shares[None, :, :]).sum(axis=2)
    return pd.DataFrame(k, index=active.index, columns=active.index)


def location_quotients(matrix: pd.DataFrame) -> pd.DataFrame:
    """LQ = region's share of segment / whole area's share; > 1 marks a specialisation."""
    total = matrix.to_numpy(float).sum()
    region_total = matrix.sum(axis=1)
    area_share = matrix.sum(axis=0) / total if total > 0 else matrix.sum(axis=0) * 0
    region_share = matrix.div(region_total.where(region_total > EPS), axis=0)
    return region_share.div(area_share.where(area_share > EPS), axis=1).fillna(0.0)


def unsupplied_links(instance: Instance, layout: Layout) -> list[tuple[str, str, str]]:
    """(supplier, user, region): a host of `user` with no host of `supplier` within reach."""
    links = instance.tables["links"]
    if links.empty:
        return []
    hosts: dict[str, list[str]] = {}
    for r, s in layout:
        hosts.setdefault(s, []).append(r)
    needs_distance = bool((links["reach"] < math.inf).any())
    dist = distance_matrix(instance, instance.regions) if needs_distance else None
    index = {r: i for i, r in enumerate(instance.regions)}
    missing = []
    for s, t, reach in zip(links["supplier"], links["user"], links["reach"], strict=True):
        for r in hosts.get(t, []):
            near = [q for q in hosts.get(s, [])
                    if math.isinf(reach) or dist[index[r], index[q]] <= reach + EPS]
            if not near:
                missing.append((s, t, r))
    return missing


def supply_shortfalls(instance: Instance, layout: Layout) -> list[tuple[str, str, str, float]]:
    """(supplier, user, region, shortfall): a host of `user` whose input need at the link's
    intensity (a x its output) exceeds all the supplier's output within reach, even before
    other users draw on it. Zero shortfall everywhere is necessary for supply to cover use
    (the flow form's rows); a positive one is need that no shipment plan can cover."""
    links = instance.tables["links"]
    links = links[links["intensity"] > 0]
    if links.empty:
        return []
    dist = distance_matrix(instance, instance.regions)
    index = {r: i for i, r in enumerate(instance.regions)}
    made: dict[str, list[tuple[int, float]]] = {}
    for (r, s), q in layout.items():
        made.setdefault(s, []).append((index[r], q))
    short = []
    for s, t, reach, a in zip(links["supplier"], links["user"], links["reach"],
                              links["intensity"], strict=True):
        for (r, seg), q in layout.items():
            if seg != t or q <= 0:
                continue
            supply = sum(out for i, out in made.get(s, [])
                         if math.isinf(reach) or dist[index[r], i] <= reach + EPS)
            if a * q > supply + EPS * max(1.0, a * q):
                short.append((s, t, r, a * q - supply))
    return short


def _pairs_mean_max(matrix: pd.DataFrame) -> tuple[float | None, float | None]:
    n = len(matrix)
    if n < 2:
        return None, None
    values = [matrix.iat[i, j] for i, j in itertools.combinations(range(n), 2)]
    return float(np.mean(values)), float(np.max(values))


def value_added(instance: Instance, layout: Layout) -> dict[str, float]:
    rate = dict(zip(instance.tables["segments"]["segment"],
                    instance.tables["segments"]["value_added_rate"], strict=True))
    va = dict.fromkeys(instance.regions, 0.0)
    for (r, s), q in layout.items():
        va[r] += rate[s] * q
    return va


def output_moved(instance: Instance, layout: Layout) -> float:
    """Output that changes host against today: half the summed |q - q0| (what one host gives
    up another takes; 0 for today's layout)."""
    today = instance.current_output()
    pairs = sorted(set(today) | set(layout))  # a fixed order: the same sum to the last digit
    return 0.5 * math.fsum(abs(layout.get(p, 0.0) - today.get(p, 0.0)) for p in pairs)


def layout_measures(instance: Instance, layout: Layout) -> dict:
    """The headline measures of a layout, as plain numbers for summary.json and reports."""
    hosts = hosts_per_segment(instance, layout)
    matrix = layout_matrix(instance, layout)
    sim_mean, sim_max = _pairs_mean_max(similarity_matrix(matrix))
    krugman_mean, _ = _pairs_mean_max(krugman_matrix(matrix))
    weight = dict(zip(instance.tables["segments"]["segment"],
                      instance.tables["segments"]["weight"], strict=True))
    return {
        "hosts_per_segment": hosts,
        "total_hosts": sum(hosts.values()),
        "excess_hosts": sum(max(n - 1, 0) for n in hosts.values()),
        "weighted_excess_hosts": sum(weight[s] * max(n - 1, 0) for s, n in hosts.items()),
        "pairwise_overlaps": sum(n * (n - 1) // 2 for n in hosts.values()),
        "weighted_pairwise_overlaps": sum(weight[s] * n * (n - 1) / 2 for s, n in hosts.items()),
        "similarity_mean": sim_mean,
        "similarity_max": sim_max,
        "krugman_mean": krugman_mean,
        "unhosted_segments": sorted(s for s, n in hosts.items() if n == 0),
        "unsupplied_links": len(unsupplied_links(instance, layout)),
        "value_added_total": sum(value_added(instance, layout).values()),
        "output_moved": output_moved(instance, layout),
        "supply_shortfall": sum((x for *_, x in supply_shortfalls(instance, layout)), 0.0),
    } | _concentration(instance, layout)


def _concentration(instance: Instance, layout: Layout) -> dict:
    from optimizer.results.concentration import concentration_measures  # it builds on this module

    return concentration_measures(instance, layout)
