"""The instance generator: seeded, valid, feasible by construction, at every size."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from optimizer.errors import UserError
from optimizer.instance import instance_from_frames, load_instance
from optimizer.model import build_model, prepare
from optimizer.solve.diagnose import presolve_findings
from optimizer.solve.solver import AllocationSolver, SolveOptions
from optimizer.sources.generate import BOX, add_generate_command, generate, parse_size
from optimizer.sources.writer import write_instance


def _frames_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return a.keys() == b.keys() and all(a[k].equals(b[k]) for k in a)


def test_same_seed_same_instance_other_seed_other_instance():
    first, again, other = generate(30, 20, 7), generate(30, 20, 7), generate(30, 20, 8)
    assert first.settings == again.settings
    assert _frames_equal(first.frames, again.frames)
    assert not _frames_equal(first.frames, other.frames)


@pytest.mark.parametrize(("regions", "segments", "seed", "objective"), [
    (5, 6, 0, "lexicographic"), (12, 9, 1, "weighted"), (25, 16, 2, "lexicographic"),
    (30, 24, 3, "weighted"),
])
def test_generated_instances_validate_and_solve(regions, segments, seed, objective):
    instance = instance_from_frames(*generate(regions, segments, seed, objective=objective))
    data = prepare(instance)
    assert presolve_findings(data) == []
    assert all(data.eligible_regions(s) for s in data.segments)
    outcome = AllocationSolver(SolveOptions(time_limit=20, mip_gap=0.05)).solve(
        build_model(data), data)
    assert outcome.status in ("optimal", "feasible")


def test_structure_looks_like_real_data():
    g = generate(80, 48, 5)
    f = g.frames
    assert len(f["regions"]) == 80 and len(f["segments"]) == 48 and len(f["chains"]) == 6
    assert f["regions"]["lon"].between(BOX[0], BOX[1]).all()
    assert f["regions"]["lat"].between(BOX[2], BOX[3]).all()
    assert f["regions"]["group"].nunique() > 2  # several metropolitan clusters
    assert set(f["segments"]["stage"]) == {"research", "materials", "components", "assembly",
                                           "services"}
    chain_of = dict(zip(f["segments"]["segment"], f["segments"]["chain"], strict=True))
    links = f["links"]
    assert (links["supplier"].map(chain_of) != links["user"].map(chain_of)).any()  # cross-chain
    hosts = f["current_layout"].groupby("segment").size()
    assert hosts.max() >= 5  # popular segments are duplicated today
    assert set(f["policy"]["rule"]) == {"must", "forbid"}
    available = f["resource_availability"]["available"]
    assert available.max() > 5 * available.median()  # heavy-tailed capacities


def test_stress_size_builds_and_validates():
    instance = instance_from_frames(*generate(340, 200, 1))
    assert len(instance.regions) == 340 and len(instance.segments) == 200


def test_written_folder_loads_to_the_same_tables(tmp_path):
    generated = generate(10, 8, 4)
    folder = write_instance(tmp_path / "gen", *generated)
    loaded, built = load_instance(folder), instance_from_frames(*generated)
    for name, table in built.tables.items():
        pd.testing.assert_frame_equal(loaded.tables[name], table, check_dtype=False)
    with pytest.raises(UserError, match="already exists"):
        write_instance(folder, *generated)


def test_cli_writes_a_new_folder_and_refuses_an_existing_one(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_generate_command(parser.add_subparsers(dest="command"))
    out = tmp_path / "g"
    args = parser.parse_args(["generate", "--regions", "6", "--segments", "5", "--seed", "2",
                              "--out", str(out)])
    assert args.func(args) == 0
    assert "6 regions" in capsys.readouterr().out
    assert load_instance(out).name == "generated_6x5_s2"
    with pytest.raises(UserError, match="already exists"):
        args.func(args)


def test_bad_arguments_are_refused():
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size("40by3")
    with pytest.raises(UserError):
        generate(0, 5, 1)
    with pytest.raises(UserError):
        generate(5, 5, 1, chains=9)
