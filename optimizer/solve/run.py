"""The pipeline a planner runs: instance -> model -> solve -> results, timed stage by stage."""

from __future__ import annotations

import time

from optimizer.instance import Instance
from optimizer.model import build_model, prepare
from optimizer.results import Results, collect
from optimizer.solve.diagnose import presolve_findings
from optimizer.solve.explain import explain_infeasibility
from optimizer.solve.shadow import shadow_prices
from optimizer.solve.solver import MESSAGES, AllocationSolver, SolveOptions, SolveOutcome


def optimise(instance: Instance, time_limit: float | None = None, mip_gap: float | None = None,
             threads: int | None = None, solver_options: dict | None = None) -> Results:
    """Solve one instance; an impossible one comes back `infeasible` with the reasons."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    data = prepare(instance)
    timings["prepare"] = time.perf_counter() - start
    options = SolveOptions.from_settings(data, time_limit=time_limit, mip_gap=mip_gap,
                                         threads=threads, solver_options=solver_options)
    findings = presolve_findings(data)
    if findings:
        outcome = SolveOutcome("infeasible", MESSAGES["infeasible"] + " (found before solving)",
                               options=vars(options))
        return Results(instance, outcome, {}, findings=findings, timings=timings)
    start = time.perf_counter()
    model = build_model(data)
    timings["build"] = time.perf_counter() - start
    outcome = AllocationSolver(options, once=True).solve(model, data)
    timings["solve"] = outcome.seconds
    if outcome.status == "infeasible":
        start = time.perf_counter()
        findings = explain_infeasibility(instance, options.time_limit)
        timings["explain"] = time.perf_counter() - start
    results = collect(model, data, outcome, findings, timings)
    if outcome.has_solution:  # priced here, where the solving happens (a sweep's worker)
        start = time.perf_counter()
        results.shadow = shadow_prices(instance, results.layout, threads=options.threads,
                                       time_limit=options.time_limit, solved=(model, data))
        results.timings["shadow_prices"] = time.perf_counter() - start
    return results
