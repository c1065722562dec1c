"""Write a solve's results to an output folder, and print the compact terminal table.

The folder is staged under a temporary name and renamed into place at the end
(optimizer/results/files.py), so a crash or Ctrl-C leaves nothing half-written, and an existing
folder is never overwritten.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from optimizer.results import Results
from optimizer.results import tables as t
from optimizer.results.basis import basis_shares
from optimizer.results.files import safe_csv, staged_folder
from optimizer.results.polarisation import polarisation_tables
from optimizer.solve import shadow


def write_results(results: Results, out: Path, extra: dict | None = None
                  ) -> dict[str, pd.DataFrame]:
    """Write every table, summary.json, report.md and the solver log; return the tables.

    `extra` goes into summary.json as it is (e.g. the instance folder and scenario, so that
    `compare` can find the run's instance again).
    """
    tables = result_tables(results)
    prices = shadow.for_results(results)
    if prices is not None:
        tables["shadow_prices"] = prices.table
    with staged_folder(out) as tmp:
        for name, frame in tables.items():
            index = name.startswith(("allocation_matrix", "similarity"))
            (tmp / f"{name}.csv").write_text(safe_csv(frame, index=index), encoding="utf-8")
        summary = summary_dict(results) | (extra or {})
        if prices is not None:
            summary["shadow_prices"] = shadow.summary_entry(prices)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, default=_plain) + "\n",
                                          encoding="utf-8")
        (tmp / "report.md").write_text(report_markdown(results, summary, tables),
                                       encoding="utf-8")
        (tmp / "solver.log").write_text(results.outcome.log, encoding="utf-8")
    return tables


def result_tables(results: Results) -> dict[str, pd.DataFrame]:
    tables = {"chains": t.chain_table(results)}
    if results.outcome.has_solution:
        tables |= {
            "allocation": t.allocation_table(results),
            "allocation_matrix": t.matrix_table(results),
            "regions": t.region_table(results),
            "location_quotients": t.location_quotient_table(results),
            "similarity_optimised": t.similarity_table(results, results.layout),
            "group_similarity": t.group_similarity_table(results),
        }
    tables["similarity_current"] = t.similarity_table(results, results.current)
    tables |= polarisation_tables(results)
    return tables


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _clean(value: object) -> object:
    """JSON has no inf or NaN: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def summary_dict(results: Results) -> dict:
    out = results.outcome
    return _clean({
        "instance": results.instance.name,
        "instance_hash": results.instance.content_hash,
        "status": out.status,
        "message": out.message,
        "mip_gap": out.mip_gap,
        "objective": {
            "mode": results.instance.settings.objective_mode,
            "value": out.objective,
            "bound": out.bound,
            "terms": results.terms,
        },
        "verification": results.verification.to_dict() if results.verification else None,
        "measures": results.measures(),
        "current_layout_basis": basis_shares(results.instance.tables["current_layout"]),
        "findings": results.findings,
        "compensation": results.compensation,
        "solver": {"name": "HiGHS", "version": out.solver_version, "options": out.options,
                   "stages": [vars(s) for s in out.stages]},
        "timings_seconds": results.timings,
        "package_version": _package_version(),
    })


def _package_version() -> str:
    try:
        return version("chain-layout-optimizer")
    except PackageNotFoundError:
        return "unknown"


HEADLINE = [
    ("total_hosts", "hosts (region-segment pairs)"),
    ("excess_hosts", "excess hosts"),
    ("pairwise_overlaps", "region pairs sharing a segment"),
    ("similarity_mean", "mean structural similarity"),
    ("similarity_max", "max structural similarity"),
    ("krugman_mean", "mean Krugman index"),
    ("unhosted_segments", "unhosted segments"),
    ("unsupplied_links", "hosts with no supplier in reach"),
    ("value_added_total", "value added"),
    ("output_moved", "output moved between hosts"),
    ("supply_shortfall", "input need beyond supply in reach"),
]
# Concentration (optimizer/results/concentration.py, docs/measures.md): shown in its own section.
CONCENTRATION = [
    ("hhi_output_regions", "HHI of output across regions"),
    ("hhi_output_groups", "HHI of output across groups"),
    ("top1_region_share", "share of the largest region"),
    ("top3_region_share", "share of the 3 largest regions"),
    ("gini_value_added", "Gini of value added (regions)"),
    ("gini_value_added_per_person", "Gini of value added per person"),
    ("supply_centres", "regions supplying others in reach"),
]


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def measures_rows(measures: dict, rows: list[tuple[str, str]] = HEADLINE, lang: str = "en"
                  ) -> list[tuple[str, str, str]]:
    from optimizer.report.i18n import TEXT, Words

    words = Words(lang)
    cur, opt = measures["current"], measures.get("optimised", {})
    return [(words(key) if key in TEXT else label, _fmt(cur.get(key)), _fmt(opt.get(key)))
            for key, label in rows]


def verification_problems(results: Results) -> list[str]:
    """What the re-check of the allocation found wrong; empty when its numbers add up."""
    return results.verification.problems() if results.verification else []


def terminal_table(results: Results, lang: str | None = None) -> str:
    """A compact text table for the terminal, in the report language."""
    from optimizer.report.i18n import Words, language

    lang = language(lang, None, results.instance)
    words = Words(lang)
    out = results.outcome
    gap = "-" if out.mip_gap is None else f"{out.mip_gap:.2%}"
    if lang == "zh":
        lines = [f"{results.instance.name}：{words.status(out.status)}（{words('gap')} {gap}，"
                 f"{out.seconds:.1f} 秒）"]
    else:
        lines = [f"{results.instance.name}: {out.status.upper()} (gap {gap}, "
                 f"{out.seconds:.1f} s) - {out.message}"]
    lines += [f"  ! {f}" for f in results.findings]
    lines += [f"  ! {words('check_failed')} {p}" for p in verification_problems(results)]
    if results.terms:
        lines.append(f"  {words('objective_terms')}:")
        for name, term in results.terms.items():
            mark = "*" if term["optimised"] else " "
            label = words(f"term_{name}")
            lines.append(_pad(f"   {mark} {label}", 22) + f"{term['value']:>14,.3f}  "
                         f"{words.short_unit(term['unit'])}")
    lines.append(_pad(f"  {words('measure')}", 36) + f"{words('today'):>12}"
                 f"{words('optimised'):>12}")
    for label, now, opt in measures_rows(results.measures(), HEADLINE + CONCENTRATION, lang):
        lines.append(_pad(f"  {label}", 36) + f"{now:>12}{opt:>12}")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align to a terminal width, counting a CJK character as two columns."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)


def report_markdown(results: Results, summary: dict, tables: dict[str, pd.DataFrame]) -> str:
    """report.md in the run's language (summary `language`, else the instance's)."""
    from optimizer.report.i18n import Words, language
    from optimizer.report.markdown import markdown_report
    from optimizer.report.plan import build_plan

    words = Words(language(None, summary, results.instance), results.instance)
    return markdown_report(build_plan(words, summary, tables, results.instance))
