"""Choropleth maps as inline SVG, drawn from the instance's region outlines.

The outlines are projected and simplified once per report into hidden `<path>` definitions;
each map then only refers to them (`<use href="#…">`) with its own fill, so a page with twenty
maps of 357 cities stays small and costs time linear in the number of regions. Without
outlines the regions are drawn as circles at their coordinates, and the map says it is a
schematic. Standard library only: no plotting package, nothing fetched at view time.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.instance import Instance

WIDTH = 520.0
PAD = 6.0
MIN_STEP = 0.7  # px: a vertex closer than this to the last one kept is dropped
EMPTY = "#f2f2f2"
LEGEND_ROW = 22
EDGE = "#8a8a8a"
SEQUENTIAL = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
STEPS = (0.0, 0.1, 0.25, 0.5, 0.75)  # share of the largest value at which each class starts
GAIN, LOSS = ("#c7e9c0", "#74c476", "#238b45"), ("#fcbba1", "#fb6a4a", "#cb181d")
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6",
           "#9d755d", "#bab0ac", "#eeca3b")

Rings = list[list[tuple[float, float]]]
LABEL_SIZE = 13.0  # px, the largest a map label is drawn at (small maps, page.py's CSS)


def text_width(text: str, size: float = 11.0) -> float:
    """Rough width of a label: CJK glyphs are about twice as wide as Latin ones."""
    return sum(1.05 if ord(ch) > 0x2E80 else 0.62 for ch in text) * size


def region_geometry(instance: Instance | None) -> dict[str, list[Rings]] | None:
    """Region id -> polygons (each a list of rings of lon/lat), or None without outlines.

    The outlines are the instance's own `regions.geojson` as the loader read and checked it
    (`optimizer.instance.geometry`), so a map never draws what validation did not see.
    """
    geometry = getattr(instance, "geometry", None)
    return {r: polygons for r, polygons in geometry.items() if polygons} or None \
        if geometry else None


def coordinates(instance: Instance | None) -> dict[str, tuple[float, float]]:
    """Region id -> (lon, lat), for the regions that have both."""
    if instance is None:
        return {}
    t = instance.tables["regions"]
    return {str(r): (float(x), float(y)) for r, x, y in zip(t["region"], t["lon"], t["lat"],
                                                            strict=True)
            if isinstance(x, float) and isinstance(y, float) and math.isfinite(x)
            and math.isfinite(y)}


@dataclass
class Canvas:
    """One projection for every map of a report, and the shapes the maps refer to."""

    regions: list[str]
    names: dict[str, str]
    width: float = WIDTH
    height: float = 0.0
    shapes: dict[str, str] = field(default_factory=dict)  # region -> path d, or "" (circle)
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    schematic: bool = False
    ids: dict[str, str] = field(default_factory=dict)
    rings: dict[str, list[list[tuple[float, float]]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.centres


def canvas(instance: Instance | None, names: dict[str, str], regions: list[str],
           coords: dict[str, tuple[float, float]]) -> Canvas:
    """Project outlines (or, without them, coordinates) into one frame."""
    geometry = region_geometry(instance)
    drawn = Canvas(regions, names)
    drawn.ids = {r: f"rg{i}" for i, r in enumerate(regions)}
    if geometry is not None and any(r in geometry for r in regions):
        points = [p for r in regions for poly in geometry.get(r, []) for p in poly[0]]
        project = _projection(points, drawn)
        for r in regions:
            if r in geometry:
                drawn.rings[r] = [[project(x, y) for x, y in ring] for polygon in geometry[r]
                                  for ring in polygon]
                drawn.shapes[r] = _path(geometry[r], project)
                drawn.centres[r] = _centre(geometry[r], project)
            elif r in coords:
                drawn.centres[r] = project(*coords[r])
        return drawn
    drawn.schematic = True
    placed = [coords[r] for r in regions if r in coords]
    if not placed:
        return drawn
    project = _projection(placed, drawn, pad=24.0)
    for r in regions:
        if r in coords:
            drawn.centres[r] = project(*coords[r])
    return drawn


def _projection(points: list[tuple[float, float]], drawn: Canvas, pad: float = PAD):
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = max(math.cos(math.radians((south + north) / 2)), 0.2)
    span = max((east - west) * squeeze, (north - south) * 0.3, 1e-6)
    scale = (drawn.width - 2 * pad) / span
    drawn.height = round(max((north - south) * scale, 60.0) + 2 * pad, 1)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (pad + (lon - west) * squeeze * scale, pad + (north - lat) * scale)
    return project


def _path(polygons: list[Rings], project) -> str:
    """An SVG path of relative moves at 0.1 px, dropping vertices closer than MIN_STEP."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            xy = [project(x, y) for x, y in ring]
            kept = [xy[0]]
            for p in xy[1:]:
                if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= MIN_STEP:
                    kept.append(p)
            if len(kept) < 3:
                continue
            q = [(round(x * 10), round(y * 10)) for x, y in kept]
            steps = [f"{(b[0] - a[0]) / 10:g} {(b[1] - a[1]) / 10:g}"
                     for a, b in zip(q, q[1:], strict=False)]
            parts.append(f"M{q[0][0] / 10:g} {q[0][1] / 10:g}l" + " ".join(steps) + "z")
    return "".join(parts)


def _centre(polygons: list[Rings], project) -> tuple[float, float]:
    """The centre of the largest outer ring (by area): where a label or marker goes."""
    best, best_area = None, -1.0
    for polygon in polygons:
        xy = [project(x, y) for x, y in polygon[0]]
        area = abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(xy, xy[1:] + xy[:1],
                                                                strict=True))) / 2
        if area > best_area:
            best, best_area = xy, area
    xs = [p[0] for p in best]
    ys = [p[1] for p in best]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def definitions(drawn: Canvas) -> str:
    """The hidden SVG holding every region's shape once, for the maps to refer to."""
    if drawn.empty:
        return ""
    shapes = []
    for r in drawn.regions:
        if r not in drawn.centres:
            continue
        d = drawn.shapes.get(r)
        if d:
            shapes.append(f'<path id="{drawn.ids[r]}" d="{d}"/>')
        else:
            x, y = drawn.centres[r]
            shapes.append(f'<circle id="{drawn.ids[r]}" cx="{x:.1f}" cy="{y:.1f}" r="9"/>')
    return ('<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            + "".join(shapes) + "</defs></svg>")


def choropleth(drawn: Canvas, fills: dict[str, str], tips: dict[str, str], title: str,
               legend: list[tuple[str, str]], overlay: str = "",
               label: list[str] | None = None, tags: dict[str, str] | None = None) -> str:
    """One map: every region filled, with tooltips, a title and a legend underneath; the
    regions in `label` named, most important first."""
    if drawn.empty:
        return ""
    uses = []
    for r in drawn.regions:
        if r not in drawn.centres:
            continue
        tip = html.escape(tips.get(r, drawn.names.get(r, r)))
        uses.append(f'<use href="#{drawn.ids[r]}" fill="{fills.get(r, EMPTY)}">'
                    f"<title>{tip}</title></use>")
    texts = _labels(drawn, list(label or ()), tags or {})
    keys = _legend(legend, drawn.height, drawn.width)
    height = drawn.height + LEGEND_ROW * math.ceil(len(legend) / 2) + 10
    return (f'<svg class="map" viewBox="0 0 {drawn.width:.0f} {height:.0f}" role="img" '
            f'aria-label="{html.escape(title)}"><g stroke="{EDGE}" stroke-width=".4">'
            + "".join(uses) + f"</g>{overlay}"
            + f'<g class="lbl">{texts}</g>{keys}</svg>')


def most(values: dict[str, float], n: int) -> list[str]:
    """The n regions of largest |value| (not zero), largest first."""
    ranked = sorted(values.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    return [r for r, v in ranked[:n] if abs(v) > 1e-9]


def _labels(drawn: Canvas, regions: list[str], tags: dict[str, str]) -> str:
    """Names at region centres, placed in order; a name that would cover one already placed,
    or run off the map, goes to the left of its centre, under or over it, or is left out
    (its tooltip still has it)."""
    placed: list[tuple[float, float, float, float]] = []
    texts = []
    for r in regions:
        if r not in drawn.centres:
            continue
        x, y = drawn.centres[r]
        word = drawn.names.get(r, r) + tags.get(r, "")
        width = text_width(word, LABEL_SIZE)
        edge = drawn.width - width - 2  # right-aligned to the map's edge
        for left, base in ((x, y), (x - width, y), (min(x - width / 2, edge), y + LABEL_SIZE),
                           (min(x - width / 2, edge), y - LABEL_SIZE)):
            box = (left, base - LABEL_SIZE, left + width, base + 2)
            if left >= 0 and left + width <= drawn.width and not any(
                    _overlap(box, other) for other in placed):
                placed.append(box)
                texts.append(f'<text x="{left:.1f}" y="{base:.1f}">{html.escape(word)}</text>')
                break
    return "".join(texts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _legend(legend: list[tuple[str, str]], top: float, width: float) -> str:
    """Two columns of swatches under the map, large enough to read when the map is small."""
    parts = []
    for i, (colour, text) in enumerate(legend):
        x = 6 + (i % 2) * width / 2
        y = top + 6 + (i // 2) * LEGEND_ROW
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="16" height="16" fill="{colour}" '
                     f'stroke="{EDGE}" stroke-width=".4"/><text class="key" x="{x + 21:.0f}" '
                     f'y="{y + 13:.0f}">{html.escape(text)}</text>')
    return "".join(parts)


def sequential(values: dict[str, float], unit: str) -> tuple[dict[str, str],
                                                               list[tuple[str, str]]]:
    """Fills for amounts: five classes by share of the largest; zero stays blank."""
    top = max([v for v in values.values() if v > 0], default=0.0)
    fills = {}
    for r, v in values.items():
        if v > 0 and top > 0:
            k = max(i for i, s in enumerate(STEPS) if v / top >= s)
            fills[r] = SEQUENTIAL[k]
    bounds = [f"{STEPS[i] * top:,.0f}" for i in range(len(STEPS))] + [f"{top:,.0f}"]
    legend = [(SEQUENTIAL[i], f"{'> 0' if i == 0 else bounds[i]} – {bounds[i + 1]}")
              for i in range(len(STEPS))] if top > 0 else []
    return fills, legend


def diverging(values: dict[str, float], unit: str) -> tuple[dict[str, str],
                                                              list[tuple[str, str]]]:
    """Fills for changes: three shades of gain and of loss, by share of the largest change."""
    top = max([abs(v) for v in values.values()], default=0.0)
    fills = {}
    for r, v in values.items():
        if top <= 0 or abs(v) < 1e-9 * max(top, 1.0):
            continue
        k = 0 if abs(v) < top / 3 else 1 if abs(v) < 2 * top / 3 else 2
        fills[r] = (GAIN if v > 0 else LOSS)[k]
    if top <= 0:
        return fills, []
    third = top / 3
    legend = [(LOSS[2], f"< −{2 * third:,.0f}"), (GAIN[2], f"> +{2 * third:,.0f}"),
              (LOSS[1], f"−{2 * third:,.0f} – −{third:,.0f}"),
              (GAIN[1], f"+{third:,.0f} – +{2 * third:,.0f}"),
              (LOSS[0], f"−{third:,.0f} – 0"), (GAIN[0], f"0 – +{third:,.0f}")]
    return fills, legend


def triangles(drawn: Canvas, change: dict[str, float]) -> str:
    """Up (green) or down (red) triangles at region centres, sized by the change."""
    top = max([abs(v) for v in change.values()], default=0.0)
    if top <= 0:
        return ""
    parts = []
    for r, v in change.items():
        if r not in drawn.centres or abs(v) < top * 0.02:
            continue
        x, y = drawn.centres[r]
        s = 3 + 7 * math.sqrt(abs(v) / top)
        if v > 0:
            tip, base, colour = y - s, y + s * .7, GAIN[2]
        else:
            tip, base, colour = y + s, y - s * .7, LOSS[2]
        points = f"{x:.1f},{tip:.1f} {x - s:.1f},{base:.1f} {x + s:.1f},{base:.1f}"
        parts.append(f'<polygon points="{points}" fill="{colour}" fill-opacity=".85" '
                     'stroke="#fff" stroke-width=".6"/>')
    return "<g>" + "".join(parts) + "</g>"


def lines(drawn: Canvas, pairs: list[tuple[str, str]], colour: str) -> str:
    """Straight lines between region centres (supplier to user)."""
    parts = []
    for a, b in pairs:
        if a in drawn.centres and b in drawn.centres and a != b:
            (x1, y1), (x2, y2) = drawn.centres[a], drawn.centres[b]
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    dots = {r for p in pairs for r in p if r in drawn.centres}
    circles = "".join(f'<circle cx="{drawn.centres[r][0]:.1f}" cy="{drawn.centres[r][1]:.1f}" '
                      'r="2.6"/>' for r in sorted(dots))
    return (f'<g stroke="{colour}" stroke-width="1.3" stroke-opacity=".8">{"".join(parts)}</g>'
            f'<g fill="#333">{circles}</g>')


def chain_colours(chains: list[str]) -> dict[str, str]:
    """One colour per chain, fixed by the chain's place in the instance: the same in every
    report of the instance."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(chains)}
