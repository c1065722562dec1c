"""report.docx (python-docx): the run as 汇报材料 — summary, the plan on one map, the task list
per region, value added and compensation, then the data basis, assumptions and caveats.

Word cannot show the page's inline SVG, so the one map is drawn again as a PNG with
matplotlib (imported here only, when the document is written).
"""

from __future__ import annotations

import io
import math

import pandas as pd

from optimizer.visual import maps
from optimizer.visual.i18n import fmt_number
from optimizer.visual.page import main_chain, measure_table
from optimizer.visual.plan import (
    Plan,
    assumptions,
    basis_line,
    compact_tasks,
    scenario_lines,
    status_line,
)

HEADINGS = {"en": ("1. Summary", "2. The plan on one map", "3. Task list per region",
                   "4. Value added and compensation", "5. Data basis, assumptions and caveats"),
            "zh": ("一、总体情况", "二、优化方案一张图", "三、各地区任务清单",
                   "四、增加值变化与利益补偿", "五、数据基础、假设与说明")}
CJK_FONTS = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei",
             "DejaVu Sans"]


def docx_bytes(plan: Plan) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    w, s = plan.words, plan.summary
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "Calibri"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    h = HEADINGS[w.lang]
    doc.add_heading(w("report_title", name=s.get("instance", "")), level=0)
    doc.add_heading(h[0], level=1)
    head, changes = scenario_lines(s, w)
    for text in (status_line(s, w), basis_line(s, w), head, *changes):
        doc.add_paragraph(text)
    if s.get("findings"):
        for finding in s["findings"]:
            doc.add_paragraph(finding, style="List Bullet")
    _table(doc, measure_table(plan))
    if plan.solved:
        doc.add_heading(h[1], level=1)
        png = map_png(plan)
        if png:
            doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.add_paragraph(w("one_map_caption"))
        doc.add_heading(h[2], level=1)
        _table(doc, compact_tasks(plan.tasks, w))
        doc.add_heading(h[3], level=1)
        rs = plan.region_summary
        cols = [c for c in ("region", "va_today", "va_optimised", "va_change", "compensation")
                if c in rs]
        _table(doc, rs[cols].rename(columns={c: w(c) for c in cols}))
    doc.add_heading(h[4], level=1)
    doc.add_paragraph(basis_line(s, w))
    _table(doc, assumptions(s, plan.instance, w))
    if plan.instance is not None:
        doc.add_paragraph(plan.instance.settings.description.strip())
    for note in plan.notes:
        doc.add_paragraph(note)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, frame: pd.DataFrame) -> None:
    if frame is None or frame.empty:
        return
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Light Grid Accent 1"
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    for rec in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, rec, strict=True):
            cell.text = "" if value is None or (isinstance(value, float) and math.isnan(
                value)) else (fmt_number(value) if isinstance(value, int | float) else str(value))


def map_png(plan: Plan) -> bytes | None:
    """The one map (each region's main chain after optimisation) as a PNG for Word."""
    import matplotlib
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Patch, Polygon

    w = plan.words
    geometry = maps.region_geometry(plan.instance)
    colours = maps.chain_colours(plan.chains)
    main = main_chain(plan, "output")
    patches, fills = [], []
    regions = plan.instance.tables["regions"] if plan.instance is not None else None
    for r in plan.regions:
        fill = colours.get(main.get(r, ""), maps.EMPTY)
        if geometry and r in geometry:
            for polygon in geometry[r]:
                patches.append(Polygon(polygon[0], closed=True))
                fills.append(fill)
        elif regions is not None:
            rec = regions[regions["region"] == r].iloc[0]
            if isinstance(rec["lon"], float) and math.isfinite(rec["lon"]):
                patches.append(Circle((rec["lon"], rec["lat"]), 0.15))
                fills.append(fill)
    if not patches:
        return None
    with matplotlib.rc_context({"font.sans-serif": CJK_FONTS}):
        fig = Figure(figsize=(7, 6), dpi=110, layout="constrained")
        ax = fig.subplots()
        ax.add_collection(PatchCollection(patches, facecolor=fills, edgecolor="#777777",
                                          linewidth=0.3))
        ax.autoscale_view()
        lat = sum(ax.get_ylim()) / 2
        ax.set_aspect(1 / max(math.cos(math.radians(lat)), 0.2))
        ax.set_axis_off()
        handles = [Patch(color=colours[c], label=w.name("chain", c)) for c in plan.chains
                   if c in set(main.values())]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                  frameon=False)
        if not geometry:
            ax.set_title(w("map_schematic"), fontsize=7, wrap=True)
        buffer = io.BytesIO()
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig.savefig(buffer, format="png")
    return buffer.getvalue()
