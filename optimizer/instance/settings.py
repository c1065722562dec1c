"""Read and check `instance.yaml`: names, units, objective, solver options, policy switches."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from optimizer.errors import InstanceError, Problem
from optimizer.instance import safe_yaml
from optimizer.instance.schema import OBJECTIVE_TERMS, POLICY_DEFAULTS, Settings

SETTINGS_FILE = "instance.yaml"
TOP_KEYS = {"name", "description", "units", "objective", "solver", "policy", "workbook",
            "language"}
LANGUAGES = ("en", "zh")
OBJECTIVE_KEYS = {"mode", "weights", "order", "tolerance"}
SOLVER_KEYS = {"time_limit", "mip_gap", "threads"}
DEFAULT_WEIGHTS = {"excess_hosts": 1.0, "pairwise_overlap": 0.0, "cost": 0.0,
                   "linkage": 0.0, "compensation": 0.0}


def read_settings(folder: Path, problems: list[Problem]) -> Settings | None:
    """Parse instance.yaml safely; append problems rather than raising."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        problems.append(Problem(SETTINGS_FILE, None, None,
                                f"not found in {folder}; every instance folder needs one"))
        return None
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"), SETTINGS_FILE)
    except UnicodeDecodeError as exc:
        problems.append(Problem(SETTINGS_FILE, None, None, f"is not UTF-8 text ({exc.reason})"))
        return None
    except InstanceError as exc:
        problems += exc.problems
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(SETTINGS_FILE, None, None,
                                "must be a mapping of keys such as `name:` and `objective:`"))
        return None
    return parse_settings(raw, folder, problems)


def parse_settings(raw: dict, folder: Path, problems: list[Problem]) -> Settings:
    """Check a settings mapping (from instance.yaml or built in code)."""
    return _parse(raw, folder, _Reporter(problems))


class _Reporter:
    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def __call__(self, key: str, message: str) -> None:
        self.problems.append(Problem(SETTINGS_FILE, None, key, message))

    def unknown(self, section: dict, allowed: set[str], prefix: str = "") -> None:
        for key in section:
            if key not in allowed:
                self(prefix + str(key), f"unknown key; expected one of {sorted(allowed)}")


def _mapping(raw: dict, key: str, report: _Reporter) -> dict:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        report(key, "must be a mapping")
        return {}
    return value


def _number(value: Any, key: str, report: _Reporter, lo: float = 0.0,
            hi: float = float("inf"), allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        report(key, f"must be a finite number, got {value!r}")
        return None
    if not lo <= value <= hi:
        report(key, f"must be between {lo} and {hi}, got {value}")
        return None
    return float(value)


def _parse(raw: dict, folder: Path, report: _Reporter) -> Settings:
    report.unknown(raw, TOP_KEYS)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        report("name", "must be a non-empty text naming the instance")
        name = folder.name
    settings = Settings(name=name, description=str(raw.get("description") or ""))
    settings.units = _mapping(raw, "units", report)
    _parse_objective(_mapping(raw, "objective", report), settings, report)
    _parse_solver(_mapping(raw, "solver", report), settings, report)
    _parse_policy(_mapping(raw, "policy", report), settings, report)
    language = raw.get("language", "en")
    if language not in LANGUAGES:
        report("language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")
    else:
        settings.language = language
    workbook = raw.get("workbook")
    if workbook is not None:
        settings.workbook = _confined(workbook, folder, report)
    return settings


def _parse_objective(section: dict, settings: Settings, report: _Reporter) -> None:
    report.unknown(section, OBJECTIVE_KEYS, "objective.")
    mode = section.get("mode", "weighted")
    if mode not in ("weighted", "lexicographic"):
        report("objective.mode", f"must be `weighted` or `lexicographic`, got {mode!r}")
    settings.objective_mode = mode
    weights = dict(DEFAULT_WEIGHTS)
    given = section.get("weights") or {}
    if not isinstance(given, dict):
        report("objective.weights", "must be a mapping of term: weight")
        given = {}
    for term, value in given.items():
        if term not in OBJECTIVE_TERMS:
            report(f"objective.weights.{term}",
                   f"unknown objective term; expected one of {list(OBJECTIVE_TERMS)}")
            continue
        number = _number(value, f"objective.weights.{term}", report)
        if number is not None:
            weights[term] = number
    settings.weights = weights
    order = section.get("order")
    if order is None:
        order = [t for t in OBJECTIVE_TERMS if weights.get(t, 0) > 0]
    if not isinstance(order, list) or any(t not in OBJECTIVE_TERMS for t in order):
        report("objective.order", f"must be a list of terms from {list(OBJECTIVE_TERMS)}")
        order = []
    elif len(set(order)) != len(order):
        report("objective.order", "names a term twice")
    settings.order = order
    tolerance = _number(section.get("tolerance", 0.0), "objective.tolerance", report, hi=1.0)
    settings.tolerance = tolerance or 0.0


def _parse_solver(section: dict, settings: Settings, report: _Reporter) -> None:
    report.unknown(section, SOLVER_KEYS, "solver.")
    if "time_limit" in section:
        settings.time_limit = _number(section["time_limit"], "solver.time_limit", report,
                                      lo=1e-3, allow_none=True)
    if "mip_gap" in section:
        settings.mip_gap = _number(section["mip_gap"], "solver.mip_gap", report, hi=1.0) or 0.0
    threads = section.get("threads")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or threads < 1):
        report("solver.threads", f"must be a whole number of at least 1, got {threads!r}")
        threads = None
    settings.threads = None if threads is None else min(threads, os.cpu_count() or 1)


def _parse_policy(section: dict, settings: Settings, report: _Reporter) -> None:
    report.unknown(section, set(POLICY_DEFAULTS), "policy.")
    policy = dict(POLICY_DEFAULTS)
    for key, value in section.items():
        if key not in POLICY_DEFAULTS:
            continue
        if isinstance(POLICY_DEFAULTS[key], bool):
            if not isinstance(value, bool):
                report(f"policy.{key}", f"must be true or false, got {value!r}")
                continue
        elif key == "max_loss_share":
            value = _number(value, "policy.max_loss_share", report, hi=1.0, allow_none=True)
        elif key == "max_shrink":
            value = _number(value, "policy.max_shrink", report, hi=1.0, allow_none=True)
        elif key == "change_budget" and value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0):
            report("policy.change_budget", f"must be a whole number >= 0 or null, got {value!r}")
            continue
        policy[key] = value
    settings.policy = policy


def _confined(name: Any, folder: Path, report: _Reporter) -> str | None:
    """A file the instance names must stay inside the instance folder."""
    if not isinstance(name, str) or not name:
        report("workbook", "must be the file name of an .xlsx workbook in the instance folder")
        return None
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        report("workbook", f"{name!r} points outside the instance folder; keep it inside")
        return None
    if target.suffix.lower() != ".xlsx":
        report("workbook", f"{name!r} must be an .xlsx workbook")
        return None
    return name
