"""Generate the family table of docs/model.md from the declarations, so that they agree.

Run `python -m optimizer.model.docs` to refresh the document in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from optimizer.instance.docs import replace_generated
from optimizer.model import FAMILIES

BEGIN = "<!-- BEGIN GENERATED FAMILY TABLE -->"
END = "<!-- END GENERATED FAMILY TABLE -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"


def family_table() -> str:
    """One line per family, in build order, between the markers."""
    lines = [BEGIN,
             "| family | module | rows | policy switch | relaxed to explain an infeasible "
             "instance (lever, what naming it counts, unit) |",
             "|---|---|---|---|---|"]
    lines += [family.docs_line() for family in FAMILIES]
    return "\n".join(lines + [END])


def refresh(doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    doc.write_text(replace_generated(text, BEGIN, END, family_table()), encoding="utf-8")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)
