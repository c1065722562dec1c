"""Concentration of a layout: is production spread over many regions or gathered in a few?

Plain functions of (instance, layout), so that today's layout, the optimised one, a scenario's
and an alternative's are measured by the same code. docs/measures.md defines each measure.
Cutting duplication concentrates output by design; these say by how much, and where.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimizer.instance import Instance
from optimizer.model.data import EPS, distance_matrix
from optimizer.results.measures import Layout, value_added


def hhi(amounts: list[float] | np.ndarray) -> float | None:
    """Herfindahl-Hirschman index: the sum of squared shares, 1/n (even) to 1 (one holder)."""
    x = np.asarray(amounts, dtype=float)
    total = x.sum()
    return None if total <= EPS else float(((x / total) ** 2).sum())


def top_share(amounts: list[float] | np.ndarray, k: int) -> float | None:
    """Share of the total held by the k largest holders."""
    x = np.sort(np.asarray(amounts, dtype=float))[::-1]
    total = x.sum()
    return None if total <= EPS else float(x[:k].sum() / total)


def gini(amounts: list[float] | np.ndarray, weights: list[float] | np.ndarray | None = None
         ) -> float | None:
    """Gini coefficient, sum_ij w_i w_j |y_i - y_j| / (2 W sum_i w_i y_i): 0 equal, towards 1
    when one holds all. Unweighted (w = 1), it is over regions; weighted by population, over
    people (then y is per person)."""
    y = np.asarray(amounts, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    mean_total = (w * y).sum()
    if len(y) == 0 or mean_total <= EPS:
        return None
    diffs = np.abs(y[:, None] - y[None, :])
    return float((w[:, None] * w[None, :] * diffs).sum() / (2 * w.sum() * mean_total))


def output_by(instance: Instance, layout: Layout, chain: str | None = None) -> pd.Series:
    """Output per region (of one chain, or of all), zeros included."""
    chain_of = instance.chain_of()
    out = pd.Series(0.0, index=instance.regions)
    for (r, s), q in layout.items():
        if chain is None or chain_of[s] == chain:
            out[r] += q
    return out


def _groups(instance: Instance) -> pd.Series | None:
    group = instance.tables["regions"].set_index("region")["group"]
    return None if (group == "").any() or group.nunique() < 2 else group


def shares(instance: Instance, layout: Layout, chain: str | None = None) -> dict:
    """HHI over regions and over groups, and the top-1 and top-3 region shares."""
    out = output_by(instance, layout, chain)
    group = _groups(instance)
    return {
        "hhi_regions": hhi(out.to_numpy()),
        "hhi_groups": None if group is None else hhi(out.groupby(group).sum().to_numpy()),
        "top1_share": top_share(out.to_numpy(), 1),
        "top3_share": top_share(out.to_numpy(), 3),
        "top_region": str(out.idxmax()) if out.max() > EPS else None,
    }


def population(instance: Instance) -> pd.Series | None:
    """Population per region, when the instance has the `population` table for every region."""
    table = instance.tables.get("population")
    if table is None or table.empty:
        return None
    pop = table.set_index("region")["population"].reindex(instance.regions)
    return None if pop.isna().any() or (pop <= 0).any() else pop


def value_added_gini(instance: Instance, layout: Layout, per_person: bool = False
                     ) -> float | None:
    va = pd.Series(value_added(instance, layout)).reindex(instance.regions)
    if not per_person:
        return gini(va.to_numpy())
    pop = population(instance)
    if pop is None:
        return None
    return gini((va / pop).to_numpy(), pop.to_numpy())


def supply_centres(instance: Instance, layout: Layout) -> list[str] | None:
    """Regions hosting a supplier segment with a host of its user in another region in reach.

    None when the instance has no links (nothing supplies anything)."""
    links = instance.tables["links"]
    if links.empty:
        return None
    hosts: dict[str, list[str]] = {}
    for r, s in layout:
        hosts.setdefault(s, []).append(r)
    finite = bool((links["reach"] < math.inf).any())
    dist = distance_matrix(instance, instance.regions) if finite else None
    index = {r: i for i, r in enumerate(instance.regions)}
    centres = set()
    for s, t, reach in zip(links["supplier"], links["user"], links["reach"], strict=True):
        for r in hosts.get(s, []):
            if r in centres:
                continue
            if any(q != r and (dist is None or dist[index[r], index[q]] <= reach + EPS)
                   for q in hosts.get(t, [])):
                centres.add(r)
    return sorted(centres)


def concentration_measures(instance: Instance, layout: Layout) -> dict:
    """Overall concentration figures (flat, for tables) and the same per chain."""
    overall = shares(instance, layout)
    centres = supply_centres(instance, layout)
    return {
        "hhi_output_regions": overall["hhi_regions"],
        "hhi_output_groups": overall["hhi_groups"],
        "top1_region_share": overall["top1_share"],
        "top3_region_share": overall["top3_share"],
        "gini_value_added": value_added_gini(instance, layout),
        "gini_value_added_per_person": value_added_gini(instance, layout, per_person=True),
        "supply_centres": None if centres is None else len(centres),
        "concentration_by_chain": {c: shares(instance, layout, c) for c in instance.chains},
    }
