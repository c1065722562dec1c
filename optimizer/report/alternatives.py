"""report.html and report.xlsx of an alternatives folder and of a trade-off front folder.

Built from the folder's own files (alternatives.csv, robustness.csv, front.csv, manifest.json),
so `optimizer report DIR` rebuilds them later and they show exactly what the CSV files hold.
In English or Chinese, with region, segment and chain names instead of codes; the robustness
map is drawn on the instance's outlines (optimizer/report/maps.py).
"""

from __future__ import annotations

import html
import io
import math
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.instance.safe_text import PLAIN_CHART_TEXT
from optimizer.report import html as h
from optimizer.report import maps
from optimizer.report.excel import workbook_bytes
from optimizer.report.i18n import Words, fmt_number, language
from optimizer.report.page import PRINT_CSS
from optimizer.results.files import read_csv, write_new_files
from optimizer.results.record import read_json

ALTERNATIVES, FRONT = "alternatives", "front"
OPTIMUM_FOLDER, WEIGHTED_FOLDER = "optimum", "weighted_optimum"
# robustness label -> (cell fill, text colour); the grid and the workbook use the same
GRID = {"always": ("#2f855a", "#ffffff"), "choice": ("#f6ad55", "#222222"),
        "never": ("#f7fafc", "#222222")}
CANNOT_HOST = "#e2e8f0"
FRONT_COLOUR, STAR_COLOUR = "#2b6cb0", "#c53030"


def kind_of(folder: Path) -> str | None:
    """`alternatives` or `front` if the folder is one written by those commands, else None."""
    manifest = read_json(Path(folder) / "manifest.json") or {}
    return next((k for k in (ALTERNATIVES, FRONT) if isinstance(manifest.get(k), dict)), None)


def write_many_reports(folder: Path, instance: Instance | None = None,
                       lang: str | None = None) -> list[Path]:
    """Add report.html and report.xlsx to an alternatives or a front folder."""
    folder = Path(folder)
    kind = kind_of(folder)
    if kind is None:
        raise UserError(f"{folder} is neither an alternatives nor a trade-off front folder")
    build = alternatives_report if kind == ALTERNATIVES else front_report
    page, book = build(folder, instance, lang)
    return write_new_files(folder, {"report.html": page, "report.xlsx": book})


def _words(folder: Path, sub: str, instance: Instance | None, lang: str | None
           ) -> tuple[Words, Instance | None, list[str]]:
    """The report's words, and the instance (given, else the one a run folder records)."""
    notes: list[str] = []
    if instance is None and (folder / sub / "summary.json").is_file():
        from optimizer.results.record import read_run

        run = read_run(folder / sub, tables=())
        instance = run.instance  # rebuilt from what the run records
        notes += run.notes
    return Words(language(lang, None, instance), instance), instance, notes


def _table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = read_csv(folder / f"{name}.csv", columns=columns)
    if frame is None:
        raise UserError(f"{folder} has no {name}.csv; was it written by an older version?")
    return frame


def _pct(value: object) -> str:
    return "–" if not isinstance(value, int | float) or not math.isfinite(value) \
        else f"{value:.2%}"


def _display(frame: pd.DataFrame, w: Words) -> pd.DataFrame:
    """Column headers in the report's language; term columns by the term's name."""
    return frame.rename(columns={c: w(c) for c in frame.columns})


def _links(w: Words, labels: list[str]) -> str:
    items = "".join(f'<li><a href="{html.escape(x)}/report.html">{html.escape(x)}</a></li>'
                    for x in labels)
    return f"<p>{html.escape(w('alt_links'))}</p><ul>{items}</ul>"


# ---------------------------------------------------------------------------- alternatives


def alternatives_report(folder: Path, instance: Instance | None = None,
                        lang: str | None = None) -> tuple[str, bytes]:
    """The alternatives, what is settled across them and the robustness map."""
    info = (read_json(folder / "manifest.json") or {})[ALTERNATIVES]
    table = _table(folder, "alternatives", ("alternative", "objective", "gap_to_optimum"))
    robust = _table(folder, "robustness", ("region", "segment", "share", "robustness"))
    w, instance, notes = _words(folder, OPTIMUM_FOLDER, instance, lang)
    robust = robust.assign(region=robust["region"].astype(str),
                           segment=robust["segment"].astype(str))
    counts = robust["robustness"].value_counts().to_dict()
    lead = [w("alt_lead", k=info.get("found", len(table) - 1), slack=_pct(info.get("slack"))),
            w("alt_settled", always=counts.get("always", 0), never=counts.get("never", 0),
              choice=counts.get("choice", 0)), w("alt_search")]
    if info.get("stopped"):
        lead.append(w("alt_stopped", why=info["stopped"]))
    regions = _regions(robust, instance)
    drawn = maps.canvas(instance, {r: w.name("region", r) for r in regions}, regions,
                        maps.coordinates(instance))
    shown = _alternatives_shown(table, w)
    sections = [
        h.section(w("alt_table"), *(h.para(t) for t in lead), h.table(shown),
                  _links(w, table["alternative"].astype(str).tolist())),
        h.section(w("robust_maps"), _robustness_maps(robust, drawn, w)),
        h.section(w("robust_grid"), h.para(w("robust_grid_caption")), _grid(robust, w)),
        h.section(w("choice_pairs"), h.table(_named_pairs(
            robust[robust["robustness"] == "choice"], w), title=w("choice_pairs"))),
    ]
    if notes:
        sections.append(h.section(w("notes"), h.bullets(notes, "note")))
    title = w("alt_title", name=info.get("instance", ""))
    page = h.page(title, "", sections, w.lang, maps.definitions(drawn), PRINT_CSS)
    sheets = {w("sheet_alternatives"): shown, w("sheet_pairs"): _named_pairs(robust, w),
              w("robust_sheet"): _grid_frame(robust, w)}
    return page, _coloured(workbook_bytes(sheets), w("robust_sheet"), robust, w)


def _regions(robust: pd.DataFrame, instance: Instance | None) -> list[str]:
    """Every region of the instance in its order (those that can host nothing too)."""
    if instance is not None:
        return [str(r) for r in instance.tables["regions"]["region"]]
    return list(dict.fromkeys(robust["region"]))


def _alternatives_shown(table: pd.DataFrame, w: Words) -> pd.DataFrame:
    """The alternatives table as planners read it: percentages, terms named, lists left out."""
    shown = table.drop(columns=[c for c in ("hosts_added", "hosts_removed", "folder")
                                if c in table.columns])
    shown = shown.assign(gap_to_optimum=shown["gap_to_optimum"].map(_pct))
    for column in ("status", "distance_search"):
        if column in shown:
            shown[column] = shown[column].map(lambda s: "" if pd.isna(s) else w.short_status(s))
    if "distance_search_gap" in shown:
        shown = shown.assign(distance_search_gap=shown["distance_search_gap"].map(
            lambda v: "" if not isinstance(v, float) or math.isnan(v) else _pct(v)))
    return _display(shown, w)


def _named_pairs(pairs: pd.DataFrame, w: Words) -> pd.DataFrame:
    """Region, segment and chain by name (codes kept), the share and the label translated."""
    named = pd.DataFrame({
        "region_code": pairs["region"], "region": [w.name("region", r) for r in pairs["region"]],
        "segment_code": pairs["segment"],
        "segment": [w.name("segment", s) for s in pairs["segment"]]})
    if "chain" in pairs:
        named["chain"] = [w.name("chain", c) for c in pairs["chain"]]
    for column in ("hosted_today", "in_optimum"):
        if column in pairs:
            named[column] = [w("yes") if str(x).lower() == "true" else w("no")
                             for x in pairs[column]]
    for column in ("layouts_hosting", "share"):
        if column in pairs:
            named[column] = pairs[column].to_numpy()
    named["robustness"] = [w(x) for x in pairs["robustness"]]
    return _display(named.reset_index(drop=True), w)


def _robustness_maps(robust: pd.DataFrame, drawn: maps.Canvas, w: Words) -> str:
    """Two choropleths: per region, the pairs settled as hosted, and the pairs left a choice."""
    if drawn.empty:
        return h.para(w("map_no_coords"), "note")
    by_region = robust.groupby("region")["robustness"].value_counts().unstack(fill_value=0)
    figures = []
    for label, key in (("always", "robust_always_map"), ("choice", "robust_choice_map")):
        values = {str(r): float(n) for r, n in by_region.get(label, pd.Series()).items()}
        fills, legend = maps.sequential(values, "")
        tips = {r: f"{w.name('region', r)}: {w(key)} {fmt_number(values.get(r, 0))}"
                for r in drawn.regions}
        svg = maps.choropleth(drawn, fills, tips, w(key), legend)
        figures.append(f"<figure>{svg}<figcaption>{html.escape(w(key))}</figcaption></figure>")
    note = h.para(w("map_schematic"), "note") if drawn.schematic else ""
    return (f'<div class="maps">{"".join(figures)}</div>' + note
            + h.para(w("robust_map_caption")))


def _grid(robust: pd.DataFrame, w: Words) -> str:
    """Regions x segments, each cell coloured by its label, with the share hosting it."""
    cells = {(r, s): (x, share) for r, s, x, share in zip(
        robust["region"], robust["segment"], robust["robustness"], robust["share"], strict=True)}
    regions, segments = list(dict.fromkeys(robust["region"])), list(dict.fromkeys(
        robust["segment"]))
    head = f"<th>{html.escape(w('region'))}</th>" + "".join(
        f'<th title="{html.escape(w.name("segment", s))}">{html.escape(w.name("segment", s))}'
        "</th>" for s in segments)
    rows = []
    for r in regions:
        out = []
        for s in segments:
            if (r, s) not in cells:
                out.append(f'<td style="background:{CANNOT_HOST}"></td>')
                continue
            label, share = cells[(r, s)]
            fill, ink = GRID[label]
            tip = f"{w.name('region', r)} · {w.name('segment', s)}: {w(label)}, {share:.0%}"
            out.append(f'<td style="background:{fill};color:{ink};text-align:center" '
                       f'title="{html.escape(tip)}">{"" if label == "never" else f"{share:.0%}"}'
                       "</td>")
        rows.append(f'<tr><th style="white-space:nowrap">{html.escape(w.name("region", r))}'
                    f"</th>{''.join(out)}</tr>")
    return (f'<div class="scroll"><table style="font-size:.75rem"><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")


def _grid_frame(robust: pd.DataFrame, w: Words) -> pd.DataFrame:
    """The grid as a sheet: regions down, segments across, the share of layouts hosting."""
    grid = robust.pivot_table(index="region", columns="segment", values="share",
                              aggfunc="first", sort=False)
    grid.index = [w.name("region", r) for r in grid.index]
    grid.columns = [w.name("segment", s) for s in grid.columns]
    return grid.rename_axis(w("region")).reset_index()


def _coloured(book: bytes, sheet: str, robust: pd.DataFrame, w: Words) -> bytes:
    """Colour the grid sheet's cells as the page does (openpyxl, on the finished workbook)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font, PatternFill

    workbook = load_workbook(io.BytesIO(book))
    ws = workbook[sheet[:31]]
    label = {(w.name("region", r), w.name("segment", s)): x for r, s, x in zip(
        robust["region"], robust["segment"], robust["robustness"], strict=True)}
    segments = [c.value for c in ws[1]][1:]
    for row in ws.iter_rows(min_row=2):
        for cell, segment in zip(row[1:], segments, strict=True):
            kind = label.get((row[0].value, segment))
            fill, ink = GRID[kind] if kind else (CANNOT_HOST, "#222222")
            cell.fill = PatternFill("solid", fgColor=fill.lstrip("#").upper())
            cell.font = Font(color=ink.lstrip("#").upper())
            cell.number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- fronts


def front_report(folder: Path, instance: Instance | None = None, lang: str | None = None
                 ) -> tuple[str, bytes]:
    """The front as a chart (the weighted optimum marked) and a table, with its caveats."""
    info = (read_json(folder / "manifest.json") or {})[FRONT]
    first, second = info["terms"]
    table = _table(folder, "front", ("point", f"term_{first}", f"term_{second}", "status"))
    w, instance, notes = _words(folder, WEIGHTED_FOLDER, instance, lang)
    a, b = w(f"term_{first}"), w(f"term_{second}")
    weighted = info.get("weighted_optimum") or {}
    lead = [w("front_lead", n=len(table), a=a, b=b),
            w("front_weighted", a=a, b=b, va=fmt_number(weighted.get(first)),
              vb=fmt_number(weighted.get(second)))]
    held = info.get("other_terms_held_at") or {}
    lead.append(w("front_held", held=w.join(f"{w(f'term_{t}')} ≤ {fmt_number(v)}"
                                            for t, v in held.items()))
                if held else w("front_free"))
    limited = table[table["status"] != "optimal"]
    if not limited.empty:
        lead.append(w("front_limited", n=len(limited), gap=_pct(limited["mip_gap"].max())))
    dropped = [f"{fmt_number(d.get('epsilon'))}: {_dropped_reason(d, w, a, b)}"
               for d in info.get("dropped") or []]
    svg = front_chart(table, first, second, weighted, w, info.get("instance", ""),
                      info.get("units"))
    shown = _front_shown(table, first, second, w)
    sections = [h.section(w("front_chart"), *(h.para(t) for t in lead),
                          f"<figure>{svg}<figcaption>{html.escape(w('front_chart'))}"
                          "</figcaption></figure>",
                          (h.para(w("front_dropped")) + h.bullets(dropped)) if dropped else ""),
                h.section(w("front_points"), h.table(shown),
                          _links(w, table["point"].astype(str).tolist() + [WEIGHTED_FOLDER]))]
    if notes:
        sections.append(h.section(w("notes"), h.bullets(notes, "note")))
    title = w("front_title", name=info.get("instance", ""), a=a, b=b)
    page = h.page(title, "", sections, w.lang, css=PRINT_CSS)
    sheet = w("front_points")
    return page, _front_chart_sheet(workbook_bytes({sheet: shown}), sheet, len(table),
                                    list(shown.columns), (w(f"term_{first}"),
                                                          w(f"term_{second}")), weighted,
                                    (first, second), w)


def _dropped_reason(dropped: dict, w: Words, a: str, b: str) -> str:
    """Why a cap gave no point, in the report's language (the manifest's English otherwise)."""
    reason = dropped.get("reason")
    if reason is None:  # a front written before reasons had codes
        return str(dropped.get("why", ""))
    return w(f"dropped_{reason}", status=w.short_status(dropped.get("status")), a=a, b=b)


def _front_shown(table: pd.DataFrame, first: str, second: str, w: Words) -> pd.DataFrame:
    """The points with the two terms first, then every other term, status and gap."""
    lead = ["point", "kind", f"term_{first}", f"term_{second}"]
    rest = [c for c in table.columns if c not in lead and c != "folder"]
    shown = table[[c for c in lead + rest if c in table.columns]]
    kinds = {f"end_{first}": w("end_first", a=w(f"term_{first}")),
             f"end_{second}": w("end_first", a=w(f"term_{second}")), "interior": w("interior")}
    shown = shown.assign(kind=shown["kind"].map(lambda k: kinds.get(k, k)),
                         mip_gap=shown["mip_gap"].map(_pct),
                         status=shown["status"].map(w.short_status))
    cap = f"{w('cap')} ({w(f'term_{second}')})"
    return _display(shown, w).rename(columns={f"cap_{second}": cap})


def _axis(w: Words, name: str, units: dict[str, str]) -> str:
    """The term's name, with its unit when it is one the planner's words know (亿元)."""
    text = units.get(name, "")
    unit = w.short_unit(text)
    return f"{w(f'term_{name}')} ({unit})" if unit and unit != text else w(f"term_{name}")


def front_chart(table: pd.DataFrame, first: str, second: str, weighted: dict, w: Words,
                name: str = "", units: dict[str, str] | None = None) -> str:
    """The front as an SVG chart: points joined, those stopped at the time limit hollow, the
    weighted optimum a star. Text stays text, so the browser draws 亿元 in its own font."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    units = units or {}
    x, y = table[f"term_{first}"].to_numpy(float), table[f"term_{second}"].to_numpy(float)
    proven = (table["status"] == "optimal").to_numpy()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "front",
                                 **PLAIN_CHART_TEXT}), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs: the browser draws them
        fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=100)
        ax.plot(x, y, "-", color=FRONT_COLOUR, label=w("front_curve"))
        ax.plot(x[proven], y[proven], "o", color=FRONT_COLOUR)
        if (~proven).any():
            ax.plot(x[~proven], y[~proven], "o", markerfacecolor="white",
                    color=FRONT_COLOUR, label=w("front_open"))
        if first in weighted and second in weighted:
            ax.plot([weighted[first]], [weighted[second]], "*", color=STAR_COLOUR,
                    markersize=14, label=w("front_star"))
        ax.set_xlabel(_axis(w, first, units))
        ax.set_ylabel(_axis(w, second, units))
        ax.set_title(w("front_title", name=name, a=w(f"term_{first}"), b=w(f"term_{second}")))
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
    text = buffer.getvalue()
    label = html.escape(w("front_chart"), quote=True)
    # classed and labelled like the report's other charts, for print CSS and screen readers
    return text[text.index("<svg"):].replace(
        "<svg ", f'<svg class="chart" role="img" aria-label="{label}" ', 1)


def _front_chart_sheet(book: bytes, sheet: str, rows: int, columns: list[str],
                       axes: tuple[str, str], weighted: dict, terms: tuple[str, str],
                       w: Words) -> bytes:
    """A scatter chart of the front beside its table, the weighted optimum its own series."""
    from openpyxl import load_workbook
    from openpyxl.chart import Reference, ScatterChart, Series

    workbook = load_workbook(io.BytesIO(book))
    ws = workbook[sheet[:31]]
    chart = ScatterChart()
    chart.title, chart.style, chart.height, chart.width = w("front_chart"), 13, 9, 16
    chart.x_axis.title, chart.y_axis.title = axes
    xs = Reference(ws, min_col=columns.index(axes[0]) + 1, min_row=2, max_row=rows + 1)
    ys = Reference(ws, min_col=columns.index(axes[1]) + 1, min_row=2, max_row=rows + 1)
    front = Series(ys, xs, title=w("front_curve"))
    front.marker.symbol = "circle"
    chart.series.append(front)
    if all(t in weighted for t in terms):
        at = rows + 3
        ws.cell(at, 1, w("front_star"))
        ws.cell(at, 2, weighted[terms[0]])
        ws.cell(at, 3, weighted[terms[1]])
        star = Series(Reference(ws, min_col=3, min_row=at), Reference(ws, min_col=2, min_row=at),
                      title=w("front_star"))
        star.marker.symbol, star.marker.size = "star", 12
        star.graphicalProperties.line.noFill = True
        chart.series.append(star)
    ws.add_chart(chart, f"B{rows + 6}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
