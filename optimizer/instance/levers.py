"""Checks of the tables that act against polarisation: minimum shares, lagging regions and
"1+N" partnerships. What the column types cannot say: who a row names, and shares that add up.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from optimizer.errors import Problem
from optimizer.instance.tables import ROW, is_broken


def check_levers(tables: dict[str, pd.DataFrame], where: Callable[[str], str],
                 problems: list[Problem]) -> None:
    _check_min_shares(tables, where, problems)
    _check_partnerships(tables, where, problems)


def _check_min_shares(tables: dict[str, pd.DataFrame], where: Callable[[str], str],
                      problems: list[Problem]) -> None:
    source = where("min_shares")
    groups = set(tables["regions"]["group"]) - {""}
    areas = set(tables["areas"]["area"])
    for area, row in zip(tables["areas"]["area"], tables["areas"][ROW], strict=True):
        if area in groups:
            problems.append(Problem(where("areas"), int(row), "area",
                                    f"{area!r} is already a group in {where('regions')}; give "
                                    "the area another name"))
    groups |= areas
    frame = tables["min_shares"]
    first: dict[tuple, int] = {}
    for region, group, chain, row in zip(frame["region"], frame["group"], frame["chain"],
                                         frame[ROW], strict=True):
        if (region == "") == (group == ""):
            problems.append(Problem(source, int(row), "region",
                                    "name either a region or a group (exactly one of the two)"))
            continue
        if group and group not in groups and not is_broken(tables["regions"]):
            known = ", ".join(sorted(groups)) or "none"
            problems.append(Problem(source, int(row), "group",
                                    f"unknown group or area {group!r}; groups in "
                                    f"{where('regions')} and areas in {where('areas')}: "
                                    f"{known}"))
        key = (region, group, chain)
        if key in first:
            problems.append(Problem(source, int(row), "region",
                                    f"repeats the row {first[key]} for the same area and "
                                    f"{'chain ' + repr(chain) if chain else 'value added'}; "
                                    "each must appear once"))
        first.setdefault(key, int(row))


def _check_partnerships(tables: dict[str, pd.DataFrame], where: Callable[[str], str],
                        problems: list[Problem]) -> None:
    source = where("partnerships")
    frame = tables["partnerships"]
    credited: dict[str, float] = {}
    for leader, partner, share, row in zip(frame["leader"], frame["partner"],
                                           frame["credit_share"], frame[ROW], strict=True):
        if leader == partner:
            problems.append(Problem(source, int(row), "partner",
                                    f"region {partner!r} cannot be its own partner"))
        credited[partner] = credited.get(partner, 0.0) + share
        if credited[partner] > 1 + 1e-9:
            problems.append(Problem(source, int(row), "credit_share",
                                    f"the shares of {partner!r}'s new output credited to its "
                                    f"leaders add up to {credited[partner]:g}; at most 1"))
