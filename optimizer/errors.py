"""Errors a planner can act on: each names where the problem is and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    source: str  # file name, or "workbook.xlsx[sheet]"
    row: int | None  # spreadsheet row number: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class UserError(Exception):
    """An error in what the user gave us; the CLI prints it without a traceback."""


class InstanceError(UserError):
    """All problems found in an instance, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the instance:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def did_you_mean(word: object, options: Iterable[object]) -> str:
    """` (did you mean 'x'?)` for the option closest to a mistyped name, or nothing."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
