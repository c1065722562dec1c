"""Duplication: the two measures of regions building the same segment side by side.

- excess hosts: sum_s w_s (n_s - 1), with e_s >= n_s - 1, e_s >= 0 so that an unhosted
  segment (completeness switched off) is not rewarded;
- pairwise overlap: sum_s w_s n_s (n_s - 1) / 2, the region pairs sharing a segment. It is
  convex in the integer n_s, so the tangents z_s >= k n_s - k (k + 1) / 2 for k = 1..K_s - 1
  (K_s = most hosts s can have) give it exactly at every integer n_s. The host count n_s is
  its own variable, defined once (`hosts_count_def`), so each tangent has two nonzeros
  instead of one per possible host: K_s rows of |E_s| terms would be quadratic in the regions.
"""

from __future__ import annotations

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Row
from optimizer.model.objective import used_terms

EXCESS_DEF = Row("excess_def", "s", "`excess[s] >= sum_r host[r,s] - 1`", defines=True)
HOSTS_COUNT_DEF = Row("hosts_count_def", "s", "`sum_r host[r,s] - hosts_count[s] = 0`, with "
                      "pairwise overlap optimised", defines=True)
OVERLAP_TANGENT = Row("overlap_tangent", "s,k", "`overlap[s] >= k hosts_count[s] - k (k + 1) "
                      "/ 2`, with pairwise overlap optimised", defines=True)


def hosts(m: pyo.ConcreteModel, data: ModelData, s: str):
    return pyo.quicksum(m.host[r, s] for r in data.eligible_regions(s))


def most_hosts(data: ModelData, s: str) -> int:
    cap = data.segment[s]["max_hosts"]
    n = len(data.eligible_regions(s))
    return n if cap != cap else min(n, int(cap))


def add_duplication(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Excess hosts always; the pairwise overlap's rows only when it is optimised."""
    with_pairwise = "pairwise_overlap" in used_terms(data.instance.settings)
    segs = [s for s in data.segments if data.eligible_regions(s)]
    weight = {s: data.segment[s]["weight"] for s in segs}
    m.excess = pyo.Var(segs, domain=pyo.NonNegativeReals)
    EXCESS_DEF.add(m, segs, lambda m, s: m.excess[s] >= hosts(m, data, s) - 1)
    m.term_excess_hosts = pyo.Expression(expr=pyo.quicksum(weight[s] * m.excess[s] for s in segs))

    counted = segs if with_pairwise else []
    tangents = [(s, k) for s in counted for k in range(1, most_hosts(data, s))]
    m.hosts_count = pyo.Var(counted, domain=pyo.NonNegativeReals,
                            bounds=lambda m, s: (0, most_hosts(data, s)))
    HOSTS_COUNT_DEF.add(m, counted, lambda m, s: hosts(m, data, s) - m.hosts_count[s] == 0)
    m.overlap = pyo.Var(counted, domain=pyo.NonNegativeReals)
    OVERLAP_TANGENT.add(m, tangents, lambda m, s, k: m.overlap[s]
                        >= k * m.hosts_count[s] - k * (k + 1) / 2)
    m.term_pairwise_overlap = pyo.Expression(
        expr=pyo.quicksum(weight[s] * m.overlap[s] for s in segs) if with_pairwise else 0.0)


def host_counts(m: pyo.ConcreteModel, data: ModelData) -> dict[str, int]:
    return {s: round(sum(pyo.value(m.host[r, s]) for r in data.eligible_regions(s)))
            for s in data.segments}


def excess_hosts_value(m: pyo.ConcreteModel, data: ModelData) -> float:
    """The excess-hosts term counted from the solution's hosts (exact, unlike e_s, which a
    later lexicographic stage may leave a hair above n_s - 1)."""
    return sum(data.segment[s]["weight"] * max(n - 1, 0) for s, n in host_counts(m, data).items())


def pairwise_overlap_value(m: pyo.ConcreteModel, data: ModelData) -> float:
    """The pairwise term counted from the solution's hosts, whether or not it was optimised."""
    return sum(data.segment[s]["weight"] * n * (n - 1) / 2
               for s, n in host_counts(m, data).items())


FAMILY = Family("duplication", add_duplication, (EXCESS_DEF, HOSTS_COUNT_DEF, OVERLAP_TANGENT),
                terms=("excess_hosts", "pairwise_overlap"))
