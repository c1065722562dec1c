"""The share of today's output on each basis, and its place in summary.json and report.md."""

from __future__ import annotations

import json

import pandas as pd

from optimizer.report.text import run_documents
from optimizer.results.basis import basis_shares
from optimizer.results.record import write_run


def test_shares_are_output_weighted_and_blank_is_unspecified() -> None:
    cur = pd.DataFrame({"region": ["a", "b", "c", "a"], "segment": ["s", "s", "s", "t"],
                        "output": [50.0, 30.0, 10.0, 10.0],
                        "basis": ["evidence", "population", "", "evidence"]})
    # evidence 50 + 10 of 100, population 30, blank 10
    assert basis_shares(cur) == {"evidence": 0.6, "population": 0.3, "unspecified": 0.1}


def test_without_the_column_everything_is_unspecified() -> None:
    cur = pd.DataFrame({"region": ["a"], "segment": ["s"], "output": [5.0]})
    assert basis_shares(cur) == {"evidence": 0.0, "population": 0.0, "unspecified": 1.0}


def test_no_output_today_gives_zero_shares() -> None:
    cur = pd.DataFrame({"region": [], "segment": [], "output": [], "basis": []})
    assert basis_shares(cur) == {"evidence": 0.0, "population": 0.0, "unspecified": 0.0}


def test_summary_and_report_state_the_basis(micro, tmp_path) -> None:
    micro.table("current_layout", "region,segment,output,basis\n"
                                  "a,s1,6,evidence\nb,s1,3,population\nc,s2,1,")
    out = tmp_path / "run"
    write_run(out, micro.solve(), documents=run_documents(visual=False))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["current_layout_basis"] == {"evidence": 0.6, "population": 0.3,
                                               "unspecified": 0.1}
    report = (out / "report.md").read_text()
    assert "observed evidence (development zones, listed firms, own statistics) for 60.0%" \
        in report
