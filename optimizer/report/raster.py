"""A filled region map as a PNG, for Word (which cannot show the page's inline SVG).

Even-odd scanline filling in numpy and a PNG written with zlib: no plotting package, and
time linear in the regions' outline vertices times their height in pixels.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from optimizer.report.maps import Canvas

SCALE = 2.0  # pixels per SVG unit: print quality in a 15 cm wide picture
EDGE = (110, 110, 110)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _fill(label: np.ndarray, rings: list[list[tuple[float, float]]], value: int) -> None:
    """Set `label` to `value` inside the rings (even-odd rule), sampling pixel centres."""
    edges = []
    for ring in rings:
        pts = np.asarray(ring, float) * SCALE
        if len(pts) < 3:
            continue
        edges.append(np.column_stack([pts, np.roll(pts, -1, axis=0)]))
    if not edges:
        return
    e = np.concatenate(edges)
    height, width = label.shape
    top = max(int(np.floor(e[:, [1, 3]].min())), 0)
    bottom = min(int(np.ceil(e[:, [1, 3]].max())), height)
    if bottom <= top:
        return
    yc = np.arange(top, bottom)[:, None] + 0.5
    y0, y1, x0, x1 = e[:, 1], e[:, 3], e[:, 0], e[:, 2]
    crosses = ((y0 <= yc) & (yc < y1)) | ((y1 <= yc) & (yc < y0))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = x0 + (yc - y0) * (x1 - x0) / (y1 - y0)
    x = np.where(crosses, x, np.inf)
    x.sort(axis=1)
    count = crosses.sum(axis=1)
    starts, ends = x[:, 0::2], x[:, 1::2]
    pairs = min(starts.shape[1], ends.shape[1])
    starts, ends = starts[:, :pairs], ends[:, :pairs]
    valid = (np.arange(pairs)[None, :] * 2 + 1) < count[:, None]
    rows = np.nonzero(valid)
    a = np.clip(np.ceil(starts[rows] - 0.5), 0, width).astype(int)
    b = np.clip(np.ceil(ends[rows] - 0.5), 0, width).astype(int)
    diff = np.zeros((bottom - top, width + 1), int)
    np.add.at(diff, (rows[0], a), 1)
    np.add.at(diff, (rows[0], b), -1)
    inside = np.cumsum(diff, axis=1)[:, :width] > 0
    label[top:bottom][inside] = value


def png_map(drawn: Canvas, fills: dict[str, str], empty: str = "#f2f2f2") -> bytes | None:
    """Every region filled with its colour, outlines between regions in grey."""
    if drawn.empty:
        return None
    width, height = int(drawn.width * SCALE), int(drawn.height * SCALE)
    label = np.zeros((height, width), int)
    palette = [(255, 255, 255)]
    for i, r in enumerate(drawn.regions, start=1):
        rings = drawn.rings.get(r)
        if rings is None and r in drawn.centres:  # schematic: a disc at the centre
            cx, cy = drawn.centres[r]
            angle = np.linspace(0, 2 * np.pi, 24, endpoint=False)
            rings = [list(zip(cx + 9 * np.cos(angle), cy + 9 * np.sin(angle), strict=True))]
        if rings:
            _fill(label, rings, i)
        palette.append(_rgb(fills.get(r, empty)))
    image = np.asarray(palette, np.uint8)[label]
    edge = np.zeros_like(label, bool)
    edge[:, 1:] |= label[:, 1:] != label[:, :-1]
    edge[1:, :] |= label[1:, :] != label[:-1, :]
    image[edge] = EDGE
    return _png(image)


def _png(image: np.ndarray) -> bytes:
    height, width, _ = image.shape
    raw = np.concatenate([np.zeros((height, 1), np.uint8), image.reshape(height, -1)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b""))
