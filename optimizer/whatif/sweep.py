"""Sweeps: many scenarios, or a grid of values, solved in one command, each into its own folder.

Every scenario is applied and checked before the first solve, so a typo fails in seconds, not
after an hour. Runs go to local processes (or a Dask cluster); the results come back here and
are written one folder per run, atomically (optimizer/results/record.py's write_run), with
`run.json` saying what made them. A run that
fails or is infeasible is recorded with its reason and the sweep goes on. `manifest.json` and
`manifest.csv` list every run with the versions and options that produced it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.errors import InstanceError, UserError
from optimizer.instance import Instance, load_instance
from optimizer.instance.scenarios import (
    Ref,
    apply_overrides,
    apply_scenario,
    read_scenarios,
    scenarios_path,
)
from optimizer.report.text import run_documents
from optimizer.results import Results
from optimizer.results.files import refuse_existing, safe_csv, write_new_file
from optimizer.results.record import package_versions, read_summary, write_run
from optimizer.solve.run import optimise
from optimizer.solve.solver import MESSAGES, SolveOptions
from optimizer.whatif.grid import GridPoint, grid_points, read_grid

BASE = "base"
RUNS_FOLDER = "runs"
CONNECT_TIMEOUT = "30s"  # for reaching a Dask scheduler
WORKER_MODULES = ["optimizer.whatif.sweep", "optimizer.solve.run", "optimizer.report.text",
                  "optimizer.results.record", "optimizer.whatif.compare",
                  "optimizer.report.page", "optimizer.report.excel"]


@dataclass
class RunSpec:
    """One run of a sweep: its name (also its folder) and the instance it solves."""

    name: str
    instance: Instance
    scenario: str | None = None
    grid: dict[str, Any] = field(default_factory=dict)
    grid_label: str | None = None
    overrides: list[list] = field(default_factory=list)  # grid overrides, as [kind, spec]


@dataclass
class Sweep:
    instance_folder: Path
    runs: list[RunSpec]
    scenarios_file: Path | None = None
    grid_file: Path | None = None


# ---------------------------------------------------------------------------- planning


def plan_sweep(instance_folder: Path, scenarios: list[str] | None = None,
               scenarios_file: Path | None = None, grid_file: Path | None = None,
               include_base: bool = True) -> Sweep:
    """Every run of the sweep, each scenario applied and checked now (all problems at once)."""
    base = load_instance(instance_folder)
    path = scenarios_path(base, scenarios_file)
    names = _scenario_names(path, scenarios, scenarios_file is not None)
    points = grid_points(read_grid(grid_file)) if grid_file else []
    problems, runs = [], []
    for name in ([None] if include_base else []) + names:
        try:
            instance = base if name is None else apply_scenario(base, name, path)
        except InstanceError as exc:
            problems += exc.problems
            continue
        try:
            runs += _with_grid(instance, name, points, grid_file)
        except InstanceError as exc:
            problems += exc.problems
    if problems:
        raise InstanceError(list(dict.fromkeys(problems)))  # a grid problem shows once
    if not runs:
        raise UserError("nothing to run: name scenarios, give a grid, or keep the base run")
    return Sweep(instance_folder, runs, path if names else None, grid_file)


def _scenario_names(path: Path, wanted: list[str] | None, given: bool) -> list[str]:
    if wanted is not None and not wanted:
        return []
    if not path.is_file() and not given and wanted is None:
        return []  # no scenario file beside the instance: base (and grid) only
    book = read_scenarios(path)
    if wanted is None:
        return list(book)
    unknown = [w for w in wanted if w not in book]
    if unknown:
        raise UserError(f"{path}: unknown scenario {unknown[0]!r}; the file has "
                        f"{', '.join(book)}")
    return list(dict.fromkeys(wanted))


def _with_grid(instance: Instance, scenario: str | None, points: list[GridPoint],
               grid_file: Path | None) -> list[RunSpec]:
    name = scenario or BASE
    if not points:
        return [RunSpec(name, instance, scenario)]
    runs = []
    for point in points:
        ref = Ref(str(grid_file), None, point.label)
        changed = apply_overrides(instance, point.label, point.overrides, ref)
        runs.append(RunSpec(f"{name}+{point.label}", changed, scenario, point.values,
                            point.label, [[o.kind, o.spec] for o in point.overrides]))
    return runs


# ---------------------------------------------------------------------------- running


def solve_one(instance: Instance, options: SolveOptions) -> tuple[Results | None, str, float]:
    """Solve in a worker; never raises, so one bad run cannot stop the sweep. What `options`
    leaves unset (None) is the run's own instance setting."""
    start = time.perf_counter()
    try:
        results = optimise(instance, time_limit=options.time_limit, mip_gap=options.mip_gap,
                           threads=options.threads, solver_options=options.solver_options)
        return results, "", time.perf_counter() - start
    except Exception as exc:  # recorded in the manifest with its text
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return None, text, time.perf_counter() - start


@dataclass
class _Job:
    """What a worker needs besides the run itself: where and how to write it."""

    out: Path
    sweep: Sweep  # paths only; its runs are not sent along
    options: SolveOptions  # what the user set; None: each run's instance setting
    versions: dict
    reports: bool


def run_sweep(sweep: Sweep, out: Path, options: SolveOptions | None = None, workers: int = 1,
              scheduler: str | None = None, progress: bool = True, reports: bool = True,
              compare: bool = True) -> dict:
    """Run every run, write each folder and the manifest; return the manifest.

    `options` holds what the user set (None fields: each run's instance settings). Parallel
    local runs get one HiGHS thread each unless told otherwise, so that N workers do not start
    N times as many threads as there are cores.
    """
    options = options or SolveOptions()
    if options.threads is None and workers > 1 and not scheduler:
        options = replace(options, threads=1)
    refuse_existing(out)
    out.mkdir(parents=True)
    (out / RUNS_FOLDER).mkdir()
    started, start = time.strftime("%Y-%m-%dT%H:%M:%S%z"), time.perf_counter()
    job = _Job(out, replace(sweep, runs=[]), options, package_versions(), reports)
    rows: dict[str, dict] = {}
    execution = _execute(sweep.runs, job, workers, scheduler)
    try:
        for name, row in _progress(execution, len(sweep.runs), progress):
            rows[name] = row
    except KeyboardInterrupt:
        execution.close()  # queued runs are cancelled; running ones finish writing first
        _finish(job, sweep, rows, workers, scheduler, started, start, interrupted=True)
        raise
    manifest = _finish(job, sweep, rows, workers, scheduler, started, start)
    if sweep.grid_file:
        from optimizer.whatif.sensitivity import write_sensitivity

        write_sensitivity(out, manifest)
    if compare:
        _compare(out, manifest)
    return manifest


_STOPPED = False  # in a worker process: Ctrl-C was seen there, so no further run starts


def solve_and_record(spec: RunSpec, job: _Job) -> dict:
    """Solve one run and write its folder (in a local worker process).

    Ctrl-C reaches every worker: the run it stops is written with its best allocation, and a
    run handed over afterwards is not started.
    """
    global _STOPPED
    if _STOPPED:
        return _not_run(spec)
    try:
        outcome = solve_one(spec.instance, job.options)
    except KeyboardInterrupt:
        _STOPPED = True
        return _not_run(spec)
    _STOPPED = _interrupted(outcome[0])
    return _record(spec, outcome, job)


def _not_run(spec: RunSpec) -> dict:
    return {"run": spec.name, "scenario": spec.scenario or "", "grid": spec.grid,
            "instance": spec.instance.name, "instance_hash": spec.instance.content_hash,
            "status": "not_run", "error": "the sweep was interrupted before this run finished",
            "output": ""}


def _execute(runs: list[RunSpec], job: _Job, workers: int, scheduler: str | None
             ) -> Iterator[tuple[str, dict]]:
    if scheduler:
        yield from _on_dask(runs, job, scheduler)
    elif workers <= 1 or len(runs) == 1:
        for spec in runs:
            outcome = solve_one(spec.instance, job.options)
            yield spec.name, _record(spec, outcome, job)
            if _interrupted(outcome[0]):  # Ctrl-C stopped this solve: start no other
                raise KeyboardInterrupt
    else:
        yield from _on_processes(runs, job, workers)


def _on_processes(runs: list[RunSpec], job: _Job, workers: int) -> Iterator[tuple[str, dict]]:
    """Local processes solve and write their runs; only the manifest row comes back."""
    with ProcessPoolExecutor(max_workers=min(workers, len(runs)), mp_context=_context()) as pool:
        futures = {pool.submit(solve_and_record, spec, job): spec for spec in runs}
        try:
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    yield spec.name, future.result()
                except Exception as exc:  # the worker process died
                    yield spec.name, _row(spec, None, _died(exc), 0.0, job)
        except BaseException:  # Ctrl-C (or the sweep closed): no queued run may start
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _interrupted(results: Results | None) -> bool:
    return results is not None and results.outcome.message == MESSAGES["interrupted"]


def _context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes, not forks of this one (HiGHS threads do not survive a fork).

    The fork server imports the solver and report code once; each worker forks from it.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return context


def _on_dask(runs: list[RunSpec], job: _Job, scheduler: str) -> Iterator[tuple[str, dict]]:
    """Dask workers only solve (they may not see this disk); results are written here."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise UserError("--scheduler needs Dask: pip install 'chain-layout-optimizer[sweep]'"
                        ) from exc
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        futures = {client.submit(solve_one, spec.instance, job.options, pure=False): spec
                   for spec in runs}
        for future in dask_completed(list(futures)):
            spec = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = (None, _died(exc), 0.0)
            yield spec.name, _record(spec, outcome, job)
    finally:
        client.close()


def _died(exc: BaseException) -> str:
    return f"the worker failed: {type(exc).__name__}: {exc}"


def _progress(items: Iterator, total: int, show: bool) -> Iterator:
    from tqdm import tqdm

    with tqdm(items, total=total, desc="sweep", unit="run", disable=not show) as bar:
        yield from bar


# ---------------------------------------------------------------------------- recording


def _record(spec: RunSpec, outcome: tuple[Results | None, str, float], job: _Job) -> dict:
    results, error, wall = outcome
    row = _row(spec, results, error, wall, job)
    if results is None:
        return row
    folder = job.out / RUNS_FOLDER / spec.name
    try:
        notes = write_run(folder, results, info=_run_info(spec, row, folder, job.sweep),
                          documents=run_documents(visual=job.reports))
        row["output"] = folder.relative_to(job.out).as_posix()
        row["error"] = "; ".join(t for t in (row["error"], *notes) if t)
    except Exception as exc:  # a run whose results cannot be written is a failed run
        row |= {"status": "error", "error": f"writing results failed: {exc}"}
    return row


def _row(spec: RunSpec, results: Results | None, error: str, wall: float, job: _Job) -> dict:
    outcome = results.outcome if results is not None else None
    options = outcome.options if outcome is not None and outcome.options else asdict(
        job.options)
    status = outcome.status if outcome is not None else "error"
    if results is not None and results.findings:
        error = " ".join(results.findings)
    elif outcome is not None and not outcome.has_solution:
        error = outcome.message
    return {"run": spec.name, "scenario": spec.scenario or "", "grid": spec.grid,
            "instance": spec.instance.name, "instance_hash": spec.instance.content_hash,
            "status": status, "error": error,
            "mip_gap": outcome.mip_gap if outcome else None,
            "objective": outcome.objective if outcome else None,
            "wall_seconds": round(wall, 3),
            "solver_seconds": round(outcome.seconds, 3) if outcome else None,
            "time_limit": options.get("time_limit"), "mip_gap_option": options.get("mip_gap"),
            "threads": options.get("threads"),
            "solver_version": outcome.solver_version if outcome else "",
            **{f"{name}_version": v for name, v in job.versions.items()}, "output": ""}


def _run_info(spec: RunSpec, row: dict, folder: Path, sweep: Sweep) -> dict:
    """run.json: what the run was made from, so `compare` can rebuild its instance."""
    return {"run": spec.name, "scenario": spec.scenario,
            "instance_folder": _relative(sweep.instance_folder, folder),
            "instance_folder_absolute": str(sweep.instance_folder.resolve()),
            "scenarios_file": _relative(sweep.scenarios_file, folder) if spec.scenario else None,
            "scenarios_file_absolute": str(sweep.scenarios_file.resolve())
            if spec.scenario and sweep.scenarios_file else None,
            "grid": spec.grid or None, "grid_label": spec.grid_label,
            "grid_file": str(sweep.grid_file) if sweep.grid_file else None,
            "overrides": spec.overrides or None,
            **{k: row[k] for k in ("instance", "instance_hash", "time_limit", "mip_gap_option",
                                   "threads", "chain-layout-optimizer_version", "pyomo_version",
                                   "highspy_version", "solver_version", "wall_seconds")}}


def _relative(path: Path | None, folder: Path) -> str | None:
    if path is None:
        return None
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _finish(job: _Job, sweep: Sweep, rows: dict[str, dict], workers: int,
            scheduler: str | None, started: str, start: float, interrupted: bool = False
            ) -> dict:
    """Write manifest.json and manifest.csv, listing runs in plan order."""
    ordered = []
    for spec in sweep.runs:
        ordered.append(_as_on_disk(job.out, spec, rows.get(spec.name) or _not_run(spec)))
    manifest = {
        "sweep": {"started": started, "wall_seconds": round(time.perf_counter() - start, 3),
                  "interrupted": interrupted,
                  "instance_folder": str(sweep.instance_folder),
                  "scenarios_file": str(sweep.scenarios_file) if sweep.scenarios_file else None,
                  "grid_file": str(sweep.grid_file) if sweep.grid_file else None,
                  "workers": 1 if scheduler else workers, "scheduler": scheduler,
                  "options": asdict(job.options), "versions": job.versions,
                  "runs": len(ordered),
                  "statuses": pd.Series([r["status"] for r in ordered]).value_counts().to_dict()},
        "runs": ordered,
    }
    write_new_file(job.out / "manifest.json",
                   json.dumps(manifest, indent=2, default=str) + "\n")
    frame = pd.DataFrame(ordered)
    frame["grid"] = frame["grid"].map(lambda g: json.dumps(g) if g else "")
    write_new_file(job.out / "manifest.csv", safe_csv(frame))
    return manifest


def _as_on_disk(out: Path, spec: RunSpec, row: dict) -> dict:
    """The manifest row as the disk has it: a run folder is listed if and only if it exists.

    A Ctrl-C can land between a run folder's rename and its row coming back.
    """
    folder = out / RUNS_FOLDER / spec.name
    if row.get("output") and not folder.is_dir():
        return row | {"status": "error", "output": "", "error": "its folder is missing"}
    if not row.get("output") and folder.is_dir():
        try:
            summary = read_summary(folder) or {}
        except UserError:
            summary = {}
        return row | {"status": str(summary.get("status", "?")),
                      "output": folder.relative_to(out).as_posix(),
                      "error": "written as the sweep was interrupted; see its summary.json"}
    return row


def _compare(out: Path, manifest: dict) -> None:
    """The sweep's comparison: today's layout and every run, against the base run if any."""
    from optimizer.report import write_comparison_reports
    from optimizer.whatif.compare import CURRENT, compare_runs, write_comparison

    solved = [r for r in manifest["runs"] if r.get("output")]
    if not solved:
        return
    folders = [str(out / r["output"]) for r in solved]
    names = [r["run"] for r in solved]
    args = [folders[0], CURRENT, *folders[1:]] if names[0] == BASE else [CURRENT, *folders]
    write_comparison(compare_runs(args), out / "comparison", write_comparison_reports)


def summary_line(manifest: dict) -> str:
    info = manifest["sweep"]
    counts = ", ".join(f"{n} {s}" for s, n in info["statuses"].items())
    return f"{info['runs']} runs in {info['wall_seconds']:.1f} s: {counts}"
