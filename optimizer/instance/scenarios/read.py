"""Scenario files read: each scenario's changes, checked for shape, with where each was written.

Names (regions, tables, columns...) are checked when the changes are applied (edits.py); here
the file itself: YAML that is safe to read, usable scenario names, known kinds of change, the
keys each kind takes, and `base:` chains that end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optimizer.errors import InstanceError, Problem, did_you_mean
from optimizer.instance import safe_yaml

NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
RESERVED = {"base", "current"}  # `base` is the unchanged instance, `current` today's layout

# Override kinds that take a mapping (or a list of mappings): required keys, optional keys.
# "a|b" means exactly one of a and b.
SPEC_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "set": (("table", "column", "to"), ("where",)),
    "scale": (("table", "column", "by"), ("where",)),
    "add_row": (("table", "row"), ()),
    "remove_rows": (("table", "where"), ()),
    "must": (("region|group", "segment|chain"), ("note",)),
    "forbid": (("region|group", "segment|chain"), ("note",)),
    "release": (("region|group", "segment|chain"), ()),
    "add_host": (("region", "segment", "output"), ()),
    "upgrade": (("region|group", "infrastructure", "level"), ()),
}
NAME_KINDS = ("drop_region", "drop_chain", "drop_segment")  # a name or a list of names
MAP_KINDS = ("policy", "settings")  # a mapping of key: value, applied together
KINDS = (*SPEC_KEYS, *NAME_KINDS, *MAP_KINDS)
META_KEYS = ("description", "base")


@dataclass(frozen=True)
class Ref:
    """Where an override was written, so that a problem can point at it."""

    file: str
    line: int | None
    scenario: str
    key: str = ""

    def problem(self, message: str) -> Problem:
        column = f"{self.scenario}.{self.key}" if self.key else self.scenario
        return Problem(self.file, self.line, column, message)


@dataclass(frozen=True)
class Override:
    kind: str
    spec: Any
    ref: Ref


@dataclass
class Scenario:
    name: str
    overrides: list[Override]
    ref: Ref
    description: str = ""
    base: str | None = None


def resolve(book: dict[str, Scenario], name: str) -> list[Override]:
    """The overrides of a scenario, those of the scenarios it builds on first."""
    chain, seen = [], set()
    while name is not None and name not in seen:
        seen.add(name)
        chain.append(book[name])
        name = book[name].base
    return [o for scenario in reversed(chain) for o in scenario.overrides]


def read_scenarios(path: Path) -> dict[str, Scenario]:
    """Every scenario of a file, checked for shape; names are checked when applied."""
    source = str(path)
    root = compose(path)
    problems: list[Problem] = []
    book: dict[str, Scenario] = {}
    for key, value in pairs(root, source, None, problems):
        name, line = str(key.value), key.start_mark.line + 1
        ref = Ref(source, line, name)
        if not NAME.match(name) or name in RESERVED:
            problems.append(ref.problem("is not a usable scenario name: use letters, digits, "
                                        "`_`, `-` and `.`, and not `base` or `current`"))
            continue
        book[name] = parse_scenario(name, value, ref, problems)
    _check_bases(book, problems)
    if problems:
        raise InstanceError(problems)
    return book


def compose(path: Path) -> yaml.Node:
    """The checked YAML tree of a scenario or grid file: a non-empty mapping."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InstanceError([Problem(source, None, None, "not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError([Problem(source, None, None, f"cannot be read: {exc}")]) from exc
    root = safe_yaml.compose(text, source)
    if not isinstance(root, yaml.MappingNode) or not root.value:
        raise InstanceError([Problem(source, None, None,
                                     "must map each scenario name to its changes, e.g.\n"
                                     "    ningbo_port:\n"
                                     "      upgrade: {region: ningbo, infrastructure: port, "
                                     "level: 3}")])
    return root


def pairs(node: yaml.MappingNode, source: str, scenario: str | None,
          problems: list[Problem]) -> list[tuple[yaml.Node, yaml.Node]]:
    """Key-value nodes of a mapping; a key written twice is refused (YAML would keep one)."""
    seen: dict[str, int] = {}
    found = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        name = str(key.value)
        if name in seen:
            problems.append(Problem(source, line, f"{scenario}.{name}" if scenario else name,
                                    f"is written twice (first at line {seen[name]}); give a "
                                    "list under one key to make several changes of one kind"))
            continue
        seen[name] = line
        found.append((key, value))
    return found


def construct(node: yaml.Node) -> Any:
    """The plain value of a checked node."""
    return safe_yaml.construct(node, node.start_mark.name)


def parse_scenario(name: str, node: yaml.Node, ref: Ref, problems: list[Problem],
                   extra: tuple[str, ...] = ()) -> Scenario:
    """One scenario's changes (or a grid parameter's: its `extra` keys are skipped)."""
    scenario = Scenario(name, [], ref)
    if not isinstance(node, yaml.MappingNode):
        problems.append(ref.problem("must be a mapping of changes, such as "
                                    "`scale: {table: ..., column: ..., by: 2}`"))
        return scenario
    for key, value in pairs(node, ref.file, name, problems):
        kind, line = str(key.value), key.start_mark.line + 1
        if kind in extra:
            continue
        if kind in META_KEYS:
            text = construct(value)
            if not isinstance(text, str):
                problems.append(Ref(ref.file, line, name, kind).problem("must be text"))
            elif kind == "description":
                scenario.description = text
            else:
                scenario.base = text
        elif kind not in KINDS:
            problems.append(Ref(ref.file, line, name, kind).problem(
                f"unknown kind of change{did_you_mean(kind, KINDS + META_KEYS)}; expected one "
                f"of {', '.join(KINDS + META_KEYS)}"))
        else:
            scenario.overrides += _overrides(kind, value, Ref(ref.file, line, name, kind),
                                             problems)
    if not scenario.overrides and scenario.base is None:
        problems.append(ref.problem("changes nothing; give at least one change"))
    return scenario


def _overrides(kind: str, node: yaml.Node, ref: Ref, problems: list[Problem]) -> list[Override]:
    """One override, or one per list item (each with its own line)."""
    if kind in SPEC_KEYS and isinstance(node, yaml.SequenceNode):
        found = []
        for i, item in enumerate(node.value, start=1):
            item_ref = Ref(ref.file, item.start_mark.line + 1, ref.scenario, f"{kind}[{i}]")
            found += _overrides(kind, item, item_ref, problems)
        return found
    spec = construct(node)
    message = _shape_problem(kind, spec)
    if message:
        problems.append(ref.problem(message))
        return []
    return [Override(kind, spec, ref)]


def _shape_problem(kind: str, spec: Any) -> str | None:
    """Why an override is badly shaped (before any name is looked up), or None."""
    if kind in NAME_KINDS:
        names = spec if isinstance(spec, list) else [spec]
        if not names or not all(isinstance(n, str | int) for n in names):
            return "must name one or more identifiers, e.g. `drop_region: [a, b]`"
        return None
    if not isinstance(spec, dict) or not spec:
        return f"must be a mapping, e.g. {EXAMPLES[kind]}"
    if kind in MAP_KINDS:
        return None
    required, optional = SPEC_KEYS[kind]
    allowed = {k for r in required for k in r.split("|")} | set(optional)
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        return (f"unknown key {unknown[0]!r}{did_you_mean(str(unknown[0]), allowed)}; "
                f"`{kind}` takes {', '.join(sorted(allowed))}, e.g. {EXAMPLES[kind]}")
    for need in required:
        given = [k for k in need.split("|") if k in spec]
        if len(given) != 1:
            what = " or ".join(f"`{k}`" for k in need.split("|"))
            return f"needs {'exactly one of ' if '|' in need else ''}{what}, e.g. {EXAMPLES[kind]}"
    return None


EXAMPLES = {
    "set": "{table: segments, where: {segment: wafer_fab}, column: target_min, to: 600}",
    "scale": "{table: talent_availability, where: {talent: engineers}, column: available, by: 2}",
    "add_row": "{table: talent_availability, row: {region: a, talent: engineers, available: 10}}",
    "remove_rows": "{table: links, where: {supplier: a, user: b}}",
    "must": "{region: a, segment: b}",
    "forbid": "{region: a, segment: b}",
    "release": "{region: a, segment: b}",
    "add_host": "{region: a, segment: b, output: 100}",
    "upgrade": "{region: a, infrastructure: port, level: 3}",
    "policy": "{change_budget: 6}",
    "settings": "{objective.weights.cost: 0.1}",
}


def _check_bases(book: dict[str, Scenario], problems: list[Problem]) -> None:
    for scenario in book.values():
        seen, name = [scenario.name], scenario.base
        while name is not None:
            if name not in book:
                problems.append(Ref(scenario.ref.file, scenario.ref.line, scenario.name,
                                    "base").problem(
                    f"builds on unknown scenario {name!r}{did_you_mean(name, book)}"))
                break
            if name in seen:
                problems.append(Ref(scenario.ref.file, scenario.ref.line, scenario.name,
                                    "base").problem(
                    f"builds on itself through {' -> '.join([*seen, name])}"))
                break
            seen.append(name)
            name = book[name].base

