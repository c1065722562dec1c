"""Command line for what-if work: `sweep`, `compare` and `report`.

`add_commands(subparsers)` plugs them into the main `optimizer` parser; every user mistake
becomes a UserError, which the main CLI prints without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from optimizer.cli.types import add_lang, add_solver_limits, at_least_one, solver_option
from optimizer.errors import UserError

SWEEP_HELP = """\
Solve several scenarios of one instance (and/or a grid of parameter values) in one go.
Each run is written to its own folder under OUT/runs/, with manifest.json and manifest.csv
listing every run (status, gap, wall time, versions, options) and OUT/comparison/ comparing
them side by side. Runs go to local processes (--workers) or to a Dask cluster (--scheduler).
Every scenario is checked before the first solve; a run that fails or is infeasible is
recorded with its reason and the sweep goes on. OUT must not exist yet.

examples:
  optimizer sweep instances/yangtze_delta --out out/sweep1            # base + every scenario
  optimizer sweep instances/tutorial --scenario port --scenario budget --workers 2 --out s
  optimizer sweep instances/tutorial --grid budgets.yaml --no-base --out out/budgets
"""

COMPARE_HELP = """\
Compare output folders of solve or sweep side by side. RUN is an output folder, a sweep
folder (all its runs), or the word `current` (today's layout of the first run's instance).
Changes per region (segments added, removed, kept; value added; resource and talent use)
are measured against the first RUN unless --reference names another. Writes the tables as
CSV, report.html and report.xlsx to a new folder and prints a compact table.

examples:
  optimizer compare current out/base out/port
  optimizer compare out/sweep1 --out out/sweep1-vs-today --reference current
"""

REPORT_HELP = """\
Build report.html and report.xlsx (and, for a solve, report.docx) inside an existing output
folder of solve, a sweep run, compare, alternatives or pareto. Refuses if a report already
exists there: reports are never overwritten.
"""


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `sweep`, `compare` and `report` to the main parser's subcommands."""
    _add_sweep(subparsers)
    _add_compare(subparsers)
    r = subparsers.add_parser("report", help="build report.html and report.xlsx for an output "
                              "folder", description=REPORT_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("folder", metavar="OUTDIR", help="output folder of solve, sweep or compare")
    add_lang(r, "the run's, else the instance's")
    r.add_argument("--chain", metavar="CHAIN",
                   help="chain whose supplier-user links a solve's report maps (default: the "
                        "chain with the most output)")
    r.set_defaults(func=cmd_report)


def _add_sweep(subparsers: argparse._SubParsersAction) -> None:
    s = subparsers.add_parser("sweep", help="solve many scenarios or a parameter grid",
                              description=SWEEP_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("instance", help="instance folder")
    s.add_argument("--out", help="new sweep folder (default: out/<instance>-sweep-<time>)")
    s.add_argument("--scenario", action="append", metavar="NAME",
                   help="a scenario to run (repeat for several; default: every scenario in the "
                        "file)")
    s.add_argument("--scenarios-file", metavar="FILE",
                   help="scenario file (default: scenarios.yaml in the instance folder)")
    s.add_argument("--grid", metavar="FILE", help="grid file: parameters and their values; "
                   "every combination is run for every scenario")
    s.add_argument("--no-base", action="store_true", help="leave out the unchanged instance")
    s.add_argument("--workers", type=at_least_one, default=None, metavar="N",
                   help="local processes (default, and at most: the number of CPU cores)")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs the `sweep` "
                        "extra)")
    add_solver_limits(s, "per run", " (default: 1 when runs go in parallel)")
    s.add_argument("--solver-option", type=solver_option, action="append", metavar="KEY=VALUE",
                   help="a HiGHS option for every run, e.g. random_seed=7 (repeatable)")
    s.add_argument("--no-reports", action="store_true",
                   help="skip report.html/report.xlsx in each run folder (faster)")
    s.add_argument("--no-compare", action="store_true", help="skip OUT/comparison/")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_sweep)


def _add_compare(subparsers: argparse._SubParsersAction) -> None:
    c = subparsers.add_parser("compare", help="compare runs side by side",
                              description=COMPARE_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("runs", nargs="+", metavar="RUN",
                   help="output folder of solve or sweep, a sweep folder, or `current`")
    c.add_argument("--out", help="new folder for the comparison (default: out/compare-<time>)")
    c.add_argument("--reference", metavar="RUN",
                   help="run label that changes are measured against (default: the first)")
    c.add_argument("--no-reports", action="store_true", help="skip report.html/report.xlsx")
    c.set_defaults(func=cmd_compare)





def _existing_file(text: str | None, what: str) -> Path | None:
    if text is None:
        return None
    path = Path(text)
    if not path.is_file():
        raise UserError(f"{what} {text} not found")
    return path


def cmd_sweep(args: argparse.Namespace) -> int:
    from optimizer.results.files import check_out
    from optimizer.solve.solver import SolveOptions
    from optimizer.whatif.sweep import plan_sweep, run_sweep, summary_line

    folder = Path(args.instance)
    if not folder.is_dir():
        raise UserError(f"{folder} is not an instance folder")
    out = Path(args.out) if args.out else Path("out") / (
        f"{folder.name}-sweep-{time.strftime('%Y%m%d-%H%M%S')}")
    check_out(out)
    sweep = plan_sweep(folder, args.scenario, _existing_file(args.scenarios_file,
                                                             "scenario file"),
                       _existing_file(args.grid, "grid file"), include_base=not args.no_base)
    workers = _workers(args.workers, args.scheduler)
    names = [r.name for r in sweep.runs]
    more = f", ... ({len(names) - 10} more)" if len(names) > 10 else ""
    print(f"{len(names)} runs planned: {', '.join(names[:10])}{more}")
    try:
        manifest = run_sweep(sweep, out, SolveOptions(args.time_limit, args.gap, args.threads,
                                                      dict(args.solver_option or [])),
                             workers=workers, scheduler=args.scheduler, progress=not args.quiet,
                             reports=not args.no_reports, compare=not args.no_compare)
    except KeyboardInterrupt:
        print(f"interrupted; {out}/manifest.json lists the runs written and those not run",
              file=sys.stderr)
        return 130
    print(summary_line(manifest))
    for row in manifest["runs"]:
        gap = "-" if row.get("mip_gap") is None else f"{row['mip_gap']:.2%}"
        print(f"  {row['run']:<40} {row['status']:<12} gap {gap:>7}  "
              f"{row.get('wall_seconds') or 0:7.1f} s  {row.get('error') or ''}"[:160])
    print(f"results written to {out}/ (manifest.json, runs/, comparison/report.html)")
    return 0


def _workers(asked: int | None, scheduler: str | None) -> int:
    """Local worker processes: the cores by default, never more (each would only wait)."""
    cores = os.cpu_count() or 1
    if asked is None:
        return cores
    if asked > cores and not scheduler:
        print(f"--workers {asked}: this machine has {cores} cores, so {cores} runs go in "
              "parallel", file=sys.stderr)
        return cores
    return asked


def cmd_compare(args: argparse.Namespace) -> int:
    from optimizer.report import write_comparison_reports
    from optimizer.results.files import check_out
    from optimizer.whatif.compare import compare_runs, terminal_table, write_comparison

    out = Path(args.out) if args.out else Path("out") / (
        f"compare-{time.strftime('%Y%m%d-%H%M%S')}")
    check_out(out)
    comparison = compare_runs(args.runs, args.reference)
    write_comparison(comparison, out, None if args.no_reports else write_comparison_reports)
    print(terminal_table(comparison))
    print(f"comparison written to {out}/ (report.html, report.xlsx, measures.csv, regions.csv)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from optimizer.report import write_visual_reports

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    for path in write_visual_reports(folder, lang=getattr(args, "lang", None),
                                     chain=getattr(args, "chain", None)):
        print(f"wrote {path}")
    return 0
