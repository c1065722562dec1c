"""Scenario changes applied: the instance as editable tables and settings, rebuilt and checked.

Each kind of change is one function of `APPLY`. The changed instance goes through every check
a loaded instance goes through, and a problem found there is blamed on the change that caused
it (the file, line, scenario and change), so a typo is an error and never a silent no-op.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import pandas as pd

from optimizer.errors import InstanceError, Problem, did_you_mean
from optimizer.instance import Instance, instance_from_frames
from optimizer.instance.scenarios.read import Override, Ref
from optimizer.instance.schema import TABLES, Table
from optimizer.instance.settings import SETTINGS, edit_problem, nest, values_of
from optimizer.instance.tables import ROW

ID_TABLES = {"regions": "region", "segments": "segment", "chains": "chain"}


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
    return result


class _Edit:
    """The instance as editable text-like frames, with who changed which row."""

    def __init__(self, instance: Instance, label: str):
        self.label = label
        self.base_name = instance.name
        self.settings = _settings_of(instance)
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
                f"unknown {what} {name!r}{where}{did_you_mean(name, [*options, *aliases])}; "
                f"it is not in {source}"))
        return None if bad else found

    def regions_of(self, spec: dict, ref: Ref) -> list[str] | None:
        return self._named(spec, ref, "region", "group")

    def segments_of(self, spec: dict, ref: Ref) -> list[str] | None:
        return self._named(spec, ref, "segment", "chain")

    def _named(self, spec: dict, ref: Ref, what: str, whole: str) -> list[str] | None:
        """The `what` ids a change names: itself, or every one of the `whole`s it names
        (the regions of a group, the segments of a chain)."""
        if whole not in spec:
            return self.known(what, _as_list(spec[what]), ref)
        wholes = self.known(whole, _as_list(spec[whole]), ref)
        if wholes is None:
            return None
        table = self.tables[f"{what}s"]
        return list(table.loc[table[whole].isin(wholes), what])

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

    def set_setting(self, key: str, value: Any, ref: Ref) -> None:
        """Set a setting, or one entry of a mapping such as `units.resources.land`."""
        parent, _, entry = key.rpartition(".")
        if key in SETTINGS:
            self.settings[key] = value
        else:
            current = self.settings.get(parent)
            self.settings[parent] = {**(current if isinstance(current, dict) else {}),
                                     entry: value}
        self.set_keys[key] = ref

    # -- building

    def build(self, ref: Ref) -> Instance:
        positions = {name: [int(r) for r in frame[ROW]] for name, frame in self.tables.items()}
        frames = {name: frame.drop(columns=ROW).replace([math.inf], "")
                  for name, frame in self.tables.items()}
        settings = nest(self.settings | {"name": f"{self.base_name}+{self.label}"})
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


def _settings_of(instance: Instance) -> dict[str, Any]:
    """The base's settings by key, to be read again as instance.yaml would give them.

    The workbook is left out (the tables are read already), and so is the order in weighted
    mode, where it follows the weights a scenario may change.
    """
    values = values_of(instance.settings)
    del values["workbook"]
    if values["objective.mode"] == "weighted":
        del values["objective.order"]
    return values


def _not_finite(value: Any) -> bool:
    """A YAML `.nan` or `.inf` (or an overflow): would read back as a blank, i.e. a default."""
    return isinstance(value, float) and not math.isfinite(value)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _table(edit: _Edit, spec: dict, ref: Ref) -> Table | None:
    name = spec.get("table")
    if name not in TABLES:
        edit.problems.append(ref.problem(f"unknown table {name!r}{did_you_mean(name, TABLES)}; "
                                         f"expected one of {', '.join(TABLES)}"))
        return None
    return TABLES[name]


def _column(edit: _Edit, table: Table, name: Any, ref: Ref, numeric: bool = False) -> str | None:
    if name not in table.column_names:
        edit.problems.append(ref.problem(
            f"unknown column {name!r}{did_you_mean(name, table.column_names)} in "
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
                                         f"{did_you_mean(key, extra)} of {table.name}.csv; "
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
                f"no row of {table.name}.csv has {key} {text!r}{did_you_mean(text, present)}; "
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
                                         f"{did_you_mean(kind, known)}; known: "
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
    _settings(edit, {"policy": spec}, ref)


def _settings(edit: _Edit, spec: dict, ref: Ref) -> None:
    for key, value in _flatten(spec).items():
        message = edit_problem(key)
        if message:
            edit.problems.append(ref.problem(message))
        else:
            edit.set_setting(key, value, ref)


def _flatten(spec: dict, prefix: str = "") -> dict[str, Any]:
    """`{solver: {time_limit: 20}, objective.tolerance: 0}` -> dotted key: value."""
    flat = {}
    for key, value in spec.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat |= _flatten(value, path + ".")
        else:
            flat[path] = value
    return flat


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


