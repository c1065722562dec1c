"""Where regions are: outlines from the optional `regions.geojson` (for drawing maps), and
the great-circle distance between centroids (for links the `distances` table leaves out).

Format: a GeoJSON FeatureCollection (RFC 7946, lon/lat degrees) with exactly one Feature per
region; `properties.region` is the region id of `regions.csv`, the geometry a Polygon or
MultiPolygon. Every ring is closed (first position = last) and has at least four positions.
Outlines never enter the model; they are checked so that a map cannot silently misdraw.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from optimizer.errors import Problem

GEOMETRY_FILE = "regions.geojson"
EARTH_RADIUS_KM = 6371.0
MAX_BYTES = 20_000_000  # a national city map at ~100 m is under 1 MB

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # exterior ring first, then holes


def read_geometry(folder: Path, regions: list[str],
                  problems: list[Problem]) -> dict[str, list[Polygon]] | None:
    """Region -> polygons from `folder/regions.geojson`; None when the file is absent."""
    path = folder / GEOMETRY_FILE
    if not path.is_file():
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(Problem(GEOMETRY_FILE, None, None,
                                f"is {size:,} bytes; at most {MAX_BYTES:,} are read "
                                "(simplify the outlines)"))
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(GEOMETRY_FILE, None, None, f"is not JSON text: {exc}"))
        return None
    return parse_geometry(data, regions, problems)


def parse_geometry(data: object, regions: list[str],
                   problems: list[Problem]) -> dict[str, list[Polygon]] | None:
    """Check a parsed FeatureCollection against the region ids; errors name the feature."""
    before = len(problems)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        problems.append(Problem(GEOMETRY_FILE, None, None,
                                "expected a GeoJSON FeatureCollection with a `features` list"))
        return None
    known = set(regions)
    out: dict[str, list[Polygon]] = {}
    for i, feature in enumerate(data["features"]):
        region, shape = _feature(feature, f"feature {i}", problems)
        if region is None:
            continue
        if region not in known:
            problems.append(Problem(GEOMETRY_FILE, None, None,
                                    f"feature {i}: region {region!r} is not in regions.csv"))
        elif region in out:
            problems.append(Problem(GEOMETRY_FILE, None, None,
                                    f"feature {i}: region {region!r} has a second shape; "
                                    "give one (Multi)Polygon per region"))
        elif shape is not None:
            out[region] = shape
    missing = [r for r in regions if r not in out]
    if missing and len(problems) == before:
        problems.append(Problem(GEOMETRY_FILE, None, None,
                                f"has no shape for {len(missing)} region(s): "
                                f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"))
    return out if len(problems) == before else None


def _feature(feature: object, where: str,
             problems: list[Problem]) -> tuple[str | None, list[Polygon] | None]:
    def bad(message: str) -> tuple[None, None]:
        problems.append(Problem(GEOMETRY_FILE, None, None, f"{where}: {message}"))
        return None, None

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return bad("expected a GeoJSON Feature")
    props = feature.get("properties")
    region = props.get("region") if isinstance(props, dict) else None
    if not isinstance(region, str) or not region:
        return bad("expected `properties.region`, the region id")
    geom = feature.get("geometry")
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return bad(f"region {region!r}: geometry must be a Polygon or MultiPolygon")
    coords = geom.get("coordinates")
    polys = [coords] if kind == "Polygon" else coords
    if not isinstance(polys, list) or not polys:
        return bad(f"region {region!r}: expected a list of polygons")
    shape = []
    for polygon in polys:
        rings, message = _polygon(polygon)
        if message:
            problems.append(Problem(GEOMETRY_FILE, None, None,
                                    f"{where}: region {region!r}: {message}"))
            return region, None
        shape.append(rings)
    return region, shape


def _polygon(polygon: object) -> tuple[Polygon, str]:
    if not isinstance(polygon, list) or not polygon:
        return [], "a polygon must be a non-empty list of rings"
    rings = []
    for ring in polygon:
        if not isinstance(ring, list) or len(ring) < 4:
            return [], "a ring needs at least four [lon, lat] positions"
        points = []
        for pos in ring:
            if not (isinstance(pos, list) and len(pos) >= 2
                    and all(isinstance(v, int | float) and not isinstance(v, bool)
                            and math.isfinite(v) for v in pos[:2])):
                return [], f"position {pos!r} is not [lon, lat] in numbers"
            lon, lat = float(pos[0]), float(pos[1])
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                return [], f"position [{lon:g}, {lat:g}] is outside lon -180..180, lat -90..90"
            points.append((lon, lat))
        if points[0] != points[-1]:
            return [], "a ring must end where it starts (closed)"
        rings.append(points)
    return rings, ""


def great_circle_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Km between every pair of points given in degrees (haversine, a sphere of 6371 km)."""
    lon, lat = np.radians(lon), np.radians(lat)
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
