"""`optimizer bench reports`: what the reports cost next to the solve, measured in one run.

The whole `solve` command runs as a child process (imports, model, HiGHS, every file and
report), and its wall and CPU time are set against HiGHS's own time from its summary.json.
Then, in this process with everything imported, each report is written again from the same
folder to time it alone (report.md, report.html, report.xlsx, report.docx), and `--help` and
`validate` are timed as child processes (their start-up is mostly imports). CPU seconds are
given beside wall seconds because a shared machine stretches wall time unevenly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 3  # each report is timed this often; the fastest counts (the least disturbed)


def measure(instance: Path, threads: int = 1) -> dict:
    """One solve with reports, each report again alone, the light commands; file sizes."""
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        out = Path(tmp) / "run"
        command = [sys.executable, "-m", "optimizer", "solve", str(instance), "--out", str(out),
                   "--threads", str(threads)]
        wall, cpu = _child(command)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        sizes = {p.name: p.stat().st_size for p in out.glob("report.*")}
        reports = reports_alone(out, instance)
    solver = float(summary["timings_seconds"]["solve"])
    solver_cpu = _solver_cpu(instance, threads)
    help_wall, _ = _child([sys.executable, "-m", "optimizer", "--help"])
    validate_wall, _ = _child([sys.executable, "-m", "optimizer", "validate", str(instance)])
    return {"instance": str(instance), "status": summary["status"],
            "solve_command_wall_s": round(wall, 2), "solve_command_cpu_s": round(cpu, 2),
            "highs_wall_s": round(solver, 2), "ratio_wall": round(wall / solver, 2),
            "solver_cpu_s": round(solver_cpu, 2), "ratio_cpu": round(cpu / solver_cpu, 2),
            "timings_s": {k: round(v, 2) for k, v in summary["timings_seconds"].items()},
            "reports_cpu_s": reports, "help_wall_s": round(help_wall, 2),
            "validate_wall_s": round(validate_wall, 2), "sizes_bytes": sizes}


def _child(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _solver_cpu(instance: Path, threads: int) -> float:
    """CPU seconds of HiGHS's own solve, in this process (one thread: CPU equals the wall
    time it would take on an idle core)."""
    from optimizer.instance import load_instance
    from optimizer.solve.run import optimise

    inst = load_instance(instance)
    optimise(inst, threads=threads)  # once to import and warm up
    start = time.process_time()
    results = optimise(inst, threads=threads)
    total = time.process_time() - start
    timings = results.timings
    share = timings["solve"] / max(sum(timings.values()), 1e-9)
    return total * share


def reports_alone(folder: Path, instance: Path) -> dict[str, float]:
    """CPU seconds of each step of writing the reports of a solved folder, the fastest of
    REPEATS: reading the folder, the plan (task list, reasons), and each file."""
    from optimizer.instance import load_instance
    from optimizer.report import plan_of
    from optimizer.report.markdown import markdown_report
    from optimizer.report.page import html_page
    from optimizer.report.word import docx_bytes
    from optimizer.report.workbook import planner_workbook
    from optimizer.results.record import read_run

    inst = load_instance(instance)
    best: dict[str, float] = {}
    for _ in range(REPEATS + 1):  # the first imports and warms up
        steps = {}
        start = time.process_time()
        run = read_run(folder, instance=inst)
        steps["read"] = time.process_time() - start
        plan = plan_of(run)
        steps["plan"] = time.process_time() - start - steps["read"]
        for name, write in (("md", markdown_report), ("html", html_page),
                            ("xlsx", planner_workbook), ("docx", docx_bytes)):
            begin = time.process_time()
            write(plan)
            steps[name] = time.process_time() - begin
        steps["total"] = sum(steps.values())
        best = steps if not best else {k: min(best[k], v) for k, v in steps.items()}
    return {k: round(v, 3) for k, v in best.items()}


def cmd_reports(args: argparse.Namespace) -> int:
    rows = [measure(Path(i), args.threads) for i in args.instances]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        parts = ", ".join(f"{k} {v}" for k, v in r["reports_cpu_s"].items())
        print(f"{r['instance']}: {r['status']}; solve command {r['solve_command_wall_s']} s wall "
              f"({r['solve_command_cpu_s']} s CPU), HiGHS {r['highs_wall_s']} s: "
              f"{r['ratio_wall']}x; in CPU: command {r['solve_command_cpu_s']} s against HiGHS "
              f"{r['solver_cpu_s']} s: {r['ratio_cpu']}x; stages {r['timings_s']}; "
              f"reports alone (CPU s): {parts}; --help {r['help_wall_s']} s, validate "
              f"{r['validate_wall_s']} s wall; report.html "
              f"{r['sizes_bytes'].get('report.html', 0) / 1e6:.2f} MB")
    return 0


def add_report_speed_command(bench_subparsers: argparse._SubParsersAction) -> None:
    p = bench_subparsers.add_parser(
        "reports", help="the cost of the reports against the solver's own time",
        description="Run `solve` with its reports and set its wall and CPU time against "
                    "HiGHS's time; then time each report alone, and `--help` and `validate`; "
                    "print report sizes.")
    p.add_argument("instances", nargs="+", metavar="INSTANCE", help="instance folders")
    p.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_reports)
