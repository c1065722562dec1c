"""Region outlines for the shipped instances (`regions.geojson`), from `city_boundaries/`.

The raw outlines share their borders vertex for vertex, so a simplification that decides each
vertex from its neighbours alone, the same way in every ring it appears in, keeps neighbours
gap-free. Each round drops the vertices with exactly two distinct neighbours whose triangle
with them is smaller than AREA_TOLERANCE and smaller than their neighbours' triangles; junction
vertices always stay. Coordinates are then rounded to DECIMALS, so a national map stays
under a megabyte (0.84 MB).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

CITY_SHAPES = "city_boundaries/DERIVED_cities_2020_simplified.geojson"
PROVINCE_SHAPES = "city_boundaries/DERIVED_provinces_2020_dissolved.geojson"
AREA_TOLERANCE = 5e-4  # deg²: e.g. a 3 km base with a 0.35 km bump, at 30° N
ROUNDS = 30
DECIMALS = 3  # about 100 m

Point = tuple[float, float]
Ring = list[Point]
Shape = list[list[Ring]]  # polygons, each a list of rings (exterior first), rings closed


def _polygons(geometry: dict) -> Shape:
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    return [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in polys]


def _area(a: Point, v: Point, b: Point) -> float:
    return abs((a[0] - v[0]) * (b[1] - v[1]) - (b[0] - v[0]) * (a[1] - v[1])) / 2.0


def _neighbours(shapes: dict[str, Shape]) -> dict[Point, set[Point]]:
    out: dict[Point, set[Point]] = {}
    for shape in shapes.values():
        for poly in shape:
            for ring in poly:
                open_ring = ring[:-1]
                n = len(open_ring)
                for i, v in enumerate(open_ring):
                    out.setdefault(v, set()).update((open_ring[i - 1], open_ring[(i + 1) % n]))
    return out


def _droppable(shapes: dict[str, Shape]) -> set[Point]:
    """Vertices one round removes: plain (two neighbours), small, and a local minimum."""
    near = _neighbours(shapes)
    area = {v: _area(*sorted(ns)[:1], v, *sorted(ns)[1:]) for v, ns in near.items()
            if len(ns) == 2}
    small = {v for v, a in area.items() if a < AREA_TOLERANCE}
    return {v for v in small
            if all(w not in small or (area[v], v) < (area[w], w) for w in near[v])}


def _without(ring: Ring, drop: set[Point]) -> Ring:
    kept = [v for v in ring[:-1] if v not in drop]
    return kept + kept[:1]


def simplify(shapes: dict[str, Shape]) -> dict[str, Shape]:
    """Drop small plain vertices for ROUNDS rounds; a ring that would fall below a triangle
    keeps its vertices (so islands never vanish)."""
    for _ in range(ROUNDS):
        drop = _droppable(shapes)
        if not drop:
            break
        shapes = {k: [[r2 if len(r2) >= 4 else ring for ring in poly
                       for r2 in [_without(ring, drop)]] for poly in shape]
                  for k, shape in shapes.items()}
    return shapes


def _rounded(ring: Ring, decimals: int) -> Ring:
    pts: Ring = []
    for x, y in ring:
        p = (round(x, decimals), round(y, decimals))
        if not pts or pts[-1] != p:
            pts.append(p)
    return pts if len(pts) >= 4 and len(set(pts)) >= 3 else []


def quantise(shape: Shape) -> Shape:
    """Round to DECIMALS and drop repeated points. A ring that collapses goes (a polygon with
    it, if it is the exterior); a unit whose every polygon collapses keeps its first exterior
    at full precision, so every region keeps a shape."""
    out = []
    for poly in shape:
        rings = [_rounded(ring, DECIMALS) for ring in poly]
        if rings[0]:
            out.append([r for r in rings if r])
    return out or [[shape[0][0]]]


@cache
def _national(raw: Path, path: str, key: str) -> dict[str, Shape]:
    data = json.loads((raw / path).read_text(encoding="utf-8"))
    shapes = {f["properties"][key]: _polygons(f["geometry"]) for f in data["features"]}
    return {k: quantise(v) for k, v in simplify(shapes).items()}


def region_shapes(raw: Path, regions: pd.DataFrame, level: str) -> dict[str, Shape]:
    """Region -> outline for an instance's regions (city regions by `city_code`, province
    regions by `province_code`)."""
    if level == "city":
        shapes, key = _national(raw, CITY_SHAPES, "city_code"), "city_code"
    else:
        shapes, key = _national(raw, PROVINCE_SHAPES, "province_code"), "province_code"
    return {r: shapes[c] for r, c in zip(regions["region"], regions[key], strict=True)}


def geojson_text(shapes: dict[str, Shape]) -> str:
    """A FeatureCollection, one Feature per line, sorted by region; same input, same bytes."""
    lines = []
    for region in sorted(shapes):
        polys = shapes[region]
        coords = [[[list(p) for p in ring] for ring in poly] for poly in polys]
        geometry = ({"type": "Polygon", "coordinates": coords[0]} if len(coords) == 1
                    else {"type": "MultiPolygon", "coordinates": coords})
        feature = {"type": "Feature", "properties": {"region": region}, "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
