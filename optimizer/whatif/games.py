"""Cooperative cost games: how to split the cost of planning together among groups of regions.

Pure functions on coalition values (a coalition is a frozenset of group names, its value the
cost of the cheapest plan its regions can make alone), so that every rule can be checked by
hand on a two- or three-group game without solving anything.

- Shapley value: each group pays its average marginal cost over every order of joining; exact
  by enumerating coalitions, or estimated from sampled orders with a confidence interval.
- Core: splits of the grand coalition's cost that no coalition could beat alone,
  `sum_{g in S} x_g <= v(S)`. The least core relaxes every such row by the same smallest
  `eps`; `eps <= 0` means the core is not empty. Among least-core points the one nearest the
  Shapley split (least total absolute change) is reported, so the answer is one point.
- Transfers turn a split into money: `t_g = x_g - c_g`, what group g pays (negative: receives)
  so that its net cost is its share; `settle` spells them out as payer -> receiver amounts.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

Coalition = frozenset[str]
TOLERANCE = 1e-6  # relative to the grand coalition's cost, for core and rationality checks
Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def all_coalitions(players: Sequence[str]) -> list[Coalition]:
    """Every non-empty coalition, smallest first, members in the order of `players`."""
    return [frozenset(c) for k in range(1, len(players) + 1)
            for c in itertools.combinations(players, k)]


def shapley_exact(players: Sequence[str], value: dict[Coalition, float]) -> dict[str, float]:
    """phi_g = sum over S not holding g of |S|!(n-|S|-1)!/n! (v(S+g) - v(S))."""
    n = len(players)
    v = dict(value)
    v[frozenset()] = 0.0
    weight = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
              for k in range(n)]
    phi = {}
    for g in players:
        others = [p for p in players if p != g]
        phi[g] = sum(weight[k] * (v[frozenset(c) | {g}] - v[frozenset(c)])
                     for k in range(n) for c in itertools.combinations(others, k))
    return phi


@dataclass
class SampledShapley:
    """Shapley estimate from sampled joining orders; `half_width` is the 95 % interval."""

    estimate: dict[str, float]
    half_width: dict[str, float]
    orders: int
    seconds: float = 0.0


def sample_orders(players: Sequence[str], orders: int, seed: int = 0) -> list[list[str]]:
    """Random joining orders in antithetic pairs: an order, then its reverse (at least 2).

    A group that pays much when it joins early pays little when it joins late; pairing an
    order with its reverse cancels much of that spread, so fewer orders reach a given
    interval."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    while len(out) < max(orders, 2):
        order = list(players)
        rng.shuffle(order)
        out += [order, order[::-1]]
    return out


def shapley_from_orders(players: Sequence[str], orders: list[list[str]],
                        value: Callable[[Coalition], float]) -> SampledShapley:
    """Mean marginal cost over the given orders (antithetic pairs), with a 95 % interval.

    The interval is the normal one over the pairs' means (one draw per pair). Every order's
    marginals add up to v(G), so the estimate is efficient exactly, whatever the sample.
    """
    pairs = []
    for i in range(0, len(orders) - 1, 2):
        first, second = _marginals(orders[i], value), _marginals(orders[i + 1], value)
        pairs.append([(first[g] + second[g]) / 2 for g in players])
    draws = np.array(pairs)
    mean = draws.mean(axis=0)
    sd = draws.std(axis=0, ddof=1) if len(pairs) > 1 else np.full(len(players), math.inf)
    half = Z95 * sd / math.sqrt(len(pairs))
    return SampledShapley(dict(zip(players, mean.tolist(), strict=True)),
                          dict(zip(players, half.tolist(), strict=True)), 2 * len(pairs))


def shapley_sampled(players: Sequence[str], value: Callable[[Coalition], float], orders: int,
                    seed: int = 0) -> SampledShapley:
    """Shapley estimate from `orders` sampled joining orders (see sample_orders)."""
    return shapley_from_orders(players, sample_orders(players, orders, seed), value)


def _marginals(order: list[str], value: Callable[[Coalition], float]) -> dict[str, float]:
    out, before, members = {}, 0.0, frozenset()
    for g in order:
        members = members | {g}
        now = value(members)
        out[g], before = now - before, now
    return out


def excesses(x: dict[str, float], value: dict[Coalition, float]) -> dict[Coalition, float]:
    """x(S) - v(S) for every coalition given: positive means S would do better alone."""
    return {s: sum(x[g] for g in s) - v for s, v in value.items()}


def core_violations(x: dict[str, float], value: dict[Coalition, float],
                    tolerance: float | None = None) -> list[tuple[Coalition, float]]:
    """Coalitions whose members pay more under x than they would alone, worst first."""
    tol = tolerance_for(value) if tolerance is None else tolerance
    grand = frozenset(x)
    bad = [(s, e) for s, e in excesses(x, value).items() if s != grand and e > tol]
    return sorted(bad, key=lambda se: (-se[1], sorted(se[0])))


def individually_rational(x: dict[str, float], value: dict[Coalition, float],
                          tolerance: float | None = None) -> dict[str, bool]:
    tol = tolerance_for(value) if tolerance is None else tolerance
    return {g: x[g] <= value[frozenset([g])] + tol for g in x}


def tolerance_for(value: dict[Coalition, float]) -> float:
    """What counts as zero when comparing coalition costs: TOLERANCE of the largest."""
    return TOLERANCE * max(1.0, max((abs(v) for v in value.values()), default=1.0))


@dataclass
class LeastCore:
    """The least-core point nearest a reference split, and the smallest uniform relaxation."""

    split: dict[str, float]
    epsilon: float  # <= 0: the core is not empty (and `split` is in it)
    status: str


def least_core(players: Sequence[str], value: dict[Coalition, float],
               reference: dict[str, float] | None = None) -> LeastCore:
    """min eps s.t. x(S) <= v(S) + eps for every proper coalition given, x(G) = v(G); then,
    holding eps, the point with least total absolute change from `reference` (an LP each).

    `value` must hold the grand coalition; other coalitions absent from it are not
    constrained (constraint generation passes only those found so far).
    """
    grand = frozenset(players)
    rows = [s for s in value if s and s != grand]
    first = _least_core_lp(players, value, rows, None, None)
    if first is None:
        return LeastCore({}, math.nan, "error")
    eps = first[1]
    if reference is None:
        return LeastCore(first[0], eps, "optimal")
    slack = 1e-9 * max(1.0, abs(value[grand])) + 1e-9 * abs(eps)
    second = _least_core_lp(players, value, rows, eps + slack, reference)
    x = second[0] if second is not None else first[0]
    return LeastCore(x, eps, "optimal")


def _least_core_lp(players: Sequence[str], value: dict[Coalition, float], rows: list[Coalition],
                   eps_cap: float | None, reference: dict[str, float] | None
                   ) -> tuple[dict[str, float], float] | None:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)  # no thread count: HiGHS refuses to run when it
    # differs from the process's scheduler, and a tiny LP does not care
    inf = highspy.kHighsInf
    n = len(players)
    index = {g: i for i, g in enumerate(players)}
    # columns: x_g (free), eps (free, capped in the second stage), then |x - ref| parts
    for _ in players:
        h.addVar(-inf, inf)
    h.addVar(-inf, inf if eps_cap is None else eps_cap)
    eps_col = n
    grand = frozenset(players)
    h.addRow(value[grand], value[grand], n, np.arange(n, dtype=np.int32), np.ones(n))
    for s in rows:
        cols = np.array(sorted(index[g] for g in s) + [eps_col], dtype=np.int32)
        coef = np.array([1.0] * len(s) + [-1.0])
        h.addRow(-inf, value[s], len(cols), cols, coef)
    cost = np.zeros(n + 1)
    if reference is None:
        cost[eps_col] = 1.0
    else:  # d_g >= x_g - ref_g, d_g >= ref_g - x_g, minimise sum d_g
        for g in players:
            d = h.getNumCol()
            h.addVar(0.0, inf)
            i = index[g]
            two = np.array([i, d], dtype=np.int32)
            h.addRow(-inf, reference[g], 2, two, np.array([1.0, -1.0]))
            h.addRow(reference[g], inf, 2, two, np.array([1.0, 1.0]))
        cost = np.concatenate([cost, np.ones(n)])
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = list(h.getSolution().col_value)
    return {g: values[index[g]] for g in players}, values[eps_col]


def transfers(share: dict[str, float], borne: dict[str, float]) -> dict[str, float]:
    """t_g = x_g - c_g: what group g pays (negative: receives) so its net cost is its share."""
    return {g: share[g] - borne[g] for g in share}


def settle(transfer: dict[str, float], tolerance: float = 1e-9
           ) -> list[tuple[str, str, float]]:
    """Payer -> receiver amounts that realise the net transfers: the largest payer pays the
    largest receiver first, so at most (groups - 1) payments. Only the net amounts are
    determined by the split; this is one way to route them."""
    pay = sorted(((t, g) for g, t in transfer.items() if t > tolerance), reverse=True)
    get = sorted(((-t, g) for g, t in transfer.items() if t < -tolerance), reverse=True)
    payers = [[g, t] for t, g in pay]
    receivers = [[g, t] for t, g in get]
    out = []
    i = j = 0
    while i < len(payers) and j < len(receivers):
        amount = min(payers[i][1], receivers[j][1])
        out.append((payers[i][0], receivers[j][0], amount))
        payers[i][1] -= amount
        receivers[j][1] -= amount
        if payers[i][1] <= tolerance:
            i += 1
        if receivers[j][1] <= tolerance:
            j += 1
    return out


def dividend(players: Iterable[str], value: dict[Coalition, float]) -> float:
    """Sum of what each group would pay alone, minus the cost of planning together."""
    players = list(players)
    return sum(value[frozenset([g])] for g in players) - value[frozenset(players)]
