"""`optimizer bench reports`: what the reports cost next to the solve, measured in one run.

The whole `solve` command runs as a child process (imports, model, HiGHS, every file and
report), and its wall and CPU time are set against HiGHS's own time from its summary.json.
Then, in this process with everything imported, the reports are written again from the same
folder to time them alone. CPU seconds are given beside wall seconds because a shared machine
stretches wall time unevenly.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(instance: Path, threads: int = 1) -> dict:
    """One solve with reports, and the reports written again alone; sizes of the files."""
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        out = Path(tmp) / "run"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "optimizer", "solve", str(instance), "--out",
                        str(out), "--threads", str(threads)], check=True,
                       capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        sizes = {p.name: p.stat().st_size for p in out.glob("report.*")}
        reports = _reports_alone(out, Path(tmp) / "again")
    solver = float(summary["timings_seconds"]["solve"])
    solver_cpu = _solver_cpu(instance, threads)
    return {"instance": str(instance), "status": summary["status"],
            "solve_command_wall_s": round(wall, 2), "solve_command_cpu_s": round(cpu, 2),
            "highs_wall_s": round(solver, 2), "ratio_wall": round(wall / solver, 2),
            "solver_cpu_s": round(solver_cpu, 2), "ratio_cpu": round(cpu / solver_cpu, 2),
            **reports, "sizes_bytes": sizes}


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


def _reports_alone(folder: Path, copy: Path) -> dict:
    from optimizer.report import write_visual_reports

    shutil.copytree(folder, copy)
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink()
    write_visual_reports(copy)  # once to import everything it needs
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink()
    start, cpu = time.perf_counter(), time.process_time()
    write_visual_reports(copy)
    return {"reports_wall_s": round(time.perf_counter() - start, 2),
            "reports_cpu_s": round(time.process_time() - cpu, 2)}


def cmd_reports(args: argparse.Namespace) -> int:
    rows = [measure(Path(i), args.threads) for i in args.instances]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(f"{r['instance']}: {r['status']}; solve command {r['solve_command_wall_s']} s wall "
              f"({r['solve_command_cpu_s']} s CPU), HiGHS {r['highs_wall_s']} s: "
              f"{r['ratio_wall']}x; in CPU: command {r['solve_command_cpu_s']} s against HiGHS "
              f"{r['solver_cpu_s']} s: {r['ratio_cpu']}x; "
              f"reports alone {r['reports_wall_s']} s wall "
              f"({r['reports_cpu_s']} s CPU); report.html "
              f"{r['sizes_bytes'].get('report.html', 0) / 1e6:.2f} MB")
    return 0


def add_report_speed_command(bench_subparsers: argparse._SubParsersAction) -> None:
    p = bench_subparsers.add_parser(
        "reports", help="the cost of the reports against the solver's own time",
        description="Run `solve` with its reports and set its wall and CPU time against "
                    "HiGHS's time; then time the reports alone; print report sizes.")
    p.add_argument("instances", nargs="+", metavar="INSTANCE", help="instance folders")
    p.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_reports)
