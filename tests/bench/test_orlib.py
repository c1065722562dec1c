"""OR-Library optima reproduced through the product's own model and solve path.

The benchmark files live beside the repository (`<repo>/../shared/benchdata`); without them
the benchmark tests skip, while the tiny problems (brute-forced or worked by hand) still run.
The readers are tested in tests/sources/test_orlib.py.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest

from optimizer.bench.orlib import (
    ROW_KEYS,
    format_table,
    run_cap,
    run_gap,
    solve_instance,
)
from optimizer.sources.orlib import GapProblem, gap_instance, read_cap, read_gap
from tests.sources.test_orlib import CAP_TEXT

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO.parent / "shared" / "benchdata"
CAP_TOLERANCE = 1e-3  # published cap optima carry three decimals
GAP_TOLERANCE = 1e-6  # gap optima are whole numbers

needs_bench = pytest.mark.skipif(
    not (BENCH / "known_optima.csv").is_file(),
    reason=f"OR-Library benchmark data not found at {BENCH} (expected shared/benchdata "
           "beside the repository)")


def _known() -> list[dict]:
    path = BENCH / "known_optima.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


KNOWN = _known()
GAP_CASES = [(f"gap{k}", sense) for k in range(1, 13) for sense in ("min", "max")]
CAP_FILES = sorted((p.stem for p in (BENCH / "cap").glob("cap[0-9]*.txt")),
                   key=lambda s: int(s[3:])) or ["cap41"]


def _optima(file: str, sense: str) -> dict[str, float]:
    return {r["name"]: float(r["value"]) for r in KNOWN
            if r["file"] == file and r["sense"] == sense}


def _uncapacitated_optima() -> dict[str, float]:
    """A cap file's uncapacitated optimum is the published optimum of its twin (same costs,
    demands and fixed costs) whose every capacity covers the total demand."""
    problems = {s: read_cap(BENCH / "cap" / f"{s}.txt") for s in CAP_FILES
                if (BENCH / "cap" / f"{s}.txt").is_file()}
    optima = {}
    for name, p in problems.items():
        for twin, q in problems.items():
            same = (p.cost.shape == q.cost.shape and np.array_equal(p.cost, q.cost)
                    and np.array_equal(p.demand, q.demand)
                    and np.array_equal(p.fixed_cost, q.fixed_cost))
            known = _optima(f"cap/{twin}.txt", "min").get(twin)
            if same and known is not None and (q.capacity >= q.demand.sum()).all():
                optima[name] = known
    return optima


def _check_row(row: dict) -> None:
    assert tuple(row) == ROW_KEYS
    assert row["status"] == "optimal", row
    assert row["mip_gap"] is not None and row["mip_gap"] <= 1e-9, row


@needs_bench
@pytest.mark.parametrize(("file", "sense"), GAP_CASES)
def test_gap_known_optima(file: str, sense: str) -> None:
    expected = _optima(f"gap/{file}.txt", sense)
    assert len(expected) == 5, f"known_optima.csv should list 5 {sense} optima for {file}"
    rows = run_gap(BENCH / "gap" / f"{file}.txt", maximize=sense == "max")
    assert [r["problem"] for r in rows] == sorted(expected, key=lambda n: int(n.split("-")[1]))
    for row in rows:
        _check_row(row)
        assert row["objective"] == pytest.approx(expected[row["problem"]], abs=GAP_TOLERANCE)


@needs_bench
@pytest.mark.parametrize("name", CAP_FILES)
def test_cap_known_optima(name: str) -> None:
    expected = _optima(f"cap/{name}.txt", "min").get(name)
    assert expected is not None, f"{name} is shipped but has no optimum in known_optima.csv"
    (row,) = run_cap(BENCH / "cap" / f"{name}.txt")
    _check_row(row)
    assert row["problem"] == name
    assert row["objective"] == pytest.approx(expected, abs=CAP_TOLERANCE)


@needs_bench
def test_uncapacitated_cap_optima() -> None:
    """Every shipped cap file has an uncapacitated twin, so each gets a known optimum."""
    optima = _uncapacitated_optima()
    assert set(optima) == set(CAP_FILES)
    for name, expected in optima.items():
        (row,) = run_cap(BENCH / "cap" / f"{name}.txt", capacitated=False)
        _check_row(row)
        assert row["objective"] == pytest.approx(expected, abs=CAP_TOLERANCE), name

def _brute_force_gap(p: GapProblem, maximize: bool) -> float:
    m, n = p.cost.shape
    best = None
    for agents in itertools.product(range(m), repeat=n):
        load = np.zeros(m)
        for j, i in enumerate(agents):
            load[i] += p.use[i, j]
        if (load <= p.capacity).all():
            value = sum(p.cost[i, j] for j, i in enumerate(agents))
            best = value if best is None else (max if maximize else min)(best, value)
    assert best is not None
    return float(best)


@pytest.mark.parametrize("maximize", [False, True])
def test_tiny_gap_matches_brute_force(tmp_path: Path, maximize: bool) -> None:
    rng = np.random.default_rng(4)
    m, n = 3, 6
    cost, use = rng.integers(5, 30, (m, n)), rng.integers(1, 10, (m, n))
    capacity = np.floor(use.sum(axis=1) * 0.5)
    lines = ["1", f"{m} {n}", *(" ".join(map(str, r)) for r in (*cost, *use)),
             " ".join(f"{c:g}" for c in capacity)]
    path = tmp_path / "gap_tiny.txt"
    path.write_text("\n".join(lines))
    (row,) = run_gap(path, maximize=maximize)
    _check_row(row)
    assert row["objective"] == pytest.approx(
        _brute_force_gap(read_gap(path)[0], maximize), abs=GAP_TOLERANCE)


def test_tiny_cap_by_hand(tmp_path: Path) -> None:
    """Opening both (150) serves everyone at its cheaper cost: 40 + 10 + 30 = 80 -> 230;
    only facility 1 cannot hold 12 > 10, only facility 2 cannot hold 12 > 8; without
    capacities facility 2 alone costs 50 + 80 + 20 + 30 = 180."""
    path = tmp_path / "cap_tiny.txt"
    path.write_text(CAP_TEXT)
    (capacitated,) = run_cap(path)
    (uncapacitated,) = run_cap(path, capacitated=False)
    _check_row(capacitated)
    _check_row(uncapacitated)
    assert capacitated["objective"] == pytest.approx(230.0)
    assert uncapacitated["objective"] == pytest.approx(180.0)
    assert "cap_tiny" in format_table([capacitated, uncapacitated])


def test_infeasible_gap_reports_infeasible() -> None:
    """An over-full GAP must come back `infeasible`, not crash or claim a solution."""
    p = GapProblem("c22-1", np.array([[1.0, 2.0], [3.0, 4.0]]),
                   np.array([[3.0, 3.0], [3.0, 3.0]]), np.array([4.0, 2.0]))
    outcome = solve_instance(gap_instance(p))
    assert outcome.status == "infeasible"
    assert outcome.objective is None
