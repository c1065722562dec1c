"""report.html of `coordinate`, in English or Chinese: the dividend and who pays whom first,
then each group's costs and shares, every coalition planning alone, and the rules behind them.

Groups, regions, segments and chains by name; numbers are those of shares.csv, coalitions.csv
and summary.json (optimizer/whatif/coordinate.py). Inline SVG, no external file.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.report import html as h
from optimizer.report.i18n import TEXT, Words, fmt_number, language
from optimizer.report.page import PRINT_CSS

if TYPE_CHECKING:
    from optimizer.whatif.coordinate import Coordination

SERIES = (("alone", "#b0b0b0"), ("borne", "#6a9fd4"), ("share", "#e08a3c"))
LABELLED_UP_TO = 8  # groups whose bars carry their values


def coordination_page(run: Coordination, summary: dict, lang: str | None = None) -> str:
    w = Words(language(lang, None, run.instance), run.instance)
    name = _namer(run, w)
    title = w("coord_title", name=run.instance.name)
    sections = []
    if "error" in summary:
        sections.append(h.section(w("coord_reading"), h.para(summary["error"], "note")))
    else:
        a = run.analysis
        sentence = summary["sentence_zh" if w.lang == "zh" else "sentence_en"]
        sections.append(h.section(
            w("coord_reading"), f'<p class="lead">{html.escape(sentence)}</p>',
            h.para(w("coord_rule", rule=w(f"rule_{a['rule']}"), why=_why(a, w, name))),
            f"<figure>{_chart(run, w, name)}<figcaption>{html.escape(w('coord_chart'))}"
            "</figcaption></figure>",
            h.table(_facts(run, summary, w))))
        sections.append(h.section(w("coord_groups"), h.table(_groups(run, w, name))))
    sections.append(h.section(w("coord_coalitions"), h.table(_coalitions(run, w, name),
                                                             title=w("coord_coalitions"))))
    notes = [w(f"coord_incomplete_{run.settings.incomplete}"), w("coord_duplication")]
    if "planned_in_parts_means" in summary and summary.get("coalitions_planned_in_parts"):
        notes.append(w("coord_in_parts"))
    sections.append(h.section(w("notes"), h.bullets(notes, "note")))
    subtitle = html.escape(w("coord_subtitle", n=summary.get("coalitions_solved", 0),
                             mode=w(f"coord_mode_{run.mode}"), seconds=summary.get("seconds")))
    return h.page(title, subtitle, sections, w.lang, css=PRINT_CSS)


def _namer(run: Coordination, w: Words):
    """A group's name in the page's language (coordinate.label: names table, region names)."""
    from optimizer.whatif.coordinate import label

    return lambda g: label(run, g, w.lang)


def _why(a: dict, w: Words, name) -> str:
    if a["rule"] == "shapley":
        return w("why_shapley")
    if a["rule"] == "core_nearest_shapley":
        coalition, amount = a["violations"][0]
        return w("why_core", coalition=_coalition(coalition, name, w), amount=f"{amount:,.4g}")
    return w("why_least_core", epsilon=f"{a['least_core'].epsilon:,.4g}")


def _coalition(members, name, w: Words) -> str:
    return "+".join(name(g) for g in sorted(members))


def _facts(run: Coordination, summary: dict, w: Words) -> pd.DataFrame:
    unit = w.unit("cost")
    yes_no = {True: w("yes"), False: w("no")}
    rows = [("coord_sum_alone", f"{fmt_number(summary['sum_alone'])} {unit}"),
            ("coord_together", f"{fmt_number(summary['coordinated'])} {unit}"),
            ("coord_dividend", f"{fmt_number(summary['dividend'])} {unit} "
                               f"({summary['dividend_percent']:.2f} %)"),
            ("coord_shapley_in_core", yes_no[bool(summary["shapley_in_core"])]),
            ("coord_core_empty", yes_no[bool(summary["core_empty"])]),
            ("coord_epsilon", f"{summary['least_core_epsilon']:,.4g}"),
            ("coord_uncertainty", f"{summary['largest_value_uncertainty']:,.4g} {unit}"),
            ("coord_decided", w("yes") if summary["core_decided_at_this_gap"]
             else w("coord_undecided")),
            ("coord_solved", w("coord_solved_value", n=summary["coalitions_solved"],
                               mode=w(f"coord_mode_{summary['mode']}"),
                               gap=_gap(summary["largest_mip_gap"]))),
            ("coord_time", w("coord_time_value", seconds=summary["seconds"],
                             workers=summary["workers"]))]
    if run.sampled is not None:
        rows.append(("coord_orders", str(run.sampled.orders)))
    return pd.DataFrame([(w(k), v) for k, v in rows], columns=[w("measure"), w("value")])


def _gap(gap: float | None) -> str:
    return "–" if gap is None else f"{gap:.4%}"


GROUP_COLUMNS = ("regions", "cost_alone", "borne_in_coordinated_plan", "shapley_share",
                 "shapley_half_width_95", "core_point", "recommended_share", "transfer",
                 "net_cost", "gain_vs_alone")


def _groups(run: Coordination, w: Words, name) -> pd.DataFrame:
    """Per group: its cost alone, what it bears, its shares and transfer (shares.csv)."""
    from optimizer.whatif.coordinate import share_table

    table = share_table(run)
    shown = [c for c in GROUP_COLUMNS if c in table and table[c].notna().any()]
    frame = table[shown].copy()
    frame.insert(0, "group", [name(g) for g in table["group"]])
    return frame.rename(columns={c: w(f"coord_col_{c}") for c in frame.columns})


def _coalitions(run: Coordination, w: Words, name) -> pd.DataFrame:
    """Every coalition planning alone: its value, status, terms and what it could not make."""
    rows = []
    for plan in sorted(run.plans.values(), key=lambda p: (len(p.members), sorted(p.members))):
        row = {w("coord_col_coalition"): _coalition(plan.members, name, w),
               w("coord_col_value"): plan.value,
               w("status"): w.short_status(plan.status), w("gap"): _gap(plan.mip_gap)}
        row |= {w(f"term_{t}"): plan.terms.get(t) for t in run.instance.settings.weights
                if f"term_{t}" in TEXT}
        row[w("coord_col_bought")] = w.join(w.name("segment", s) for s in plan.bought)
        row[w("coord_col_dropped")] = w.join(w.name("chain", c) for c in plan.dropped)
        row[w("coord_col_parts")] = "" if plan.split is None else " | ".join(
            _coalition(part, name, w) for part in plan.split)
        rows.append(row)
    frame = pd.DataFrame(rows)
    empty = [c for c in frame.columns if frame[c].astype(str).eq("").all()]
    return frame.drop(columns=empty)


def _chart(run: Coordination, w: Words, name) -> str:
    """Grouped bars per group: cost alone, borne in the coordinated plan, fair share."""
    a = run.analysis
    groups = run.players.names
    series = [(w(f"coord_bar_{key}"), a[key], colour) for key, colour in SERIES]
    top = max(max(abs(v) for v in s.values()) for _, s, _ in series) or 1.0
    left, base = 40, 240
    width, height = max(640, left + 36 * len(groups)), 300
    slot = (width - left) / max(len(groups), 1)
    bar = slot / 4
    svg = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(w("coord_chart"))}">',
           f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#333"/>']
    for i, g in enumerate(groups):
        x0 = left + i * slot + bar / 2
        for j, (_, s, colour) in enumerate(series):
            tall = 200 * max(s[g], 0.0) / top
            svg.append(f'<rect x="{x0 + j * bar:.1f}" y="{base - tall:.1f}" '
                       f'width="{bar - 2:.1f}" height="{tall:.1f}" fill="{colour}"><title>'
                       f"{html.escape(name(g))}: {s[g]:,.1f}</title></rect>")
            if len(groups) <= LABELLED_UP_TO:
                svg.append(f'<text x="{x0 + j * bar + (bar - 2) / 2:.1f}" '
                           f'y="{base - tall - 3:.1f}" font-size="10" text-anchor="middle">'
                           f"{s[g]:,.0f}</text>")
        svg.append(f'<text x="{x0 + 1.5 * bar:.1f}" y="{base + 15}" font-size="11" '
                   f'text-anchor="middle">{html.escape(name(g))}</text>')
    for j, (label, _, colour) in enumerate(series):
        svg.append(f'<rect x="{left + j * 170}" y="{height - 20}" width="10" height="10" '
                   f'fill="{colour}"/><text x="{left + j * 170 + 14}" y="{height - 11}" '
                   f'font-size="11">{html.escape(label)}</text>')
    svg.append("</svg>")
    return "".join(svg)
