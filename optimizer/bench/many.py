"""`bench many`: alternatives, a front and a price grid on one kept model, against fresh solves.

Measured in one run, one HiGHS thread throughout (the machine may be shared): for each
instance, K alternatives within a slack and an N-point front found on one model kept in
HiGHS (objective and rows changed in place, each solve started from the nearest allocation),
against K independent `solve` runs of the instance (load, build, hand-over and solve from
scratch each time; the first N of them give the figure for N); and a grid of duplication
prices solved on one kept model (as `sweep --grid` does) against the same points solved
fresh. Wall and CPU seconds of this process (HiGHS runs in it): on a shared machine the CPU
seconds are the fairer comparison. Ratios are of times measured in this run only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from optimizer.bench import kept_model
from optimizer.bench.kept_model import KEPT_NOTE, optimise_reusing
from optimizer.cli.main import REPO
from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from optimizer.whatif.alternatives import find_alternatives
from optimizer.whatif.pareto import front_table, is_monotone, trade_off_front
from optimizer.whatif.resolve import Session

INSTANCES = ["yangtze_delta", "jing_jin_ji"]
PRICE_STEPS = (1.0, 0.75, 0.5, 1.5, 2.0)  # times the instance's duplication price


def add_many_command(bench_subparsers: argparse._SubParsersAction) -> None:
    b = bench_subparsers.add_parser(
        "many", help="alternatives, a front and a price grid on one model against fresh solves",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("instances", nargs="*", metavar="INSTANCE",
                   help="instance folders (default: the shipped yangtze_delta and jing_jin_ji)")
    b.add_argument("--alternatives", type=int, default=10, metavar="K")
    b.add_argument("--slack", type=float, default=0.05, metavar="S")
    b.add_argument("--points", type=int, default=9, metavar="N")
    b.add_argument("--terms", default="excess_hosts,cost", metavar="A,B")
    b.add_argument("--threads", type=int, default=1, metavar="N",
                   help="HiGHS threads per solve (default 1)")
    b.add_argument("--json", action="store_true", help="print JSON instead of a table")
    b.set_defaults(func=cmd_bench_many)


def _timed(work: Callable[[], object]) -> tuple[object, float, float]:
    """What `work` returns, with the wall and CPU seconds it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def measure(folder: Path, count: int, slack: float, points: int, terms: list[str],
            threads: int | None = 1, prices: tuple[float, ...] = PRICE_STEPS) -> dict:
    """One instance: alternatives, front and price grid on kept models, and fresh solves."""
    instance = load_instance(folder)
    row: dict = {"instance": instance.name}
    found, row["alternatives_seconds"], row["alternatives_cpu"] = _timed(
        lambda: find_alternatives(Session(instance, threads=threads), count, slack))
    row["alternatives_found"] = len(found.alternatives)
    row["alternatives_worst_gap"] = max(
        [(x.objective - found.optimum.objective) / abs(found.optimum.objective)
         for x in found.alternatives], default=None)
    row["alternatives_searches"] = [x.search.status for x in found.alternatives]
    front, row["front_seconds"], row["front_cpu"] = _timed(
        lambda: trade_off_front(Session(instance, threads=threads), terms[0], terms[1],
                                points))
    table = front_table(front)
    row["front_points"] = len(front.points)
    row["front_monotone"] = is_monotone(table, *terms) if len(table) > 1 else True
    row["front_statuses"] = table["status"].value_counts().to_dict()
    row["front_worst_gap"] = float(table["mip_gap"].max()) if len(table) else None
    solves = [_timed(lambda: optimise(load_instance(folder), threads=threads))
              for _ in range(max(count, points))]
    row["solve_status"] = solves[-1][0].outcome.status
    row["solve_seconds_each"] = [wall for _, wall, _ in solves]
    for n, what in ((count, "alternatives"), (points, "front")):
        row[f"independent_{n}_seconds"] = sum(wall for _, wall, _ in solves[:n])
        row[f"independent_{n}_cpu"] = sum(cpu for _, _, cpu in solves[:n])
        row[f"{what}_ratio"] = row[f"{what}_seconds"] / row[f"independent_{n}_seconds"]
        row[f"{what}_cpu_ratio"] = row[f"{what}_cpu"] / row[f"independent_{n}_cpu"]
    row |= price_grid(folder, prices, threads)
    return row


def price_grid(folder: Path, prices: tuple[float, ...], threads: int | None) -> dict:
    """The grid points of `prices` x the duplication price, on one kept model and fresh."""
    from optimizer.whatif.sweep import plan_sweep

    price = load_instance(folder).settings.weights.get("excess_hosts", 1.0)
    with tempfile.TemporaryDirectory() as tmp:
        grid = Path(tmp) / "grid.yaml"
        grid.write_text(json.dumps({"duplication_price": {
            "values": [round(price * k, 6) for k in prices],
            "settings": {"objective.weights.excess_hosts": "$value"}}}), encoding="utf-8")
        runs = plan_sweep(folder, [], None, grid, include_base=True).runs
    kept_model._KEPT.clear()
    kept, wall, cpu = _timed(lambda: [optimise_reusing(r.instance, threads=threads)
                                      for r in runs])
    kept_model._KEPT.clear()
    fresh, fresh_wall, fresh_cpu = _timed(lambda: [optimise(r.instance, threads=threads)
                                                   for r in runs])
    return {"grid_points": len(runs), "grid_kept_seconds": wall, "grid_kept_cpu": cpu,
            "grid_fresh_seconds": fresh_wall, "grid_fresh_cpu": fresh_cpu,
            "grid_points_on_kept_model": sum(KEPT_NOTE in r.outcome.message for r in kept),
            "grid_statuses": [r.outcome.status for r in kept],
            "grid_objectives_agree": all(
                abs(a.outcome.objective - b.outcome.objective)
                <= 1e-4 * max(1.0, abs(b.outcome.objective)) for a, b in zip(
                    kept, fresh, strict=True) if a.outcome.has_solution)}


def cmd_bench_many(args: argparse.Namespace) -> int:
    folders = [Path(f) for f in args.instances] or [REPO / "instances" / n for n in INSTANCES]
    terms = [t.strip() for t in args.terms.split(",")]
    rows = [measure(f, args.alternatives, args.slack, args.points, terms, args.threads)
            for f in folders]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    k, n = args.alternatives, args.points
    print(f"| instance | {k} alternatives (found, worst gap) | {k} independent solves | ratio "
          f"(CPU) | {n}-point front (points, monotone) | {n} independent solves | ratio "
          "(CPU) | price grid, kept model | fresh | ratio (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        gap = "-" if r["alternatives_worst_gap"] is None else f"{r['alternatives_worst_gap']:.2%}"
        print(f"| {r['instance']} | {r['alternatives_seconds']:.1f} s ({r['alternatives_found']}"
              f", {gap}) | {r[f'independent_{k}_seconds']:.1f} s | "
              f"{r['alternatives_ratio']:.2f} ({r['alternatives_cpu_ratio']:.2f}) | "
              f"{r['front_seconds']:.1f} s ({r['front_points']}, "
              f"{'yes' if r['front_monotone'] else 'no'}; {r['front_statuses']}) | "
              f"{r[f'independent_{n}_seconds']:.1f} s | {r['front_ratio']:.2f} "
              f"({r['front_cpu_ratio']:.2f}) | {r['grid_kept_seconds']:.1f} s "
              f"({r['grid_points_on_kept_model']} of {r['grid_points']} kept) | "
              f"{r['grid_fresh_seconds']:.1f} s | "
              f"{r['grid_kept_seconds'] / r['grid_fresh_seconds']:.2f} "
              f"({r['grid_kept_cpu'] / r['grid_fresh_cpu']:.2f}) |")
    return 0
