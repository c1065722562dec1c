"""A sweep grid: parameters, each with its values and the changes that use `$value`.

A grid file is written like a scenario file (docs/scenarios.md), with `values:` added to each
entry; every combination of the values becomes one run, its changes with the value filled in.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optimizer.errors import InstanceError, Problem
from optimizer.instance.scenarios.read import (
    NAME,
    Override,
    Ref,
    compose,
    construct,
    pairs,
    parse_scenario,
)

PLACEHOLDER = "$value"  # stands for each of the parameter's values


@dataclass
class GridPoint:
    """One combination of a sweep grid: its label (`budget=4`), values and overrides."""

    label: str
    values: dict[str, Any]
    overrides: list[Override]


def read_grid(path: Path) -> list[tuple[str, list, list[Override]]]:
    """A sweep grid file: parameter -> its `values` and the overrides that use `$value`."""
    source = str(path)
    root = compose(path)
    problems: list[Problem] = []
    params = []
    for key, value in pairs(root, source, None, problems):
        name, ref = str(key.value), Ref(source, key.start_mark.line + 1, str(key.value))
        if not NAME.match(name):
            problems.append(ref.problem("is not a usable parameter name: use letters, digits, "
                                        "`_`, `-` and `.`"))
            continue
        values = _take_values(value, ref, problems)
        _check_labels(name, values, ref, problems)
        scenario = parse_scenario(name, value, ref, problems, extra=("values",))
        if not any(PLACEHOLDER in json.dumps(o.spec, default=str) for o in scenario.overrides):
            problems.append(ref.problem(f"no override uses {PLACEHOLDER}, so the values would "
                                        "change nothing"))
        params.append((name, values, scenario.overrides))
    if problems:
        raise InstanceError(problems)
    return params


def grid_points(params: list[tuple[str, list, list[Override]]]) -> list[GridPoint]:
    """Every combination of the grid's values, with `$value` filled in."""
    if not params:
        return []
    points = []
    for combo in itertools.product(*(values for _, values, _ in params)):
        overrides, labels = [], []
        for (name, _, overs), value in zip(params, combo, strict=True):
            labels.append(f"{name}={_label_value(value)}")
            overrides += [Override(o.kind, _substitute(o.spec, value), o.ref) for o in overs]
        points.append(GridPoint("+".join(labels), dict(zip([p[0] for p in params], combo,
                                                           strict=True)), overrides))
    return points


def _check_labels(name: str, values: list, ref: Ref, problems: list[Problem]) -> None:
    """Two values that give one run name would share (and fight over) one run folder.

    Compared without case, since run folders may live on a case-blind file system.
    """
    first: dict[str, Any] = {}
    for value in values:
        label = _label_value(value)
        if label.lower() in first:
            problems.append(ref.problem(
                f"values {first[label.lower()]!r} and {value!r} both give the run name "
                f"`{name}={label}`; give each value once, and values that differ in more than "
                "case, spaces or punctuation"))
        else:
            first[label.lower()] = value


def _label_value(value: Any) -> str:
    text = "none" if value is None else str(value)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _substitute(spec: Any, value: Any) -> Any:
    if isinstance(spec, str) and spec == PLACEHOLDER:
        return value
    if isinstance(spec, dict):
        return {k: _substitute(v, value) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_substitute(v, value) for v in spec]
    return spec


def _take_values(node: yaml.Node, ref: Ref, problems: list[Problem]) -> list:
    values = None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "values":
                values = construct(value)
    if not isinstance(values, list) or not values:
        problems.append(ref.problem("needs `values:`, a non-empty list such as [2, 4, 6]"))
        return []
    return values

