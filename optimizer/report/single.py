"""The HTML and Excel report of one solve, built from its finished output folder.

Reading the folder (not the in-memory results) means the report can be rebuilt later, and
shows exactly what the CSV files say.
"""

from __future__ import annotations

import html

import pandas as pd

from optimizer.instance import Instance
from optimizer.report import charts
from optimizer.report import html as h
from optimizer.report.text import CONCENTRATION, HEADLINE, measures_rows
from optimizer.results.record import Run

HEADLINE_CHART = [("excess_hosts", "excess hosts"),
                  ("pairwise_overlaps", "region pairs sharing a segment"),
                  ("similarity_mean", "mean similarity"), ("similarity_max", "max similarity")]


def labels_of(run: Run) -> dict[str, str]:
    """Region id -> the name shown in charts."""
    if run.instance is not None:
        regions = run.instance.tables["regions"]
        return {r: (n or r) for r, n in zip(regions["region"], regions["name"], strict=True)}
    regions = run.tables.get("regions")
    if regions is None:
        return {}
    return {str(r): str(n) if isinstance(n, str) and n else str(r)
            for r, n in zip(regions["region"], regions["name"], strict=True)}


# ---------------------------------------------------------------------------- charts


def charts_of(run: Run) -> list[str]:
    labels = labels_of(run)
    parts = [h.figure(_heatmap(run), "Each cell is a region hosting a segment: kept as "
                      "today, new, closed, grown or shrunk; numbers are optimised output.",
                      "region by segment heatmap of changes"),
             h.figure(_duplication(run), "Duplication before and after: hosts per segment and "
                      "the headline measures.", "duplication measures chart"),
             h.figure(charts.similarity_heatmaps(_similarities(run), labels, _shared_order(run)),
                      "Structural similarity S between producing regions (1 = identical "
                      "structures; above about 0.9 reads as strong convergence; grey: produces "
                      "nothing).",
                      "similarity matrix"),
             h.figure(_maps(run, labels), "Regions at their coordinates: colour is the chain "
                      "with the most output, shape its main stage, size its value added.",
                      "map of regions by role")]
    regions = run.tables.get("regions")
    if regions is not None:
        change = regions.set_index(regions["region"].astype(str))["value_added_change"]
        parts.append(h.figure(charts.value_added_bars(change, labels, "Value-added change per "
                                                      "region"),
                              "Value added, optimised minus today, per region.",
                              "value added change per region"))
    return parts


def _heatmap(run: Run) -> str | None:
    allocation = run.tables.get("allocation")
    if allocation is None or allocation.empty:
        return None
    matrix = run.tables.get("allocation_matrix")
    segments = [str(s) for s in matrix.columns] if matrix is not None else sorted(
        set(allocation["segment"]))
    regions = _region_order(run, allocation)
    pairs = list(zip(allocation["region"].astype(str), allocation["segment"].astype(str),
                     strict=True))
    changes = dict(zip(pairs, allocation["change"], strict=True))
    outputs = dict(zip(pairs, allocation["output"].astype(float), strict=True))
    chain_of = dict(zip(allocation["segment"].astype(str), allocation["chain"].astype(str),
                        strict=True))
    return charts.change_heatmap(regions, segments, chain_of, changes, outputs, labels_of(run),
                                 "Optimised layout against today")


def _shared_order(run: Run) -> list[str] | None:
    allocation = run.tables.get("allocation")
    return None if allocation is None else _region_order(run, allocation)


def _region_order(run: Run, allocation: pd.DataFrame) -> list[str]:
    if run.instance is not None:
        return list(run.instance.regions)
    regions = run.tables.get("regions")
    if regions is not None:
        return [str(r) for r in regions["region"]]
    return sorted(set(allocation["region"].astype(str)))


def _duplication(run: Run) -> str | None:
    measures = run.summary.get("measures") or {}
    layouts = {k: v for k, v in (("today", measures.get("current")),
                                 ("optimised", measures.get("optimised"))) if v}
    if not layouts:
        return None
    hosts = pd.DataFrame({k: v["hosts_per_segment"] for k, v in layouts.items()})
    headline = pd.DataFrame({k: {label: v.get(key) for key, label in HEADLINE_CHART}
                             for k, v in layouts.items()})
    return charts.duplication_chart(hosts, headline, "Duplication before and after")


def _similarities(run: Run) -> dict[str, pd.DataFrame]:
    return {"today": run.tables.get("similarity_current"),
            "optimised": run.tables.get("similarity_optimised")}


def _maps(run: Run, labels: dict[str, str]) -> str | None:
    if run.instance is None:
        run.notes.append("the map needs the instance (its coordinates); it was not available")
        return None
    allocation = run.tables.get("allocation")
    inst = run.instance
    today = inst.current_output()
    layouts = {"today": today}
    if allocation is not None:
        kept = allocation[allocation["change"] != "closed"]
        layouts["optimised"] = dict(zip(zip(kept["region"].astype(str),
                                            kept["segment"].astype(str), strict=True),
                                        kept["output"].astype(float), strict=True))
    points = {name: role_points(inst, layout, labels) for name, layout in layouts.items()}
    return charts.region_maps(points, "Regions by role")


def role_points(instance: Instance, layout: dict[tuple[str, str], float],
                labels: dict[str, str]) -> pd.DataFrame:
    """Per region: coordinates, main chain and stage, value added (for the map)."""
    seg = instance.tables["segments"].set_index("segment")
    rows = pd.DataFrame([(r, s, q) for (r, s), q in layout.items() if q > 0],
                        columns=["region", "segment", "output"])
    rows["chain"] = rows["segment"].map(seg["chain"])
    rows["stage"] = rows["segment"].map(seg["stage"])
    value_added = (rows["output"] * rows["segment"].map(seg["value_added_rate"])).groupby(
        rows["region"]).sum()
    regions = instance.tables["regions"]
    return role_frame(regions[["region", "lon", "lat"]], rows, value_added, labels)


def role_frame(coords: pd.DataFrame, rows: pd.DataFrame, value_added: pd.Series,
               labels: dict[str, str]) -> pd.DataFrame:
    """A region's role: the chain with most of its output, and that chain's largest stage.

    `rows` holds region, segment, chain, stage, output; `value_added` is per region.
    """
    frame = coords.copy()
    frame["region"] = frame["region"].astype(str)
    frame["label"] = [labels.get(r, r) for r in frame["region"]]
    by_chain = rows.groupby(["region", "chain"])["output"].sum().reset_index()
    top = by_chain.sort_values("output", ascending=False, kind="stable").drop_duplicates("region")
    main = dict(zip(top["region"], top["chain"], strict=True))
    inside = rows[[main.get(r) == c for r, c in zip(rows["region"], rows["chain"], strict=True)]]
    by_stage = inside.groupby(["region", "stage"])["output"].sum().reset_index()
    top = by_stage.sort_values("output", ascending=False, kind="stable").drop_duplicates("region")
    stage = dict(zip(top["region"], top["stage"], strict=True))
    frame["chain"] = [main.get(r, "") for r in frame["region"]]
    frame["stage"] = [str(stage.get(r, "") or "") for r in frame["region"]]
    frame["size"] = [float(value_added.get(r, 0.0)) for r in frame["region"]]
    return frame


# ---------------------------------------------------------------------------- page and sheets


def html_report(run: Run) -> str:
    s = run.summary
    gap = s.get("mip_gap")
    status = s.get("status", "?")
    subtitle = (f'<span class="status{"" if status in ("optimal", "feasible") else " bad"}">'
                f"{html.escape(status)}</span> {html.escape(s.get('message', ''))}; relative gap "
                f"{'-' if gap is None else f'{gap:.4%}'}; instance hash "
                f"{html.escape(str(s.get('instance_hash', '')))}; package "
                f"{html.escape(str(s.get('package_version', '')))}, HiGHS "
                f"{html.escape(str(s.get('solver', {}).get('version', '')))}")
    sections = [h.section("Overview", h.para(s.get("description", "") or ""),
                          h.bullets(s.get("findings") or [], "note"),
                          h.table(_terms(s)), h.table(_measures(s)))]
    sections.append(h.section("Charts", *charts_of(run)))
    for name, title in (("regions", "Regions"), ("chains", "Chains"),
                        ("partnerships", '"1+N" partnerships'),
                        ("lagging_regions", "Lagging regions"), ("allocation", "Allocation")):
        if name in run.tables:
            sections.append(h.section(title, h.table(run.tables[name], title=title)))
    if run.notes:
        sections.append(h.section("Notes", h.bullets(run.notes, "note")))
    return h.page(f"{s.get('instance', '')}: allocation report", subtitle, sections)


def _terms(summary: dict) -> pd.DataFrame:
    terms = summary.get("objective", {}).get("terms") or {}
    return pd.DataFrame([{"objective term": k, "value": v.get("value"), "unit": v.get("unit"),
                          "optimised": bool(v.get("optimised")), "what": v.get("what")}
                         for k, v in terms.items()])


def _measures(summary: dict) -> pd.DataFrame:
    measures = summary.get("measures") or {}
    if "current" not in measures:
        return pd.DataFrame()
    return pd.DataFrame(measures_rows(measures, HEADLINE + CONCENTRATION),
                        columns=["measure", "today", "optimised"])


def sheets_of(run: Run) -> dict[str, pd.DataFrame]:
    s = run.summary
    overview = pd.DataFrame([
        ("instance", s.get("instance")), ("instance hash", s.get("instance_hash")),
        ("status", s.get("status")), ("message", s.get("message")),
        ("relative gap", s.get("mip_gap")), ("objective", s.get("objective", {}).get("value")),
        ("package version", s.get("package_version")),
        ("HiGHS version", s.get("solver", {}).get("version")),
        *[("finding", f) for f in s.get("findings") or []],
    ], columns=["item", "value"])
    overview["value"] = overview["value"].map(lambda v: "" if v is None else str(v))
    sheets = {"overview": overview, "objective_terms": _terms(s), "measures": _measures(s)}
    for name, frame in run.tables.items():
        indexed = name in ("allocation_matrix", "similarity_current", "similarity_optimised")
        sheets[name] = frame.reset_index() if indexed else frame
    return sheets
