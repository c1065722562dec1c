"""Objective: the terms combined by weights, or one at a time (lexicographic mode)."""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.instance.schema import OBJECTIVE_TERMS, Settings


def used_terms(settings: Settings) -> list[str]:
    """Terms the solver optimises, in order of priority."""
    if settings.objective_mode == "lexicographic":
        return list(settings.order)
    return [t for t in OBJECTIVE_TERMS if settings.weights.get(t, 0.0) > 0]


def term(m: pyo.ConcreteModel, name: str) -> pyo.Expression:
    return getattr(m, f"term_{name}")


def set_objective(m: pyo.ConcreteModel, weights: dict[str, float]) -> None:
    """Minimise the weighted sum of the given terms, replacing any earlier objective."""
    if hasattr(m, "objective"):
        m.del_component(m.objective)
    m.objective = pyo.Objective(
        expr=pyo.quicksum(w * term(m, t) for t, w in weights.items() if w != 0),
        sense=pyo.minimize)


def weighted(settings: Settings) -> dict[str, float]:
    return {t: settings.weights[t] for t in used_terms(settings)}
