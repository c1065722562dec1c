"""`bench many`: alternatives and a front on one persistent model, against independent solves.

Measured in one run, one HiGHS thread throughout (the machine may be shared): for each
instance, K alternatives within a slack and an N-point front found on one model kept in
HiGHS (objective and rows changed in place, each solve started from the nearest allocation),
against K independent `solve` runs of the instance (load, build, hand-over and solve from
scratch each time; the first N of them give the figure for N). Ratios are of times measured
in this run only.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from optimizer.cli.main import REPO
from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from optimizer.whatif.alternatives import find_alternatives
from optimizer.whatif.pareto import front_table, is_monotone, trade_off_front
from optimizer.whatif.resolve import Session

INSTANCES = ["yangtze_delta", "jing_jin_ji"]


def add_many_command(bench_subparsers: argparse._SubParsersAction) -> None:
    b = bench_subparsers.add_parser(
        "many", help="alternatives and a front on one model against independent solves",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("instances", nargs="*", metavar="INSTANCE",
                   help="instance folders (default: the shipped yangtze_delta and jing_jin_ji)")
    b.add_argument("--alternatives", type=int, default=10, metavar="K")
    b.add_argument("--slack", type=float, default=0.05, metavar="S")
    b.add_argument("--points", type=int, default=9, metavar="N")
    b.add_argument("--terms", default="excess_hosts,cost", metavar="A,B")
    b.add_argument("--json", action="store_true", help="print JSON instead of a table")
    b.set_defaults(func=cmd_bench_many)


def measure(folder: Path, count: int, slack: float, points: int, terms: list[str],
            threads: int | None = 1) -> dict:
    """One instance: persistent alternatives and front, and `count` independent solves."""
    instance = load_instance(folder)
    row: dict = {"instance": instance.name}
    start = time.perf_counter()
    found = find_alternatives(Session(instance, threads=threads), count, slack)
    row["alternatives_seconds"] = time.perf_counter() - start
    row["alternatives_found"] = len(found.alternatives)
    row["alternatives_worst_gap"] = max(
        [(x.objective - found.optimum.objective) / abs(found.optimum.objective)
         for x in found.alternatives], default=None)
    start = time.perf_counter()
    front = trade_off_front(Session(instance, threads=threads), terms[0], terms[1], points)
    row["front_seconds"] = time.perf_counter() - start
    table = front_table(front)
    row["front_points"] = len(front.points)
    row["front_monotone"] = is_monotone(table, *terms) if len(table) > 1 else True
    row["front_statuses"] = table["status"].value_counts().to_dict()
    solves = []
    for _ in range(max(count, points)):
        start = time.perf_counter()
        results = optimise(load_instance(folder), threads=threads)
        solves.append(time.perf_counter() - start)
        row["solve_status"] = results.outcome.status
    row["solve_seconds_each"] = solves
    row[f"independent_{count}_seconds"] = sum(solves[:count])
    row[f"independent_{points}_seconds"] = sum(solves[:points])
    row["alternatives_ratio"] = row["alternatives_seconds"] / row[f"independent_{count}_seconds"]
    row["front_ratio"] = row["front_seconds"] / row[f"independent_{points}_seconds"]
    return row


def cmd_bench_many(args: argparse.Namespace) -> int:
    folders = [Path(f) for f in args.instances] or [REPO / "instances" / n for n in INSTANCES]
    terms = [t.strip() for t in args.terms.split(",")]
    rows = [measure(f, args.alternatives, args.slack, args.points, terms) for f in folders]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    k, n = args.alternatives, args.points
    print(f"| instance | {k} alternatives (found, worst gap) | {k} independent solves | ratio "
          f"| {n}-point front (points, monotone) | {n} independent solves | ratio |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        gap = "-" if r["alternatives_worst_gap"] is None else f"{r['alternatives_worst_gap']:.2%}"
        print(f"| {r['instance']} | {r['alternatives_seconds']:.1f} s ({r['alternatives_found']}"
              f", {gap}) | {r[f'independent_{k}_seconds']:.1f} s | "
              f"{r['alternatives_ratio']:.2f} | {r['front_seconds']:.1f} s "
              f"({r['front_points']}, {'yes' if r['front_monotone'] else 'no'}; "
              f"{r['front_statuses']}) | {r[f'independent_{n}_seconds']:.1f} s | "
              f"{r['front_ratio']:.2f} |")
    return 0
