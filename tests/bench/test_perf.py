"""`bench perf` smoke test: the command runs end to end on a tiny size, so it never rots."""

from __future__ import annotations

import argparse
import json

import pytest

from optimizer.bench import perf
from optimizer.bench.perf import Case, add_perf_command, write_section


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_perf_command(parser.add_subparsers(dest="bench_command"))
    return parser.parse_args(["perf", *argv])


def test_perf_command_on_a_tiny_size(tmp_path, capsys):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nHand-written notes stay.\n", encoding="utf-8")
    args = _parse(["--sizes", "6x5", "--instances", "jing_jin_ji", "--time-limit", "20",
                   "--threads", "1", "--json", "--out", str(out)])
    assert args.func(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["machine"]["nproc"] >= 1 and report["machine"]["packages"]["pyomo"]
    generated, shipped = report["cases"]
    assert generated["case"] == "generated 6x5" and shipped["case"] == "jing_jin_ji"
    for row in (generated, shipped):
        py = row["pyomo"]
        assert py["status"] == "optimal", py
        assert py["peak_rss_mb"] > 0 and py["rows"] > 0 and py["nonzeros"] > 0
        # every hand-over was timed, and none can beat passing the arrays alone
        assert 0 < py["limit_s"] <= py["arrays_s"] and py["persistent_s"] > 0
        assert row["ratios"]["arrays_vs_limit"] >= 1
        if perf.scipy_available():
            assert py["standard_form_s"] > 0
    assert generated["pyomo"]["hand_over"] == "persistent"  # generated: lexicographic
    assert shipped["pyomo"]["hand_over"] == "arrays"  # shipped: weighted, solved once
    assert "lexicographic" in generated["pulp"]["skipped"]
    if perf.pulp_available():
        assert shipped["pulp"]["status"] == "optimal"
        assert shipped["ratios"]["pulp_same_objective"] is True
    text = out.read_text(encoding="utf-8")
    assert "Hand-written notes stay." in text and text.count(perf.BEGIN) == 1
    assert "generated 6x5" in text and "matrix limit" in text


def test_refreshing_the_section_keeps_the_rest(tmp_path):
    out = tmp_path / "B.md"
    out.write_text("# B\n\nbefore\n", encoding="utf-8")
    write_section(out, "first\n")
    out.write_text(out.read_text(encoding="utf-8") + "\nafter\n", encoding="utf-8")
    write_section(out, "second\n")
    text = out.read_text(encoding="utf-8")
    assert "second" in text and "first" not in text
    assert "before" in text and "after" in text and text.count(perf.END) == 1


def test_pulp_is_skipped_with_a_note_when_missing(monkeypatch):
    monkeypatch.setattr(perf, "pulp_available", lambda: False)
    result = perf.measure_pulp(Case("generated 4x3", None, 4, 3), 5.0, None)
    assert "not installed" in result["skipped"]


def test_unknown_instance_is_refused():
    import pytest

    from optimizer.errors import UserError

    with pytest.raises(UserError, match="not found"):
        perf.cases_from("", "no_such_instance", 1, "lexicographic")


def test_the_model_before_the_cost_of_change_is_measured_alongside():
    # --without-change-costs adds, for an instance with change costs, a twin that solves the
    # model as it stood before them: no change_costs rows and the presence form.
    cases = perf.cases_from("", "tutorial", 1, "lexicographic", without_change_costs=True)
    assert [c.name for c in cases] == ["tutorial", "tutorial before the cost of change"]
    now, before = (c.instance() for c in cases)
    assert len(now.tables["change_costs"]) > 0 and len(before.tables["change_costs"]) == 0
    assert before.settings.policy["flows"] is False
    # the stranding of today's output moves back into the fixed closure cost: the tutorial's
    # hillside battery_materials makes 400 today at shrink_cost 0.12, no closure cost of its own
    closure = before.tables["costs"].set_index(["region", "segment"])["closure_cost"]
    assert closure[("hillside", "battery_materials")] == pytest.approx(48)
    assert closure[("portcity", "wafer_fab")] == 150  # untouched where there is no price
