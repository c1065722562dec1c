"""Files appear whole or not at all: a staged folder, and a set of files placed together."""

from __future__ import annotations

import pytest

from optimizer.errors import UserError
from optimizer.results import files
from optimizer.results.files import staged_folder, write_new_files

SET = {"report.html": "<html>", "report.xlsx": b"PK", "report.docx": b"PK"}


def test_a_set_of_files_is_placed_together(tmp_path):
    written = write_new_files(tmp_path, SET)
    assert [p.name for p in written] == list(SET)
    assert (tmp_path / "report.xlsx").read_bytes() == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SET)  # no temporary left


def test_one_existing_file_refuses_the_whole_set(tmp_path):
    (tmp_path / "report.docx").write_text("earlier")
    with pytest.raises(UserError, match="report.docx already exists"):
        write_new_files(tmp_path, SET)
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
    assert (tmp_path / "report.docx").read_text() == "earlier"


def test_an_interrupt_while_placing_takes_the_placed_ones_away(tmp_path, monkeypatch):
    real, placed = files._link, []

    def ctrl_c_at_the_second(tmp, path):
        if placed:
            raise KeyboardInterrupt
        real(tmp, path)
        placed.append(path)

    monkeypatch.setattr(files, "_link", ctrl_c_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        write_new_files(tmp_path, SET)
    assert placed and list(tmp_path.iterdir()) == []


def test_a_staged_folder_has_its_final_name_and_appears_only_when_done(tmp_path):
    out = tmp_path / "run"
    with staged_folder(out) as staging:
        assert staging.name == "run" and staging.is_dir() and not out.exists()
        (staging / "a.csv").write_text("x\n")
    assert (out / "a.csv").is_file() and [p.name for p in tmp_path.iterdir()] == ["run"]
    with pytest.raises(ValueError), staged_folder(tmp_path / "failed") as staging:
        (staging / "a.csv").write_text("x\n")
        raise ValueError
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
