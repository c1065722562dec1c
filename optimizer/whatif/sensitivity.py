"""Sensitivity across a sweep grid: how many hosts change at each step, which pairs are
stable, and how far each measure moves for each parameter (a tornado table).

Read from the sweep's own run folders (allocation.csv, summary.json), so every figure is the
one the runs report. Steps follow the order the grid file lists a parameter's values in; for
a grid of several parameters, each parameter is stepped with the others held at the same
values, and the tornado holds the others at their first listed value (list the base first).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from optimizer.report.text import HEADLINE
from optimizer.results.files import safe_csv, write_new_file
from optimizer.results.record import read_run

SOLVED = ("optimal", "feasible")
Pair = tuple[str, str]


def write_sensitivity(out: Path, manifest: dict) -> list[Path]:
    """sensitivity.csv, stability.csv and tornado.csv beside a grid sweep's manifest."""
    runs = solved_runs(out, manifest)
    if not runs:
        return []
    order = value_order(manifest)
    tables = {"sensitivity": steps_table(runs, order), "stability": stability_table(runs),
              "tornado": tornado_table(runs, order)}
    return [write_new_file(out / f"{name}.csv", safe_csv(frame))
            for name, frame in tables.items()]


def solved_runs(out: Path, manifest: dict) -> list[dict]:
    """Each grid run with an allocation: its grid values, hosts and measures."""
    runs = []
    for row in manifest["runs"]:
        if not row.get("grid") or row.get("status") not in SOLVED or not row.get("output"):
            continue
        run = read_run(out / row["output"], tables=["allocation"])
        runs.append({"run": row["run"], "scenario": row.get("scenario") or "",
                     "grid": row["grid"], "status": row["status"],
                     "hosts": frozenset(run.layout or {}), "measures": _measures(run.summary)})
    return runs


def _measures(summary: dict) -> dict[str, float]:
    """The headline measures and every objective term of one run."""
    optimised = summary.get("measures", {}).get("optimised") or {}
    values = {}
    for key, _ in HEADLINE:
        value = optimised.get(key)
        values[key] = float(len(value)) if isinstance(value, list) else value
    for name, t in (summary.get("objective", {}).get("terms") or {}).items():
        values[f"term_{name}"] = t.get("value")
    values["objective"] = summary.get("objective", {}).get("value")
    return values


def value_order(manifest: dict) -> dict[str, list]:
    """Each parameter's values in the order the grid lists them (the runs' plan order)."""
    order: dict[str, list] = {}
    for row in manifest["runs"]:
        for name, value in (row.get("grid") or {}).items():
            if value not in order.setdefault(name, []):
                order[name].append(value)
    return order


def _paths(runs: list[dict], order: dict[str, list], name: str) -> list[list[dict]]:
    """Runs that differ only in `name`, grouped, each group in the grid's value order."""
    groups: dict[tuple, list[dict]] = {}
    for run in runs:
        others = tuple((k, json.dumps(v)) for k, v in sorted(run["grid"].items()) if k != name)
        groups.setdefault((run["scenario"], others), []).append(run)
    rank = {json.dumps(v): i for i, v in enumerate(order[name])}
    return [sorted(g, key=lambda r: rank[json.dumps(r["grid"][name])]) for g in groups.values()]


def steps_table(runs: list[dict], order: dict[str, list]) -> pd.DataFrame:
    """Per parameter and step: hosts added, removed and changed against the step before."""
    rows = []
    for name in order:
        for path in _paths(runs, order, name):
            before = None
            for step, run in enumerate(path):
                added = sorted(run["hosts"] - before) if before is not None else []
                removed = sorted(before - run["hosts"]) if before is not None else []
                rows.append({
                    "scenario": run["scenario"], "parameter": name,
                    "value": _text(run["grid"][name]), "step": step,
                    "held": _held(run["grid"], name), "run": run["run"],
                    "status": run["status"], "hosts": len(run["hosts"]),
                    "hosts_changed": None if before is None else len(added) + len(removed),
                    "hosts_added": "; ".join(f"{r}:{s}" for r, s in added),
                    "hosts_removed": "; ".join(f"{r}:{s}" for r, s in removed),
                    **run["measures"]})
                before = run["hosts"]
    return pd.DataFrame(rows)


def stability_table(runs: list[dict]) -> pd.DataFrame:
    """Each pair hosted in some run: in how many of its scenario's grid runs, and whether
    always (stable), or a choice the parameters move."""
    rows = []
    by_scenario: dict[str, list[dict]] = {}
    for run in runs:
        by_scenario.setdefault(run["scenario"], []).append(run)
    for scenario, group in by_scenario.items():
        pairs = sorted(set().union(*(r["hosts"] for r in group)))
        for r, s in pairs:
            n = sum((r, s) in run["hosts"] for run in group)
            rows.append({"scenario": scenario, "region": r, "segment": s,
                         "runs_hosting": n, "runs": len(group), "share": n / len(group),
                         "stability": "always" if n == len(group) else "changes"})
    return pd.DataFrame(rows)


def tornado_table(runs: list[dict], order: dict[str, list]) -> pd.DataFrame:
    """Per measure and parameter: its value at the first and last listed value, its least
    and greatest over the parameter's values, and the swing; widest swing first."""
    rows = []
    first = {name: json.dumps(values[0]) for name, values in order.items()}
    for name in order:
        for path in _paths(runs, order, name):
            if any(json.dumps(v) != first[k] for k, v in path[0]["grid"].items() if k != name):
                continue  # the others not at their first value: not this parameter's bar
            for measure in path[0]["measures"]:
                values = [r["measures"].get(measure) for r in path]
                known = [v for v in values if v is not None]
                if not known:
                    continue
                rows.append({"scenario": path[0]["scenario"], "measure": measure,
                             "parameter": name, "from": _text(path[0]["grid"][name]),
                             "to": _text(path[-1]["grid"][name]),
                             "at_from": values[0], "at_to": values[-1],
                             "low": min(known), "high": max(known),
                             "swing": _swing(known), "runs": len(path)})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["scenario", "measure", "swing"], ascending=[True, True, False],
                             kind="stable").reset_index(drop=True)


def _swing(values: list[float]) -> float:
    """Greatest less least; rounding noise in sums of equal terms counts as no change."""
    swing = max(values) - min(values)
    return 0.0 if swing <= 1e-9 * max(1.0, max(abs(v) for v in values)) else swing


def _held(grid: dict, name: str) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in grid.items() if k != name)


def _text(value: object) -> str:
    return "none" if value is None else str(value)
