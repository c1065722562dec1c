"""What-if scenarios: named sets of small overrides applied to a base instance.

A planner writes scenarios in YAML (`<instance>/scenarios.yaml`, or any file): each override
changes some cells of a table, a policy rule, an infrastructure level or a setting, or drops a
region or a chain with everything that refers to it. The changed instance goes through every
instance check again; every problem names the scenario file, its line, the scenario and the
override, so a typo is an error and never a silent no-op. docs/scenarios.md is the reference.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from optimizer.errors import InstanceError, Problem, UserError
from optimizer.instance import Instance, instance_from_frames, load_instance, safe_yaml
from optimizer.instance.schema import OBJECTIVE_TERMS, POLICY_DEFAULTS, TABLES, Settings, Table
from optimizer.instance.settings import OBJECTIVE_KEYS, SOLVER_KEYS
from optimizer.instance.tables import ROW

__all__ = ["SCENARIOS_FILE", "GridPoint", "Override", "Scenario", "apply_overrides",
           "apply_scenario", "grid_points", "load_with_scenario", "read_grid",
           "read_scenarios", "scenarios_path"]

SCENARIOS_FILE = "scenarios.yaml"
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
RESERVED = {"base", "current"}  # `base` is the unchanged instance, `current` today's layout
PLACEHOLDER = "$value"  # in a sweep grid, stands for each of the parameter's values

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
SETTING_SECTIONS = {"description", "units", "objective", "solver", "policy"}
ID_TABLES = {"regions": "region", "segments": "segment", "chains": "chain"}


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


@dataclass
class GridPoint:
    """One combination of a sweep grid: its label (`budget=4`), values and overrides."""

    label: str
    values: dict[str, Any]
    overrides: list[Override]


# ---------------------------------------------------------------------------- public entry points


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
                                     f"unknown scenario {scenario!r}{_did_you_mean(scenario, book)}"
                                     f"; the file has: {known}")])
    return apply_overrides(instance, scenario, resolve(book, scenario), book[scenario].ref)


def load_with_scenario(folder: Path, scenario: str | None, file: Path | None = None) -> Instance:
    """Load an instance folder and apply a scenario if one is named (for `solve --scenario`)."""
    if scenario is None:
        if file is not None:
            raise UserError("--scenarios-file needs --scenario NAME to say which scenario to apply")
        return load_instance(folder)
    return apply_scenario(load_instance(folder), scenario, file)


def resolve(book: dict[str, Scenario], name: str) -> list[Override]:
    """The overrides of a scenario, those of the scenarios it builds on first."""
    chain, seen = [], set()
    while name is not None and name not in seen:
        seen.add(name)
        chain.append(book[name])
        name = book[name].base
    return [o for scenario in reversed(chain) for o in scenario.overrides]


def apply_overrides(instance: Instance, label: str, overrides: list[Override],
                    ref: Ref) -> Instance:
    """Apply overrides in order, then rebuild the instance through every instance check."""
    edit = _Edit(instance, label)
    for override in overrides:
        APPLY[override.kind](edit, override.spec, override.ref)
    if edit.problems:
        raise InstanceError(edit.problems)
    result = edit.build(ref)
    digest = hashlib.sha256(instance.content_hash.encode())
    digest.update(json.dumps([[o.kind, o.spec] for o in overrides], sort_keys=True,
                             default=str).encode())
    result.content_hash = digest.hexdigest()[:16]
    result.folder = instance.folder
    if instance.geometry is not None:  # outlines are not scenario data: keep those still named
        result.geometry = {r: instance.geometry[r] for r in result.regions
                           if r in instance.geometry}
    result.notes = [*instance.notes, f"{label}: {len(overrides)} override(s) from {ref.file}"]
    return result


# ---------------------------------------------------------------------------- reading YAML


def read_scenarios(path: Path) -> dict[str, Scenario]:
    """Every scenario of a file, checked for shape; names are checked when applied."""
    source = str(path)
    root = _compose(path)
    problems: list[Problem] = []
    book: dict[str, Scenario] = {}
    for key, value in _pairs(root, source, None, problems):
        name, line = str(key.value), key.start_mark.line + 1
        ref = Ref(source, line, name)
        if not NAME.match(name) or name in RESERVED:
            problems.append(ref.problem("is not a usable scenario name: use letters, digits, "
                                        "`_`, `-` and `.`, and not `base` or `current`"))
            continue
        book[name] = _parse_scenario(name, value, ref, problems)
    _check_bases(book, problems)
    if problems:
        raise InstanceError(problems)
    return book


def read_grid(path: Path) -> list[tuple[str, list, list[Override]]]:
    """A sweep grid file: parameter -> its `values` and the overrides that use `$value`."""
    source = str(path)
    root = _compose(path)
    problems: list[Problem] = []
    params = []
    for key, value in _pairs(root, source, None, problems):
        name, ref = str(key.value), Ref(source, key.start_mark.line + 1, str(key.value))
        if not NAME.match(name):
            problems.append(ref.problem("is not a usable parameter name: use letters, digits, "
                                        "`_`, `-` and `.`"))
            continue
        values = _take_values(value, ref, problems)
        _check_labels(name, values, ref, problems)
        scenario = _parse_scenario(name, value, ref, problems, extra=("values",))
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
                values = _construct(value)
    if not isinstance(values, list) or not values:
        problems.append(ref.problem("needs `values:`, a non-empty list such as [2, 4, 6]"))
        return []
    return values


def _compose(path: Path) -> yaml.Node:
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


def _pairs(node: yaml.MappingNode, source: str, scenario: str | None,
           problems: list[Problem]) -> list[tuple[yaml.Node, yaml.Node]]:
    """Key-value nodes of a mapping; a key written twice is refused (YAML would keep one)."""
    seen: dict[str, int] = {}
    pairs = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        name = str(key.value)
        if name in seen:
            problems.append(Problem(source, line, f"{scenario}.{name}" if scenario else name,
                                    f"is written twice (first at line {seen[name]}); give a "
                                    "list under one key to make several changes of one kind"))
            continue
        seen[name] = line
        pairs.append((key, value))
    return pairs


def _construct(node: yaml.Node) -> Any:
    return safe_yaml.construct(node, node.start_mark.name)


def _parse_scenario(name: str, node: yaml.Node, ref: Ref, problems: list[Problem],
                    extra: tuple[str, ...] = ()) -> Scenario:
    scenario = Scenario(name, [], ref)
    if not isinstance(node, yaml.MappingNode):
        problems.append(ref.problem("must be a mapping of changes, such as "
                                    "`scale: {table: ..., column: ..., by: 2}`"))
        return scenario
    for key, value in _pairs(node, ref.file, name, problems):
        kind, line = str(key.value), key.start_mark.line + 1
        if kind in extra:
            continue
        if kind in META_KEYS:
            text = _construct(value)
            if not isinstance(text, str):
                problems.append(Ref(ref.file, line, name, kind).problem("must be text"))
            elif kind == "description":
                scenario.description = text
            else:
                scenario.base = text
        elif kind not in KINDS:
            problems.append(Ref(ref.file, line, name, kind).problem(
                f"unknown kind of change{_did_you_mean(kind, KINDS + META_KEYS)}; expected one "
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
    spec = _construct(node)
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
        return (f"unknown key {unknown[0]!r}{_did_you_mean(str(unknown[0]), allowed)}; "
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
                    f"builds on unknown scenario {name!r}{_did_you_mean(name, book)}"))
                break
            if name in seen:
                problems.append(Ref(scenario.ref.file, scenario.ref.line, scenario.name,
                                    "base").problem(
                    f"builds on itself through {' -> '.join([*seen, name])}"))
                break
            seen.append(name)
            name = book[name].base


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------------------- applying


class _Edit:
    """The instance as editable text-like frames, with who changed which row."""

    def __init__(self, instance: Instance, label: str):
        self.label = label
        self.base_name = instance.name
        self.settings = raw_settings(instance.settings)
        self.tables = {name: frame.astype(object) for name, frame in instance.tables.items()}
        self.touched: dict[tuple[str, int], Ref] = {}
        self.set_keys: dict[str, Ref] = {}
        self.problems: list[Problem] = []
        self._next_id = -1

    # -- ids

    def ids(self, what: str) -> list[str]:
        if what == "group":
            return sorted(set(self.tables["regions"]["group"]) - {""})
        table = {"region": "regions", "segment": "segments", "chain": "chains"}[what]
        return list(self.tables[table][what])

    def aliases(self, what: str) -> dict[str, str]:
        """Names shown in reports (e.g. a city's name) that stand for exactly one identifier."""
        if what == "group":
            return {}
        table = self.tables[{"region": "regions", "segment": "segments", "chain": "chains"}[what]]
        names = [str(n) for n in table["name"]]
        return {n: i for n, i in zip(names, table[what], strict=True)
                if n and names.count(n) == 1}

    def known(self, what: str, names: list, ref: Ref, where: str = "") -> list[str] | None:
        """The identifiers meant (an id, or a unique name), or None after reporting unknowns."""
        options, aliases = self.ids(what), self.aliases(what)
        found, bad = [], []
        for name in (str(n) for n in names):
            if name in options or name in aliases:
                found.append(name if name in options else aliases[name])
            else:
                bad.append(name)
        for name in bad:
            source = "the `group` column of regions.csv" if what == "group" else f"{what}s.csv"
            self.problems.append(ref.problem(
                f"unknown {what} {name!r}{where}{_did_you_mean(name, [*options, *aliases])}; "
                f"it is not in {source}"))
        return None if bad else found

    def regions_of(self, spec: dict, ref: Ref) -> list[str] | None:
        if "group" in spec:
            groups = self.known("group", _as_list(spec["group"]), ref)
            if groups is None:
                return None
            regions = self.tables["regions"]
            return list(regions.loc[regions["group"].isin(groups), "region"])
        return self.known("region", _as_list(spec["region"]), ref)

    def segments_of(self, spec: dict, ref: Ref) -> list[str] | None:
        if "chain" in spec:
            chains = self.known("chain", _as_list(spec["chain"]), ref)
            if chains is None:
                return None
            segments = self.tables["segments"]
            return list(segments.loc[segments["chain"].isin(chains), "segment"])
        return self.known("segment", _as_list(spec["segment"]), ref)

    # -- rows

    def add_row(self, table: str, values: dict, ref: Ref) -> None:
        bad = next((k for k, v in values.items() if _not_finite(v)), None)
        if bad is not None:
            self.problems.append(ref.problem(
                f"gives {table}.csv column {bad!r} the value {values[bad]}; expected a finite "
                "number (null leaves an optional cell blank)"))
            return
        frame = self.tables[table]
        row = {c: "" for c in TABLES[table].column_names} | {
            k: ("" if v is None else v) for k, v in values.items()}
        row[ROW] = self._next_id
        self.touched[(table, self._next_id)] = ref
        self._next_id -= 1
        self.tables[table] = pd.concat([frame, pd.DataFrame([row], dtype=object)],
                                       ignore_index=True)

    def set_cells(self, table: str, mask: pd.Series, column: str, value: Any, ref: Ref) -> None:
        if _not_finite(value):
            self.problems.append(ref.problem(
                f"sets {table}.csv column {column!r} to {value}; expected a finite number "
                "(`to: null` leaves an optional cell blank)"))
            return
        frame = self.tables[table]
        for index in frame.index[mask]:
            frame.at[index, column] = value
            self.touched[(table, int(frame.at[index, ROW]))] = ref

    def drop(self, table: str, mask: pd.Series) -> None:
        self.tables[table] = self.tables[table][~mask].reset_index(drop=True)

    def drop_ids(self, target: str, names: list[str]) -> None:
        """Remove identifiers of `target` and every row of any table that refers to them."""
        key = ID_TABLES[target]
        self.drop(target, self.tables[target][key].isin(names))
        for table in TABLES.values():
            for column in table.columns:
                if column.kind == f"ref:{target}":
                    self.drop(table.name, self.tables[table.name][column.name].isin(names))

    def set_setting(self, path: str, value: Any, ref: Ref) -> None:
        parts = path.split(".")
        node = self.settings
        for part in parts[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[parts[-1]] = value
        self.set_keys[path] = ref

    # -- building

    def build(self, ref: Ref) -> Instance:
        positions = {name: [int(r) for r in frame[ROW]] for name, frame in self.tables.items()}
        frames = {name: frame.drop(columns=ROW).replace([math.inf], "")
                  for name, frame in self.tables.items()}
        settings = dict(self.settings, name=f"{self.base_name}+{self.label}")
        try:
            return instance_from_frames(settings, frames)
        except InstanceError as exc:
            raise InstanceError([self._explain(p, positions, ref) for p in exc.problems]
                                ) from None

    def _explain(self, problem: Problem, positions: dict[str, list[int]], ref: Ref) -> Problem:
        """Point a problem of the changed instance at the override that caused it."""
        table = problem.source.removesuffix(".csv")
        column = f", column '{problem.column}'" if problem.column else ""
        if table in positions and problem.row is not None and problem.row >= 2:
            original = positions[table][problem.row - 2]
            cause = self.touched.get((table, original))
            where = (f"{table}.csv row {original}" if original > 0
                     else f"the row it adds to {table}.csv")
            if cause is not None:
                return cause.problem(f"{where}{column}: {problem.message}")
            return ref.problem(f"after the changes, {where}{column}: {problem.message}")
        if problem.source == "instance.yaml" and problem.column in self.set_keys:
            return self.set_keys[problem.column].problem(f"{problem.column} {problem.message}")
        return ref.problem(f"after the changes, {problem}")


def raw_settings(settings: Settings) -> dict:
    """instance.yaml as a mapping again, so that the rebuilt instance is parsed the same way."""
    objective = {"mode": settings.objective_mode, "weights": dict(settings.weights),
                 "tolerance": settings.tolerance}
    if settings.objective_mode == "lexicographic":
        objective["order"] = list(settings.order)
    return {"name": settings.name, "description": settings.description,
            "units": json.loads(json.dumps(settings.units)), "objective": objective,
            "solver": {"time_limit": settings.time_limit, "mip_gap": settings.mip_gap,
                       "threads": settings.threads},
            "policy": dict(settings.policy), "language": settings.language}


def _not_finite(value: Any) -> bool:
    """A YAML `.nan` or `.inf` (or an overflow): would read back as a blank, i.e. a default."""
    return isinstance(value, float) and not math.isfinite(value)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _table(edit: _Edit, spec: dict, ref: Ref) -> Table | None:
    name = spec.get("table")
    if name not in TABLES:
        edit.problems.append(ref.problem(f"unknown table {name!r}{_did_you_mean(name, TABLES)}; "
                                         f"expected one of {', '.join(TABLES)}"))
        return None
    return TABLES[name]


def _column(edit: _Edit, table: Table, name: Any, ref: Ref, numeric: bool = False) -> str | None:
    if name not in table.column_names:
        edit.problems.append(ref.problem(
            f"unknown column {name!r}{_did_you_mean(name, table.column_names)} in "
            f"{table.name}.csv; it has {', '.join(table.column_names)}"))
        return None
    if name in table.key:
        edit.problems.append(ref.problem(
            f"column {name!r} identifies the rows of {table.name}.csv and cannot be changed "
            "in place; use add_row and remove_rows (or drop_region, drop_chain)"))
        return None
    if numeric and table.column(name).kind not in ("number", "integer"):
        edit.problems.append(ref.problem(f"column {name!r} of {table.name}.csv is not a number, "
                                         "so it cannot be scaled; use set"))
        return None
    return name


def _mask(edit: _Edit, table: Table, where: Any, ref: Ref) -> pd.Series | None:
    """Rows of a table matching `where` (all rows without one); None if anything is unknown."""
    frame = edit.tables[table.name]
    mask = pd.Series(True, index=frame.index)
    if where is None:
        return mask
    if not isinstance(where, dict) or not where:
        edit.problems.append(ref.problem("`where` must map columns to values, e.g. "
                                         "{region: a, talent: engineers}"))
        return None
    ok = True
    for key, value in where.items():
        match = _match(edit, table, str(key), _as_list(value), ref)
        ok = ok and match is not None
        if match is not None:
            mask &= match
    if not ok:
        return None
    if not mask.any():
        what = ", ".join(f"{k}={v!r}" for k, v in where.items())
        edit.problems.append(ref.problem(f"no row of {table.name}.csv has {what}"))
        return None
    return mask


def _match(edit: _Edit, table: Table, key: str, values: list, ref: Ref) -> pd.Series | None:
    frame = edit.tables[table.name]
    if key == "group" and "group" not in table.column_names and "region" in table.column_names:
        regions = edit.regions_of({"group": values}, ref)
        return None if regions is None else frame["region"].isin(regions)
    if key == "chain" and "chain" not in table.column_names and "segment" in table.column_names:
        segments = edit.segments_of({"chain": values}, ref)
        return None if segments is None else frame["segment"].isin(segments)
    if key not in table.column_names:
        extra = [*table.column_names, *(["group"] if "region" in table.column_names else []),
                 *(["chain"] if "segment" in table.column_names else [])]
        edit.problems.append(ref.problem(f"`where` names unknown column {key!r}"
                                         f"{_did_you_mean(key, extra)} of {table.name}.csv; "
                                         f"it can use {', '.join(extra)}"))
        return None
    column = table.column(key)
    if column.kind.startswith("ref:") or ID_TABLES.get(table.name) == key:
        what = ID_TABLES[column.kind[4:]] if column.kind.startswith("ref:") else key
        names = edit.known(what, values, ref, where=f" in `where: {key}`")
        return None if names is None else frame[key].isin(names)
    if column.kind in ("number", "integer"):
        return pd.to_numeric(frame[key], errors="coerce").isin([float(v) for v in values])
    texts = [str(v) for v in values]
    present = sorted(set(frame[key].astype(str)) - {""})
    for text in texts:
        if text not in present:
            edit.problems.append(ref.problem(
                f"no row of {table.name}.csv has {key} {text!r}{_did_you_mean(text, present)}; "
                f"it has {', '.join(present[:12]) or 'none'}"))
            return None
    return frame[key].astype(str).isin(texts)


def _set(edit: _Edit, spec: dict, ref: Ref) -> None:
    table = _table(edit, spec, ref)
    if table is None:
        return
    column = _column(edit, table, spec["column"], ref)
    mask = _mask(edit, table, spec.get("where"), ref)
    if column is None or mask is None:
        return
    value = spec["to"]
    if value is None and not table.column(column).optional:
        edit.problems.append(ref.problem(f"column {column!r} of {table.name}.csv needs a value; "
                                         "it cannot be set blank"))
        return
    edit.set_cells(table.name, mask, column, "" if value is None else value, ref)


def _scale(edit: _Edit, spec: dict, ref: Ref) -> None:
    table = _table(edit, spec, ref)
    if table is None:
        return
    column = _column(edit, table, spec["column"], ref, numeric=True)
    mask = _mask(edit, table, spec.get("where"), ref)
    factor = spec["by"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not math.isfinite(
            factor):
        edit.problems.append(ref.problem(f"`by` must be a number (a factor such as 2 or 0.8), "
                                         f"got {factor!r}"))
        return
    if column is None or mask is None:
        return
    values = pd.to_numeric(edit.tables[table.name][column], errors="coerce")
    filled = mask & values.notna()
    if not filled.any():
        edit.problems.append(ref.problem(f"every matching {column!r} cell is blank, so there is "
                                         "nothing to scale; use set"))
        return
    frame = edit.tables[table.name]
    scaled = values[filled] * factor
    if not scaled.map(math.isfinite).all():
        edit.problems.append(ref.problem(f"scaling {column!r} by {factor:g} overflows: the "
                                         "result is not a finite number"))
        return
    for index in frame.index[filled]:
        frame.at[index, column] = scaled[index]
        edit.touched[(table.name, int(frame.at[index, ROW]))] = ref


def _add_row(edit: _Edit, spec: dict, ref: Ref) -> None:
    table = _table(edit, spec, ref)
    row = spec["row"]
    if table is None:
        return
    if not isinstance(row, dict):
        edit.problems.append(ref.problem("`row` must map each column to its value"))
        return
    unknown = [k for k in row if k not in table.column_names]
    missing = [k for k in table.key if k not in row and not table.column(k).optional]
    if unknown or missing:
        what = f"names unknown column {unknown[0]!r}" if unknown else f"lacks {missing[0]!r}"
        edit.problems.append(ref.problem(
            f"`row` {what}; {table.name}.csv has {', '.join(table.column_names)} "
            f"(key: {', '.join(table.key)})"))
        return
    frame = edit.tables[table.name]
    same = pd.Series(True, index=frame.index)
    for key in table.key:
        same &= frame[key].astype(str) == str(row.get(key, ""))
    if same.any():
        what = ", ".join(f"{k}={row.get(k, '')!r}" for k in table.key)
        edit.problems.append(ref.problem(f"{table.name}.csv already has a row with {what}; use "
                                         "set to change it"))
        return
    edit.add_row(table.name, row, ref)


def _remove_rows(edit: _Edit, spec: dict, ref: Ref) -> None:
    table = _table(edit, spec, ref)
    if table is None:
        return
    if table.name in ID_TABLES:
        edit.problems.append(ref.problem(
            f"use drop_{ID_TABLES[table.name]} to remove from {table.name}.csv: it also removes "
            "every row that refers to what is dropped"))
        return
    mask = _mask(edit, table, spec["where"], ref)
    if mask is not None:
        edit.drop(table.name, mask)


def _pairs_of(edit: _Edit, spec: dict, ref: Ref) -> list[tuple[str, str]] | None:
    regions, segments = edit.regions_of(spec, ref), edit.segments_of(spec, ref)
    if regions is None or segments is None:
        return None
    return [(r, s) for r in regions for s in segments]


def _pair_mask(frame: pd.DataFrame, region: str, segment: str) -> pd.Series:
    return (frame["region"] == region) & (frame["segment"] == segment)


def _rule(edit: _Edit, spec: dict, ref: Ref, rule: str) -> None:
    pairs = _pairs_of(edit, spec, ref)
    for region, segment in pairs or []:
        mask = _pair_mask(edit.tables["policy"], region, segment)
        note = spec.get("note") or f"scenario {ref.scenario}"
        if mask.any():
            edit.set_cells("policy", mask, "rule", rule, ref)
            edit.set_cells("policy", mask, "note", note, ref)
        else:
            edit.add_row("policy", {"region": region, "segment": segment, "rule": rule,
                                    "note": note}, ref)


def _release(edit: _Edit, spec: dict, ref: Ref) -> None:
    pairs = _pairs_of(edit, spec, ref)
    if pairs is None:
        return
    policy = edit.tables["policy"]
    mask = pd.Series(False, index=policy.index)
    for region, segment in pairs:
        mask |= _pair_mask(policy, region, segment)
    if not mask.any():
        edit.problems.append(ref.problem("policy.csv has no must or forbid rule for these "
                                         "regions and segments, so there is nothing to release"))
        return
    edit.drop("policy", mask)


def _add_host(edit: _Edit, spec: dict, ref: Ref) -> None:
    pairs = _pairs_of(edit, spec, ref)
    for region, segment in pairs or []:
        layout = edit.tables["current_layout"]
        mask = _pair_mask(layout, region, segment)
        if mask.any():
            output = layout.loc[mask, "output"].iloc[0]
            edit.problems.append(ref.problem(
                f"{region} already hosts {segment} today (output {output:g}); use set on "
                "current_layout to change its output"))
            continue
        edit.add_row("current_layout", {"region": region, "segment": segment,
                                        "output": spec["output"]}, ref)


def _upgrade(edit: _Edit, spec: dict, ref: Ref) -> None:
    regions = edit.regions_of(spec, ref)
    kind, level = str(spec["infrastructure"]), spec["level"]
    known = sorted(set(edit.tables["infrastructure_levels"]["infrastructure"])
                   | set(edit.tables["infrastructure_requirements"]["infrastructure"]))
    if kind not in known:
        edit.problems.append(ref.problem(f"unknown infrastructure {kind!r}"
                                         f"{_did_you_mean(kind, known)}; known: "
                                         f"{', '.join(known) or 'none'}"))
        return
    if isinstance(level, bool) or not isinstance(level, int) or level < 0:
        edit.problems.append(ref.problem(f"`level` must be a whole number >= 0, got {level!r}"))
        return
    levels = edit.tables["infrastructure_levels"]
    for region in regions or []:
        mask = (levels["region"] == region) & (levels["infrastructure"] == kind)
        if not mask.any():
            edit.add_row("infrastructure_levels", {"region": region, "infrastructure": kind,
                                                   "level": level}, ref)
        elif float(levels.loc[mask, "level"].iloc[0]) > level:
            edit.problems.append(ref.problem(
                f"{region} already has {kind} level {levels.loc[mask, 'level'].iloc[0]:g}; an "
                "upgrade cannot lower it (use set on infrastructure_levels)"))
        else:
            edit.set_cells("infrastructure_levels", mask, "level", level, ref)


def _drop(target: str):
    what = ID_TABLES[target]

    def apply(edit: _Edit, spec: Any, ref: Ref) -> None:
        names = edit.known(what, _as_list(spec), ref)
        if names is None:
            return
        if target == "regions" and set(names) >= set(edit.ids("region")):
            edit.problems.append(ref.problem("would drop every region"))
            return
        if target == "segments":
            names = _segments_to_drop(edit, names, ref)
            if names is None:
                return
        if target == "chains":
            segments = edit.tables["segments"]
            edit.drop_ids("segments", list(segments.loc[segments["chain"].isin(names),
                                                        "segment"]))
        edit.drop_ids(target, names)

    return apply


def _segments_to_drop(edit: _Edit, names: list[str], ref: Ref) -> list[str] | None:
    segments = edit.tables["segments"]
    left = segments[~segments["segment"].isin(names)]
    emptied = sorted(set(segments["chain"]) - set(left["chain"]))
    if emptied:
        edit.problems.append(ref.problem(f"would leave chain {emptied[0]!r} with no segments; "
                                         "use drop_chain to drop the whole chain"))
        return None
    return names


def _policy(edit: _Edit, spec: dict, ref: Ref) -> None:
    for key, value in spec.items():
        if key not in POLICY_DEFAULTS:
            edit.problems.append(ref.problem(f"unknown policy switch {key!r}"
                                             f"{_did_you_mean(str(key), POLICY_DEFAULTS)}; "
                                             f"expected one of {', '.join(POLICY_DEFAULTS)}"))
        else:
            edit.set_setting(f"policy.{key}", value, ref)


def _settings(edit: _Edit, spec: dict, ref: Ref) -> None:
    for path, value in _flatten(spec).items():
        message = _setting_problem(path)
        if message:
            edit.problems.append(ref.problem(message))
        else:
            edit.set_setting(path, value, ref)


def _flatten(spec: dict, prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in spec.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat |= _flatten(value, path + ".")
        else:
            flat[path] = value
    return flat


def _setting_problem(path: str) -> str | None:
    """Why a dotted instance.yaml path cannot be set by a scenario, or None."""
    parts = path.split(".")
    head = parts[0]
    allowed = {"objective": OBJECTIVE_KEYS, "solver": SOLVER_KEYS, "policy": set(POLICY_DEFAULTS)}
    if head not in SETTING_SECTIONS:
        return (f"unknown setting {path!r}; a scenario can set description, units.*, "
                "objective.*, solver.* and policy.* (the name comes from the scenario)")
    if head in allowed and (len(parts) < 2 or parts[1] not in allowed[head]):
        options = sorted(allowed[head])
        return (f"unknown setting {path!r}{_did_you_mean('.'.join(parts[1:]), options)}; "
                f"{head} has {', '.join(options)}")
    if parts[:2] == ["objective", "weights"] and (len(parts) != 3
                                                  or parts[2] not in OBJECTIVE_TERMS):
        return (f"unknown objective term in {path!r}; expected objective.weights.<term> with a "
                f"term from {', '.join(OBJECTIVE_TERMS)}")
    if head in ("solver", "policy") and len(parts) != 2:
        return f"unknown setting {path!r}"
    return None


APPLY = {
    "set": _set,
    "scale": _scale,
    "add_row": _add_row,
    "remove_rows": _remove_rows,
    "must": lambda edit, spec, ref: _rule(edit, spec, ref, "must"),
    "forbid": lambda edit, spec, ref: _rule(edit, spec, ref, "forbid"),
    "release": _release,
    "add_host": _add_host,
    "upgrade": _upgrade,
    "drop_region": _drop("regions"),
    "drop_chain": _drop("chains"),
    "drop_segment": _drop("segments"),
    "policy": _policy,
    "settings": _settings,
}

