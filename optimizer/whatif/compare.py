"""Compare runs side by side: what each changes per region and chain, and which is best where.

A run is an output folder written by `solve` or by a sweep, read back through
optimizer/results/record.py; the word `current` stands for today's layout of the first run's
instance, a run of its own kind. Everything is read from the output folders (they are the
record of what was solved); the instance is rebuilt only for what a folder does not hold
(today's resource use, coordinates, stages), and the comparison says when it could not be.
The reports (optimizer/report) render a Comparison; this module does not draw.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.results.files import read_csv, safe_csv, staged_folder, write_new_file
from optimizer.results.measures import CONCENTRATION, HEADLINE
from optimizer.results.record import (
    CURRENT,
    Run,
    current_run,
    read_json,
    read_manifest,
    read_run,
    unwritten_run,
)
from optimizer.results.tables import change_of

COMPARE_FILE = "compare.json"
COMPARE_KEYS: dict = {"created": str, "reference": str, "notes": [str],
                      "runs": [{"run": str, "status": str, "folder": str}]}
TABLES = ("runs", "measures", "regions", "hosts", "chains", "allocation")  # each a CSV file
RUN_TABLES = ("allocation", "regions", "chains")  # what is read of each run
MEASURES = [*HEADLINE[:3], ("weighted_excess_hosts", "weighted excess hosts"), *HEADLINE[3:]]
MEASURES += CONCENTRATION
HIGHER_IS_BETTER = {"krugman_mean", "value_added_total"}
HIGHER_IS_BETTER |= {"supply_centres"}
ALL_EQUAL = "(all equal)"

Layout = dict[tuple[str, str], float]


@dataclass
class Comparison:
    runs: list[Run]
    reference: str
    tables: dict[str, pd.DataFrame]
    notes: list[str]
    instance: Instance | None = None  # the first run's, for coordinates and stages


# ---------------------------------------------------------------------------- reading runs


def expand(args: list[str]) -> list[Run | str]:
    """Folders become runs; a sweep folder becomes its runs in manifest order."""
    found: list[Run | str] = []
    for arg in args:
        if arg == CURRENT:
            found.append(CURRENT)
            continue
        folder = Path(arg)
        manifest = read_manifest(folder) if folder.is_dir() else None
        if manifest is not None:
            found += _sweep_runs(folder, manifest)
        elif folder.is_dir():
            found.append(read_run(folder, tables=RUN_TABLES))
        else:
            raise UserError(f"{arg}: no such output folder (give folders written by solve or "
                            f"sweep, or the word `{CURRENT}`)")
    return found


def _sweep_runs(folder: Path, manifest: dict) -> list[Run]:
    runs = []
    for row in manifest.get("runs", []):
        if row.get("output"):
            runs.append(read_run(folder / row["output"], row.get("run"), tables=RUN_TABLES))
        else:
            runs.append(unwritten_run(row.get("run") or "?", row.get("status") or "failed",
                                      f"{row.get('run')}: {row.get('error') or 'no output'}"))
    return runs


RESERVED_LABELS = {"measure", "label", "unit", "better", "best", "region", "segment", "chain",
                   "stage", "run", "name", "group", "note"}


def _unique_labels(runs: list[Run]) -> None:
    """Run labels become column names: make them distinct from each other and from ours."""
    seen: dict[str, int] = dict.fromkeys(RESERVED_LABELS, 1)
    for run in runs:
        if run.label in seen:
            seen[run.label] += 1
            run.label = f"{run.label}#{seen[run.label]}"
        else:
            seen[run.label] = 1


# ---------------------------------------------------------------------------- comparing


def compare_runs(args: list[str], reference: str | None = None) -> Comparison:
    """Read the runs named on the command line and build every comparison table."""
    if not args:
        raise UserError("give at least one run folder to compare")
    items = expand(args)
    real = [r for r in items if isinstance(r, Run)]
    if not real:
        raise UserError(f"`{CURRENT}` needs at least one run folder to take today's layout from")
    first = next((r for r in real if r.folder is not None), real[0])
    instance = first.instance
    runs = [current_run(first) if r == CURRENT else r for r in items]
    _unique_labels(runs)
    labels = [r.label for r in runs]
    reference = reference or labels[0]
    if reference not in labels:
        raise UserError(f"--reference {reference!r} is not one of the runs: {', '.join(labels)}")
    notes = [n for r in runs for n in r.notes]
    ref = runs[labels.index(reference)]
    tables = {
        "runs": runs_table(runs),
        "measures": measures_table(runs),
        "regions": regions_table(runs, ref, instance),
        "hosts": hosts_table(runs, instance),
        "chains": chains_table(runs),
        "allocation": allocation_table(runs, instance),
    }
    return Comparison(runs, reference, tables, notes, instance)


def runs_table(runs: list[Run]) -> pd.DataFrame:
    rows = []
    for run in runs:
        s, info = run.summary, run.info
        row = {"run": run.label, "status": run.status,
               "scenario": info.get("scenario", s.get("scenario")) or "",
               "grid": json.dumps(info.get("grid")) if info.get("grid") else "",
               "instance": s.get("instance", ""), "instance_hash": s.get("instance_hash", ""),
               "mip_gap": s.get("mip_gap"), "objective": s.get("objective", {}).get("value"),
               "solve_seconds": _solve_seconds(s), "folder": str(run.folder or "")}
        for name, term in run.terms.items():
            row[f"term_{name}"] = term.get("value")
        rows.append(row)
    return pd.DataFrame(rows)


def _solve_seconds(summary: dict) -> float | None:
    timings = summary.get("timings_seconds") or {}
    return sum(timings.values()) if timings else None


def measures_table(runs: list[Run]) -> pd.DataFrame:
    """Every measure and objective term side by side, with the best run for each."""
    rows = []
    for key, label in MEASURES:
        values = {r.label: _measure(r.measures, key) for r in runs}
        rows.append(_best_row(key, label, "", values, runs, higher=key in HIGHER_IS_BETTER))
    rows += _chain_concentration_rows(runs)
    terms = [t for r in runs for t in r.terms if t]
    for name in dict.fromkeys(terms):
        unit = next(r.terms[name].get("unit", "") for r in runs if name in r.terms)
        values = {r.label: r.terms.get(name, {}).get("value") for r in runs}
        rows.append(_best_row(f"term_{name}", f"objective: {name}", unit, values, runs,
                              higher=False))
    return pd.DataFrame(rows)


CHAIN_CONCENTRATION = [("hhi_regions", "HHI across regions"),
                       ("top1_share", "share of the largest region")]


def _chain_concentration_rows(runs: list[Run]) -> list[dict]:
    """Per chain: how concentrated its output is in each run (concentration_by_chain)."""
    by_run = {r.label: (r.measures or {}).get("concentration_by_chain") or {} for r in runs}
    rows = []
    for chain in dict.fromkeys(c for chains in by_run.values() for c in chains):
        for key, label in CHAIN_CONCENTRATION:
            values = {lab: chains.get(chain, {}).get(key) for lab, chains in by_run.items()}
            rows.append(_best_row(f"{key}:{chain}", f"{chain}: {label}", "", values, runs,
                                  higher=False))
    return rows


def _measure(measures: dict | None, key: str) -> float | None:
    if not measures:
        return None
    value = measures.get(key)
    return float(len(value)) if isinstance(value, list) else value


def _best_row(key: str, label: str, unit: str, values: dict[str, float | None],
              runs: list[Run], higher: bool) -> dict:
    candidates = {r.label: values[r.label] for r in runs
                  if r.kind != CURRENT and values[r.label] is not None
                  and r.status in ("optimal", "feasible")}
    best = ""
    if candidates:
        top = (max if higher else min)(candidates.values())
        tol = max(1e-3, 1e-5 * abs(top))  # solver tolerances, not real differences
        winners = [k for k, v in candidates.items() if abs(v - top) <= tol]
        best = ", ".join(winners) if len(winners) < len(candidates) or len(winners) == 1 \
            else ALL_EQUAL
    return {"measure": key, "label": label, "unit": unit,
            "better": "higher" if higher else "lower", **values, "best": best}


def regions_table(runs: list[Run], ref: Run, instance: Instance | None) -> pd.DataFrame:
    """Per region and run: segments added, removed and kept, value added and use, vs reference."""
    ref_sets = _segments_by_region(ref.layout or {})
    ref_regions = _indexed(ref.regions)
    rows = []
    for run in runs:
        if run.layout is None:
            continue
        sets = _segments_by_region(run.layout)
        regions = _indexed(run.regions)
        for region in _region_order(runs, instance):
            rows.append(_region_row(region, run, sets.get(region, set()),
                                    ref_sets.get(region, set()), regions, ref_regions, ref))
    frame = pd.DataFrame(rows)
    for column in frame.columns:  # numbers stay numbers when a run lacks them (NaN, not None)
        if column.startswith("value_added") or column.endswith(("_used", "_used_change")):
            frame[column] = frame[column].astype(float)
    if instance is not None and not frame.empty:
        coords = instance.tables["regions"].set_index("region")[["lon", "lat"]]
        frame = frame.join(coords, on="region")
    return frame


def _region_row(region: str, run: Run, mine: set[str], theirs: set[str],
                regions: pd.DataFrame | None, ref_regions: pd.DataFrame | None,
                ref: Run) -> dict:
    missing = regions is not None and region not in regions.index
    row = {"region": region, "run": run.label, "note": "not in this run" if missing else "",
           "name": _cell(regions, region, "name") or _cell(ref_regions, region, "name") or region,
           "group": _cell(regions, region, "group") or _cell(ref_regions, region, "group") or "",
           "segments": len(mine), "added": len(mine - theirs), "removed": len(theirs - mine),
           "kept": len(mine & theirs), "added_segments": ", ".join(sorted(mine - theirs)),
           "removed_segments": ", ".join(sorted(theirs - mine))}
    value = _cell(regions, region, "value_added")
    base = _cell(ref_regions, region, "value_added")
    row["value_added"] = value
    row["value_added_change"] = _diff(value, base)
    columns = [] if regions is None else [c for c in regions.columns if c.endswith("_used")]
    for col in columns:
        row[col] = _cell(regions, region, col)
        row[f"{col}_change"] = _diff(row[col], _cell(ref_regions, region, col))
    return row


def _segments_by_region(layout: Layout) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for r, s in layout:
        sets.setdefault(r, set()).add(s)
    return sets


def _indexed(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if frame is None or "region" not in frame else frame.set_index(
        frame["region"].astype(str))


def _cell(frame: pd.DataFrame | None, row: str, column: str):
    if frame is None or column not in frame.columns or row not in frame.index:
        return None
    value = frame.at[row, column]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _diff(a, b) -> float | None:
    if a is None or b is None:
        return None
    return float(a) - float(b)


def _region_order(runs: list[Run], instance: Instance | None) -> list[str]:
    order = list(instance.regions) if instance is not None else []
    for run in runs:
        if run.regions is not None:
            order += [str(r) for r in run.regions["region"]]
        order += [r for r, _ in (run.layout or {})]
    return list(dict.fromkeys(order))


def hosts_table(runs: list[Run], instance: Instance | None) -> pd.DataFrame:
    """Hosts per segment (the direct count of duplicated construction), one column per run."""
    chain_of, _ = _segment_facts(runs, instance)
    counts = {r.label: r.measures["hosts_per_segment"] for r in runs
              if r.measures and r.measures.get("hosts_per_segment")}
    segments = list(dict.fromkeys(s for c in counts.values() for s in c))
    frame = pd.DataFrame({"segment": segments})
    frame["chain"] = [chain_of.get(s, "") for s in segments]
    for label, count in counts.items():
        frame[label] = [count.get(s, 0) for s in segments]
    return frame


def chains_table(runs: list[Run]) -> pd.DataFrame:
    rows = []
    for run in runs:
        if run.chains is None:
            continue
        for rec in run.chains.to_dict("records"):
            unhosted = rec.get("unhosted")
            rows.append({"chain": rec["chain"], "run": run.label, "segments": rec.get("segments"),
                         "hosts": rec.get("hosts"),
                         "unhosted": "" if not isinstance(unhosted, str) else unhosted,
                         "unsupplied_links": rec.get("unsupplied_links"),
                         "complete": bool(rec.get("complete"))})
    return pd.DataFrame(rows)


def allocation_table(runs: list[Run], instance: Instance | None) -> pd.DataFrame:
    """Region x segment pairs hosted in any run, with each run's output side by side."""
    pairs = sorted({p for r in runs for p in (r.layout or {})})
    chain_of, stage_of = _segment_facts(runs, instance)
    frame = pd.DataFrame({"region": [p[0] for p in pairs], "segment": [p[1] for p in pairs]})
    frame["chain"] = [chain_of.get(s, "") for s in frame["segment"]]
    frame["stage"] = [stage_of.get(s, "") for s in frame["segment"]]
    for run in runs:
        if run.layout is not None:
            frame[run.label] = [run.layout.get(p, 0.0) for p in pairs]
    return frame


def _segment_facts(runs: list[Run], instance: Instance | None
                   ) -> tuple[dict[str, str], dict[str, str]]:
    chain_of: dict[str, str] = {}
    for run in runs:
        allocation = run.tables.get("allocation")
        if allocation is not None:
            chain_of |= dict(zip(allocation["segment"], allocation["chain"], strict=True))
    stage_of: dict[str, str] = {}
    if instance is not None:
        seg = instance.tables["segments"]
        chain_of |= dict(zip(seg["segment"], seg["chain"], strict=True))
        stage_of = dict(zip(seg["segment"], seg["stage"], strict=True))
    return chain_of, stage_of


def pair_changes(reference: Layout, layout: Layout) -> dict[tuple[str, str], str]:
    """kept / grown / shrunk / closed / new for every pair of either layout, as in
    allocation.csv."""
    return {p: change_of(reference.get(p), layout.get(p)) for p in set(reference) | set(layout)}


# ---------------------------------------------------------------------------- output


def write_comparison(comparison: Comparison, out: Path,
                     documents: Callable[[Path, Comparison], object] | None = None
                     ) -> list[Path]:
    """Tables as CSV and compare.json in a new folder, with the documents (report.html and
    report.xlsx: optimizer.report.write_comparison_reports) written into it before it appears.
    """
    with staged_folder(out) as tmp:
        for name in TABLES:
            write_new_file(tmp / f"{name}.csv", safe_csv(comparison.tables[name]))
        write_new_file(tmp / COMPARE_FILE, json.dumps(compare_record(comparison), indent=2,
                                                      default=str) + "\n")
        if documents is not None:
            documents(tmp, comparison)
    return sorted(out.iterdir())


def compare_record(comparison: Comparison) -> dict:
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "reference": comparison.reference,
            "runs": [{"run": r.label, "status": r.status, "folder": str(r.folder or "")}
                     for r in comparison.runs],
            "notes": comparison.notes}


def read_comparison(folder: Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    """A comparison folder read back: compare.json (checked) and its tables (empty if absent)."""
    path = folder / COMPARE_FILE
    record = read_json(path, COMPARE_KEYS)
    if record is None:
        raise UserError(f"{folder} is not a comparison folder (no {COMPARE_FILE})")
    runs = record.get("runs")
    if not isinstance(record.get("reference"), str) or not isinstance(runs, list) \
            or not all(isinstance(r.get("run"), str) for r in runs):
        raise UserError(f"{path} is damaged: it should name its reference run and list its "
                        "runs, each with a name")
    tables = {name: read_csv(folder / f"{name}.csv") for name in TABLES}
    return record, {n: (f if f is not None else pd.DataFrame()) for n, f in tables.items()}


def terminal_table(comparison: Comparison, width: int = 12) -> str:
    """Measures down, runs across; `*` marks the best run on each line."""
    runs = comparison.runs
    labels = [r.label for r in runs]
    head = f"  {'measure':<34}" + "".join(f"{_short(lab, width):>{width + 2}}" for lab in labels)
    lines = [f"comparison of {len(runs)} runs; changes are against `{comparison.reference}`",
             head, f"  {'status':<34}" + "".join(f"{_short(r.status, width):>{width + 2}}"
                                                 for r in runs)]
    for rec in comparison.tables["measures"].to_dict("records"):
        best = set(rec["best"].split(", ")) if rec["best"] else set()
        cells = "".join(f"{_fmt(rec[lab]) + ('*' if lab in best else ' '):>{width + 2}}"
                        for lab in labels)
        lines.append(f"  {_short(rec['label'], 34):<34}{cells}")
    lines.append("  * best run on that line (lower is better except Krugman index and value added)")
    lines += [f"  ! {n}" for n in comparison.notes]
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)
