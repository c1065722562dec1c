"""Checks across tables: unknown references, contradictions, cycles, missing units."""

from __future__ import annotations

import pandas as pd

from optimizer.errors import Problem
from optimizer.instance.levers import check_levers
from optimizer.instance.schema import TABLES, Settings
from optimizer.instance.tables import ROW, is_broken


class _Where:
    """Turns a table name into the source label used in messages."""

    def __init__(self, workbook: str | None):
        self.workbook = workbook

    def __call__(self, table: str) -> str:
        return f"{self.workbook}[{table}]" if self.workbook else f"{table}.csv"


def check_instance(settings: Settings | None, tables: dict[str, pd.DataFrame],
                   problems: list[Problem]) -> None:
    """Checks across tables. Without settings (instance.yaml is broken) only the tables."""
    where = _Where(settings.workbook if settings else None)
    _check_references(tables, where, problems)
    _check_segments(tables, where, problems)
    _check_links(tables, where, problems)
    _check_distances(tables, where, problems)
    _check_shrink_limits(tables, where, problems)
    if settings is not None:
        _check_coordinates(settings, tables, where, problems)
        _check_units(settings, tables, where, problems)
    check_levers(tables, where, problems)


def _check_references(tables: dict[str, pd.DataFrame], where: _Where,
                      problems: list[Problem]) -> None:
    ids = {"regions": set(tables["regions"]["region"]),
           "segments": set(tables["segments"]["segment"]),
           "chains": set(tables["chains"]["chain"])}
    for table in TABLES.values():
        frame = tables[table.name]
        for column in table.columns:
            if not column.kind.startswith("ref:"):
                continue
            target = column.kind[4:]
            if is_broken(tables[target]):
                continue  # the target table's own problem is the root; not one per row here
            unknown = frame[~frame[column.name].isin(ids[target]) & (frame[column.name] != "")]
            for value, row in zip(unknown[column.name], unknown[ROW], strict=True):
                problems.append(Problem(where(table.name), int(row), column.name,
                                        f"unknown {target[:-1]} {value!r}; it is not in "
                                        f"{where(target)}"))


def _check_segments(tables: dict[str, pd.DataFrame], where: _Where,
                    problems: list[Problem]) -> None:
    segments = tables["segments"]
    for lo, hi, scale, row in zip(segments["target_min"], segments["target_max"],
                                  segments["min_scale"], segments[ROW], strict=True):
        if lo > hi:
            problems.append(Problem(where("segments"), int(row), "target_max",
                                    f"is {hi:g}, below target_min {lo:g}"))
        if scale > hi:
            problems.append(Problem(where("segments"), int(row), "min_scale",
                                    f"is {scale:g}, above target_max {hi:g}: no region could "
                                    "ever host the segment"))
    if is_broken(segments):
        return
    with_segments = set(segments["chain"])
    chains = tables["chains"]
    for chain, row in zip(chains["chain"], chains[ROW], strict=True):
        if chain not in with_segments:
            problems.append(Problem(where("chains"), int(row), "chain",
                                    f"chain {chain!r} has no segments in {where('segments')}"))


def _check_links(tables: dict[str, pd.DataFrame], where: _Where,
                 problems: list[Problem]) -> None:
    links = tables["links"]
    chain_of = dict(zip(tables["segments"]["segment"], tables["segments"]["chain"], strict=True))
    same_chain: dict[str, list[str]] = {}
    for supplier, user, row in zip(links["supplier"], links["user"], links[ROW], strict=True):
        if supplier == user:
            problems.append(Problem(where("links"), int(row), "user",
                                    f"segment {user!r} cannot supply itself"))
        elif supplier in chain_of and chain_of.get(supplier) == chain_of.get(user):
            same_chain.setdefault(supplier, []).append(user)
    cycle = _find_cycle(same_chain)
    if cycle:
        rows = links.set_index(["supplier", "user"])[ROW]
        first = int(rows.get((cycle[0], cycle[1]), 0)) or None
        problems.append(Problem(where("links"), first, "supplier",
                                "links within one chain form a cycle "
                                f"({' -> '.join(cycle)}); a chain must run upstream to "
                                "downstream"))


def _check_distances(tables: dict[str, pd.DataFrame], where: _Where,
                     problems: list[Problem]) -> None:
    """Distances are symmetric: a pair listed both ways must give one distance."""
    distances = tables["distances"]
    given: dict[tuple[str, str], tuple[float, int]] = {}
    for a, b, d, row in zip(distances["region_from"], distances["region_to"],
                            distances["distance"], distances[ROW], strict=True):
        if a == b and d > 0:
            problems.append(Problem(where("distances"), int(row), "distance",
                                    f"is {d:g} from {a!r} to itself; expected 0 (or no row)"))
        back = given.get((b, a))
        if back is not None and abs(back[0] - d) > 1e-9 * max(1.0, abs(d)):
            problems.append(Problem(where("distances"), int(row), "distance",
                                    f"is {d:g} from {a!r} to {b!r}, but row {back[1]} gives "
                                    f"{back[0]:g} the other way; distances are symmetric, give "
                                    "one"))
        given[(a, b)] = (d, int(row))


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """Depth-first search; returns one cycle as a closed path, or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in list(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _check_coordinates(settings: Settings, tables: dict[str, pd.DataFrame], where: _Where,
                       problems: list[Problem]) -> None:
    regions = tables["regions"]
    half = regions["lon"].isna() != regions["lat"].isna()
    for row, col in zip(regions.loc[half, ROW], regions.loc[half, "lon"], strict=True):
        problems.append(Problem(where("regions"), int(row), "lat" if col == col else "lon",
                                "is blank while the other coordinate is given; give both or "
                                "neither"))
    needs_distance = (tables["links"]["reach"] < float("inf")).any() or settings.policy.get("flows")
    no_coords = regions.loc[regions["lon"].isna() & regions["lat"].isna(), "region"].tolist()
    if not needs_distance or not no_coords:
        return
    distances = tables["distances"]
    listed = set(zip(distances["region_from"], distances["region_to"], strict=True))
    listed |= {(b, a) for a, b in listed}
    for region in no_coords:
        others = [r for r in regions["region"] if r != region and (region, r) not in listed]
        if others:
            row = int(regions.loc[regions["region"] == region, ROW].iloc[0])
            problems.append(Problem(where("regions"), row, "lon",
                                    f"region {region!r} has no coordinates and "
                                    f"{where('distances')} lacks its distance to "
                                    f"{', '.join(others[:3])}{'...' if len(others) > 3 else ''}"))


def _check_units(settings: Settings, tables: dict[str, pd.DataFrame], where: _Where,
                 problems: list[Problem]) -> None:
    """Every resource and talent type the tables use has its unit (settings.py checks the
    rest of `units`; a malformed mapping, already reported, is not checked again here)."""
    for kind, tabs in (("resources", ("resource_availability", "resource_use")),
                       ("talent", ("talent_availability", "talent_use"))):
        if any(p.source == "instance.yaml" and p.column == f"units.{kind}" for p in problems):
            continue
        given = settings.units.get(kind) or {}
        column = "resource" if kind == "resources" else "talent"
        first_use: dict[str, str] = {}
        for t in tabs:
            for name, row in zip(tables[t][column], tables[t][ROW], strict=True):
                first_use.setdefault(name, f"{where(t)}, row {row}")
        for name in sorted(set(first_use) - {""}):
            if name not in given:
                problems.append(Problem("instance.yaml", None, f"units.{kind}.{name}",
                                        f"missing: give the unit of {column} {name!r} "
                                        f"(first used in {first_use[name]})"))


def _check_shrink_limits(tables: dict[str, pd.DataFrame], where: _Where,
                         problems: list[Problem]) -> None:
    """One row per host and one region-wide row (blank segment) per region at most; the key
    check skips tables with blank keys, so this one is done here."""
    frame = tables["shrink_limits"]
    if not frame["segment"].eq("").any():
        return  # the key check has looked at every row
    first: dict[tuple[str, str], int] = {}
    for key, row in zip(zip(frame["region"], frame["segment"], strict=True), frame[ROW],
                        strict=True):
        if key in first:
            what = f"region {key[0]!r}" + (f", segment {key[1]!r}" if key[1] else
                                           " with a blank segment (every segment)")
            problems.append(Problem(where("shrink_limits"), int(row), "region",
                                    f"duplicate {what} (first at row {first[key]}); each must "
                                    "appear once"))
        else:
            first[key] = int(row)
