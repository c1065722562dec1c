"""A self-contained HTML page: inline CSS, tables and inline SVG, no external URL.

A planner can mail the one file, open it offline, or print it.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;
margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:2px solid #4c78a8;padding-bottom:.2rem}h3{font-size:1.05rem}
.meta{color:#555}.status{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;
background:#e8eef6;font-weight:600}.bad{background:#fde2e1}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#4c78a8;color:#fff;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f6f8fb}td.best{background:#d9f0d3 !important;font-weight:600}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.85rem}.note{color:#8a5300}
details summary{cursor:pointer;color:#4c78a8;margin:.4rem 0}
nav a{margin-right:.8rem}.scroll{overflow-x:auto;max-width:100%}
.wide-labels td:nth-child(-n+2){min-width:11rem}
"""


NUMBER = re.compile(r"[−+-]?\d[\d,]*(\.\d+)?%?")


def page(title: str, subtitle_html: str, sections: list[str], lang: str = "en", defs: str = "",
         css: str = "") -> str:
    """The whole page: title, a line under it (already HTML), a link to every section, the
    sections, and any hidden SVG definitions the maps refer to."""
    nav = "".join(f'<a href="#s{i}">{html.escape(_heading(s))}</a>'
                  for i, s in enumerate(sections) if _heading(s))
    body = "\n".join(s.replace("<h2>", f'<h2 id="s{i}">', 1) for i, s in enumerate(sections))
    code = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{code}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}{css}</style></head>\n<body>\n"
            f"{defs}\n<h1>{html.escape(title)}</h1>\n<p class=\"meta\">{subtitle_html}</p>\n"
            f"<nav>{nav}</nav>\n{body}\n</body></html>\n")


def _heading(section: str) -> str:
    start = section.find("<h2>")
    if start < 0:
        return ""
    end = section.find("</h2>", start)
    return html.unescape(section[start + 4:end])


def section(title: str, *parts: str) -> str:
    return f"<section>\n<h2>{html.escape(title)}</h2>\n" + "\n".join(p for p in parts if p) + \
        "\n</section>"


def para(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html.escape(text)}</p>"


def bullets(items: list[str], cls: str = "") -> str:
    if not items:
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def table(frame: pd.DataFrame, index: bool = False, best: dict[int, set[str]] | None = None,
          collapsed_over: int = 60, title: str = "", cls: str = "") -> str:
    """An HTML table; long tables fold away behind a summary line."""
    if frame is None or frame.empty:
        return para("(no rows)")
    shown = frame.reset_index() if index else frame
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for i, rec in enumerate(shown.itertuples(index=False)):
        marks = (best or {}).get(i, set())
        cells = [_td(v, str(c) in marks) for c, v in zip(shown.columns, rec, strict=True)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    attr = f' class="{cls}"' if cls else ""
    body = (f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
    if len(shown) > collapsed_over:
        label = title or "table"
        return f"<details><summary>{html.escape(label)}: {len(shown)} rows</summary>{body}" \
               f"</details>"
    return body


def _td(value: object, best: bool) -> str:
    cls = []
    if best:
        cls.append("best")
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cls.append("num")
        text = fmt_number(value)
    else:
        text = "" if value is None else str(value)
        if NUMBER.fullmatch(text):  # a figure already formatted (0.212, 41.4%) aligns too
            cls.append("num")
    attr = f' class="{" ".join(cls)}"' if cls else ""
    return f"<td{attr}>{html.escape(text)}</td>"


def fmt_number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,.0f}"
