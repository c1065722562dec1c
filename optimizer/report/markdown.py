"""report.md: the same content as the page, as Markdown, in the report's language, with names
rather than codes."""

from __future__ import annotations

import pandas as pd

from optimizer.report.i18n import fmt_number
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

FILES = {"en": "Files: `allocation.csv` (long form), `allocation_matrix.csv`, `regions.csv`, "
               "`chains.csv`, `location_quotients.csv`, `similarity_*.csv`, "
               "`group_similarity.csv`, `summary.json`, `solver.log`; report.html, report.xlsx "
               "and report.docx hold the maps and the workbook.",
         "zh": "文件：`allocation.csv`（明细）、`allocation_matrix.csv`、`regions.csv`、"
               "`chains.csv`、`location_quotients.csv`、`similarity_*.csv`、"
               "`group_similarity.csv`、`summary.json`、`solver.log`；地图与工作簿见 "
               "report.html、report.xlsx 与 report.docx。"}


def md_table(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return ""
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [fmt_number(v) if isinstance(v, int | float) and not isinstance(v, bool)
                 else ("" if v is None else str(v)) for v in row]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def markdown_report(plan: Plan) -> str:
    from optimizer.report.page import levers_of, measure_display, named_chains

    w, s = plan.words, plan.summary
    head, changes = scenario_lines(s, w)
    description = plan.instance.settings.description.strip() if plan.instance else ""
    check = verification_lines(s, w)
    parts = [f"# {w('report_title', name=s.get('instance', ''))}", "",
             f"**{status_line(s, w)}**" + (f" — {s.get('message', '')}" if w.lang == "en"
                                            else ""), "",
             *([check[0], "", *[f"- {c}" for c in check[1:]], ""] if check else []),
             f"**{basis_line(s, w)}**", "", head, "", *[f"- {c}" for c in changes],
             "" if changes else "", description, ""]
    if s.get("findings"):
        parts += [f"## {w('findings')}", "", *[f"- {f}" for f in s["findings"]], ""]
    parts += [f"## {w('overview')}", "", md_table(measure_display(plan)), ""]
    if plan.solved:
        rs = plan.region_summary.drop(columns=["region_code"])
        parts += [f"## {w('tasks')}", "", md_table(compact_tasks(plan.tasks, w)), "",
                  f"## {w('value_added')}", "",
                  md_table(w.columns(rs)), ""]
    if "chains" in plan.tables:
        parts += [f"## {w('chains')}", "", md_table(named_chains(plan)), ""]
    groups = plan.tables.get("group_similarity")
    if groups is not None and not groups.empty:
        frame = groups.copy()
        for column in ("group_a", "group_b"):
            if column in frame:
                frame[column] = frame[column].map(lambda v: w.name("group", v))
        parts += [f"## {w('group_similarity')}", "",
                  md_table(w.columns(frame)), ""]
    for part in levers_of(plan):
        parts += [f"## {w(part.key)}", ""]
        for text in [*part.notes, *(md_table(t) for t in part.shown)]:
            parts += [text, ""]
    term_rows = term_table(s, w)
    parts += [f"## {w('assumptions')}", "", md_table(assumptions(s, plan.instance, w)), "",
              md_table(term_rows), "", FILES[w.lang], ""]
    return "\n".join(parts)
