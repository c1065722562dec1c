"""The readable documents of a run: the compact terminal table and report.md (written into
the run folder by optimizer/results/record.py's write_run, through `run_documents`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.results import Results
from optimizer.results.measures import CONCENTRATION, HEADLINE
from optimizer.results.record import Documents


def run_documents(visual: bool = True) -> Documents:
    """What write_run puts beside the record: report.md, and with `visual` report.html,
    report.xlsx and report.docx. A report that fails costs the run only itself: its reason
    comes back as a note, the results are kept."""
    def write(folder: Path, results: Results, summary: dict,
              tables: dict[str, pd.DataFrame]) -> list[str]:
        (folder / "report.md").write_text(report_markdown(results, summary, tables),
                                          encoding="utf-8")
        if not visual:
            return []
        import optimizer.report as visual_reports

        try:  # in the language recorded in summary.json (--lang, else the instance's)
            visual_reports.write_visual_reports(folder, instance=results.instance)
        except Exception as exc:  # a chart problem must not cost the results
            return [f"report.html, report.xlsx and report.docx not written: "
                    f"{type(exc).__name__}: {exc}"]
        return []
    return write


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
