"""The run folder, declared once: its files, each table's columns and types, the keys of
summary.json and run.json. `write_run` and `read_run` are the only way in and out.

A run folder is written by `solve`, by each run of a sweep, and per layout by `alternatives`
and `pareto`; `compare`, `why`, the sensitivity summary and the reports read it back. It is
evidence that is read again later, after it may have been truncated, edited by hand or
copied in part: every file read is checked against its declaration here, and a damaged one is
a UserError naming the file, row and column (or JSON key), never a traceback.

Today's layout is a run of its own kind (`current_run`): measured from the instance when it
can be rebuilt, else read from what a run folder recorded about today.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance import Instance
from optimizer.results import Results
from optimizer.results import tables as t
from optimizer.results.basis import basis_shares
from optimizer.results.files import read_csv, safe_csv, staged_folder
from optimizer.results.measures import Layout, layout_measures
from optimizer.results.polarisation import polarisation_tables
from optimizer.solve import shadow

# ---------------------------------------------------------------------------- the declaration

TEXT, NUMBER, FLAG = "text", "number", "flag"
ALWAYS, SOLVED, SOMETIMES = "always", "with an allocation", "when the instance has them"


@dataclass(frozen=True)
class Column:
    """One column of a table; `*_used` stands for every column ending in `_used`."""

    name: str
    kind: str = TEXT
    needed: bool = False  # the readers rely on it: a file without it is damaged

    def matches(self, column: str) -> bool:
        if self.name.startswith("*"):
            return column.endswith(self.name[1:])
        return column == self.name


@dataclass(frozen=True)
class Table:
    """One CSV file of the run folder."""

    name: str
    what: str
    columns: tuple[Column, ...] = ()
    matrix: bool = False  # rows labelled by region, every other column a number
    when: str = ALWAYS

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.matches(name)), None)


def _sides(*names: str, kind: str = NUMBER) -> tuple[Column, ...]:
    """The today and optimised columns of each name (`hosts_current`, `hosts_optimised`)."""
    return tuple(Column(f"{n}_{side}", kind) for side in ("current", "optimised") for n in names)


TABLES: dict[str, Table] = {table.name: table for table in (
    Table("allocation", "long form: each hosted pair, today's output and the change", (
        Column("region", needed=True), Column("segment", needed=True),
        Column("chain", needed=True), Column("output", NUMBER, True),
        Column("value_added", NUMBER), Column("current_output", NUMBER, True),
        Column("change", needed=True), Column("change_pct", NUMBER)), when=SOLVED),
    Table("allocation_matrix", "region x segment output", matrix=True, when=SOLVED),
    Table("regions", "per region: segments, value added, compensation, use of each limit", (
        Column("region", needed=True), Column("name"), Column("group"),
        *_sides("segments", "value_added"), Column("value_added_change", NUMBER),
        Column("compensation", NUMBER), Column("value_added_credited", NUMBER),
        Column("lagging", FLAG), Column("*_used", NUMBER), Column("*_available", NUMBER),
        Column("*_use_share", NUMBER)), when=SOLVED),
    Table("chains", "per chain, today and optimised: hosts, gaps, complete or not", (
        Column("chain", needed=True), Column("segments", NUMBER),
        *_sides("hosts", "unsupplied_links"), *_sides("unhosted", kind=TEXT),
        *_sides("complete", kind=FLAG))),
    Table("location_quotients", "specialisation per region and segment, today and optimised", (
        Column("region"), Column("segment"), *_sides("lq")), when=SOLVED),
    Table("similarity_current", "structural similarity between regions today", matrix=True),
    Table("similarity_optimised", "structural similarity between regions, optimised",
          matrix=True, when=SOLVED),
    Table("group_similarity", "structural similarity between groups such as provinces", (
        Column("group_a"), Column("group_b"), *_sides("similarity")), when=SOLVED),
    Table("shadow_prices", "every binding limit and what one more unit of it is worth", (
        Column("limit"), Column("region"), Column("segment"), Column("item"),
        Column("shadow_price", NUMBER), Column("unit"), Column("label")), when=SOLVED),
    Table("partnerships", "what each '1+N' partnership moved and who is credited", (
        Column("leader"), Column("partner"), Column("credit_share", NUMBER),
        Column("moved_segments"), Column("moved_output", NUMBER),
        Column("partner_new_output", NUMBER), Column("partner_new_value_added", NUMBER),
        Column("credited_to_leader", NUMBER), Column("kept_by_partner", NUMBER),
        Column("leader_value_added_change", NUMBER),
        Column("leader_credited_value_added_change", NUMBER),
        Column("partner_credited_value_added_change", NUMBER)), when=SOMETIMES),
    Table("lagging_regions", "each lagging region's value added, gain and compensation", (
        Column("region"), *_sides("value_added"), Column("value_added_credited", NUMBER),
        Column("gain", NUMBER), Column("min_gain", NUMBER), Column("compensation", NUMBER)),
          when=SOMETIMES),
)}

SUMMARY = "summary.json"
RUN_INFO = "run.json"
MANIFEST = "manifest.json"
DOCUMENTS = ("report.md", "report.html", "report.xlsx", "report.docx")  # made by optimizer.report
SOLVER_LOG = "solver.log"

# JSON shapes: a type (or tuple of types), {key: shape} for an object ("*": any other key),
# [shape] for a list of that shape, or a function naming what is wrong (None when sound).
# null is accepted everywhere: an absent figure is written as null.
Number = (int, float)
OBJECTIVE = {"mode": str, "value": Number, "bound": Number,
             "terms": {"*": {"value": Number, "unit": str, "what": str, "optimised": bool}}}
MEASURES = {"hosts_per_segment": {"*": Number}, "*": (int, float, list, dict)}
SUMMARY_KEYS: dict = {
    "instance": str, "instance_hash": str, "status": str, "message": str, "mip_gap": Number,
    "objective": OBJECTIVE, "verification": dict,
    "measures": {"current": MEASURES, "optimised": MEASURES},
    "current_layout_basis": dict, "findings": [str], "compensation": {"*": Number},
    "solver": {"name": str, "version": str, "options": dict, "stages": [dict]},
    "timings_seconds": {"*": Number}, "package_version": str, "shadow_prices": dict,
    # what the writer adds: a solve's provenance (solve_provenance) and report language,
    # an alternative's or a front point's place in its set
    "instance_folder": str, "scenario": str, "scenarios_file": str, "language": str,
    "alternative": dict, "front_point": dict,
}


def _override_pairs(value: object) -> str | None:
    if not isinstance(value, list) or not all(
            isinstance(o, list) and len(o) == 2 and isinstance(o[0], str)
            and isinstance(o[1], dict) for o in value):
        return "should be a list of [kind, {...}] pairs"
    return None


RUN_INFO_KEYS: dict = {  # run.json: what a sweep run was made from, so it can be rebuilt
    "run": str, "scenario": str, "instance_folder": str, "instance_folder_absolute": str,
    "scenarios_file": str, "scenarios_file_absolute": str, "grid": dict, "grid_label": str,
    "grid_file": str, "overrides": _override_pairs, "instance": str, "instance_hash": str,
    "time_limit": Number, "mip_gap_option": Number, "threads": int,
    "chain-layout-optimizer_version": str, "pyomo_version": str, "highspy_version": str,
    "solver_version": str, "wall_seconds": Number,
}
MANIFEST_KEYS: dict = {"runs": [{"run": str, "output": str, "status": str, "error": str}]}
PACKAGES = ("chain-layout-optimizer", "pyomo", "highspy")  # whose versions a run records


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that made a result ("not installed" if absent)."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


# ---------------------------------------------------------------------------- writing

# Writes the readable documents (report.md, report.html, ...) into the staged folder from the
# results, summary and tables just written; returns notes on what could not be made.
Documents = Callable[[Path, Results, dict, dict[str, pd.DataFrame]], list[str]]


def write_run(out: Path, results: Results, *, extra: dict | None = None,
              info: dict | None = None, documents: Documents | None = None) -> list[str]:
    """Write the run folder `out`: every table, summary.json (with `extra`), run.json (`info`,
    if given), solver.log, then the documents. Returns the documents' notes.

    The folder is staged and renamed into place at the end, so a crash or Ctrl-C leaves
    nothing half-written, and an existing folder is never overwritten.
    """
    tables = result_tables(results)
    prices = shadow.for_results(results)
    if prices is not None:
        tables["shadow_prices"] = prices.table
    summary = summary_dict(results) | (extra or {})
    if prices is not None:
        summary["shadow_prices"] = shadow.summary_entry(prices)
    with staged_folder(out) as staging:
        for name, frame in tables.items():
            text = safe_csv(frame, index=TABLES[name].matrix)
            (staging / TABLES[name].file).write_text(text, encoding="utf-8")
        (staging / SUMMARY).write_text(json.dumps(summary, indent=2, default=_plain) + "\n",
                                       encoding="utf-8")
        if info is not None:
            (staging / RUN_INFO).write_text(json.dumps(info, indent=2, default=str) + "\n",
                                            encoding="utf-8")
        (staging / SOLVER_LOG).write_text(results.outcome.log, encoding="utf-8")
        return documents(staging, results, summary, tables) if documents else []


def result_tables(results: Results) -> dict[str, pd.DataFrame]:
    """The run's tables, by name (TABLES), computed from the allocation."""
    tables = {"chains": t.chain_table(results)}
    if results.outcome.has_solution:
        tables |= {
            "allocation": t.allocation_table(results),
            "allocation_matrix": t.matrix_table(results),
            "regions": t.region_table(results),
            "location_quotients": t.location_quotient_table(results),
            "similarity_optimised": t.similarity_table(results, results.layout),
            "group_similarity": t.group_similarity_table(results),
        }
    tables["similarity_current"] = t.similarity_table(results, results.current)
    tables |= polarisation_tables(results)
    return tables


def summary_dict(results: Results) -> dict:
    """summary.json (SUMMARY_KEYS) before the writer's additions."""
    out = results.outcome
    return json_safe({
        "instance": results.instance.name,
        "instance_hash": results.instance.content_hash,
        "status": out.status,
        "message": out.message,
        "mip_gap": out.mip_gap,
        "objective": {
            "mode": results.instance.settings.objective_mode,
            "value": out.objective,
            "bound": out.bound,
            "terms": results.terms,
        },
        "verification": results.verification.to_dict() if results.verification else None,
        "measures": results.measures(),
        "current_layout_basis": basis_shares(results.instance.tables["current_layout"]),
        "findings": results.findings,
        "compensation": results.compensation,
        "solver": {"name": "HiGHS", "version": out.solver_version, "options": out.options,
                   "stages": [vars(s) for s in out.stages]},
        "timings_seconds": results.timings,
        "package_version": package_versions(PACKAGES[:1])[PACKAGES[0]],
    })


def solve_provenance(folder: Path, scenario: str | None, file: Path | None = None) -> dict:
    """What a solve adds to summary.json so that its instance can be rebuilt later."""
    from optimizer.instance.scenarios import SCENARIOS_FILE

    scenarios_file = (file or Path(folder) / SCENARIOS_FILE) if scenario else None
    return {"instance_folder": str(Path(folder).resolve()), "scenario": scenario,
            "scenarios_file": str(Path(scenarios_file).resolve()) if scenarios_file else None}


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def json_safe(value: object) -> object:
    """JSON has no inf or NaN: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value


# ---------------------------------------------------------------------------- the run read back

RUN, CURRENT = "run", "current"


@dataclass
class Run:
    """One run as read back: a folder written by write_run (kind `run`), or today's layout
    (kind `current`). `layout`, `regions` and `chains` describe this run's own layout, under
    plain column names (`segments`, not `segments_optimised`); None when it has none."""

    kind: str
    label: str
    folder: Path | None
    status: str
    summary: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # run.json
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    layout: Layout | None = None
    regions: pd.DataFrame | None = None
    chains: pd.DataFrame | None = None
    measures: dict | None = None
    notes: list[str] = field(default_factory=list)
    _instance: Instance | None = field(default=None, repr=False)
    _looked_up: bool = field(default=False, repr=False)

    @property
    def terms(self) -> dict:
        return (self.summary.get("objective") or {}).get("terms") or {}

    @property
    def instance(self) -> Instance | None:
        """The instance the run was solved on: given, or rebuilt (with its scenario and grid
        edits) from where the run says it came from; None, with a note why, if it cannot be."""
        if self._instance is None and not self._looked_up and self.folder is not None:
            self._looked_up = True
            self._instance = _rebuild_instance(self)
        return self._instance


def read_run(folder: Path, label: str | None = None, instance: Instance | None = None,
             tables: Iterable[str] = tuple(TABLES)) -> Run:
    """A run folder, every file read checked against its declaration: summary.json, run.json
    and the `tables` asked for (all by default). `instance`, if given, is the one it was
    solved on (else it is rebuilt when first asked for)."""
    summary = read_summary(folder)
    if summary is None:
        raise UserError(f"{folder} is not an output folder of solve or sweep "
                        f"(it has no {SUMMARY})")
    info = read_json(folder / RUN_INFO, RUN_INFO_KEYS) or {}
    if not summary.get("scenario") and info.get("scenario"):  # a sweep run records it there
        summary["scenario"] = info["scenario"]
        summary["scenarios_file"] = summary.get("scenarios_file") or info.get(
            "scenarios_file_absolute")
    found = {name: frame for name in tables if (frame := read_table(folder, name)) is not None}
    run = Run(RUN, label or info.get("run") or folder.name, folder,
              summary.get("status") or "?", summary, info, found,
              regions=_side(found.get("regions"), "optimised"),
              chains=_side(found.get("chains"), "optimised"),
              measures=(summary.get("measures") or {}).get("optimised"), _instance=instance)
    allocation = found.get("allocation")
    if allocation is not None:
        run.layout = _layout(allocation[allocation["change"] != "closed"], "output")
    return run


def unwritten_run(label: str, status: str, note: str) -> Run:
    """A run a sweep lists without a folder (it failed or was not run)."""
    return Run(RUN, label, None, status, notes=[note])


def current_run(first: Run) -> Run:
    """Today's layout of `first`'s instance, measured as any run is; from what `first`
    recorded about today when the instance cannot be rebuilt (then without today's use)."""
    instance = first.instance
    run = Run(CURRENT, CURRENT, None, CURRENT, _instance=instance)
    if instance is not None:
        run.layout = instance.current_output()
        run.regions = t.layout_regions(instance, run.layout)
        run.chains = t.layout_chains(instance, run.layout)
        run.measures = layout_measures(instance, run.layout)
        return run
    allocation = first.tables.get("allocation")
    if allocation is not None:
        run.layout = _layout(allocation[allocation["current_output"] > 0], "current_output")
    regions = _side(first.tables.get("regions"), "current")
    if regions is not None:  # today's use of each limit is not recorded
        regions = regions[[c for c in regions.columns if not c.endswith(
            ("_used", "_use_share", "compensation", "value_added_change"))]]
    run.regions = regions
    run.chains = _side(first.tables.get("chains"), "current")
    run.measures = (first.summary.get("measures") or {}).get("current")
    return run


def _layout(rows: pd.DataFrame, column: str) -> Layout:
    return {(str(r), str(s)): float(q) for r, s, q in
            zip(rows["region"], rows["segment"], rows[column], strict=True)}


def _side(frame: pd.DataFrame | None, side: str) -> pd.DataFrame | None:
    """One layout's columns (`*_current` or `*_optimised`) under plain names."""
    if frame is None:
        return None
    other = "_optimised" if side == "current" else "_current"
    keep = [c for c in frame.columns if not c.endswith(other)]
    return frame[keep].rename(columns=lambda c: c.removesuffix(f"_{side}"))


def _rebuild_instance(run: Run) -> Instance | None:
    """Reload the instance (with its scenario and grid edits) a run was solved on."""
    from optimizer.instance.scenarios import Override, Ref, apply_overrides, load_with_scenario

    info, summary = run.info, run.summary
    folder = _find(run.folder, info.get("instance_folder"), info.get("instance_folder_absolute"),
                   summary.get("instance_folder"))
    if folder is None:
        run.notes.append(f"{run.label}: the instance folder is not recorded or not found, so "
                         "coordinates, stages and today's resource use are not shown")
        return None
    scenarios_file = _find(run.folder, info.get("scenarios_file"),
                           info.get("scenarios_file_absolute"), summary.get("scenarios_file"),
                           want_file=True)
    try:
        instance = load_with_scenario(folder, info.get("scenario", summary.get("scenario")),
                                      scenarios_file)
        overrides = info.get("overrides") or []
        if overrides:
            ref = Ref(str(run.folder / RUN_INFO), None, run.label)
            instance = apply_overrides(instance, info.get("grid_label") or "grid",
                                       [Override(k, spec, ref) for k, spec in overrides], ref)
    except UserError as exc:
        run.notes.append(f"{run.label}: its instance could not be rebuilt ({exc})")
        return None
    recorded = summary.get("instance_hash")
    if recorded and recorded != instance.content_hash:
        run.notes.append(f"{run.label}: instance {folder} has changed since the run (hash "
                         f"{instance.content_hash}, run made with {recorded}); its coordinates "
                         "and stages are used as they are now")
    return instance


def _find(base: Path, *candidates: str | None, want_file: bool = False) -> Path | None:
    for text in candidates:
        if not text:
            continue
        path = Path(text)
        for option in ([path] if path.is_absolute() else [base / path, Path.cwd() / path]):
            if option.is_file() if want_file else option.is_dir():
                return option
    return None


# ---------------------------------------------------------------------------- checked reading


def damaged(path: Path, what: str) -> UserError:
    return UserError(f"{path} is damaged: {what}")


def read_json(path: Path, shape: dict | None = None) -> dict | None:
    """A JSON object we wrote, checked against its shape; None if the file is absent."""
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise damaged(path, f"it cannot be read as JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise damaged(path, f"expected a JSON object, found {type(value).__name__}")
    problem = _shape_problem(value, shape or {"*": object}, "")
    if problem:
        raise damaged(path, problem)
    return value


def _shape_problem(value: object, shape: object, where: str) -> str | None:
    """What in `value` does not have `shape` (see SUMMARY_KEYS), naming its key path."""
    if value is None:
        return None
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return _expected(where, "an object", value)
        for key, item in value.items():
            inner = shape.get(key, shape.get("*"))
            problem = inner is not None and _shape_problem(item, inner, f"{where}{key}.")
            if problem:
                return problem
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return _expected(where, "a list", value)
        return next((p for i, item in enumerate(value, start=1)
                     if (p := _shape_problem(item, shape[0], f"{where}{i}."))), None)
    if not isinstance(shape, type | tuple):  # a check of its own
        problem = shape(value)
        return f"{where[:-1]} {problem}" if problem else None
    kinds = shape if isinstance(shape, tuple) else (shape,)
    if isinstance(value, bool) and bool not in kinds and object not in kinds:
        return _expected(where, _kind_words(kinds), value)
    if not isinstance(value, kinds):
        return _expected(where, _kind_words(kinds), value)
    return None


def _kind_words(kinds: tuple) -> str:
    words = {str: "text", int: "a number", float: "a number", bool: "true or false",
             dict: "an object", list: "a list"}
    return " or ".join(dict.fromkeys(words.get(k, k.__name__) for k in kinds))


def _expected(where: str, what: str, value: object) -> str:
    found = {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__)
    return f"{where[:-1] or 'the file'} should be {what}, found {found}"


def read_summary(folder: Path) -> dict | None:
    """summary.json, checked against SUMMARY_KEYS; None if the folder has none."""
    return read_json(folder / SUMMARY, SUMMARY_KEYS)


def read_manifest(folder: Path) -> dict | None:
    """manifest.json of a sweep (or an alternatives or front folder), its runs checked."""
    return read_json(folder / MANIFEST, MANIFEST_KEYS)


def read_table(folder: Path, name: str) -> pd.DataFrame | None:
    """One of the run's tables, or None if it was not written; checked against TABLES."""
    table = TABLES[name]
    path = folder / table.file
    if table.matrix:
        frame = read_csv(path, index_col=0)
        if frame is not None:
            _plain_text(path, frame.index.to_frame())
            _plain_text(path, frame.iloc[:0])  # the header
            _numbers(path, frame, list(frame.columns))
        return frame
    frame = read_csv(path, columns=tuple(c.name for c in table.columns if c.needed))
    if frame is not None:
        _plain_text(path, frame)
        kinds = {c: col.kind for c in frame.columns if (col := table.column(c)) is not None}
        _numbers(path, frame, [c for c, kind in kinds.items() if kind == NUMBER])
        _flags(path, frame, [c for c, kind in kinds.items() if kind == FLAG])
    return frame


def _plain_text(path: Path, frame: pd.DataFrame) -> None:
    """Our files never hold control characters (the instance reader refuses them)."""
    for column in frame.columns:
        if _control(column):
            raise damaged(path, f"the header {str(column)[:20]!r} holds control characters")
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            _first_bad(path, frame[column], _control, "holds control characters")


def _control(value: object) -> bool:
    return isinstance(value, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in value)


def _first_bad(path: Path, values: pd.Series, wrong: Callable[[object], bool],
               what: str) -> None:
    """Name the file, row (row 1 is the header) and column of the first wrong value."""
    bad = values.map(wrong)
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        what = what.format(value=repr(values.iloc[first]))
        raise damaged(path, f"row {first + 2}, column {values.name!r} {what}")


def _numbers(path: Path, frame: pd.DataFrame, columns: list) -> None:
    """Numbers (blank allowed, never infinite), converted in place."""
    if not columns:
        return
    values = frame[columns].apply(pd.to_numeric, errors="coerce")
    for column in columns:
        raw = frame[column]
        _first_bad(path, raw.where(values[column].isna() & raw.notna()),
                   lambda v: not _blank(v), "holds {value}; expected a number")
        _first_bad(path, values[column], lambda v: math.isinf(v),
                   "holds a value that is not finite")
    frame[columns] = values


def _flags(path: Path, frame: pd.DataFrame, columns: list) -> None:
    for column in columns:
        _first_bad(path, frame[column], lambda v: not (_blank(v) or str(v) in ("True", "False")),
                   "holds {value}; expected True or False")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
