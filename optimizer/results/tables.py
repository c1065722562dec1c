"""The allocation tables planners read: long allocation, region x segment matrix, per-region
and per-chain summaries, similarity matrices, location quotients."""

from __future__ import annotations

import pandas as pd

from optimizer.instance import Instance
from optimizer.results import Results
from optimizer.results.measures import (
    Layout,
    hosts_per_segment,
    layout_matrix,
    location_quotients,
    similarity_matrix,
    unsupplied_links,
    value_added,
)
from optimizer.results.polarisation import credited_value_added

# Relative change below which a host counts as kept: 0.1 %, so that the rounding of the data
# (outputs and targets written to 0.01) does not show as growth or shrinkage; change_pct
# still shows the exact figure.
RESIZE_TOLERANCE = 1e-3


def change_of(current: float | None, output: float | None) -> str:
    """kept / grown / shrunk / closed / new, against the current layout."""
    if current is None:
        return "new"
    if output is None:
        return "closed"
    if abs(output - current) <= RESIZE_TOLERANCE * max(1.0, abs(current)):
        return "kept"
    return "grown" if output > current else "shrunk"


def change_pct(current: float | None, output: float | None) -> float | None:
    """Output against today's, in %; blank for a new host (nothing to compare with)."""
    if not current:
        return None
    return 100.0 * ((output or 0.0) - current) / current


def allocation_table(results: Results) -> pd.DataFrame:
    inst = results.instance
    chain_of = inst.chain_of()
    rate = inst.tables["segments"].set_index("segment")["value_added_rate"]
    current, layout = results.current, results.layout
    rows = []
    for r, s in sorted(set(current) | set(layout)):
        output = layout.get((r, s))
        rows.append({
            "region": r, "segment": s, "chain": chain_of[s],
            "output": output or 0.0, "value_added": (output or 0.0) * rate[s],
            "current_output": current.get((r, s), 0.0),
            "change": change_of(current.get((r, s)), output),
            "change_pct": change_pct(current.get((r, s)), output),
        })
    return pd.DataFrame(rows, columns=["region", "segment", "chain", "output", "value_added",
                                       "current_output", "change", "change_pct"])


def matrix_table(results: Results, layout: Layout | None = None) -> pd.DataFrame:
    return layout_matrix(results.instance, results.layout if layout is None else layout)


def _use(instance, layout: Layout, kind: str) -> pd.DataFrame:
    """Use and availability per region for each resource (kind='resource') or talent type."""
    prefix = "resource" if kind == "resource" else "talent"
    use_table = instance.tables[f"{prefix}_use"]
    avail = instance.tables[f"{prefix}_availability"]
    kinds = sorted(set(use_table[kind]) | set(avail[kind]))
    per_unit = {(s, k): u for s, k, u in zip(use_table["segment"], use_table[kind],
                                             use_table["use"], strict=True)}
    have = {(r, k): a for r, k, a in zip(avail["region"], avail[kind], avail["available"],
                                         strict=True)}
    frame = pd.DataFrame(index=instance.regions)
    for k in kinds:
        used = dict.fromkeys(instance.regions, 0.0)
        for (r, s), q in layout.items():
            used[r] += per_unit.get((s, k), 0.0) * q
        frame[f"{k}_used"] = pd.Series(used)
        frame[f"{k}_available"] = pd.Series({r: have.get((r, k), 0.0) for r in instance.regions})
        frame[f"{k}_use_share"] = frame[f"{k}_used"] / frame[f"{k}_available"].where(
            frame[f"{k}_available"] > 0)
    return frame


def region_table(results: Results) -> pd.DataFrame:
    inst = results.instance
    regions = inst.tables["regions"].set_index("region")
    va0, va1 = value_added(inst, results.current), value_added(inst, results.layout)
    frame = pd.DataFrame({
        "name": _names(regions),
        "group": regions["group"],
        "segments_current": _count_by_region(inst.regions, results.current),
        "segments_optimised": _count_by_region(inst.regions, results.layout),
        "value_added_current": pd.Series(va0),
        "value_added_optimised": pd.Series(va1),
    })
    frame["value_added_change"] = frame["value_added_optimised"] - frame["value_added_current"]
    frame["compensation"] = pd.Series(results.compensation).reindex(frame.index).fillna(0.0)
    if not inst.tables["partnerships"].empty:  # value added as "1+N" partnerships credit it
        frame["value_added_credited"] = pd.Series(credited_value_added(
            inst, results.current, results.layout))
    if not inst.tables["lagging_regions"].empty:
        frame["lagging"] = frame.index.isin(inst.tables["lagging_regions"]["region"])
    frame = frame.join(_use(inst, results.layout, "resource")).join(
        _use(inst, results.layout, "talent"))
    frame.index.name = "region"
    return frame.reset_index()


def layout_regions(instance: Instance, layout: Layout) -> pd.DataFrame:
    """Per region, for one layout alone (today's, when a comparison shows it as a run of its
    own): name, group, segments, value added, and each resource and talent used."""
    regions = instance.tables["regions"].set_index("region")
    frame = pd.DataFrame({"name": _names(regions), "group": regions["group"],
                          "segments": _count_by_region(instance.regions, layout),
                          "value_added": pd.Series(value_added(instance, layout))})
    frame = frame.join(_use(instance, layout, "resource")).join(_use(instance, layout, "talent"))
    frame.index.name = "region"
    return frame.reset_index()


def _names(regions: pd.DataFrame) -> pd.Series:
    """A region's name, its id where it has none."""
    return regions["name"].where(regions["name"] != "", regions.index.to_series())


def _count_by_region(regions: list[str], layout: Layout) -> pd.Series:
    counts = dict.fromkeys(regions, 0)
    for r, _ in layout:
        counts[r] += 1
    return pd.Series(counts)


def chain_table(results: Results) -> pd.DataFrame:
    """Per chain, today and optimised: hosts, unhosted segments, hosts with no supplier."""
    inst = results.instance
    sides = {name: _chain_facts(inst, layout) for name, layout in
             (("current", results.current), ("optimised", results.layout))}
    rows = []
    for chain, segments in _chain_segments(inst).items():
        row = {"chain": chain, "segments": len(segments)}
        for name, facts in sides.items():
            row |= {f"{key}_{name}": value for key, value in facts[chain].items()}
        rows.append(row)
    return pd.DataFrame(rows)


def layout_chains(instance: Instance, layout: Layout) -> pd.DataFrame:
    """Per chain, for one layout alone: hosts, unhosted segments, hosts with no supplier."""
    facts = _chain_facts(instance, layout)
    return pd.DataFrame([{"chain": chain, "segments": len(segments), **facts[chain]}
                         for chain, segments in _chain_segments(instance).items()])


def _chain_segments(instance: Instance) -> dict[str, list[str]]:
    seg = instance.tables["segments"]
    return {chain: seg.loc[seg["chain"] == chain, "segment"].tolist()
            for chain in instance.chains}


def _chain_facts(instance: Instance, layout: Layout) -> dict[str, dict]:
    """Per chain: its hosts, unhosted segments, hosts with no supplier, complete or not."""
    hosts = hosts_per_segment(instance, layout)
    missing = unsupplied_links(instance, layout)
    facts = {}
    for chain, segments in _chain_segments(instance).items():
        unhosted = [s for s in segments if hosts[s] == 0]
        gaps = [m for m in missing if m[1] in segments]
        facts[chain] = {"hosts": sum(hosts[s] for s in segments),
                        "unhosted": ", ".join(unhosted), "unsupplied_links": len(gaps),
                        "complete": not unhosted and not gaps}
    return facts


def similarity_table(results: Results, layout: Layout) -> pd.DataFrame:
    return similarity_matrix(layout_matrix(results.instance, layout))


def group_similarity_table(results: Results) -> pd.DataFrame:
    """Structural similarity between groups (e.g. provinces), each group's output summed over
    its regions: today and optimised, one row per pair of groups."""
    inst = results.instance
    group = inst.tables["regions"].set_index("region")["group"]
    rows = []
    if group.nunique() < 2 or (group == "").any():
        return pd.DataFrame(columns=["group_a", "group_b", "similarity_current",
                                     "similarity_optimised"])
    sims = {name: similarity_matrix(layout_matrix(inst, lay).groupby(group).sum())
            for name, lay in (("current", results.current), ("optimised", results.layout))}
    names = sorted(group.unique())
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            rows.append({"group_a": a, "group_b": b,
                         **{f"similarity_{k}": _pair(m, a, b) for k, m in sims.items()}})
    return pd.DataFrame(rows)


def _pair(matrix: pd.DataFrame, a: str, b: str) -> float | None:
    return float(matrix.loc[a, b]) if a in matrix.index and b in matrix.index else None


def location_quotient_table(results: Results) -> pd.DataFrame:
    """Long form: region, segment, LQ today and optimised (only where either is positive)."""
    inst = results.instance
    now = location_quotients(layout_matrix(inst, results.current)).stack()
    opt = location_quotients(layout_matrix(inst, results.layout)).stack()
    frame = pd.DataFrame({"lq_current": now, "lq_optimised": opt})
    frame.index.names = ["region", "segment"]
    return frame[(frame > 0).any(axis=1)].reset_index()
