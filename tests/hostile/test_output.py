"""Where and when `solve` writes (classes 4, 8, 13 and 15 of issue 9).

The output folder appears only when complete, reports included; `--out` is checked before any
solving; the instance's name cannot steer the default path; threads are capped.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from optimizer import report as visual
from optimizer.cli.main import main
from optimizer.report import text as report
from tests.conftest import REPO


def solve(micro, out: Path, *extra: str) -> int:
    return main(["solve", str(micro.folder), "--out", str(out), *extra])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# class 4: the folder appears only once complete, reports included
def test_reports_are_written_before_the_folder_appears(tmp_path, monkeypatch):
    out = tmp_path / "run"
    seen = {}
    real = visual.write_visual_reports

    def spy(folder, instance=None):
        seen["out exists while reports are written"] = out.exists()
        return real(folder, instance=instance)

    monkeypatch.setattr(visual, "write_visual_reports", spy)
    assert main(["solve", str(REPO / "instances" / "tutorial"), "--out", str(out)]) == 0
    assert seen == {"out exists while reports are written": False}
    assert {"report.html", "report.xlsx", "summary.json"} <= {p.name for p in out.iterdir()}
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_reports_are_written_leaves_nothing(micro, tmp_path, monkeypatch, capsys):
    def interrupted(folder, instance=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(visual, "write_visual_reports", interrupted)
    assert solve(micro, tmp_path / "run") == 130
    assert "nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "run").exists() and leftovers(tmp_path) == []


def test_a_report_that_fails_keeps_the_results(micro, tmp_path, monkeypatch, capsys):
    def broken(folder, instance=None):
        raise ValueError("a chart failed")

    monkeypatch.setattr(visual, "write_visual_reports", broken)
    assert solve(micro, tmp_path / "run") == 0
    assert "report.html / report.xlsx not written: a chart failed" in capsys.readouterr().err
    assert (tmp_path / "run" / "summary.json").is_file()


# class 8: --out is checked before any work
def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root writes anywhere a mode allows; /sys refuses even root
        return Path("/sys/chain-layout-out")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "run"


@pytest.mark.parametrize("case", ["parent_is_file", "unwritable", "dangling_link",
                                  "name_too_long", "link_in_parent", "existing"])
def test_bad_out_is_refused_before_solving(micro, tmp_path, monkeypatch, capsys, case):
    (tmp_path / "file").write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "existing").mkdir()
    out = {"parent_is_file": tmp_path / "file" / "run",
           "unwritable": _unwritable(tmp_path),
           "dangling_link": tmp_path / "dangling",
           "name_too_long": tmp_path / ("x" * 250),
           "link_in_parent": tmp_path / "dangling" / "run",
           "existing": tmp_path / "existing"}[case]

    def never(*args, **kwargs):
        raise AssertionError("solved although --out cannot be written")

    monkeypatch.setattr("optimizer.solve.run.optimise", never)
    assert solve(micro, out) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(out) in err, err
    assert leftovers(tmp_path) == []


def test_a_failed_write_after_the_solve_shows_the_result(micro, tmp_path, monkeypatch, capsys):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report, "write_results", disk_full)
    assert solve(micro, tmp_path / "run") == 2
    captured = capsys.readouterr()
    assert "OPTIMAL" in captured.out  # the finished solve is shown, not lost
    assert "could not be written" in captured.err and "No space left" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "run").exists() and leftovers(tmp_path) == []


# class 13: the instance name cannot steer the default output path
@pytest.mark.parametrize("name", ["../../escape", "/tmp/escape", "..", "a/../../b", "x\\..\\y"])
def test_the_name_cannot_steer_the_default_out(micro, tmp_path, monkeypatch, name):
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    micro.settings(name=name)
    assert main(["solve", str(micro.folder)]) == 0
    made = list((work / "out").iterdir())
    assert len(made) == 1 and made[0].is_dir(), made
    assert "/" not in made[0].name and not made[0].name.startswith(".")
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["work"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "micro"]


# class 15: threads are capped at the machine's cores
@pytest.mark.parametrize("command", ["solve", "sweep"])
def test_threads_are_capped_at_the_cores(command):
    # parsed, not solved: HiGHS keeps one thread pool per process, so a test that solved with
    # another thread count than earlier tests would fail for that reason alone
    from optimizer.cli.main import parser

    args = parser().parse_args([command, "inst", "--threads", "100000"])
    assert args.threads == os.cpu_count()


def test_threads_in_instance_yaml_are_capped(micro):
    from optimizer.instance import load_instance

    micro.settings(solver__threads=100000)
    assert load_instance(micro.folder).settings.threads == os.cpu_count()
