"""What every constraint family declares once: its rows, their switches, how each row is relaxed
to explain an impossible instance, and its line in docs/model.md.

A family's module builds its rows through these declarations (`Row.add`), so a row's name,
its policy switch, its relaxation and its documentation cannot drift apart; the registry of
families in build order is `optimizer.model.FAMILIES`. The infeasibility explanation
(optimizer/solve/explain.py) relaxes the rows that declare a `Relaxation`, in the order of
their `Lever`; shadow prices leave out the rows that only `define` a helper variable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pyomo is loaded when rows are built: `prepare` (and `validate`) do without
    import pyomo.environ as pyo

    from optimizer.model.data import ModelData


class Lever(IntEnum):
    """What giving on a row asks of a planner, in the order the explanation prefers when two
    relaxations are equally good (within a lever: family order, then row order)."""

    STOCK = 1  # a region's resources or talent: invest
    CAPS = 2  # a policy pin or cap on hosts, segments, chains or changes
    KEEP = 3  # what today's hosts must keep
    SHARES = 4  # least shares and gains against polarisation
    STRUCTURE = 5  # the problem itself: targets, scale, completeness, reach

    @property
    def weight(self) -> int:
        """What naming such a limit counts: structural ones mostly restate the problem ("the
        target cannot be met"), so they count 2 and are named only when nothing better is."""
        return 2 if self is Lever.STRUCTURE else 1


@dataclass(frozen=True)
class Gap:
    """How far one row must give: its index, the side it gives on, the amount in its unit."""

    index: tuple
    side: str  # "lower": the row's body falls below its lower limit; "upper": exceeds its upper
    amount: float


@dataclass(frozen=True)
class Relaxation:
    """How a row gives in the explanation: every row of it gets a slack on each side it has."""

    lever: Lever
    unit: str  # what its slack counts, for the docs
    tell: Callable[[Gap, pyo.ConcreteModel, ModelData], str]  # the sentence a planner reads


@dataclass(frozen=True)
class Row:
    """One constraint component of the model."""

    name: str  # the Pyomo component
    index: str  # what it is indexed by, for the docs ("r,s"; "" for a single row)
    formula: str  # docs/model.md
    switch: str | None = None  # the `policy` setting that turns it on, if one does
    relax: Relaxation | None = None  # None: the explanation never relaxes it
    defines: bool = False  # defines a helper variable: a definition, not a limit to price

    def on(self, data: ModelData) -> bool:
        """Whether the instance's policy asks for these rows (always, without a switch)."""
        if self.switch is None:
            return True
        value = data.policy[self.switch]  # a flag, or a limit that is off when blank
        return value is not None and value is not False

    def add(self, m: pyo.ConcreteModel, index, rule=None, expr=None) -> None:
        """Build the rows on the model under their declared name."""
        import pyomo.environ as pyo

        if expr is not None:
            m.add_component(self.name, pyo.Constraint(expr=expr))
        else:
            m.add_component(self.name, pyo.Constraint(index, rule=rule))


@dataclass(frozen=True)
class Family:
    """A constraint family: the rows one module builds, the terms it defines, its docs line."""

    name: str  # in planners' words
    add: Callable[[pyo.ConcreteModel, ModelData], None] | None  # None: no rows (eligibility)
    rows: tuple[Row, ...] = ()
    terms: tuple[str, ...] = ()  # objective terms it defines (`term_<name>` expressions)
    modules: tuple[str, ...] = ()  # where it lives, beyond the module of `add`
    note: str = ""  # what the docs line says beyond the rows

    @property
    def module(self) -> str:
        """`model/<name>.py` of the family's builder, then its helpers."""
        own = (self.add.__module__.rsplit(".", 1)[-1],) if self.add else ()
        return ", ".join(f"`model/{m}.py`" for m in own + self.modules)

    def docs_line(self) -> str:
        """Its row of the family table in docs/model.md."""
        rows = [f"`{r.name}{f'[{r.index}]' if r.index else ''}`: {r.formula}" for r in self.rows]
        what = "; ".join(rows + [self.note] if self.note else rows) or "none"
        by_switch: dict[str, list[str]] = {}
        for r in self.rows:
            if r.switch:
                by_switch.setdefault(r.switch, []).append(f"`{r.name}`")
        switches = ", ".join(f"`policy.{key}`" + ("" if len(rows) == len(self.rows) else
                                                  f" for {', '.join(rows)}")
                             for key, rows in by_switch.items()) or "always on"
        relaxed = "; ".join(f"`{r.name}`: {r.relax.lever.name.lower()} (counts "
                            f"{r.relax.lever.weight}), in {r.relax.unit}"
                            for r in self.rows if r.relax) or "not relaxed"
        return f"| {self.name} | {self.module} | {what} | {switches} | {relaxed} |"
