"""`compare` and `report` on a damaged run folder end in exit 2 saying what is wrong (class 12).

A run folder is evidence read back later; files get truncated, hand-edited or replaced. Each
damage below used to end in a traceback (KeyError, JSONDecodeError, ParserError, ...).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.cli.main import main
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"
DAMAGES = {
    "summary_not_json": ("summary.json", "{ not json"),
    "summary_a_list": ("summary.json", "[1, 2]"),
    "summary_empty": ("summary.json", ""),
    "summary_measures_text": ("summary.json", '{"status": "optimal", "measures": "x"}'),
    "summary_objective_list": ("summary.json", '{"status": "optimal", "objective": [1]}'),
    "summary_bad_bytes": ("summary.json", b"\xff\xfe{}"),
    "allocation_empty": ("allocation.csv", ""),
    "allocation_no_change_column": ("allocation.csv", "region,segment,output\na,b,1\n"),
    "allocation_text_output": ("allocation.csv", "region,segment,chain,output,value_added,"
                               "current_output,change\nportcity,ev_assembly,ev,lots,1,1,kept\n"),
    "allocation_bad_bytes": ("allocation.csv", b"region,segment\n\xff\xfe\x00,\x01\n"),
    "allocation_ragged": ("allocation.csv", "region,segment\na,b,c,d,e\n"),
    "regions_no_region_column": ("regions.csv", "name,segments_optimised\na,1\n"),
    "chains_no_chain_column": ("chains.csv", "hosts_optimised\n1\n"),
    "matrix_garbage": ("allocation_matrix.csv", b"\x00\x01\x02"),
}


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("solved") / "run"
    assert main(["solve", str(TUTORIAL), "--out", str(out)]) == 0
    return out


def _damaged(solved: Path, tmp_path: Path, case: str) -> tuple[Path, str]:
    run = Path(shutil.copytree(solved, tmp_path / "run"))
    name, content = DAMAGES[case]
    data = content.encode() if isinstance(content, str) else content
    (run / name).write_bytes(data)
    return run, name


@pytest.mark.parametrize("case", sorted(set(DAMAGES) - {"matrix_garbage"}))  # not read there
def test_compare_on_a_damaged_run(solved, tmp_path, capsys, case):
    run, name = _damaged(solved, tmp_path, case)
    code = main(["compare", "current", str(run), "--out", str(tmp_path / "cmp")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert name in err and "Traceback" not in err, err
    assert not (tmp_path / "cmp").exists()


@pytest.mark.parametrize("case", sorted(DAMAGES))
def test_report_on_a_damaged_run(solved, tmp_path, capsys, case):
    run, name = _damaged(solved, tmp_path, case)
    for report in ("report.html", "report.xlsx", "report.docx"):
        (run / report).unlink()
    code = main(["report", str(run)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert name in err and "Traceback" not in err, err
    assert not (run / "report.html").exists() and not (run / "report.xlsx").exists()


def test_a_damaged_sweep_manifest(solved, tmp_path, capsys):
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "manifest.json").write_text('{"runs": [{"run": "a", "output": 7}]}')
    assert main(["compare", str(sweep), "--out", str(tmp_path / "cmp")]) == 2
    assert "manifest.json" in capsys.readouterr().err
