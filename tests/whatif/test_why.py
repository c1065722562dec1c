"""`optimizer why RUN --keep REGION:SEGMENT`: the cost of keeping a host, worked out by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from optimizer.cli.main import main
from tests.conftest import FIXTURES, Micro

KEEP_B = {"objective": (20.0, 35.0), "cost": (20.0, 30.0), "excess_hosts": (0.0, 1.0),
          "pairwise_overlap": (0.0, 1.0), "compensation": (0.0, 0.0), "linkage": (0.0, 0.0)}


def _instance(folder: Path) -> Micro:
    """Today a and b each make 10 of s1 (target 20); s1 costs 1 in a, 2 in b, 5 in c.

    An excess host weighs 5, cost 1. s2 (target 10, nobody today) is cheapest in b (0).
    Optimum: s1 all in a (cost 20, no excess host), s2 in b: objective 20; b closes s1.
    Keeping b at >= 10: a 10 + b 10 costs 10 + 20 = 30 and one excess host (5): 35;
    b alone (40) is dearer. So keeping b costs 15: cost +10, excess hosts +1.
    """
    micro = Micro(folder)
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Upstream,materials,20,20,0,0.5,1,
s2,c1,Downstream,assembly,10,10,0,0.5,1,
""")
    micro.table("current_layout", "region,segment,output\na,s1,10\nb,s1,10")
    micro.table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
a,s1,1,,
b,s1,2,,
c,s1,5,,
a,s2,1,,
b,s2,0,,
c,s2,1,,
""")
    micro.settings(objective={"mode": "weighted",
                              "weights": {"excess_hosts": 5, "cost": 1}})
    return micro


def _solve(folder: Path, out: Path) -> Path:
    assert main(["solve", str(folder), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("why")
    shutil.copytree(FIXTURES / "micro", base / "micro")
    _instance(base / "micro")
    return _solve(base / "micro", base / "run")


def _why(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()  # what an earlier solve printed
    code = main(["why", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_keeping_a_closed_host_costs_what_was_worked_out(solved, capsys):
    code, out, _ = _why(capsys, str(solved), "--keep", "b:s1", "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["status"] == "optimal"
    assert (answer["today"], answer["in_run"]) == (10.0, 0.0)
    got = {t["term"]: (t["before"], t["after"]) for t in answer["terms"]}
    got["objective"] = (answer["objective"]["before"], answer["objective"]["after"])
    assert got == {k: pytest.approx(v) for k, v in KEEP_B.items()}
    assert answer["objective"]["difference"] == pytest.approx(15.0)
    assert answer["objective"]["difference_at_least"] == pytest.approx(15.0)  # gap 0 here
    assert [(o["region"], o["segment"]) for o in answer["opened"]] == [("b", "s1")]
    assert answer["closed"] == []
    moves = {(c["region"], c["segment"]): c["change"] for c in answer["output_changes"]}
    assert moves == {("a", "s1"): pytest.approx(-10.0), ("b", "s1"): pytest.approx(10.0)}


def test_text_answer_names_the_terms_and_the_moves(solved, capsys):
    code, out, _ = _why(capsys, str(solved), "--keep", "B:s1")  # a region's name works too
    assert code == 0
    assert "Keeping b:s1 at no less than today's 10" in out
    assert "hosts opened (1): b:s1" in out
    assert "excess_hosts" in out and "largest output changes" in out
    assert "keeping it costs between 15.0 and 15.0" in out


def test_keeping_a_host_the_run_keeps_costs_nothing(solved, capsys):
    code, out, _ = _why(capsys, str(solved), "--keep", "a:s1", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["in_run"] == pytest.approx(20.0)
    assert answer["objective"]["difference"] == pytest.approx(0.0, abs=1e-6)
    assert answer["opened"] == [] and answer["closed"] == [] and answer["output_changes"] == []


def test_lexicographic_keep_moves_the_whole_segment(tmp_path, capsys):
    """Excess hosts first, then cost: the run puts s1 in a alone (0 excess, cost 20). Keeping
    b: a second host would cost an excess host, so b takes all 20 and a closes (cost 40)."""
    shutil.copytree(FIXTURES / "micro", tmp_path / "micro")
    micro = _instance(tmp_path / "micro")
    micro.settings(objective={"mode": "lexicographic", "order": ["excess_hosts", "cost"]})
    run = _solve(micro.folder, tmp_path / "run")
    code, out, _ = _why(capsys, str(run), "--keep", "b:s1", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["objective"] is None  # no single objective in this mode
    got = {t["term"]: (t["before"], t["after"]) for t in answer["terms"]}
    assert got["excess_hosts"] == pytest.approx((0.0, 0.0))
    assert got["cost"] == pytest.approx((20.0, 40.0))
    assert [(c["region"], c["segment"]) for c in answer["closed"]] == [("a", "s1")]
    assert [(c["region"], c["segment"]) for c in answer["opened"]] == [("b", "s1")]


def test_a_keep_the_limits_forbid_is_explained(tmp_path, capsys):
    """a must host s1 and s1 may have one host: keeping b too breaks one of the two."""
    shutil.copytree(FIXTURES / "micro", tmp_path / "micro")
    micro = _instance(tmp_path / "micro")
    micro.table("policy", "region,segment,rule,note\na,s1,must,")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Upstream,materials,20,20,0,0.5,1,1
s2,c1,Downstream,assembly,10,10,0,0.5,1,
""")
    run = _solve(micro.folder, tmp_path / "run")
    code, out, _ = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 3
    assert "INFEASIBLE" in out
    assert "relaxing that alone would make keeping it possible" in out
    assert "s1" in out.split("INFEASIBLE", 1)[1]


def test_a_host_too_big_for_its_land_cannot_be_kept(tmp_path, capsys):
    shutil.copytree(FIXTURES / "micro", tmp_path / "micro")
    micro = _instance(tmp_path / "micro")
    micro.table("resource_availability", "region,resource,available\na,land,100\nb,land,5\n"
                                         "c,land,100")
    micro.table("resource_use", "segment,resource,use\ns1,land,1")
    run = _solve(micro.folder, tmp_path / "run")
    code, out, _ = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 3
    assert "b makes 10 of s1 today, but this instance allows it at most 5" in out


@pytest.mark.parametrize(("keep", "expected"), [
    ("b-s1", "expected REGION:SEGMENT"),
    ("b:s1:x", "expected REGION:SEGMENT"),
    ("z:s1", "unknown region 'z'"),
    ("b:s9", "unknown segment 's9'"),
    ("c:s1", "c does not host s1 today"),
])
def test_bad_keep_exits_2(solved, capsys, keep, expected):
    code, out, err = _why(capsys, str(solved), "--keep", keep)
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err


def _damaged(solved: Path, tmp_path: Path) -> Path:
    run = tmp_path / "run"
    shutil.copytree(solved, run)
    return run


def test_missing_or_foreign_folder_exits_2(tmp_path, capsys):
    code, _, err = _why(capsys, str(tmp_path / "nowhere"), "--keep", "b:s1")
    assert code == 2 and "is not a folder" in err
    code, _, err = _why(capsys, str(tmp_path), "--keep", "b:s1")
    assert code == 2 and "no summary.json" in err


def test_damaged_run_folder_exits_2(solved, tmp_path, capsys):
    run = _damaged(solved, tmp_path)
    (run / "summary.json").write_text("{not json", encoding="utf-8")
    code, _, err = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 2 and "summary.json is damaged" in err

    run = _damaged(solved, tmp_path / "2")
    (run / "allocation.csv").write_text("region,segment\na,s1\n", encoding="utf-8")
    code, _, err = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 2 and "allocation.csv is damaged" in err and "chain" in err

    run = _damaged(solved, tmp_path / "4")
    text = (run / "allocation.csv").read_text(encoding="utf-8")
    (run / "allocation.csv").write_text(text.replace("\na,s1,", "\nzz,s1,"), encoding="utf-8")
    code, _, err = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 2 and "names pairs the instance does not have, e.g. zz:s1" in err

    run = _damaged(solved, tmp_path / "3")
    (run / "allocation.csv").unlink()
    code, _, err = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 2 and "has no allocation.csv" in err


def test_lost_or_changed_instance_exits_2(solved, tmp_path, capsys):
    run = _damaged(solved, tmp_path)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["instance_folder"] = str(tmp_path / "gone")
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    code, _, err = _why(capsys, str(run), "--keep", "b:s1")
    assert code == 2 and "instance folder is not recorded or not found" in err

    shutil.copytree(Path(json.loads((solved / "summary.json").read_text())["instance_folder"]),
                    tmp_path / "changed")
    Micro(tmp_path / "changed").table("current_layout", "region,segment,output\na,s1,20")
    summary["instance_folder"] = str(tmp_path / "changed")
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    code, _, err = _why(capsys, str(run), "--keep", "a:s1")
    assert code == 2 and "the instance has changed since this run" in err
