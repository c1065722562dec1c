"""Infrastructure eligibility: a region hosts a segment only if it has every level it needs.

This family has no rows: pairs that fall short get no variables (E in MODEL.md).
"""

from __future__ import annotations

from optimizer.instance import Instance
from optimizer.model.family import Family

FAMILY = Family("eligibility (infrastructure, forbid, scale, reach)", None,
                modules=("data", "infrastructure"),
                note="none: impossible pairs get no variables (`policy.infrastructure` turns "
                     "the infrastructure test off)")


def infrastructure_shortfalls(instance: Instance) -> dict[tuple[str, str], str]:
    """(region, segment) -> why its infrastructure is not enough."""
    levels = instance.tables["infrastructure_levels"]
    has = {(r, i): lvl for r, i, lvl in zip(levels["region"], levels["infrastructure"],
                                            levels["level"], strict=True)}
    req = instance.tables["infrastructure_requirements"]
    short: dict[tuple[str, str], str] = {}
    for s, infra, need in zip(req["segment"], req["infrastructure"], req["level"], strict=True):
        if need <= 0:
            continue
        for r in instance.regions:
            level = has.get((r, infra), 0.0)
            if level < need and (r, s) not in short:
                short[(r, s)] = f"needs {infra} level {need:g} but has {level:g}"
    return short
