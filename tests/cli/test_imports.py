"""`--help` and `validate` start light: the heavy packages load only for the commands that use
them. Each case runs in a fresh interpreter, since this test process has imported everything."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from optimizer.cli.main import BENCH_COMMANDS, COMMANDS, parser
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"
HEAVY = ("pandas", "numpy", "pyomo", "highspy", "matplotlib", "openpyxl", "docx", "scipy")
PROBE = """
import json, runpy, sys
argv, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv, code = ["optimizer", *argv], None
try:
    runpy.run_module("optimizer", run_name="__main__")
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""


def loaded_by(*argv: str) -> tuple[int, set[str]]:
    """The exit code of `python -m optimizer ARGV`, and which heavy packages it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
                          capture_output=True, text=True, cwd=REPO, timeout=120, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["code"], set(found["loaded"])


@pytest.mark.parametrize("argv", [["--help"], ["bench", "--help"], ["sweep", "--help"],
                                  ["solve", "--help"], []])
def test_help_imports_no_heavy_package(argv):
    code, loaded = loaded_by(*argv)
    assert code in (0, 2)  # no command at all is a usage error
    assert loaded == set(), loaded


def test_validate_imports_neither_pyomo_nor_matplotlib():
    code, loaded = loaded_by("validate", str(TUTORIAL))
    assert code == 0
    assert not loaded & {"pyomo", "highspy", "matplotlib", "docx", "scipy"}, loaded


def test_a_lazy_command_still_gets_its_full_parser():
    code, loaded = loaded_by("why", "--help")
    assert code == 0 and "pyomo" in loaded  # its module was imported to describe it


def _helps(action: argparse._SubParsersAction) -> dict[str, str]:
    return {a.dest: a.help for a in action._choices_actions}


def _subparsers(p: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))


def test_the_listed_help_is_each_modules_own():
    full = _subparsers(parser())
    listed = {name: text for _, _, group in COMMANDS for name, text in group.items()}
    assert {k: v for k, v in _helps(full).items() if k in listed} == listed
    bench = _subparsers(full.choices["bench"])
    listed = {name: text for _, _, group in BENCH_COMMANDS for name, text in group.items()}
    assert {k: v for k, v in _helps(bench).items() if k in listed} == listed
    light = _subparsers(parser(["--help"]))
    assert list(_helps(light)) == list(_helps(full))  # same commands, same order
