"""Limits and interrupts keep the best allocation found, and never leave half-written output."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer.cli.main import main
from optimizer.instance import load_instance
from optimizer.report import text as report
from optimizer.results.record import write_run
from optimizer.solve.run import optimise
from tests.conftest import REPO
from tests.hostile.hard import write_hard_instance


@pytest.fixture(scope="module")
def hard(tmp_path_factory) -> Path:
    return write_hard_instance(tmp_path_factory.mktemp("hard") / "inst")


def test_time_limit_is_never_optimal(hard, tmp_path):
    out = tmp_path / "run"
    code = main(["solve", str(hard), "--out", str(out), "--time-limit", "1"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] in ("feasible", "no_solution")
    if summary["status"] == "feasible":
        assert code == 0
        assert summary["mip_gap"] > 0
        assert summary["objective"]["bound"] < summary["objective"]["value"]
        assert (out / "allocation.csv").exists()
    else:
        assert code == 3 and "before any allocation" in summary["message"]


def test_ctrl_c_keeps_the_best_allocation(hard, tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "solve", str(hard), "--out", str(out)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    time.sleep(6)  # well into branch and bound
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr
    assert proc.returncode == 0, stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "feasible"
    assert "interrupted by the user" in summary["message"]
    assert summary["mip_gap"] is not None
    assert not list(tmp_path.glob(".*partial"))


def test_interrupt_while_writing_leaves_nothing(monkeypatch, tmp_path, micro):
    results = optimise(load_instance(micro.folder))

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "report_markdown", boom)
    with pytest.raises(KeyboardInterrupt):
        write_run(tmp_path / "run", results, documents=report.run_documents(visual=False))
    assert not list(tmp_path.glob(".*partial"))
    assert not (tmp_path / "run").exists()
