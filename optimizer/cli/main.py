"""Command line: `optimizer solve | validate | data build | bench`.

User errors (a bad instance, an existing output folder) print a message and exit 2 with no
traceback; an infeasible instance exits 3 after writing its explanation.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from optimizer.cli.types import add_lang, add_solver_limits, solver_option
from optimizer.errors import UserError

DEFAULT_INSTANCE = "yangtze_delta"
EXIT_USER_ERROR = 2
EXIT_NO_ALLOCATION = 3
REPO = Path(__file__).resolve().parents[2]


def default_instance() -> Path:
    """The shipped default, looked up from here first, then beside the package source."""
    for base in (Path.cwd(), REPO):
        candidate = base / "instances" / DEFAULT_INSTANCE
        if candidate.is_dir():
            return candidate
    raise UserError(f"the default instance instances/{DEFAULT_INSTANCE} was not found; "
                    "give an instance folder")


def cmd_solve(args: argparse.Namespace) -> int:
    from optimizer.instance.scenarios import load_with_scenario
    from optimizer.report.text import run_documents, terminal_table
    from optimizer.results.files import check_out, folder_name
    from optimizer.results.record import solve_provenance, write_run
    from optimizer.solve.run import optimise

    folder = Path(args.instance) if args.instance else default_instance()
    scenarios_file = Path(args.scenarios_file) if args.scenarios_file else None
    instance = load_with_scenario(folder, args.scenario, scenarios_file)
    out = Path(args.out) if args.out else Path("out") / (
        f"{folder_name(instance.name)}-{time.strftime('%Y%m%d-%H%M%S')}")
    check_out(out)
    results = optimise(instance, time_limit=args.time_limit, mip_gap=args.gap,
                       threads=args.threads, solver_options=dict(args.solver_option or []))
    extra = solve_provenance(folder, args.scenario, scenarios_file)
    if args.lang:
        extra["language"] = args.lang
    try:  # the folder appears only when complete, reports included
        notes = write_run(out, results, extra=extra, documents=run_documents())
    except (OSError, UserError) as exc:  # the solve is finished: show it, then say why
        print(terminal_table(results, args.lang))
        raise UserError(f"the results could not be written to {out}: {exc}") from exc
    print(terminal_table(results, args.lang))
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"results written to {out}/ (report.md, report.html, report.xlsx, report.docx, "
          "allocation.csv, summary.json)")
    return 0 if results.outcome.has_solution else EXIT_NO_ALLOCATION


def cmd_validate(args: argparse.Namespace) -> int:
    from optimizer.instance import load_instance
    from optimizer.model import prepare
    from optimizer.solve.diagnose import presolve_findings

    instance = load_instance(Path(args.instance))
    t = instance.tables
    print(f"{args.instance}: instance {instance.name!r} is valid: {len(t['regions'])} regions, "
          f"{len(t['chains'])} chains, {len(t['segments'])} segments, {len(t['links'])} links, "
          f"{len(t['current_layout'])} current hosts.")
    for finding in presolve_findings(prepare(instance)):
        print(f"warning: it cannot be solved as it stands: {finding}")
    return 0


def cmd_data_build(args: argparse.Namespace) -> int:
    from optimizer.sources.databuild import build_instances

    raw = Path(args.raw)
    if not raw.is_dir():
        raise UserError(f"raw data folder {raw} not found; pass --raw")
    for path in build_instances(raw, Path(args.out), args.only or None):
        print(f"wrote {path}")
    return 0


def cmd_bench_orlib(args: argparse.Namespace) -> int:
    from optimizer.bench import orlib

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"{path}: benchmark file not found")
    if args.family == "gap":
        rows = orlib.run_gap(path, maximize=args.maximize)
    else:
        rows = orlib.run_cap(path, capacitated=not args.uncapacitated)
    print(json.dumps(rows, indent=2) if args.json else orlib.format_table(rows))
    return 0


# Commands defined in other modules, several of which import pandas or Pyomo when loaded: a
# module is imported only when one of its commands is run (or for the full parser), so that
# `--help` and `validate` start in a fraction of a second. Each group: the module, the function
# that adds its parsers, and the one-line help of each command it adds (listed by `--help`; a
# test checks that they match the module's own).
COMMANDS: list[tuple[str, str, dict[str, str]]] = [
    ("optimizer.sources.generate", "add_generate_command",
     {"generate": "write a seeded synthetic instance (benchmarks, stress tests)"}),
    ("optimizer.cli.whatif", "add_commands",
     {"sweep": "solve many scenarios or a parameter grid",
      "compare": "compare runs side by side",
      "report": "build report.html and report.xlsx for an output folder"}),
    ("optimizer.cli.alternatives", "add_commands",
     {"alternatives": "near-optimal alternatives and what is settled across them",
      "pareto": "trade-off front between two objective terms"}),
    ("optimizer.whatif.coordinate", "add_command",
     {"coordinate": "the coordination dividend and fair transfers"}),
    ("optimizer.whatif.why", "add_why_command",
     {"why": "what keeping a host would cost, term by term"}),
]
BENCH_COMMANDS: list[tuple[str, str, dict[str, str]]] = [
    ("optimizer.bench.perf", "add_perf_command",
     {"perf": "build, hand-over and solve timings, against the matrix limit and CBC"}),
    ("optimizer.bench.report_speed", "add_report_speed_command",
     {"reports": "the cost of the reports against the solver's own time"}),
    ("optimizer.bench.seeds", "add_seeds_command",
     {"seeds": "output moved between solves with different HiGHS seeds"}),
    ("optimizer.bench.many", "add_many_command",
     {"many": "alternatives, a front and a price grid on one model against fresh solves"}),
]


def _add_groups(sub: argparse._SubParsersAction, groups: list[tuple[str, str, dict[str, str]]],
                wanted: str | None) -> None:
    """The parsers of the group holding `wanted` (every group if None); the others listed
    by name and help only."""
    from importlib import import_module

    for module, function, commands in groups:
        if wanted is None or wanted in commands:
            getattr(import_module(module), function)(sub)
        else:
            for name, text in commands.items():
                sub.add_parser(name, help=text)


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser; given the arguments, only the chosen command's module is
    loaded, without them every command's."""
    words = [a for a in argv if not a.startswith("-")] if argv is not None else []
    command = words[0] if words else None
    wanted = (command or "") if argv is not None else None
    p = argparse.ArgumentParser(
        prog="optimizer",
        description="Assign industry-chain segments to regions: less duplication, whole chains.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("solve", help="solve an instance and write its allocation report",
                       description="Solve an instance folder and write tables, summary.json and "
                                   "report.md to a new output folder.")
    s.add_argument("instance", nargs="?", help=f"instance folder (default: instances/"
                                               f"{DEFAULT_INSTANCE})")
    s.add_argument("--out", help="new output folder (default: out/<instance>-<time>)")
    add_solver_limits(s, "for the solve", " (at most the machine's cores)")
    s.add_argument("--solver-option", type=solver_option, action="append", metavar="KEY=VALUE",
                   help="a HiGHS option, e.g. random_seed=7 (repeatable)")
    s.add_argument("--scenario", metavar="NAME",
                   help="apply a what-if scenario first (docs/scenarios.md)")
    s.add_argument("--scenarios-file", metavar="FILE",
                   help="scenario file (default: scenarios.yaml in the instance folder)")
    add_lang(s)
    s.set_defaults(func=cmd_solve)

    v = sub.add_parser("validate", help="check an instance without solving it",
                       description="Check every table of an instance; exit 0 if sound, 2 if not.")
    v.add_argument("instance", help="instance folder")
    v.set_defaults(func=cmd_validate)

    d = sub.add_parser("data", help="build the shipped instances from raw public data")
    dsub = d.add_subparsers(dest="data_command", required=True)
    b = dsub.add_parser("build", help="rebuild instances from ../shared/data/raw",
                        description="Rebuild the shipped real-data instances.")
    b.add_argument("--raw", default=str(REPO.parent / "shared" / "data" / "raw"),
                   help="raw data folder (default: ../shared/data/raw)")
    b.add_argument("--out", default=str(REPO / "instances"), help="where instances go")
    b.add_argument("--only", action="append", metavar="NAME", help="build only this instance")
    b.set_defaults(func=cmd_data_build)

    _add_groups(sub, COMMANDS[:1], wanted)  # generate, listed before bench as it always was
    bench = sub.add_parser("bench", help="benchmarks: OR-Library optima, performance")
    bsub = bench.add_subparsers(dest="bench_command", required=True)
    bench_wanted = (words[1] if len(words) > 1 else "") if command == "bench" else wanted
    _add_groups(bsub, BENCH_COMMANDS, bench_wanted)
    for family, what in (("gap", "generalised assignment (OR-Library gap*.txt)"),
                         ("cap", "capacitated facility location (OR-Library cap*.txt)")):
        f = bsub.add_parser(family, help=what, description=f"Solve every problem of a {what} "
                                                            "file through the product's model.")
        f.add_argument("file", help="benchmark file")
        f.add_argument("--json", action="store_true", help="print JSON")
        if family == "gap":
            f.add_argument("--maximize", action="store_true", help="solve as maximisation")
        else:
            f.add_argument("--uncapacitated", action="store_true", help="ignore capacities")
        f.set_defaults(func=cmd_bench_orlib, family=family)
    _add_groups(sub, COMMANDS[1:], wanted)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(argv).parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
