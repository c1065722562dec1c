"""Command line for `alternatives` and `pareto`: many solves of one model, one folder each."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from optimizer.cli.types import add_lang, add_solver_limits, at_least_one, fraction
from optimizer.errors import UserError

EXIT_NO_ALLOCATION = 3

ALTERNATIVES_HELP = """\
Find up to K allocations whose objective is within (1 + S) of the optimum and whose hosts
differ as much as possible from the optimum and from each other (Hamming distance on the
host decisions, one alternative at a time; docs/alternatives.md). Writes to a new folder:
alternatives.csv (objective, every term, gap to the optimum, hosts that differ), robustness.csv
(each region-segment pair: the share of layouts hosting it, always / never / choice), one
folder per layout as `solve` writes it, manifest.json (so `compare DIR` compares them) and
report.html / report.xlsx.

example:
  optimizer alternatives instances/jing_jin_ji --count 5 --slack 0.05 --out out/jjj-alts
"""

PARETO_HELP = """\
Trade-off front between two objective terms by the epsilon-constraint method: the end points
are the two lexicographic optima, the points between cap the second term at evenly spaced
values. The instance's other objective terms are free (--hold-others holds them at most at
the weighted optimum's values). Writes front.csv (every term at each point), front.svg (the
front, the weighted optimum marked), one folder per point as `solve` writes it,
manifest.json and report.html / report.xlsx to a new folder.

example:
  optimizer pareto instances/jing_jin_ji --terms excess_hosts,cost --points 9 --out out/front
"""


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `alternatives` and `pareto` to the main parser's subcommands."""
    a = _common(subparsers.add_parser(
        "alternatives", help="near-optimal alternatives and what is settled across them",
        description=ALTERNATIVES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter))
    a.add_argument("--count", type=at_least_one, default=5, metavar="K",
                   help="alternatives to find (default 5)")
    a.add_argument("--slack", type=fraction, default=0.05, metavar="S",
                   help="objective at most (1 + S) x optimum (default 0.05)")
    a.set_defaults(func=cmd_alternatives)
    p = _common(subparsers.add_parser(
        "pareto", help="trade-off front between two objective terms",
        description=PARETO_HELP, formatter_class=argparse.RawDescriptionHelpFormatter))
    p.add_argument("--terms", required=True, metavar="A,B",
                   help="two objective terms, e.g. excess_hosts,cost")
    p.add_argument("--points", type=_two_or_more, default=9, metavar="N",
                   help="points on the front, end points included (default 9)")
    p.add_argument("--workers", type=at_least_one, default=1, metavar="N",
                   help="solve the points between the ends in N processes, one HiGHS thread "
                        "each (default 1)")
    p.add_argument("--hold-others", action="store_true",
                   help="hold the instance's other objective terms at most at the weighted "
                        "optimum's values (then the weighted optimum lies on the front)")
    p.set_defaults(func=cmd_pareto)


def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("instance", help="instance folder")
    p.add_argument("--out", help="new output folder (default: out/<instance>-<command>-<time>)")
    p.add_argument("--scenario", metavar="NAME", help="apply a what-if scenario first")
    p.add_argument("--scenarios-file", metavar="FILE",
                   help="scenario file (default: scenarios.yaml in the instance folder)")
    add_solver_limits(p, "per solve")
    p.add_argument("--no-reports", action="store_true",
                   help="skip report.html / report.xlsx (faster)")
    add_lang(p)
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def _two_or_more(text: str) -> int:
    value = at_least_one(text)
    if value < 2:
        raise argparse.ArgumentTypeError("a front needs at least its 2 end points")
    return value


def _prepare(args: argparse.Namespace, command: str):
    """The instance (with its scenario), the new output folder, and a session on it."""
    from optimizer.instance.scenarios import load_with_scenario
    from optimizer.results.files import refuse_existing
    from optimizer.results.record import solve_provenance
    from optimizer.whatif.resolve import Session

    folder = Path(args.instance)
    if not folder.is_dir():
        raise UserError(f"{folder} is not an instance folder")
    scenarios_file = Path(args.scenarios_file) if args.scenarios_file else None
    instance = load_with_scenario(folder, args.scenario, scenarios_file)
    out = Path(args.out) if args.out else Path("out") / (
        f"{instance.name}-{command}-{time.strftime('%Y%m%d-%H%M%S')}")
    refuse_existing(out)
    session = Session(instance, args.time_limit, args.gap, args.threads)
    return session, out, solve_provenance(folder, args.scenario, scenarios_file)


def _say(quiet: bool):
    return None if quiet else (lambda text: print(text, flush=True))


def cmd_alternatives(args: argparse.Namespace) -> int:
    from optimizer.whatif.alternatives import find_alternatives, write_alternatives
    from optimizer.whatif.resolve import NoAllocation

    try:
        session, out, extra = _prepare(args, "alternatives")
        found = find_alternatives(session, args.count, args.slack, _say(args.quiet))
    except NoAllocation as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NO_ALLOCATION
    tables = write_alternatives(found, out, extra, reports=not args.no_reports,
                                lang=args.lang)
    table = tables["alternatives"]
    print(f"{found.instance_name}: {len(found.alternatives)} alternatives within "
          f"{found.slack:.2%} of the optimum in {found.seconds:.1f} s")
    if found.stopped:
        print(f"  fewer than asked: {found.stopped}")
    for row in table.itertuples(index=False):
        print(f"  {row.alternative:<16} objective {row.objective:>14,.3f} "
              f"({row.gap_to_optimum:+.2%})  hosts {row.hosts:>5}  differ from optimum "
              f"{row.hosts_differ_from_optimum:>5}")
    counts = tables["robustness"]["robustness"].value_counts().to_dict()
    print(f"  region-segment pairs: {counts.get('always', 0)} always hosted, "
          f"{counts.get('never', 0)} never, {counts.get('choice', 0)} a choice")
    print(f"results written to {out}/ (alternatives.csv, robustness.csv, one folder per "
          "layout, report.html)")
    return 0


def cmd_pareto(args: argparse.Namespace) -> int:
    from optimizer.whatif.pareto import trade_off_front, write_front
    from optimizer.whatif.resolve import NoAllocation

    terms = [t.strip() for t in args.terms.split(",") if t.strip()]
    if len(terms) != 2:
        raise UserError(f"--terms {args.terms!r}: give exactly two objective terms, "
                        "e.g. excess_hosts,cost")
    try:
        session, out, extra = _prepare(args, "pareto")
        front = trade_off_front(session, terms[0], terms[1], args.points, _say(args.quiet),
                                args.hold_others, args.workers)
    except NoAllocation as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NO_ALLOCATION
    table = write_front(front, out, extra, reports=not args.no_reports, lang=args.lang)
    print(f"{front.instance_name}: {len(front.points)} points on the {terms[0]}-{terms[1]} "
          f"front in {front.seconds:.1f} s")
    for row in table.to_dict("records"):
        gap = "-" if row["mip_gap"] is None or row["mip_gap"] != row["mip_gap"] \
            else f"{row['mip_gap']:.2%}"
        print(f"  {row['point']:<9} {terms[0]} {row[f'term_{terms[0]}']:>12,.3f}  "
              f"{terms[1]} {row[f'term_{terms[1]}']:>14,.3f}  {row['status']} (gap {gap})")
    w = front.weighted.terms
    print(f"  weighted optimum: {terms[0]} {w[terms[0]]['value']:,.3f}, {terms[1]} "
          f"{w[terms[1]]['value']:,.3f}")
    for d in front.dropped:
        where = "an end point" if d["epsilon"] is None else f"cap {d['epsilon']:.6g}"
        print(f"  {where}: {d['why']}")
    print(f"results written to {out}/ (front.csv, front.svg, one folder per point, "
          "report.html)")
    return 0
