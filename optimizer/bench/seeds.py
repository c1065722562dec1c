"""`optimizer bench seeds`: are the quantities determined, or does the solver's seed move them?

Each instance is solved once per HiGHS `random_seed` (same options otherwise); the figure is
the output placed in different cities between two solves, half the summed |q1 - q2| over
(region, segment), as a share of total output. A plan a planner can defend moves at most
0.5 % this way (issue 11). Timing lives in BENCHMARKS.md, never in a pass/fail test.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from optimizer.cli.types import positive
from optimizer.errors import UserError

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("yangtze_delta", "jing_jin_ji", "provinces", "national")
LIMIT = 0.005  # share of output the seed may move


def moved_share(a: dict, b: dict) -> tuple[float, float]:
    """(output in different cities, its share of the total) between two layouts."""
    moved = 0.5 * sum(abs(a.get(p, 0.0) - b.get(p, 0.0)) for p in set(a) | set(b))
    total = sum(a.values())
    return moved, moved / total if total else 0.0


def run_seeds(folder: Path, seeds: list[int], threads: int | None,
              time_limit: float | None) -> dict:
    """Solve once per seed; the largest share moved between any two of the solves."""
    from optimizer.instance import load_instance
    from optimizer.solve.run import optimise

    instance = load_instance(folder)
    runs = []
    for seed in seeds:
        res = optimise(instance, time_limit=time_limit, threads=threads,
                       solver_options={"random_seed": seed})
        runs.append({"seed": seed, "status": res.outcome.status, "gap": res.outcome.mip_gap,
                     "solver_seconds": res.outcome.seconds, "layout": res.layout})
    pairs = [moved_share(a["layout"], b["layout"]) for a, b in itertools.combinations(runs, 2)]
    worst = max(pairs, key=lambda m: m[1], default=(0.0, 0.0))
    return {"instance": folder.name, "runs": [{k: v for k, v in r.items() if k != "layout"}
                                              for r in runs],
            "total_output": sum(runs[0]["layout"].values()) if runs else 0.0,
            "moved": worst[0], "moved_share": worst[1], "within_limit": worst[1] <= LIMIT}


def cmd_seeds(args: argparse.Namespace) -> int:
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if len(seeds) < 2:
        raise UserError("--seeds needs at least two seeds, e.g. 1,2")
    names = args.instances.split(",") if args.instances else list(SHIPPED)
    rows = []
    for name in names:
        folder = Path(name) if Path(name).is_dir() else REPO / "instances" / name
        if not folder.is_dir():
            raise UserError(f"instance {name!r} not found (looked for {folder})")
        rows.append(run_seeds(folder, seeds, args.threads, args.time_limit))
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    print("| instance | seeds | status (gap) | solve s | output moved | share | ≤ 0.5 % |")
    print("|---|---|---|---|---:|---:|:-:|")
    for r in rows:
        status = ", ".join(f"{x['status']} ({(x['gap'] or 0):.2%})" for x in r["runs"])
        secs = ", ".join(f"{x['solver_seconds']:.1f}" for x in r["runs"])
        print(f"| {r['instance']} | {args.seeds} | {status} | {secs} | {r['moved']:,.1f} of "
              f"{r['total_output']:,.0f} | {r['moved_share']:.3%} | "
              f"{'yes' if r['within_limit'] else 'NO'} |")
    return 0


def add_seeds_command(bench_subparsers: argparse._SubParsersAction) -> None:
    p = bench_subparsers.add_parser(
        "seeds", help="output moved between solves with different HiGHS seeds",
        description="Solve each instance once per HiGHS random_seed and report the output "
                    "placed in different cities between the solves (at most 0.5 % for a plan "
                    "whose quantities are determined).")
    p.add_argument("--instances", metavar="NAME,...",
                   help=f"instance names or folders (default: {', '.join(SHIPPED)})")
    p.add_argument("--seeds", default="1,2", metavar="S,S,...", help="seeds (default 1,2)")
    p.add_argument("--threads", type=int, default=1, metavar="N",
                   help="HiGHS threads (default 1: seeds, not threads, should differ)")
    p.add_argument("--time-limit", type=positive, metavar="S",
                   help="seconds per solve (default: the instance's)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_seeds)
