"""The table reference in docs/instance-format.md is generated from the schema and current."""

from optimizer.instance.docs import DOC, reference


def test_reference_is_up_to_date():
    assert reference() in DOC.read_text(encoding="utf-8"), (
        "docs/instance-format.md is stale: run `python -m optimizer.instance.docs`")
