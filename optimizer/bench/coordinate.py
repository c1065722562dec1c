"""Benchmark of `coordinate`: every coalition on one persistent model against independent
solves of each coalition written as an instance, measured in one run.

    python -m optimizer.bench.coordinate instances/yangtze_delta [--workers 2]

Prints a Markdown table (wall and CPU seconds, and the ratios) for BENCHMARKS.md. Every
solve uses one HiGHS thread; the independent solves load nothing from disk but build, hand
over and solve each coalition's instance from scratch, as `solve` would.
"""

from __future__ import annotations

import argparse
import time

from optimizer.instance import load_instance
from optimizer.model import prepare
from optimizer.solve.run import optimise
from optimizer.solve.solver import SolveOptions
from optimizer.whatif import games
from optimizer.whatif.coalitions import coalition_instance, instance_is_exact, players_of
from optimizer.whatif.coordinate import CoalitionSolver, Settings


def _persistent(instance, players, settings: Settings, options: SolveOptions) -> tuple:
    wall, cpu = time.perf_counter(), time.process_time()
    with CoalitionSolver(instance, players, settings, options) as solver:
        plans = dict(solver.solve(games.all_coalitions(players.names)))
    return plans, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("instance")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    instance = load_instance(args.instance)
    players = players_of(instance)
    options = SolveOptions.from_settings(prepare(instance), threads=1)
    rows = []
    warm, w_wall, w_cpu = _persistent(instance, players, Settings(workers=1), options)
    rows.append(("persistent model, 1 worker, warm starts", w_wall, w_cpu))
    _, c_wall, c_cpu = _persistent(instance, players, Settings(workers=1, warm_start=False),
                                   options)
    rows.append(("persistent model, 1 worker, no warm starts", c_wall, c_cpu))
    _, p_wall, _ = _persistent(instance, players, Settings(workers=args.workers), options)
    rows.append((f"persistent model, {args.workers} workers, warm starts", p_wall, None))
    from optimizer.whatif.coalitions import CoalitionModel

    model = CoalitionModel(instance, players, "buy_in", options)
    wall, cpu = time.perf_counter(), time.process_time()
    worst = 0.0
    exact = 0
    for plan in warm.values():
        sub = coalition_instance(model, plan.members, plan.builds_given_up)
        direct = optimise(sub, threads=1)
        if instance_is_exact(model, plan) and plan.own_objective is not None:
            exact += 1
            worst = max(worst, abs(direct.outcome.objective - plan.own_objective)
                        / max(1.0, abs(plan.own_objective)))
    i_wall, i_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows.append((f"{len(warm)} independent solves (instance built and solved each time)",
                 i_wall, i_cpu))
    print(f"{instance.name}: {len(warm)} coalitions of {len(players.names)} groups, HiGHS "
          f"threads 1; {exact} coalitions comparable with their own instance, largest "
          f"relative difference of objectives {worst:.2e} (MIP gap {options.mip_gap:g})\n")
    print("| run | wall s | CPU s (this process) | wall vs independent |")
    print("|---|---|---|---|")
    for name, wall_s, cpu_s in rows:
        cpu_text = "-" if cpu_s is None else f"{cpu_s:.1f}"
        print(f"| {name} | {wall_s:.1f} | {cpu_text} | {wall_s / i_wall:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
