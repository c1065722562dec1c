"""Generate the table reference of docs/instance-format.md from the schema, so they agree.

Run `python -m optimizer.instance.docs` to refresh the document in place.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from optimizer.instance.schema import TABLES, Column

BEGIN = "<!-- BEGIN GENERATED TABLE REFERENCE -->"
END = "<!-- END GENERATED TABLE REFERENCE -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "instance-format.md"


def _kind(column: Column) -> str:
    if column.kind.startswith("ref:"):
        return f"id in `{column.kind[4:]}`"
    if column.kind == "choice":
        return " / ".join(f"`{c}`" for c in column.choices)
    text = column.kind
    lo, hi = column.min, column.max
    if math.isfinite(lo) and math.isfinite(hi):
        text += f", {lo:g} to {hi:g}"
    elif math.isfinite(lo):
        text += f", >= {lo:g}"
    return text


def _blank(column: Column) -> str:
    if not column.optional:
        return "required"
    if column.default is None or column.default == "":
        return "may be blank"
    if column.default == math.inf:
        return "blank = no limit"
    return f"blank = {column.default:g}" if isinstance(column.default, float) \
        else f"blank = {column.default}"


def reference() -> str:
    parts = [BEGIN]
    for table in TABLES.values():
        need = "required" if table.required else "optional"
        key = ", ".join(f"`{k}`" for k in table.key)
        parts += ["", f"### `{table.name}.csv` ({need}; one row per {key})", "", table.doc, "",
                  "| column | type | blank | unit | meaning |", "|---|---|---|---|---|"]
        for c in table.columns:
            unit = f"`units.{c.unit}`" if c.unit else ""
            blank = _blank(c) + ("; the column may be left out" if c.may_omit else "")
            parts.append(f"| `{c.name}` | {_kind(c)} | {blank} | {unit} | {c.doc} |")
    parts += ["", END]
    return "\n".join(parts)


def refresh(doc: Path = DOC) -> None:
    replace_generated(doc, BEGIN, END, reference())


def replace_generated(doc: Path, begin: str, end: str, block: str) -> None:
    """Put `block` (which starts with `begin` and ends with `end`) where the document's
    generated block stands, keeping everything around it."""
    text = doc.read_text(encoding="utf-8")
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    doc.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)
