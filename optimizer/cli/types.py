"""Argument types shared by every command: a bad value is refused by argparse with exit 2."""

from __future__ import annotations

import argparse
import os


def positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def solver_option(text: str) -> tuple[str, object]:
    """KEY=VALUE for HiGHS, the value typed as HiGHS expects it: whole number, number,
    true/false, or text (e.g. `random_seed=7`, `mip_rel_gap=0.001`, `presolve=off`)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip() or not raw.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    raw = raw.strip()
    value: object = raw
    if raw.lower() in ("true", "false"):
        value = raw.lower() == "true"
    else:
        for kind in (int, float):
            try:
                value = kind(raw)
                break
            except ValueError:
                continue
    key = key.strip()
    problem = highs_option_problem(key, value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return key, value


def highs_option_problem(key: str, value: object) -> str | None:
    """Why HiGHS would refuse the option (pyomo passes options on without checking them)."""
    import highspy
    from pyomo.common.tee import capture_output

    with capture_output(capture_fd=True):  # HiGHS prints its banner on creation
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        known = highs.getOptionValue(key)[0] == highspy.HighsStatus.kOk
        accepted = known and highs.setOptionValue(key, value) == highspy.HighsStatus.kOk
    if not known:
        return f"{key!r} is not a HiGHS option (see the HiGHS options reference)"
    if not accepted:
        return f"HiGHS refuses {key}={value!r}: wrong type or out of range"
    return None


def at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def threads(text: str) -> int:
    """Solver threads, capped at the machine's cores: more only slows every solve down."""
    return min(at_least_one(text), os.cpu_count() or 1)


def add_solver_limits(parser: argparse.ArgumentParser, per: str, threads_note: str = "",
                      with_threads: bool = True) -> None:
    """--time-limit, --gap and --threads as every solving command takes them; `per` says what
    one HiGHS solve is there ("per run", "per coalition", ...)."""
    parser.add_argument("--time-limit", type=positive, metavar="S", help=f"seconds of HiGHS {per}")
    parser.add_argument("--gap", type=fraction, metavar="G",
                        help=f"relative MIP gap {per}, e.g. 0.01")
    if with_threads:
        parser.add_argument("--threads", type=threads, metavar="N",
                            help=f"HiGHS threads {per}{threads_note}")


def add_lang(parser: argparse.ArgumentParser, default: str = "the instance's `language:`") -> None:
    """--lang for commands that write reports."""
    parser.add_argument("--lang", choices=("en", "zh"),
                        help=f"language of the reports (default: {default})")
