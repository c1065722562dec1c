"""The report of one solve as one self-contained, printable HTML page, in English or Chinese.

Order of a 汇报材料: the summary and the plan on one map first, then the task list per region,
the maps per chain and the regions' roles, duplication, value added and compensation, and last
the status, data basis and assumptions. Maps and charts are inline SVG (optimizer/report/maps.py,
bars.py); nothing is fetched when the page is opened.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from optimizer.report import bars, maps
from optimizer.report import html as h
from optimizer.report.levers import Part, lever_parts
from optimizer.report.plan import (
    Plan,
    assumptions,
    basis_line,
    compact_tasks,
    scenario_lines,
    status_line,
    term_table,
    verification_lines,
)

TOP_N = 15  # regions in a gains/losses chart, pairs in the similarity table
LABELS = 12  # regions named on a map

PRINT_CSS = """
svg.map{width:100%;max-width:520px;height:auto}svg.map text{font-size:9px;fill:#222;
paint-order:stroke;stroke:#fff;stroke-width:2px}svg.map text.key{font-size:15px;stroke:none}
svg.chart{width:100%;max-width:680px;height:auto;font-size:11px}svg.chart text.n{font-size:9px}
.maps{display:flex;flex-wrap:wrap;gap:.6rem}.maps figure{flex:1 1 300px;margin:.3rem 0}
.maps svg.map text{font-size:13px}
section:first-of-type svg.map{max-width:860px}
.lead{font-size:1.05rem;background:#f3f6fa;border-left:4px solid #4c78a8;padding:.5rem .8rem}
.basis{font-weight:600}table.tasks td:nth-child(1){min-width:5rem}
table.tasks td:nth-child(2){white-space:nowrap}table.tasks td:nth-child(4){min-width:16rem}
table.tasks th:nth-child(5){min-width:4.5rem}
@media print{body{max-width:none;margin:0;font-size:10.5pt}nav{display:none}
th{position:static}section{break-before:page}section:first-of-type{break-before:auto}
figure,svg,tr{break-inside:avoid}h3{break-after:avoid}.scroll{overflow:visible}table{font-size:8.5pt}
details>summary{display:none}details{display:block}a{color:inherit;text-decoration:none}}
"""


def html_page(plan: Plan) -> str:
    w = plan.words
    regions = plan.tables.get("regions")
    drawn = canvas_of(plan)
    sections = [_summary(plan, drawn)]
    if plan.solved:
        sections += [_tasks(plan), _chain_maps(plan, drawn), _roles(plan, drawn),
                     _links(plan, drawn), _duplication(plan), _value_added(plan),
                     _similarity(plan)]
    sections += [_part(part, w) for part in levers_of(plan) if part.key != "prices"]
    if "chains" in plan.tables:
        sections.append(h.section(w("chains"), h.table(named_chains(plan), collapsed_over=200)))
    sections += [_part(part, w) for part in levers_of(plan) if part.key == "prices"]
    sections.append(_honesty(plan))
    if plan.notes:
        sections.append(h.section(w("notes"), h.bullets(plan.notes, "note")))
    s = plan.summary
    subtitle = html.escape(w("generated", instance=s.get("instance", ""),
                             hash=s.get("instance_hash", ""),
                             package=s.get("package_version", ""),
                             highs=(s.get("solver") or {}).get("version", "")))
    title = w("report_title", name=s.get("instance", ""))
    del regions
    return h.page(title, subtitle, sections, w.lang, maps.definitions(drawn), PRINT_CSS)


def _part(part: Part, w) -> str:
    return h.section(w(part.key), *(h.para(n) for n in part.notes),
                     *(h.table(t, collapsed_over=10**6) for t in part.shown))


def canvas_of(plan: Plan) -> maps.Canvas:
    """The projected outlines of the plan's regions, computed once per report run."""
    def make() -> maps.Canvas:
        names = {r: plan.words.name("region", r) for r in plan.regions}
        return maps.canvas(plan.instance, names, plan.regions, maps.coordinates(plan.instance))
    return plan.once("canvas", make)


def tasks_by_region(plan: Plan):
    return plan.once("compact", lambda: compact_tasks(plan.tasks, plan.words))


def levers_of(plan: Plan) -> list[Part]:
    """Concentration, lagging regions, partnerships and shadow prices, built once per run."""
    return plan.once("levers", lambda: lever_parts(plan))


def _figure(svg: str, caption: str) -> str:
    if not svg:
        return ""
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _schematic_note(plan: Plan, drawn: maps.Canvas) -> str:
    if drawn.empty:
        return h.para(plan.words("map_no_coords"), "note")
    return h.para(plan.words("map_schematic"), "note") if drawn.schematic else ""


# ---------------------------------------------------------------------------- sections


def _summary(plan: Plan, drawn: maps.Canvas) -> str:
    w, s = plan.words, plan.summary
    head, changes = scenario_lines(s, w)
    check = verification_lines(s, w)
    parts = [f'<p class="lead">{html.escape(status_line(s, w))}</p>',
             h.para(check[0], "note" if len(check) > 1 else "") if check else "",
             h.bullets(check[1:], "note"),
             f'<p class="basis">{html.escape(basis_line(s, w))}</p>',
             h.para(head), h.bullets(changes),
             h.para(str(s.get("description", "") or (plan.instance.settings.description
                                                     if plan.instance else "")).strip())]
    if s.get("findings"):
        parts += [f"<h3>{html.escape(w('findings'))}</h3>", h.bullets(s["findings"], "note")]
    parts.append(h.table(measure_display(plan)))
    if plan.solved:
        parts += [f"<h3>{html.escape(w('one_map'))}</h3>", _schematic_note(plan, drawn),
                  _figure(_one_map(plan, drawn), w("one_map_caption"))]
    return h.section(w("overview"), *parts)


MEASURES = ("total_hosts", "excess_hosts", "pairwise_overlaps", "similarity_mean",
            "similarity_max", "krugman_mean", "unhosted_segments", "unsupplied_links",
            "value_added_total")


def measure_table(plan: Plan) -> pd.DataFrame:
    w = plan.words
    measures = plan.summary.get("measures") or {}
    cur, opt = measures.get("current") or {}, measures.get("optimised") or {}
    if not cur:
        return pd.DataFrame()

    def value(v):
        return len(v) if isinstance(v, list) else v
    rows = []
    for key in MEASURES:
        a, b = value(cur.get(key)), value(opt.get(key)) if opt else None
        unit = w.unit("output") if key == "value_added_total" else ""
        rows.append({w("measure"): w(key) + (f" ({unit})" if unit else ""),
                     w("today"): a, w("optimised"): b,
                     w("change"): (b - a) if isinstance(a, int | float) and isinstance(
                         b, int | float) else None})
    return pd.DataFrame(rows)


def measure_display(plan: Plan) -> pd.DataFrame:
    """The measure table for reading: indices to three decimals, counts as whole numbers."""
    frame = measure_table(plan)
    if frame.empty:
        return frame
    ratio = [k.startswith(("similarity", "krugman")) for k in MEASURES]
    for column in frame.columns[1:]:
        frame[column] = [(f"{0.0 if abs(v) < 5e-4 else v:.3f}" if isinstance(v, int | float)
                          and math.isfinite(v) else "–") if is_ratio else v
                         for v, is_ratio in zip(frame[column], ratio, strict=True)]
    return frame


def _layouts(plan: Plan) -> pd.DataFrame:
    a = plan.tables["allocation"].copy()
    a["region"] = a["region"].astype(str)
    a["segment"] = a["segment"].astype(str)
    a["chain"] = a["chain"].astype(str)
    return a


def main_chain(plan: Plan, column: str) -> dict[str, str]:
    """Each region's chain with the most output in the layout `column`."""
    a = _layouts(plan)
    by = a.groupby(["region", "chain"])[column].sum().reset_index()
    by = by[by[column] > 0].sort_values(column, ascending=False, kind="stable")
    top = by.drop_duplicates("region")
    return dict(zip(top["region"], top["chain"], strict=True))


def main_stage(plan: Plan, column: str, chains: dict[str, str]) -> dict[str, str]:
    if plan.instance is None:
        return {}
    seg = plan.instance.tables["segments"]
    stage_of = dict(zip(seg["segment"].astype(str), seg["stage"].astype(str), strict=True))
    a = _layouts(plan)
    a = a[[chains.get(r) == c for r, c in zip(a["region"], a["chain"], strict=True)]]
    a = a.assign(stage=a["segment"].map(stage_of))
    by = a.groupby(["region", "stage"])[column].sum().reset_index()
    top = by[by[column] > 0].sort_values(column, ascending=False, kind="stable")
    top = top.drop_duplicates("region")
    return dict(zip(top["region"], top["stage"], strict=True))


def _labelled(values: dict[str, float], n: int = LABELS) -> list[str]:
    """The n regions to name on a map, largest |value| first (the order labels are placed)."""
    return maps.most(values, n)


def _one_map(plan: Plan, drawn: maps.Canvas) -> str:
    w = plan.words
    colours = maps.chain_colours(plan.chains)
    main = main_chain(plan, "output")
    fills = {r: colours[c] for r, c in main.items() if c in colours}
    va = plan.region_summary.set_index("region_code")["va_change"].to_dict() \
        if "va_change" in plan.region_summary else {}
    va = {r: v for r, v in va.items() if isinstance(v, float) and math.isfinite(v)}
    tips = {r: f"{w.name('region', r)}: {w.name('chain', main.get(r, ''))}; "
               f"{w('va_change')} {va.get(r, 0):+,.0f} {w.unit('output')}"
            for r in plan.regions}
    legend = [(colours[c], w.name("chain", c)) for c in plan.chains if c in set(main.values())]
    return maps.choropleth(drawn, fills, tips, w("one_map"), legend,
                           overlay=maps.triangles(drawn, va), label=_labelled(va))


def _tasks(plan: Plan) -> str:
    w = plan.words
    summary = w.columns(plan.region_summary)
    return h.section(w("tasks"), h.table(tasks_by_region(plan), collapsed_over=10**6,
                                         cls="tasks"),
                     f"<h3>{html.escape(w('value_added'))}</h3>",
                     h.table(summary.drop(columns=[w("region_code")]), collapsed_over=10**6))


def _chain_maps(plan: Plan, drawn: maps.Canvas) -> str:
    w = plan.words
    a = _layouts(plan)
    unit = w.unit("output")
    parts = [_schematic_note(plan, drawn)]
    for chain in plan.chains:
        rows = a[a["chain"] == chain]
        if rows.empty:
            continue
        today = rows.groupby("region")["current_output"].sum().to_dict()
        after = rows.groupby("region")["output"].sum().to_dict()
        change = {r: after.get(r, 0.0) - today.get(r, 0.0) for r in set(today) | set(after)}
        name = w.name("chain", chain)
        figures = []
        for key, values, scale in (("map_today", today, maps.sequential),
                                   ("map_optimised", after, maps.sequential),
                                   ("map_change", change, maps.diverging)):
            fills, legend = scale(values, unit)
            tips = {r: f"{w.name('region', r)}: {values.get(r, 0):,.0f} {unit}"
                    for r in plan.regions}
            svg = maps.choropleth(drawn, fills, tips, f"{name}: {w(key)}", legend,
                                  label=_labelled(values, 6))
            figures.append(_figure(svg, f"{name} — {w(key)}"))
        parts += [f"<h3>{html.escape(name)}</h3>",
                  h.para(w("chain_map_caption", chain=name, unit=unit)),
                  f'<div class="maps">{"".join(figures)}</div>']
    return h.section(w("chain_maps"), *parts)


def _roles(plan: Plan, drawn: maps.Canvas) -> str:
    w = plan.words
    colours = maps.chain_colours(plan.chains)
    figures = []
    for key, column in (("map_today", "current_output"), ("map_optimised", "output")):
        main = main_chain(plan, column)
        stage = main_stage(plan, column, main)
        fills = {r: colours[c] for r, c in main.items() if c in colours}
        tips = {r: f"{w.name('region', r)}: {w.name('chain', main.get(r, ''))}, "
                   f"{w.name('stage', stage.get(r, ''))}" for r in main}
        legend = [(colours[c], w.name("chain", c)) for c in plan.chains if c in set(main.values())]
        a = _layouts(plan)
        size = a.groupby("region")[column].sum().to_dict()
        tags = {r: f"·{w.name('stage', s)}" for r, s in stage.items()}
        svg = maps.choropleth(drawn, fills, tips, w(key), legend, label=_labelled(size),
                              tags=tags)
        figures.append(_figure(svg, w(key)))
    return h.section(w("roles"), h.para(w("role_caption")), _schematic_note(plan, drawn),
                     f'<div class="maps">{"".join(figures)}</div>')


def supplier_pairs(plan: Plan, chain: str) -> list[tuple[str, str]]:
    """For every link of the chain and every optimised user host, its nearest supplier host
    within the link's reach."""
    if plan.instance is None:
        return []
    inst = plan.instance
    a = _layouts(plan)
    hosts = a[a["output"] > 0].groupby("segment")["region"].apply(list).to_dict()
    links = inst.tables["links"]
    seg_chain = inst.chain_of()
    coords = maps.coordinates(plan.instance)
    given = _distances(inst)
    pairs = []
    for s, t, reach in zip(links["supplier"], links["user"], links["reach"], strict=True):
        if seg_chain.get(t) != chain:
            continue
        for user in hosts.get(t, []):
            options = [(given.get((user, r)) or _km(coords, user, r), r)
                       for r in hosts.get(s, [])]
            options = [(d, r) for d, r in options if d is not None and d <= reach]
            if options:
                pairs.append((min(options)[1], user))
    return sorted(set(pairs))


def _distances(instance) -> dict[tuple[str, str], float]:
    frame = instance.tables.get("distances")
    if frame is None or frame.empty:
        return {}
    out = {}
    for a, b, d in zip(frame["region_from"], frame["region_to"], frame["distance"], strict=True):
        out[(a, b)] = out[(b, a)] = float(d)
    return out


def _km(coords: dict[str, tuple[float, float]], a: str, b: str) -> float | None:
    if a == b:
        return 0.0
    if a not in coords or b not in coords:
        return None
    (lon1, lat1), (lon2, lat2) = coords[a], coords[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(x)))


def _links(plan: Plan, drawn: maps.Canvas) -> str:
    w = plan.words
    a = _layouts(plan)
    totals = a.groupby("chain")["output"].sum()
    if totals.empty:
        return ""
    chosen = plan.cache.get("links_chain")
    chain = chosen if chosen in totals.index else str(totals.idxmax())
    colours = maps.chain_colours(plan.chains)
    after = a[a["chain"] == chain].groupby("region")["output"].sum().to_dict()
    fills, legend = maps.sequential(after, w.unit("output"))
    pairs = supplier_pairs(plan, chain)
    name = w.name("chain", chain)
    svg = maps.choropleth(drawn, fills, {r: w.name("region", r) for r in plan.regions},
                          name, legend, overlay=maps.lines(drawn, pairs, colours.get(chain,
                                                                                   "#333")),
                          label=_labelled(after, 8))
    return h.section(w("links_map"), _schematic_note(plan, drawn),
                     _figure(svg, w("links_caption", chain=name)))


def _duplication(plan: Plan) -> str:
    w = plan.words
    measures = plan.summary.get("measures") or {}
    cur = (measures.get("current") or {}).get("hosts_per_segment") or {}
    opt = (measures.get("optimised") or {}).get("hosts_per_segment") or {}
    rows = [(w.name("segment", s), float(cur.get(s, 0)), float(opt.get(s, 0)))
            for s in dict.fromkeys([*cur, *opt])]
    svg = bars.paired_bars(rows, (w("today"), w("optimised")), w("hosts_chart"))
    return h.section(w("duplication"), _figure(svg, w("hosts_chart")))


def _value_added(plan: Plan) -> str:
    w = plan.words
    rs = plan.region_summary
    if "va_change" not in rs:
        return ""
    change = rs.dropna(subset=["va_change"]).sort_values("va_change", ascending=False)
    shown = pd.concat([change.head(TOP_N), change.tail(TOP_N)]).drop_duplicates("region_code")
    shown = shown[shown["va_change"].abs() > 1e-9]
    rows = [(str(r), float(v)) for r, v in zip(shown["region"], shown["va_change"], strict=True)]
    title = w("va_chart", unit=w.unit("output"))
    return h.section(w("value_added"), _figure(bars.signed_bars(rows, title), title))


def _similarity(plan: Plan) -> str:
    w = plan.words
    parts = []
    groups = plan.tables.get("group_similarity")
    if groups is not None and not groups.empty:
        frame = groups.copy()
        for column in ("group_a", "group_b"):
            if column in frame:
                frame[column] = frame[column].map(lambda v: w.name("group", v))
        frame = w.columns(frame)
        parts += [f"<h3>{html.escape(w('group_similarity'))}</h3>", h.table(frame)]
    matrix = plan.tables.get("similarity_optimised")
    if matrix is not None and not matrix.empty:
        parts += [f"<h3>{html.escape(w('top_pairs'))}</h3>", h.table(top_pairs(matrix, w))]
    return h.section(w("similarity"), *parts) if parts else ""


def top_pairs(matrix: pd.DataFrame, w, n: int = TOP_N) -> pd.DataFrame:
    """The n most similar region pairs: a sorted list says what an n² heatmap would."""
    values = matrix.to_numpy(float)
    ids = [str(i) for i in matrix.index]
    cols = [str(c) for c in matrix.columns]
    found = []
    for i in range(len(ids)):
        for j in range(len(cols)):
            if cols[j] > ids[i] and math.isfinite(values[i, j]):
                found.append((values[i, j], ids[i], cols[j]))
    found.sort(reverse=True)
    return pd.DataFrame([{w("pair"): f"{w.name('region', a)} – {w.name('region', b)}",
                          w("value"): round(v, 3)} for v, a, b in found[:n]])


def named_chains(plan: Plan, translate: bool = True) -> pd.DataFrame:
    """chains.csv with each chain's name beside its code, yes/no in words."""
    frame = plan.tables["chains"].copy()
    w = plan.words
    frame = frame.rename(columns={"chain": "chain_code"})
    frame.insert(1, "chain", [w.name("chain", c) for c in frame["chain_code"]])
    for column in frame.columns:
        if column.startswith("complete_"):
            frame[column] = frame[column].map(lambda v: w("yes") if str(v) == "True"
                                              else w("no") if str(v) == "False" else v)
        elif column.startswith("unhosted_"):
            frame[column] = frame[column].map(
                lambda v: ", ".join(w.name("segment", x) for x in str(v).split(", ") if x)
                if isinstance(v, str) else "")
    return w.columns(frame) if translate else frame


def _honesty(plan: Plan) -> str:
    w, s = plan.words, plan.summary
    head, changes = scenario_lines(s, w)
    term_rows = term_table(s, w)
    description = plan.instance.settings.description if plan.instance else ""
    message = s.get("message", "") if w.lang == "en" else ""  # the solver speaks English
    return h.section(w("honesty"), h.para(status_line(s, w)), h.para(message),
                     f'<p class="basis">{html.escape(basis_line(s, w))}</p>',
                     f"<h3>{html.escape(w('scenario'))}</h3>", h.para(head),
                     h.bullets(changes),
                     f"<h3>{html.escape(w('assumptions'))}</h3>",
                     h.table(assumptions(s, plan.instance, w)),
                     h.table(term_rows) if not term_rows.empty else "",
                     f"<h3>{html.escape(w('data_caveat'))}</h3>", h.para(description))
