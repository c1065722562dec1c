"""Cooperative-game maths of `coordinate`, checked on games worked out by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.whatif.games import (
    all_coalitions,
    core_violations,
    dividend,
    individually_rational,
    least_core,
    settle,
    shapley_exact,
    shapley_sampled,
    transfers,
)


def game(**values: float) -> dict[frozenset, float]:
    """v from keyword names: ab=12 is the coalition {a, b}."""
    return {frozenset(name): v for name, v in values.items()}


def close(x: dict, y: dict, tol: float = 1e-7) -> bool:
    return x.keys() == y.keys() and all(abs(x[k] - y[k]) <= tol for k in x)


def test_two_groups_shapley_splits_the_saving_equally_and_lies_in_the_core():
    # alone a pays 10 and b 6; together 12: the dividend is 4.
    # Shapley: a = (10 + (12 - 6)) / 2 = 8, b = (6 + (12 - 10)) / 2 = 4, each saving 2.
    # Core: x_a <= 10, x_b <= 6, x_a + x_b = 12, i.e. x_a in [6, 10]: 8 is inside.
    v = game(a=10, b=6, ab=12)
    phi = shapley_exact(["a", "b"], v)
    assert close(phi, {"a": 8.0, "b": 4.0})
    assert dividend("ab", v) == 4
    assert core_violations(phi, v) == []
    assert individually_rational(phi, v) == {"a": True, "b": True}


def test_three_symmetric_groups_with_an_empty_core():
    # each alone 10, any pair 12, all three 21. Shapley is 7 each by symmetry.
    # Core needs x_i + x_j <= 12 for all pairs: adding the three rows, 2 * 21 <= 36, false,
    # so the core is empty. Least core: 2 * 21 <= 3 (12 + eps) gives eps = 2, at (7, 7, 7).
    v = game(a=10, b=10, c=10, ab=12, ac=12, bc=12, abc=21)
    phi = shapley_exact(list("abc"), v)
    assert close(phi, {"a": 7.0, "b": 7.0, "c": 7.0})
    bad = core_violations(phi, v)
    assert {frozenset(s) for s, _ in bad} == {frozenset("ab"), frozenset("ac"), frozenset("bc")}
    assert all(abs(e - 2.0) < 1e-9 for _, e in bad)
    lc = least_core(list("abc"), v, reference=phi)
    assert lc.epsilon == pytest.approx(2.0)
    assert close(lc.split, phi, 1e-6)


def test_three_groups_shapley_outside_a_core_that_is_not_empty():
    # alone 10 each; ab = ac = 11 (a shares cheaply with either), bc = 20, abc = 20.
    # Shapley over the six orders:
    #   a: 10 + 10 (first) + 1 (after b) + 1 (after c) + 0 + 0 = 22 / 6 = 11/3
    #   b: 10 + 10 (first) + 1 (a b) + 10 (c b) + 9 (a c b) + 9 (c a b) = 49 / 6; c the same.
    # {a, b} pays 11/3 + 49/6 = 71/6 > 11: outside the core (excess 5/6, as {a, c}).
    # Least core: ab + ac rows give x_a <= 2 + 2 eps; the singleton rows of b and c give
    # x_a >= -2 eps; so eps >= -1/2, attained only at (1, 9.5, 9.5): the core is not empty.
    v = game(a=10, b=10, c=10, ab=11, ac=11, bc=20, abc=20)
    phi = shapley_exact(list("abc"), v)
    assert close(phi, {"a": 11 / 3, "b": 49 / 6, "c": 49 / 6})
    bad = dict(core_violations(phi, v))
    assert bad.keys() == {frozenset("ab"), frozenset("ac")}
    assert bad[frozenset("ab")] == pytest.approx(5 / 6)
    lc = least_core(list("abc"), v, reference=phi)
    assert lc.epsilon == pytest.approx(-0.5)
    assert close(lc.split, {"a": 1.0, "b": 9.5, "c": 9.5}, 1e-6)
    assert core_violations(lc.split, v) == []


def test_transfers_and_who_pays_whom():
    # the empty-core game at its least-core split (7, 7, 7): if a's regions bear 9 of the
    # coordinated plan's 21 and b and c bear 6 each, a receives 2 and b and c pay 1 each.
    t = transfers({"a": 7.0, "b": 7.0, "c": 7.0}, {"a": 9.0, "b": 6.0, "c": 6.0})
    assert close(t, {"a": -2.0, "b": 1.0, "c": 1.0})
    assert sorted(settle(t)) == [("b", "a", 1.0), ("c", "a", 1.0)]


def test_sampled_shapley_interval_covers_the_exact_value():
    players = list("abcde")
    v = _fixed_cost_game(players, {"ab": 5.0, "bcd": 7.0, "e": 3.0, "ace": 4.0},
                         {"a": 1.0, "b": 2.0, "c": 0.5, "d": 1.5, "e": 1.0})
    exact = shapley_exact(players, v)
    est = shapley_sampled(players, lambda s: v[s], orders=400, seed=1)
    assert est.orders == 400
    assert sum(est.estimate.values()) == pytest.approx(v[frozenset(players)])
    for g in players:
        assert abs(est.estimate[g] - exact[g]) <= est.half_width[g] + 1e-9
        assert est.half_width[g] < 0.5


def _fixed_cost_game(players: list[str], facilities: dict[str, float], own: dict[str, float]
                     ) -> dict[frozenset, float]:
    """v(S): each member's own cost plus every facility some member uses (built once).

    Sharing a facility is what coordination saves, as a duplicate host does in the model;
    such a game is concave, so its Shapley value lies in the core."""
    v = {}
    for s in all_coalitions(players):
        v[s] = sum(own[g] for g in s) + sum(c for users, c in facilities.items()
                                            if set(users) & s)
    return v


@st.composite
def facility_games(draw):
    n = draw(st.integers(2, 4))
    players = [f"g{i}" for i in range(n)]
    subsets = [c for k in range(1, n + 1) for c in itertools.combinations(players, k)]
    chosen = draw(st.lists(st.sampled_from(subsets), min_size=1, max_size=5, unique=True))
    facilities = {",".join(c): draw(st.floats(0.5, 50)) for c in chosen}
    own = {g: draw(st.floats(0, 20)) for g in players}
    borne_weights = [draw(st.floats(0.01, 1)) for _ in players]
    v = {}
    for s in all_coalitions(players):
        v[s] = sum(own[g] for g in s) + sum(c for users, c in facilities.items()
                                            if set(users.split(",")) & s)
    total = v[frozenset(players)]
    borne = {g: total * w / sum(borne_weights) for g, w in zip(players, borne_weights,
                                                                strict=True)}
    return players, v, borne


@settings(max_examples=60, deadline=None)
@given(facility_games())
def test_shapley_split_is_efficient_rational_and_its_transfers_balance(case):
    players, v, borne = case
    total = v[frozenset(players)]
    phi = shapley_exact(players, v)
    assert sum(phi.values()) == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert all(individually_rational(phi, v).values())
    t = transfers(phi, borne)
    assert sum(t.values()) == pytest.approx(0.0, abs=1e-7 * max(1.0, total))
    for g in players:  # after the transfer each group's net cost is its share
        assert borne[g] + t[g] <= v[frozenset([g])] + 1e-6 * max(1.0, total)
    paid = {g: 0.0 for g in players}
    for payer, receiver, amount in settle(t):
        assert amount > 0
        paid[payer] += amount
        paid[receiver] -= amount
    assert close(paid, {g: max(t[g], 0) + min(t[g], 0) for g in players}, 1e-6 * max(1, total))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4).flatmap(lambda n: st.lists(st.floats(0, 100), min_size=2 ** n - 1,
                                                    max_size=2 ** n - 1)))
def test_least_core_point_is_efficient_and_meets_every_row_within_epsilon(values):
    n = {3: 2, 7: 3, 15: 4}[len(values)]
    players = [f"g{i}" for i in range(n)]
    v = dict(zip(all_coalitions(players), values, strict=True))
    phi = shapley_exact(players, v)
    lc = least_core(players, v, reference=phi)
    grand = frozenset(players)
    assert sum(lc.split.values()) == pytest.approx(v[grand], abs=1e-6)
    scale = 1e-6 * max(1.0, max(values))
    for s, val in v.items():
        if s != grand:
            assert sum(lc.split[g] for g in s) <= val + lc.epsilon + scale
    if lc.epsilon <= 0:  # a core point: nobody is worse off than alone
        assert all(individually_rational(lc.split, v, scale).values())
