"""report.html and report.xlsx of an alternatives or a front folder.

Self-contained like the solve reports (inline CSS and SVG, no external file), built from the
same tables the folder's CSV files hold.
"""

from __future__ import annotations

import html
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.results.files import FORMULA_START, write_new_file

if TYPE_CHECKING:
    from optimizer.whatif.alternatives import AlternativeSet
    from optimizer.whatif.pareto import Front

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;
color:#222;line-height:1.45}h2{border-bottom:2px solid #4c78a8;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:left}
th{background:#4c78a8;color:#fff}td.num{text-align:right;font-variant-numeric:tabular-nums}
.map td{text-align:center;min-width:1.6rem;font-size:.75rem}.scroll{overflow-x:auto}
.always{background:#2f855a;color:#fff}.choice{background:#f6ad55}.never{background:#f7fafc}
.na{background:#e2e8f0;color:#a0aec0}
"""
ROBUSTNESS_CLASS = {"always": "always", "choice": "choice", "never": "never"}


def write_alternatives_pages(folder: Path, found: AlternativeSet,
                             tables: dict[str, pd.DataFrame]) -> list[Path]:
    """The alternatives, the robustness map and what is settled, as a page and a workbook."""
    robust = tables["robustness"]
    counts = robust["robustness"].value_counts().to_dict()
    intro = (f"{found.instance_name}: the optimum and {len(found.alternatives)} alternatives "
             f"within {found.slack:.2%} of it, each chosen to differ most in its hosts from "
             f"the optimum and the alternatives before it. "
             f"{counts.get('always', 0)} region-segment pairs are hosted in every layout, "
             f"{counts.get('never', 0)} in none, {counts.get('choice', 0)} in some.")
    if found.stopped:
        intro += f" Fewer alternatives than asked: {found.stopped}."
    links = "".join(f'<li><a href="{x.label}/report.html">{x.label}</a></li>'
                    for x in found.layouts)
    sections = [
        _section("Alternatives", _para(intro), _table(tables["alternatives"].drop(
            columns=["hosts_added", "hosts_removed"])), f"<ul>{links}</ul>"),
        _section("Robustness map", _para(
            "Share of the layouts that host each region-segment pair: dark green is hosted in "
            "every layout (settled), orange in some (a free choice within the slack), pale "
            "in none; grey cannot host."), _robustness_map(robust)),
        _section("Pairs that are a choice", _table(
            robust[robust["robustness"] == "choice"].drop(columns=["in_optimum"]))),
    ]
    sheets = {"alternatives": tables["alternatives"], "robustness": robust,
              "robustness_map": _map_frame(robust)}
    return _write(folder, f"{found.instance_name}: near-optimal alternatives", sections, sheets)


def write_front_pages(folder: Path, front: Front, table: pd.DataFrame, svg: str) -> list[Path]:
    """The front as a chart and a table, as a page and a workbook."""
    w = front.weighted.terms
    held = ", ".join(f"{t} <= {v:,.6g}" for t, v in front.held.items())
    text = (f"{front.instance_name}: {len(front.points)} points between the two lexicographic "
            f"optima, least {front.first} (left) to least {front.second} (right). The "
            f"instance's weighted optimum (the star) has {front.first} "
            f"{w[front.first]['value']:,.6g} and {front.second} "
            f"{w[front.second]['value']:,.6g}. " + (
                f"The instance's other objective terms are held at most at the weighted "
                f"optimum's values: {held}." if held else
                "The instance's other objective terms are free along the front, so the "
                "weighted optimum, which also pays for them, may lie above it."))
    dropped = "".join(f"<li>cap {d['epsilon']}: {html.escape(d['why'])}</li>"
                      for d in front.dropped)
    sections = [_section("Trade-off front", _para(text), svg, _table(table),
                         f"<p>Caps that gave no new point:</p><ul>{dropped}</ul>"
                         if dropped else "")]
    return _write(folder, f"{front.instance_name}: {front.first} against {front.second}",
                  sections, {"front": table})


def _write(folder: Path, title: str, sections: list[str], sheets: dict[str, pd.DataFrame]
           ) -> list[Path]:
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
            f"{html.escape(title)}</title><style>{CSS}</style></head><body>\n"
            f"<h1>{html.escape(title)}</h1>\n" + "\n".join(sections) + "\n</body></html>\n")
    return [write_new_file(folder / "report.html", page),
            write_new_file(folder / "report.xlsx", _workbook(sheets))]


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>\n" + "\n".join(p for p in parts if p) + \
        "</section>"


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return "<td></td>"
        text = f"{value:,.4g}" if isinstance(value, float) else f"{value:,}"
        return f'<td class="num">{text}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return _para("(none)")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<div class="scroll"><table><tr>{head}</tr>{rows}</table></div>'


def _map_frame(robust: pd.DataFrame) -> pd.DataFrame:
    """Regions x segments, the share of layouts hosting each pair (blank: cannot host)."""
    return robust.pivot_table(index="region", columns="segment", values="share",
                              aggfunc="first", sort=False).reset_index()


def _robustness_map(robust: pd.DataFrame) -> str:
    label = {(r, s): (x, share) for r, s, x, share in
             zip(robust["region"], robust["segment"], robust["robustness"], robust["share"],
                 strict=True)}
    regions = list(dict.fromkeys(robust["region"]))
    segments = list(dict.fromkeys(robust["segment"]))
    head = "<th>region</th>" + "".join(f'<th title="{html.escape(s)}">{html.escape(s)}</th>'
                                       for s in segments)
    rows = []
    for r in regions:
        cells = []
        for s in segments:
            if (r, s) not in label:
                cells.append('<td class="na"></td>')
                continue
            kind, share = label[(r, s)]
            cells.append(f'<td class="{ROBUSTNESS_CLASS[kind]}" title="{html.escape(r)} '
                         f'{html.escape(s)}: {kind}, {share:.0%}">'
                         f'{"" if kind == "never" else f"{share:.0%}"}</td>')
        rows.append(f"<tr><th>{html.escape(r)}</th>{''.join(cells)}</tr>")
    return f'<div class="scroll"><table class="map"><tr>{head}</tr>{"".join(rows)}</table></div>'


def _workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; text Excel would run as a formula is kept as text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            for row in writer.sheets[name[:31]].iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                        cell.data_type, cell.quotePrefix = "s", True
    return buffer.getvalue()
