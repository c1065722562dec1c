"""What the levers against polarisation did: credited value added under "1+N" partnerships,
what each partnership moved and who is credited with what, and the lagging regions' outcome.
Every figure is recomputed from the two layouts (today's and the allocation); the reports show
them (optimizer/report/levers.py)."""

from __future__ import annotations

import math

import pandas as pd

from optimizer.instance import Instance
from optimizer.results import Results
from optimizer.results.measures import Layout, value_added

PARTNERSHIP_COLUMNS = ["leader", "partner", "credit_share", "moved_segments", "moved_output",
                       "partner_new_output", "partner_new_value_added", "credited_to_leader",
                       "kept_by_partner", "leader_value_added_change",
                       "leader_credited_value_added_change", "partner_credited_value_added_change"]


def _rates(instance: Instance) -> dict[str, float]:
    seg = instance.tables["segments"]
    return dict(zip(seg["segment"], seg["value_added_rate"], strict=True))


def new_output(current: Layout, layout: Layout, region: str) -> dict[str, float]:
    """Segment -> the region's output beyond today's (max(0, x - q0)), where positive."""
    segments = {s for r, s in layout if r == region}
    grown = {s: layout[(region, s)] - current.get((region, s), 0.0) for s in segments}
    return {s: g for s, g in grown.items() if g > 1e-9}


def credits(instance: Instance, current: Layout, layout: Layout) -> list[dict]:
    """One record per partnership: the partner's new value added and the leader's share."""
    rate = _rates(instance)
    table = instance.tables["partnerships"]
    rows = []
    for leader, partner, share in zip(table["leader"], table["partner"], table["credit_share"],
                                      strict=True):
        grown = new_output(current, layout, partner)
        new_va = sum(rate[s] * q for s, q in grown.items())
        rows.append({"leader": leader, "partner": partner, "credit_share": float(share),
                     "grown": grown, "new_value_added": new_va,
                     "credited": float(share) * new_va})
    return rows


def credited_value_added(instance: Instance, current: Layout, layout: Layout
                         ) -> dict[str, float]:
    """Value added produced in each region, plus credits in, less credits out."""
    va = value_added(instance, layout)
    for row in credits(instance, current, layout):
        va[row["leader"]] += row["credited"]
        va[row["partner"]] -= row["credited"]
    return va


def partnership_table(instance: Instance, current: Layout, layout: Layout) -> pd.DataFrame:
    """What each partnership moved (leader's loss met by partner's gain, per segment) and who
    is credited with what."""
    va0 = value_added(instance, current)
    va1 = value_added(instance, layout)
    credited = credited_value_added(instance, current, layout)
    rows = []
    for row in credits(instance, current, layout):
        leader, partner = row["leader"], row["partner"]
        moved = {}
        for s, rise in row["grown"].items():
            fall = current.get((leader, s), 0.0) - layout.get((leader, s), 0.0)
            if fall > 1e-9:
                moved[s] = min(fall, rise)
        rows.append({
            "leader": leader, "partner": partner, "credit_share": row["credit_share"],
            "moved_segments": ", ".join(f"{s} ({q:,.4g})" for s, q in sorted(moved.items())),
            "moved_output": sum(moved.values()),
            "partner_new_output": sum(row["grown"].values()),
            "partner_new_value_added": row["new_value_added"],
            "credited_to_leader": row["credited"],
            "kept_by_partner": row["new_value_added"] - row["credited"],
            "leader_value_added_change": va1[leader] - va0[leader],
            "leader_credited_value_added_change": credited[leader] - va0[leader],
            "partner_credited_value_added_change": credited[partner] - va0[partner],
        })
    return pd.DataFrame(rows, columns=PARTNERSHIP_COLUMNS)


def lagging_table(instance: Instance, current: Layout, layout: Layout,
                  compensation: dict[str, float]) -> pd.DataFrame:
    """Each lagging region: value added today, produced and credited after; its gain (in value
    added produced, as its least gain is) and the compensation owed to it."""
    va0 = value_added(instance, current)
    va1 = value_added(instance, layout)
    credited = credited_value_added(instance, current, layout)
    rows = []
    table = instance.tables["lagging_regions"]
    for region, gain in zip(table["region"], table["min_gain"], strict=True):
        rows.append({"region": region, "value_added_current": va0[region],
                     "value_added_optimised": va1[region],
                     "value_added_credited": credited[region],
                     "gain": va1[region] - va0[region],
                     "min_gain": None if gain is None or math.isnan(gain) else float(gain),
                     "compensation": compensation.get(region, 0.0)})
    return pd.DataFrame(rows, columns=["region", "value_added_current", "value_added_optimised",
                                       "value_added_credited", "gain", "min_gain",
                                       "compensation"])


def polarisation_tables(results: Results) -> dict[str, pd.DataFrame]:
    """partnerships.csv and lagging_regions.csv, for instances that name any."""
    inst, found = results.instance, {}
    if not results.outcome.has_solution:
        return found
    if not inst.tables["partnerships"].empty:
        found["partnerships"] = partnership_table(inst, results.current, results.layout)
    if not inst.tables["lagging_regions"].empty:
        found["lagging_regions"] = lagging_table(inst, results.current, results.layout,
                                                 results.compensation)
    return found
