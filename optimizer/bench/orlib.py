"""OR-Library benchmarks solved by the planner's own model, to prove the solve path exact.

sources/orlib.py turns each problem into an ordinary instance; here it is solved by `prepare`
-> `build_model` -> `AllocationSolver`, with the instance's own solver settings: no separate
model. Objectives are reported in the file's own sense.
"""

from __future__ import annotations

import math
from pathlib import Path

from optimizer.instance import Instance
from optimizer.model import build_model, prepare
from optimizer.solve.solver import AllocationSolver, SolveOptions, SolveOutcome
from optimizer.sources.orlib import cap_instance, gap_instance, read_cap, read_gap

__all__ = ["ROW_KEYS", "format_table", "run_cap", "run_gap", "solve_instance"]

ROW_KEYS = ("problem", "objective", "status", "mip_gap", "seconds")


def solve_instance(instance: Instance) -> SolveOutcome:
    """The planner's path: prepare, build, solve with the instance's own solver settings."""
    data = prepare(instance)
    model = build_model(data)
    return AllocationSolver(SolveOptions.from_settings(data), once=True).solve(model, data)


def _row(name: str, outcome: SolveOutcome, sign: float = 1.0) -> dict:
    objective = None if outcome.objective is None else sign * outcome.objective
    return {"problem": name, "objective": objective, "status": outcome.status,
            "mip_gap": outcome.mip_gap, "seconds": outcome.seconds}


def run_gap(path: Path, maximize: bool = False) -> list[dict]:
    """Solve every problem of a gap*.txt file; objectives in the file's own sense."""
    sign = -1.0 if maximize else 1.0
    return [_row(p.name, solve_instance(gap_instance(p, maximize)), sign)
            for p in read_gap(Path(path))]


def run_cap(path: Path, capacitated: bool = True) -> list[dict]:
    """Solve one cap*.txt file, with or without the facility capacities."""
    problem = read_cap(Path(path))
    return [_row(problem.name, solve_instance(cap_instance(problem, capacitated)))]


def format_table(rows: list[dict]) -> str:
    """A plain, aligned table of run_gap / run_cap rows for the terminal."""
    header = ("problem", "objective", "status", "mip_gap", "seconds")
    body = [(str(r["problem"]), _fmt(r["objective"], ".3f"), str(r["status"]),
             _fmt(r["mip_gap"], ".2e"), _fmt(r["seconds"], ".2f")) for r in rows]
    widths = [max(len(line[k]) for line in [header, *body]) for k in range(len(header))]
    lines = [header, *body]
    return "\n".join("  ".join(cell.ljust(w) if k in (0, 2) else cell.rjust(w)
                               for k, (cell, w) in enumerate(zip(line, widths, strict=True)))
                     for line in lines)


def _fmt(value: float | None, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, spec)
