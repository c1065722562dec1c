"""Reports people look at: a self-contained HTML page and a formatted Excel workbook.

Both are built from a finished output folder (of `solve`, a sweep run or `compare`), so they
can be added after the fact and always show what the CSV files hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.instance import Instance
    from optimizer.results.record import Run
    from optimizer.whatif.compare import Comparison

HTML_FILE = "report.html"
EXCEL_FILE = "report.xlsx"
WORD_FILE = "report.docx"

__all__ = ["EXCEL_FILE", "HTML_FILE", "write_comparison_reports", "write_visual_reports"]


def write_visual_reports(out_folder: Path, instance: Instance | None = None,
                         lang: str | None = None, chain: str | None = None) -> list[Path]:
    """Add report.html, report.xlsx and report.docx to an output folder; never replaces
    existing ones. `lang` (en or zh) defaults to the run's, then the instance's language;
    `chain` is the chain whose supplier links are mapped (default: the largest).

    `instance` (the solved one) supplies coordinates and stages for the map; without it the
    instance recorded in the folder is reloaded if it can be.
    """
    from optimizer.errors import UserError
    from optimizer.report.alternatives import kind_of, write_many_reports
    from optimizer.results.files import refuse_existing
    from optimizer.whatif.compare import COMPARE_FILE

    out_folder = Path(out_folder)
    if kind_of(out_folder):  # an alternatives or a trade-off front folder
        return write_many_reports(out_folder, instance, lang)
    if (out_folder / "manifest.json").is_file() and not (out_folder / "summary.json").is_file():
        raise UserError(f"{out_folder} is a sweep folder: its runs are in runs/ and their "
                        "comparison in comparison/; give one of those folders")
    for name in (HTML_FILE, EXCEL_FILE):
        refuse_existing(out_folder / name)
    if (out_folder / COMPARE_FILE).is_file():
        return write_comparison_reports(out_folder, lang=lang)
    refuse_existing(out_folder / WORD_FILE)
    return _write_single(out_folder, instance, lang, chain)


def _write_single(out_folder: Path, instance: Instance | None, lang: str | None,
                  chain: str | None = None) -> list[Path]:
    from optimizer.report.page import html_page
    from optimizer.report.word import docx_bytes
    from optimizer.report.workbook import planner_workbook
    from optimizer.results.files import write_new_files
    from optimizer.results.record import read_run

    plan = plan_of(read_run(out_folder, instance=instance), lang)
    if chain is not None:
        if chain not in plan.chains:
            from optimizer.errors import UserError

            raise UserError(f"--chain {chain!r} is not a chain of the instance; it has "
                            f"{', '.join(plan.chains)}")
        plan.cache["links_chain"] = chain
    return write_new_files(out_folder, {HTML_FILE: html_page(plan),
                                        EXCEL_FILE: planner_workbook(plan),
                                        WORD_FILE: docx_bytes(plan)})


def plan_of(run: Run, lang: str | None = None):
    """The run's report content in one language (--lang, else the run's, else the instance's)."""
    from optimizer.report.i18n import Words, language
    from optimizer.report.plan import build_plan

    instance = run.instance  # rebuilt if not given; its notes go on the page
    words = Words(language(lang, run.summary, instance), instance, run.tables.get("regions"))
    plan = build_plan(words, run.summary, run.tables, instance)
    plan.notes += run.notes
    return plan


def write_comparison_reports(out_folder: Path, comparison: Comparison | None = None,
                             lang: str | None = None) -> list[Path]:
    """report.html and report.xlsx of a comparison (given, or read back from its folder), in
    `lang`, else the language of the runs' instance."""
    from optimizer.report.compare_report import comparison_report
    from optimizer.report.excel import workbook_bytes
    from optimizer.results.files import write_new_files

    page, sheets = comparison_report(Path(out_folder), comparison, lang)
    return write_new_files(Path(out_folder), {HTML_FILE: page,
                                              EXCEL_FILE: workbook_bytes(sheets)})
