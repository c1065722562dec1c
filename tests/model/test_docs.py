"""The family table in docs/model.md is generated from the declarations and current."""

from optimizer.model.docs import DOC, family_table


def test_family_table_is_up_to_date():
    assert family_table() in DOC.read_text(encoding="utf-8"), (
        "docs/model.md is stale: run `python -m optimizer.model.docs`")
