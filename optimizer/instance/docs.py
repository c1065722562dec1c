"""Generate the settings and table references of docs/instance-format.md from their
declarations (SETTINGS, TABLES), so the document and the loader agree.

Run `python -m optimizer.instance.docs` to refresh the document in place.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from optimizer.instance.schema import TABLES, Column
from optimizer.instance.settings import SETTINGS, Setting, value_range

BEGIN = "<!-- BEGIN GENERATED TABLE REFERENCE -->"
END = "<!-- END GENERATED TABLE REFERENCE -->"
SETTINGS_BEGIN = "<!-- BEGIN GENERATED SETTINGS REFERENCE -->"
SETTINGS_END = "<!-- END GENERATED SETTINGS REFERENCE -->"
SETTING_KINDS = {"text": "text", "free text": "text", "switch": "true / false",
                 "terms": "list of terms", "units": "identifier: unit", "file": "file name"}
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


def _setting_kind(setting: Setting) -> str:
    if setting.kind == "choice":
        text = " / ".join(f"`{c}`" for c in setting.choices)
    elif setting.kind == "number":
        text = f"number, {value_range(setting)}"
    elif setting.kind == "integer":
        text = f"whole number, >= {setting.min:g}"
    else:
        text = SETTING_KINDS[setting.kind]
    return text + (", or null" if setting.nullable else "")


def _setting_default(setting: Setting) -> str:
    if setting.required:
        return "required"
    value = setting.default
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return f"`{value}`" if value not in ("", {}) else "empty"


def settings_reference() -> str:
    parts = [SETTINGS_BEGIN, "", "| setting | type | default | scenario | meaning |",
             "|---|---|---|---|---|"]
    for s in SETTINGS.values():
        scenario = "no" if s.fixed else "yes"
        parts.append(f"| `{s.key}` | {_setting_kind(s)} | {_setting_default(s)} | {scenario} "
                     f"| {s.doc} |")
    parts += ["", SETTINGS_END]
    return "\n".join(parts)


def replace_generated(text: str, begin: str, end: str, generated: str) -> str:
    """`text` with its block from `begin` to `end` replaced by `generated` (which carries
    both markers); everything around it kept."""
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return head + generated + tail


def refresh(doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    text = replace_generated(text, SETTINGS_BEGIN, SETTINGS_END, settings_reference())
    doc.write_text(replace_generated(text, BEGIN, END, reference()), encoding="utf-8")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)
