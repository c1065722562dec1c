"""Concentration, lagging regions, "1+N" partnerships and shadow prices as report parts:
named, in the report's language, once for every format.

Each part holds its tables twice: `sheet` with numbers as numbers under column keys (for the
workbook, which formats them), `shown` translated and formatted for reading (the page,
report.md and the Word document). The figures are those of summary.json (`measures`,
`shadow_prices`) and of lagging_regions.csv, partnerships.csv and shadow_prices.csv, which
optimizer/results recomputes from the layouts. Pandas and the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.report.i18n import Words, fmt_number
from optimizer.report.prices import price_notes, price_table

if TYPE_CHECKING:
    from optimizer.report.plan import Plan

CONCENTRATION = ("hhi_output_regions", "hhi_output_groups", "top1_region_share",
                 "top3_region_share", "gini_value_added", "gini_value_added_per_person",
                 "supply_centres")
PER_CHAIN = ("hhi_regions", "hhi_groups", "top1_share", "top3_share", "top_region")
# a chain's figure in the workbook goes in the column of the same figure for all chains
AS_OVERALL = {"hhi_regions": "hhi_output_regions", "hhi_groups": "hhi_output_groups",
              "top1_share": "top1_region_share", "top3_share": "top3_region_share"}
SHARES = {"top1_region_share", "top3_region_share", "top1_share", "top3_share"}
MOVED = re.compile(r"(\S+) \(([^)]*)\)")  # "s1 (10), s2 (1,234)" as polarisation.py writes it


@dataclass
class Part:
    """One section of the reports: its title key, notes, and tables to read and to sheet."""

    key: str
    notes: list[str] = field(default_factory=list)
    shown: list[pd.DataFrame] = field(default_factory=list)
    sheet: pd.DataFrame = field(default_factory=pd.DataFrame)
    sheet_key: str = ""


def lever_parts(plan: Plan) -> list[Part]:
    """The parts an instance has: concentration always, lagging regions and partnerships when
    it names any, shadow prices when the run priced its limits."""
    w, s, t = plan.words, plan.summary, plan.tables
    parts = [_concentration(s, w)]
    lagging, partners = lagging_table(t, w), partnership_table(t, w)
    if not lagging.empty:
        parts.append(Part("lagging", [w("lagging_note")], [_readable(lagging, w)], lagging,
                          "sheet_lagging"))
    if not partners.empty:
        parts.append(Part("partnerships", [w("partnerships_note")], [_readable(partners, w)],
                          partners, "sheet_partnerships"))
    notes = price_notes(s, t.get("shadow_prices"), w)
    if notes:
        prices = price_table(t.get("shadow_prices"), s, w)
        parts.append(Part("prices", notes, [w.columns(prices)] if not prices.empty else [],
                          price_table(t.get("shadow_prices"), s, w, top=None), "sheet_prices"))
    return [p for p in parts if p.shown or p.notes]


def shown(key: str, value: object) -> str:
    """A concentration figure as read: shares in %, indices to three decimals."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, str):
        return value
    if key in SHARES:
        return f"{float(value):.1%}"
    return f"{int(value):,}" if key == "supply_centres" else f"{float(value):.3f}"


def _concentration(summary: dict, w: Words) -> Part:
    measures = summary.get("measures") or {}
    layouts = [(w("today"), measures.get("current") or {}),
               (w("optimised"), measures.get("optimised") or {})]
    layouts = [(name, m) for name, m in layouts if any(k in m for k in CONCENTRATION)]
    if not layouts:
        return Part("concentration")
    overall = pd.DataFrame({w("measure"): [w(k) for k in CONCENTRATION]}
                           | {name: [shown(k, m.get(k)) for k in CONCENTRATION]
                              for name, m in layouts})
    sheet = pd.DataFrame([{"layout": name, "chain": w("all_chains"),
                           **{k: m.get(k) for k in CONCENTRATION}} for name, m in layouts])
    rows, readable = [], []
    for chain in dict.fromkeys(c for _, m in layouts
                               for c in m.get("concentration_by_chain") or {}):
        values = [(name, (m.get("concentration_by_chain") or {}).get(chain, {}))
                  for name, m in layouts]
        rows += [{"layout": name, "chain": w.name("chain", chain),
                  **{AS_OVERALL.get(k, k): _named_top(k, v.get(k), w) for k in PER_CHAIN}}
                 for name, v in values]
        readable.append({w("chain"): w.name("chain", chain)} | {
            w(k): " → ".join(shown(k, _named_top(k, v.get(k), w)) for _, v in values)
            for k in PER_CHAIN})
    sheet = pd.concat([sheet, pd.DataFrame(rows)], ignore_index=True) if rows else sheet
    tables = [overall] + ([pd.DataFrame(readable)] if readable else [])
    return Part("concentration", [w("concentration_note")], tables, sheet,
                "sheet_concentration")


def _named_top(key: str, value: object, w: Words) -> object:
    return w.name("region", value) if key == "top_region" and value else value


def lagging_table(tables: dict[str, pd.DataFrame], words: Words) -> pd.DataFrame:
    """lagging_regions.csv with each region's name beside its code."""
    frame = tables.get("lagging_regions")
    if frame is None or frame.empty:
        return pd.DataFrame()
    out = frame.copy()
    out.insert(0, "region_code", out.pop("region").astype(str))
    out.insert(1, "region", [words.name("region", r) for r in out["region_code"]])
    return out


def partnership_table(tables: dict[str, pd.DataFrame], words: Words) -> pd.DataFrame:
    """partnerships.csv with leader, partner and the segments moved by name."""
    frame = tables.get("partnerships")
    if frame is None or frame.empty:
        return pd.DataFrame()
    out = frame.copy()
    for column in ("leader", "partner"):
        out[column] = [words.name("region", r) for r in out[column].astype(str)]
    out["moved_segments"] = [_moved(v, words) for v in out["moved_segments"]]
    return out


def _moved(text: object, words: Words) -> str:
    if not isinstance(text, str) or not text:
        return ""
    return words.join(f"{words.name('segment', s)} ({q})" for s, q in MOVED.findall(text))


def _readable(frame: pd.DataFrame, w: Words) -> pd.DataFrame:
    """Codes dropped, shares in %, columns in words."""
    out = frame.drop(columns=[c for c in frame.columns if c.endswith("_code")])
    for column in out.columns:
        if column.endswith("_share") and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = [f"{v:.0%}" for v in out[column]]
        elif pd.api.types.is_float_dtype(out[column]):
            out[column] = [fmt_number(v) if v == v else "–" for v in out[column]]
    return w.columns(out)
