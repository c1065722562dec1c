"""What-if scenarios: named sets of small overrides applied to a base instance.

A planner writes scenarios in YAML (`<instance>/scenarios.yaml`, or any file): each override
changes some cells of a table, a policy rule, an infrastructure level or a setting, or drops a
region or a chain with everything that refers to it. read.py reads and checks the file,
edits.py applies the changes; docs/scenarios.md is the reference.
"""

from __future__ import annotations

from pathlib import Path

from optimizer.errors import InstanceError, Problem, UserError, did_you_mean
from optimizer.instance import Instance, load_instance
from optimizer.instance.scenarios.edits import apply_overrides
from optimizer.instance.scenarios.read import Override, Ref, Scenario, read_scenarios, resolve

__all__ = ["SCENARIOS_FILE", "Override", "Ref", "Scenario", "apply_overrides",
           "apply_scenario", "load_with_scenario", "read_scenarios", "resolve",
           "scenarios_path"]

SCENARIOS_FILE = "scenarios.yaml"


def scenarios_path(instance: Instance, file: Path | None = None) -> Path:
    """The scenario file given, or `scenarios.yaml` in the instance folder."""
    if file is not None:
        return Path(file)
    if instance.folder is None:
        raise UserError("the instance was not loaded from a folder; give the scenario file")
    return instance.folder / SCENARIOS_FILE


def apply_scenario(instance: Instance, scenario: str, file: Path | None = None) -> Instance:
    """The instance with the named scenario (and the scenarios it builds on) applied."""
    path = scenarios_path(instance, file)
    book = read_scenarios(path)
    if scenario not in book:
        known = ", ".join(book) or "none"
        raise InstanceError([Problem(str(path), None, scenario,
                                     f"unknown scenario {scenario!r}"
                                     f"{did_you_mean(scenario, book)}; the file has: {known}")])
    return apply_overrides(instance, scenario, resolve(book, scenario), book[scenario].ref)


def load_with_scenario(folder: Path, scenario: str | None, file: Path | None = None) -> Instance:
    """Load an instance folder and apply a scenario if one is named (for `solve --scenario`)."""
    if scenario is None:
        if file is not None:
            raise UserError("--scenarios-file needs --scenario NAME to say which scenario to apply")
        return load_instance(folder)
    return apply_scenario(load_instance(folder), scenario, file)
