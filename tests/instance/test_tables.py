"""Reading tables from hostile CSV files: numbers, row numbers, file names, links, root causes.

Each test is one class of the hostile-input campaign (issue 9, section 3): before the fix the
input was silently misread, or one mistake was buried under hundreds of consequences.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from optimizer.cli.main import main
from optimizer.instance import load_instance
from tests.conftest import REPO
from tests.instance.conftest import problems

NATIONAL = REPO / "instances" / "national"


def _replace_line(path: Path, line: int, text: str) -> None:
    lines = path.read_text().splitlines()
    lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n")


# class 1: decimal commas and thousands separators are refused, never read as other numbers
@pytest.mark.parametrize("text", ['"450,5"', '"1.234,5"', '"1,234"', '"1 234"', "1_234",
                                  "'450", "4.5.6", "0x1A", "1e", "+", "."])
def test_a_number_that_is_not_plain_is_refused(tutorial, text):
    _replace_line(tutorial / "resource_availability.csv", 4, f"rivertown,land,{text}")
    found = problems(tutorial)
    assert len(found) == 1, found
    assert found[0].startswith("resource_availability.csv, row 4, column 'available': is "), found


def test_decimal_comma_message_says_what_was_expected(tutorial, capsys):
    _replace_line(tutorial / "resource_availability.csv", 4, 'rivertown,land,"450,5"')
    assert main(["validate", str(tutorial)]) == 2
    err = capsys.readouterr().err
    assert "row 4, column 'available'" in err and "450.5, not 450,5" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("text", "value"), [("450", 450.0), ("450.5", 450.5), ("-0.5e2", -50.0),
                                             (".5", 0.5), ("5.", 5.0), ("+1E3", 1000.0)])
def test_plain_numbers_still_read(tutorial, text, value):
    _replace_line(tutorial / "costs.csv", 2, _costs_row(tutorial, text))
    costs = load_instance(tutorial).tables["costs"]
    assert costs["unit_cost"].iloc[0] == value


def _costs_row(folder: Path, unit_cost: str) -> str:
    first = (folder / "costs.csv").read_text().splitlines()[1].split(",")
    return ",".join([first[0], first[1], unit_cost, *first[3:]])


# class 2: row numbers after blank lines are the rows a spreadsheet shows
def test_rows_after_blank_lines_keep_their_spreadsheet_number(tutorial):
    path = tutorial / "resource_availability.csv"
    lines = path.read_text().splitlines()
    lines[3:3] = ["", ",,", "   "]  # three blank rows before spreadsheet row 4
    lines[6] = "rivertown,land,lots"  # now spreadsheet row 7
    path.write_text("\n".join(lines) + "\n")
    assert problems(tutorial) == [
        "resource_availability.csv, row 7, column 'available': is 'lots'; expected a finite "
        "number"]


def test_a_quoted_line_break_stays_in_one_row(tutorial):
    path = tutorial / "chains.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].split(",")[0] + ',"two\nlines"'
    lines.append("ev,again")
    path.write_text("\n".join(lines) + "\n")
    found = problems(tutorial)
    assert any(p.startswith(f"chains.csv, row {len(lines)}, column 'chain': duplicate")
               for p in found), found


def test_blank_lines_before_the_header(tutorial):
    path = tutorial / "chains.csv"
    text = path.read_text().replace("chain,name", "chain,nome")
    path.write_text("\n\n" + text)
    found = problems(tutorial)
    assert found and found[0].startswith("chains.csv, row 3, column 'nome'"), found


# class 6: misnamed tables are reported, not ignored
@pytest.mark.parametrize(("name", "meant"), [("Policy.csv", "policy.csv"),
                                             ("links.CSV", "links.csv"),
                                             ("cost.csv", "costs.csv"),
                                             ("talent-use.csv", "talent_use.csv")])
def test_misnamed_table_is_reported(tutorial, name, meant):
    source = tutorial / meant
    source.rename(tutorial / name)
    found = problems(tutorial)
    assert any(p.startswith(f"{name}: is not read") and f"did you mean {meant}" in p
               for p in found), found


def test_a_stray_csv_is_reported(tutorial):
    (tutorial / "notes.csv").write_text("a,b\n1,2\n")
    assert any(p.startswith("notes.csv: is not read") for p in problems(tutorial))


# class 16: tables are confined to the instance folder
def test_a_table_linked_from_outside_is_refused(tutorial, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    shutil.copy(tutorial / "policy.csv", outside)
    (tutorial / "policy.csv").unlink()
    os.symlink(outside, tutorial / "policy.csv")
    found = problems(tutorial)
    assert any(p.startswith("policy.csv: is a link to a file outside the instance folder")
               for p in found), found


def test_a_link_inside_the_folder_is_read(tutorial):
    (tutorial / "policy.csv").rename(tutorial / "policy.data")
    os.symlink("policy.data", tutorial / "policy.csv")
    assert len(load_instance(tutorial).tables["policy"]) > 0


def test_a_pipe_is_refused_without_hanging(tutorial):
    (tutorial / "policy.csv").unlink()
    os.mkfifo(tutorial / "policy.csv")
    assert any(p.startswith("policy.csv: is not a regular file") for p in problems(tutorial))


# class 11: one broken table gives one root problem, and a YAML error hides nothing
def test_a_misspelt_header_is_one_problem(tutorial):
    path = tutorial / "regions.csv"
    path.write_text(path.read_text().replace("region,name", "regoin,name", 1))
    found = problems(tutorial)
    assert len(found) == 1, found
    assert found[0].startswith("regions.csv, row 1, column 'regoin'") and "'region'" in found[0]


def test_one_bad_byte_in_a_national_table_is_one_problem(tmp_path):
    folder = Path(shutil.copytree(NATIONAL, tmp_path / "national"))
    path = folder / "regions.csv"
    data = path.read_bytes()
    path.write_bytes(data[:200] + b"\xff" + data[200:])
    found = problems(folder)
    assert len(found) == 1, found[:5]
    assert found[0].startswith("regions.csv, row ") and "not UTF-8" in found[0]


def test_a_missing_required_table_is_one_problem(tutorial):
    (tutorial / "segments.csv").unlink()
    assert problems(tutorial) == ["segments.csv: missing: the instance needs a `segments` table"]


def test_a_yaml_error_does_not_hide_table_errors(tutorial):
    (tutorial / "instance.yaml").write_text("name: [\n")
    _replace_line(tutorial / "resource_availability.csv", 4, "rivertown,land,-5")
    found = problems(tutorial)
    assert any(p.startswith("instance.yaml") and "not valid YAML" in p for p in found), found
    assert any(p.startswith("resource_availability.csv, row 4, column 'available'")
               for p in found), found


# class 15: contradictory distances
def test_distances_must_agree_both_ways(tutorial):
    (tutorial / "distances.csv").write_text("region_from,region_to,distance\n"
                                            "portcity,rivertown,85\nrivertown,portcity,90\n")
    assert problems(tutorial) == [
        "distances.csv, row 3, column 'distance': is 90 from 'rivertown' to 'portcity', but "
        "row 2 gives 85 the other way; distances are symmetric, give one"]


def test_distances_given_both_ways_alike_are_accepted(tutorial):
    (tutorial / "distances.csv").write_text("region_from,region_to,distance\n"
                                            "portcity,rivertown,85\nrivertown,portcity,85\n")
    assert len(load_instance(tutorial).tables["distances"]) == 2


def test_control_characters_in_text_are_refused(tutorial):
    path = tutorial / "chains.csv"
    path.write_bytes(path.read_bytes().replace(b"New-energy", b"New\x00energy\x01"))
    found = problems(tutorial)
    assert len(found) == 1 and found[0].startswith("chains.csv, row 2, column 'name': holds "
                                                   "the control character '\\x00'"), found
