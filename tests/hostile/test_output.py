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
from optimizer.results import files, record
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
    err = capsys.readouterr().err
    assert "report.html, report.xlsx and report.docx not written: ValueError: a chart " \
           "failed" in err
    assert (tmp_path / "run" / "summary.json").is_file()


def test_report_writes_its_three_files_together(tmp_path, monkeypatch, capsys):
    """An interrupt while `report` places its files leaves none of them (issue 10)."""
    out = tmp_path / "run"
    assert main(["solve", str(REPO / "instances" / "tutorial"), "--out", str(out)]) == 0
    for name in ("report.html", "report.xlsx", "report.docx"):
        (out / name).unlink()
    real, placed = files._link, []

    def ctrl_c_at_the_last(tmp, path):
        if len(placed) == 2:
            raise KeyboardInterrupt
        real(tmp, path)
        placed.append(path.name)

    monkeypatch.setattr(files, "_link", ctrl_c_at_the_last)
    assert main(["report", str(out)]) == 130
    assert len(placed) == 2
    assert not list(out.glob("report.*x*")) and not (out / "report.html").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    monkeypatch.setattr(files, "_link", real)
    assert main(["report", str(out)]) == 0
    assert {"report.html", "report.xlsx", "report.docx"} <= {p.name for p in out.iterdir()}


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
    def disk_full(*args, **kwargs):  # the disk fills up after the first table is written
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(record, "safe_csv", disk_full)
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


def test_sweep_workers_are_capped_at_the_cores(tmp_path, monkeypatch, capsys):
    seen = {}

    def planned_only(sweep, out, options, workers, **kwargs):
        seen["workers"] = workers
        raise KeyboardInterrupt  # nothing is solved

    monkeypatch.setattr("optimizer.whatif.sweep.run_sweep", planned_only)
    assert main(["sweep", str(REPO / "instances" / "tutorial"), "--workers", "100000",
                 "--out", str(tmp_path / "sweep")]) == 130
    assert seen["workers"] == os.cpu_count()
    assert f"--workers 100000: this machine has {os.cpu_count()} cores" in \
        capsys.readouterr().err


def test_threads_in_instance_yaml_are_capped(micro):
    from optimizer.instance import load_instance

    micro.settings(solver__threads=100000)
    assert load_instance(micro.folder).settings.threads == os.cpu_count()
