"""What the levers against polarisation did: credited value added under "1+N" partnerships,
what each partnership moved and who is credited with what, and the lagging regions' outcome;
with the report sections on them and on concentration. Every figure is recomputed from the two
layouts (today's and the allocation)."""

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


def concentration_markdown(measures: dict) -> list[str]:
    """Concentration today and optimised, overall and per chain (docs/measures.md)."""
    from optimizer.report.text import CONCENTRATION, _fmt, _md_table, measures_rows  # builds on us

    cur, opt = measures["current"], measures.get("optimised", {})
    rows = pd.DataFrame(measures_rows(measures, CONCENTRATION),
                        columns=["measure", "current", "optimised"])
    chains = []
    for chain, now in (cur.get("concentration_by_chain") or {}).items():
        after = (opt.get("concentration_by_chain") or {}).get(chain, {})

        def pair(key: str, now=now, after=after) -> str:
            return f"{_fmt(now.get(key))} → {_fmt(after.get(key))}"

        chains.append({"chain": chain, "HHI regions": pair("hhi_regions"),
                       "HHI groups": pair("hhi_groups"), "top 1": pair("top1_share"),
                       "largest region": pair("top_region"), "top 3": pair("top3_share")})
    parts = ["## Concentration, current against optimised", "",
             "HHI: sum of squared output shares (1 = one holder); shares of the largest region "
             "and the three largest; Gini of value added over regions (0 = even); regions "
             "supplying a host of another region in reach (more = more centres). See "
             "docs/measures.md.", "", _md_table(rows), ""]
    if chains:
        parts += ["Per chain (today → optimised):", "", _md_table(pd.DataFrame(chains)), ""]
    return parts


def polarisation_markdown(results: Results, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The lagging regions and the "1+N" partnerships, when the instance names any."""
    from optimizer.report.text import _md_table  # report.py builds on this module

    parts = []
    if "lagging_regions" in tables:
        parts += ["## Lagging regions", "",
                  "Value added today, produced after and credited after (with partnerships), "
                  "the gain in value added produced against the least gain asked, and the "
                  "compensation owed (a lagging region's floor is its own, by default all of "
                  "today's value added).", "", _md_table(tables["lagging_regions"]), ""]
    if "partnerships" in tables:
        parts += ["## \"1+N\" partnerships", "",
                  "Per partnership: the segments the leader gave up and the partner took up "
                  "(output moved), the value added of the partner's new output, and who is "
                  "credited with it.", "", _md_table(tables["partnerships"]), ""]
    return parts
