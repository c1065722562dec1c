"""An output folder of solve read back: its summary, tables and instance, and the report
content built from them in one language.

Reading the folder (not the in-memory results) means the reports can be rebuilt later, and
show exactly what the CSV files say. No plotting package is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.results.record import read_json, read_summary, read_table


@dataclass
class SolveFolder:
    folder: Path
    summary: dict
    tables: dict[str, pd.DataFrame]
    instance: Instance | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def solved(self) -> bool:
        return "allocation" in self.tables


def read_run_summary(folder: Path) -> dict | None:
    """summary.json, with the scenario a sweep run records in run.json instead."""
    summary = read_summary(folder)
    if summary is None:
        return None
    run = read_json(folder / "run.json") or {}
    if not summary.get("scenario") and run.get("scenario"):
        summary["scenario"] = run.get("scenario")
        summary["scenarios_file"] = summary.get("scenarios_file") or run.get(
            "scenarios_file_absolute")
    return summary


def read_solve_folder(folder: Path, instance: Instance | None = None) -> SolveFolder:
    """The tables of an output folder, and its instance (given, or rebuilt if recorded)."""
    summary = read_run_summary(folder)
    if summary is None:
        raise UserError(f"{folder} is not an output folder of solve (it has no summary.json)")
    tables = {}
    for name in ("allocation", "regions", "chains", "location_quotients", "group_similarity",
                 "shadow_prices", "partnerships", "lagging_regions", "allocation_matrix",
                 "similarity_current",
                 "similarity_optimised"):
        frame = read_table(folder, name)  # checked: a damaged file is a UserError
        if frame is not None:
            tables[name] = frame
    result = SolveFolder(folder, summary, tables, instance)
    if instance is None:
        from optimizer.whatif.compare import read_run, run_instance

        view = read_run(folder)
        result.instance = run_instance(view)
        result.notes += view.notes
    return result


def plan_of(run: SolveFolder, lang: str | None = None):
    """The run's report content in one language (--lang, else the run's, else the instance's)."""
    from optimizer.report.i18n import Words, language
    from optimizer.report.plan import build_plan

    words = Words(language(lang, run.summary, run.instance), run.instance,
                  run.tables.get("regions"))
    plan = build_plan(words, run.summary, run.tables, run.instance)
    plan.notes += run.notes
    return plan
