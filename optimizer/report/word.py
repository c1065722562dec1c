"""report.docx (python-docx): the run as 汇报材料 — summary, the plan on one map, the task list
per region, value added and compensation, then the data basis, assumptions and caveats.

Word cannot show the page's inline SVG, so the one map is drawn again as a PNG
(optimizer/report/raster.py), its legend a table of shaded cells.
"""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import escape

import pandas as pd

from optimizer.report import maps
from optimizer.report.i18n import fmt_number
from optimizer.report.levers import Part
from optimizer.report.page import (
    canvas_of,
    levers_of,
    main_chain,
    measure_display,
    tasks_by_region,
)
from optimizer.report.plan import (
    Plan,
    assumptions,
    basis_line,
    scenario_lines,
    status_line,
    verification_lines,
)

HEADINGS = {"en": ("1. Summary", "2. The plan on one map", "3. Task list per region",
                   "4. Value added and compensation", "5. Data basis, assumptions and caveats"),
            "zh": ("一、总体情况", "二、优化方案一张图", "三、各地区任务清单",
                   "四、增加值变化与利益补偿", "五、数据基础、假设与说明")}


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
    for text in (status_line(s, w), *verification_lines(s, w), basis_line(s, w), head,
                 *changes):
        doc.add_paragraph(text)
    if s.get("findings"):
        for finding in s["findings"]:
            doc.add_paragraph(finding, style="List Bullet")
    _table(doc, measure_display(plan))
    if plan.solved:
        doc.add_heading(h[1], level=1)
        png, legend, schematic = map_png(plan)
        if png:
            doc.add_picture(io.BytesIO(png), width=Cm(15))
        if schematic:
            doc.add_paragraph(w("map_schematic"))
        _legend(doc, legend)
        doc.add_paragraph(w("one_map_caption").split("。")[0].split(". ")[0])
        doc.add_heading(h[2], level=1)
        _table(doc, tasks_by_region(plan))
        doc.add_heading(h[3], level=1)
        rs = plan.region_summary
        cols = [c for c in ("region", "va_today", "va_optimised", "va_change", "compensation")
                if c in rs]
        _table(doc, w.columns(rs[cols]))
    parts = levers_of(plan)
    _parts(doc, [p for p in parts if p.key != "prices"], w)
    doc.add_heading(h[4], level=1)
    doc.add_paragraph(basis_line(s, w))
    _table(doc, assumptions(s, plan.instance, w))
    _parts(doc, [p for p in parts if p.key == "prices"], w)
    if plan.instance is not None:
        doc.add_paragraph(plan.instance.settings.description.strip())
    for note in plan.notes:
        doc.add_paragraph(note)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _parts(doc, parts: list[Part], w) -> None:
    """Concentration, lagging regions, partnerships or shadow prices, each under its heading."""
    for part in parts:
        doc.add_heading(w(part.key), level=2)
        for note in part.notes:
            doc.add_paragraph(note)
        for frame in part.shown:
            _table(doc, frame)


def _legend(doc, legend: list[tuple[str, str]]) -> None:
    """Colour swatches (shaded cells) with the chain names beside them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    if not legend:
        return
    table = doc.add_table(rows=len(legend), cols=2)
    for row, (colour, text) in zip(table.rows, legend, strict=True):
        shade = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{colour.lstrip("#")}"/>')
        row.cells[0]._tc.get_or_add_tcPr().append(shade)
        row.cells[1].text = text


def _table(doc, frame: pd.DataFrame) -> None:
    """A styled table: the header row through python-docx, the body as one piece of XML
    (cell by cell, python-docx takes most of the document's time on 357 cities)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    if frame is None or frame.empty:
        return
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Light Grid Accent 1"
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    widths = [c.get("w:w") for c in table._tbl.tblGrid.iterchildren()]
    rows = "".join("<w:tr>" + "".join(_cell_xml(v, w) for v, w in zip(rec, widths, strict=True))
                   + "</w:tr>" for rec in frame.itertuples(index=False))
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>").findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr"):
        table._tbl.append(row)


def _cell_xml(value: object, width: str) -> str:
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else (
        fmt_number(value) if isinstance(value, int | float) else str(value))
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p>{run}</w:p></w:tc>'


def map_png(plan: Plan) -> tuple[bytes | None, list[tuple[str, str]], bool]:
    """The one map (each region's main chain after optimisation) as a PNG for Word, its
    legend, and whether it is a schematic."""
    from optimizer.report.raster import png_map

    w = plan.words
    drawn = canvas_of(plan)
    colours = maps.chain_colours(plan.chains)
    main = main_chain(plan, "output")
    fills = {r: colours[c] for r, c in main.items() if c in colours}
    legend = [(colours[c], w.name("chain", c)) for c in plan.chains if c in set(main.values())]
    return png_map(drawn, fills), legend, drawn.schematic
