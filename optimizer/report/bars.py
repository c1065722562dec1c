"""Bar charts as inline SVG text: no plotting package, cost linear in the bars drawn."""

from __future__ import annotations

import html

from optimizer.report.i18n import fmt_number
from optimizer.report.maps import text_width

TODAY, OPTIMISED = "#9ecae1", "#08519c"
GAIN, LOSS = "#238b45", "#cb181d"
ROW = 15.0


def paired_bars(rows: list[tuple[str, float, float]], names: tuple[str, str],
                title: str, width: float = 640.0) -> str:
    """Two bars per row (e.g. hosts today and optimised), numbers at the bar ends."""
    if not rows:
        return ""
    label_w = min(max(text_width(r[0]) for r in rows) + 10, width * 0.5)
    top = max(max(a, b) for _, a, b in rows) or 1.0
    plot = width - label_w - 40
    parts, y = [], 26.0
    for label, a, b in rows:
        parts.append(f'<text x="{label_w - 6:.0f}" y="{y + ROW * .75:.0f}" text-anchor="end">'
                     f"{html.escape(label)}</text>")
        for k, (value, colour) in enumerate(((a, TODAY), (b, OPTIMISED))):
            w = plot * value / top
            yy = y + k * ROW / 2
            parts.append(f'<rect x="{label_w:.0f}" y="{yy:.1f}" width="{w:.1f}" '
                         f'height="{ROW / 2 - 1:.1f}" fill="{colour}"/>'
                         f'<text class="n" x="{label_w + w + 3:.1f}" y="{yy + ROW / 2 - 2:.1f}">'
                         f"{fmt_number(value)}</text>")
        y += ROW + 3
    legend = (f'<rect x="{label_w:.0f}" y="8" width="10" height="10" fill="{TODAY}"/>'
              f'<text x="{label_w + 14:.0f}" y="17">{html.escape(names[0])}</text>'
              f'<rect x="{label_w + 110:.0f}" y="8" width="10" height="10" fill="{OPTIMISED}"/>'
              f'<text x="{label_w + 124:.0f}" y="17">{html.escape(names[1])}</text>')
    return (f'<svg class="chart" viewBox="0 0 {width:.0f} {y + 6:.0f}" role="img" '
            f'aria-label="{html.escape(title)}">{legend}{"".join(parts)}</svg>')


def signed_bars(rows: list[tuple[str, float]], title: str, width: float = 640.0) -> str:
    """One bar per row around zero: gains green to the right, losses red to the left."""
    if not rows:
        return ""
    label_w = min(max(text_width(r[0]) for r in rows) + 8, width * 0.4)
    top = max(abs(v) for _, v in rows) or 1.0
    half = (width - label_w - 20) / 2
    zero = label_w + half
    parts, y = [], 6.0
    for label, value in rows:
        w = half * 0.8 * abs(value) / top
        x = zero if value >= 0 else zero - w
        colour = GAIN if value >= 0 else LOSS
        tx, anchor = (zero + w + 3, "start") if value >= 0 else (zero - w - 3, "end")
        parts.append(f'<text x="{label_w - 6:.0f}" y="{y + 10:.0f}" text-anchor="end">'
                     f'{html.escape(label)}</text><rect x="{x:.1f}" y="{y:.1f}" '
                     f'width="{w:.1f}" height="{ROW - 3:.0f}" fill="{colour}"/>'
                     f'<text class="n" x="{tx:.1f}" y="{y + 10:.0f}" text-anchor="{anchor}">'
                     f"{value:+,.0f}</text>")
        y += ROW
    axis = f'<line x1="{zero:.1f}" y1="2" x2="{zero:.1f}" y2="{y:.0f}" stroke="#333"/>'
    return (f'<svg class="chart" viewBox="0 0 {width:.0f} {y + 6:.0f}" role="img" '
            f'aria-label="{html.escape(title)}">{axis}{"".join(parts)}</svg>')
