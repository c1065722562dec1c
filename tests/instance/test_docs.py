"""The references in docs/instance-format.md are generated from the declarations and current."""

import re

from optimizer.errors import Problem
from optimizer.instance import safe_yaml
from optimizer.instance.docs import DOC, reference, settings_reference
from optimizer.instance.settings import parse_settings


def test_table_reference_is_up_to_date():
    assert reference() in DOC.read_text(encoding="utf-8"), (
        "docs/instance-format.md is stale: run `python -m optimizer.instance.docs`")


def test_settings_reference_is_up_to_date():
    assert settings_reference() in DOC.read_text(encoding="utf-8"), (
        "docs/instance-format.md is stale: run `python -m optimizer.instance.docs`")


def test_the_instance_yaml_example_is_a_valid_instance_yaml(tmp_path):
    section = DOC.read_text(encoding="utf-8").split("## `instance.yaml`")[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    problems: list[Problem] = []
    parse_settings(safe_yaml.load(example, "example"), tmp_path, problems)
    assert problems == []
