"""Charts for the reports, drawn with matplotlib and returned as SVG text.

Figures are built without pyplot (no global state, safe in workers). Text stays text in the SVG
so the browser renders region names in any script (Chinese names included) with its own fonts.
"""

from __future__ import annotations

import io
import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from optimizer.instance.safe_text import PLAIN_CHART_TEXT

matplotlib.rcParams.update(PLAIN_CHART_TEXT)  # a name with `$...$` is text, not mathtext

CHANGE_COLOURS = {"kept": "#4c78a8", "new": "#54a24b", "closed": "#e45756",
                  "grown": "#72b7b2", "shrunk": "#f2a93b"}
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6",
           "#9d755d", "#bab0ac", "#eeca3b"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
ANNOTATE_UP_TO = 400  # cells; more and the numbers become unreadable
VALUES_UP_TO = 150  # value-added cells annotated
MAP_LABELS = 15  # regions named on a map; with more, the largest by value added


def to_svg(fig: Figure) -> str:
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "chain-layout"}), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs: the browser draws them
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def change_heatmap(regions: list[str], segments: list[str], chain_of: dict[str, str],
                   changes: dict[tuple[str, str], str], outputs: dict[tuple[str, str], float],
                   labels: dict[str, str], title: str) -> str:
    """Region x segment grid coloured kept / new / closed / grown / shrunk against a
    reference."""
    kinds = ["none", *CHANGE_COLOURS]
    codes = np.zeros((len(regions), len(segments)))
    for (r, s), change in changes.items():
        if r in regions and s in segments:
            codes[regions.index(r), segments.index(s)] = kinds.index(change)
    fig = Figure(figsize=(min(max(5.0, 0.32 * len(segments) + 3.5), 13.0),
                          max(3.0, 0.24 * len(regions) + 2.5)), layout="constrained")
    ax = fig.subplots()
    cmap = ListedColormap(["#ffffff", *CHANGE_COLOURS.values()])
    # a raster image, not one vector square per cell: small files for 41 x 36 grids
    ax.imshow(codes, cmap=cmap, norm=BoundaryNorm(np.arange(-0.5, len(kinds)), cmap.N),
              extent=(0, len(segments), len(regions), 0), interpolation="nearest",
              aspect="auto")
    _cell_grid(ax, len(segments), len(regions))
    if codes.size <= ANNOTATE_UP_TO:
        for (r, s), q in outputs.items():
            if r in regions and s in segments and q > 0:
                ax.text(segments.index(s) + 0.5, regions.index(r) + 0.5, f"{q:,.0f}",
                        ha="center", va="center", fontsize=7, color="white")
    _chain_separators(ax, segments, chain_of, len(regions))
    ax.set_xticks(np.arange(len(segments)) + 0.5, segments, rotation=90, fontsize=8)
    ax.set_yticks(np.arange(len(regions)) + 0.5, [labels.get(r, r) for r in regions], fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(handles=[Patch(color=c, label=k) for k, c in CHANGE_COLOURS.items()],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return to_svg(fig)


def _cell_grid(ax, columns: int, rows: int) -> None:
    ax.set_xticks(np.arange(columns + 1), minor=True)
    ax.set_yticks(np.arange(rows + 1), minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)


def _chain_separators(ax, segments: list[str], chain_of: dict[str, str], height: int) -> None:
    """Vertical lines between chains, and each chain's name above its segments."""
    for i in range(1, len(segments)):
        if chain_of.get(segments[i]) != chain_of.get(segments[i - 1]):
            ax.axvline(i, color="#333333", linewidth=1.2)
    chains = list(dict.fromkeys(chain_of.get(s, "") for s in segments))
    centres = [np.mean([i for i, s in enumerate(segments) if chain_of.get(s, "") == c]) + 0.5
               for c in chains]
    top = ax.secondary_xaxis("top")
    top.set_xticks(centres, chains, fontsize=8, fontweight="bold")
    top.tick_params(length=0)


def duplication_chart(hosts: pd.DataFrame, headline: pd.DataFrame, title: str) -> str:
    """Hosts per segment, and the headline duplication measures, for each layout (columns)."""
    many = len(hosts.columns) > 3
    per_row = 0.24 if many else 0.28 * max(1, len(hosts.columns) / 2)
    fig = Figure(figsize=(12, max(3.5, per_row * len(hosts) + 1.8)), layout="constrained")
    left, mid, right = fig.subplots(1, 3, gridspec_kw={"width_ratios": [2.2, 1.3, 1.3]})
    if many:
        _hosts_grid(left, hosts)
    else:
        _grouped_barh(left, hosts, "regions hosting the segment")
        left.legend(fontsize=8, loc="lower right")
    counts = headline.loc[[i for i in headline.index if "similarity" not in i]]
    similar = headline.loc[[i for i in headline.index if "similarity" in i]]
    _grouped_bars(mid, counts, "count")
    _grouped_bars(right, similar, "structural similarity (0-1)")
    right.set_ylim(0, 1.05)
    if many:
        right.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    fig.suptitle(title, fontsize=11)
    return to_svg(fig)


def _hosts_grid(ax, frame: pd.DataFrame) -> None:
    """Hosts per segment (rows) and layout (columns), as numbers on a shaded grid."""
    values = frame.fillna(0).to_numpy(float)
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(values.max(), 1) * 1.3)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=6)
    ax.set_xticks(range(len(frame.columns)), [str(c) for c in frame.columns], rotation=30,
                  ha="right", fontsize=7)
    ax.set_yticks(range(len(frame)), [str(i) for i in frame.index], fontsize=7)
    ax.set_title("regions hosting each segment", fontsize=9)


def _grouped_barh(ax, frame: pd.DataFrame, xlabel: str) -> None:
    n = max(1, len(frame.columns))
    height = 0.8 / n
    y = np.arange(len(frame))
    for i, column in enumerate(frame.columns):
        ax.barh(y + i * height - 0.4 + height / 2, frame[column].fillna(0), height=height,
                label=str(column), color=PALETTE[i % len(PALETTE)])
    ax.set_yticks(y, [str(i) for i in frame.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)


def _grouped_bars(ax, frame: pd.DataFrame, ylabel: str) -> None:
    n = max(1, len(frame.columns))
    width = 0.8 / n
    x = np.arange(len(frame))
    for i, column in enumerate(frame.columns):
        values = pd.to_numeric(frame[column], errors="coerce").fillna(0)
        ax.bar(x + i * width - 0.4 + width / 2, values, width=width, label=str(column),
               color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(x, [str(i) for i in frame.index], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)


def similarity_heatmaps(matrices: dict[str, pd.DataFrame], labels: dict[str, str],
                        order: list[str] | None = None) -> str | None:
    """Structural similarity between producing regions, one panel per layout, same scale.

    With `order`, every panel shows the same regions in the same places (grey where a region
    produces nothing), so panels can be compared cell by cell and share their labels.
    """
    shown = {k: m for k, m in matrices.items() if m is not None and not m.empty}
    if not shown:
        return None
    if order is not None:
        shown = {k: m.reindex(index=order, columns=order) for k, m in shown.items()}
    size = max(len(m) for m in shown.values())
    cols = min(len(shown), 3)
    rows = math.ceil(len(shown) / cols)
    side = min(max(3.2, 0.14 * size + 2), 12.5 / cols)
    font = 7 if size <= 20 else 5
    fig = Figure(figsize=(side * cols + 1.2, side * rows + 0.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    cmap = matplotlib.colormaps["YlOrRd"].with_extremes(bad="#eeeeee")
    image = None
    for k, (ax, (name, matrix)) in enumerate(zip(axes, shown.items(), strict=False)):
        image = ax.imshow(matrix.to_numpy(float), vmin=0, vmax=1, cmap=cmap)
        ticks = [labels.get(str(r), str(r)) for r in matrix.index]
        shared = order is not None
        ax.set_xticks(range(len(ticks)), ticks if not shared or k >= len(shown) - cols else [],
                      rotation=90, fontsize=font)
        ax.set_yticks(range(len(ticks)), ticks if not shared or k % cols == 0 else [],
                      fontsize=font)
        ax.set_title(name, fontsize=10)
        if len(matrix) <= 12:
            _annotate(ax, matrix.to_numpy(float))
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    fig.colorbar(image, ax=axes.tolist(), shrink=0.7, label="similarity S")
    return to_svg(fig)


def _annotate(ax, values: np.ndarray) -> None:
    for (i, j), v in np.ndenumerate(values):
        if not math.isnan(v):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 else "black")


def region_maps(points: dict[str, pd.DataFrame], title: str) -> str | None:
    """Regions at their coordinates, coloured by main chain, shaped by main stage.

    Each frame has columns region, label, lon, lat, chain, stage, size (value added).
    """
    shown = {k: f.dropna(subset=["lon", "lat"]) for k, f in points.items()}
    shown = {k: f for k, f in shown.items() if not f.empty}
    if not shown:
        return None
    everything = pd.concat(shown.values())
    chains = sorted(set(everything["chain"]) - {""})
    stages = sorted(set(everything["stage"]) - {""})
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(chains)} | {"": "#cccccc"}
    marker = {s: MARKERS[i % len(MARKERS)] for i, s in enumerate(stages)} | {"": "o"}
    cols = min(len(shown), 3)
    rows = math.ceil(len(shown) / cols)
    fig = Figure(figsize=(4.2 * cols, 4.2 * _map_shape(everything) * rows + 1.0),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    top = max(float(everything["size"].max()), 1e-9)
    for ax, (name, frame) in zip(axes, shown.items(), strict=False):
        _map_panel(ax, frame, colour, marker, top)
        ax.set_title(name, fontsize=10)
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    handles = [Patch(color=colour[c], label=f"main chain: {c}") for c in chains]
    handles += [Line2D([], [], marker=marker[s], linestyle="", color="#555555",
                                        label=f"main stage: {s}") for s in stages]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(4, max(1, len(handles))),
               fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    return to_svg(fig)


def _map_shape(frame: pd.DataFrame) -> float:
    """Height over width of a map panel, from the spread of the coordinates."""
    lon = float(frame["lon"].max() - frame["lon"].min()) or 1.0
    lat = float(frame["lat"].max() - frame["lat"].min()) or 1.0
    stretch = 1 / max(math.cos(math.radians(float(frame["lat"].mean()))), 0.2)
    return min(max(lat * stretch / lon, 0.45), 1.4)


def _map_panel(ax, frame: pd.DataFrame, colour: dict, marker: dict, top: float) -> None:
    for (chain, stage), part in frame.groupby(["chain", "stage"], sort=True):
        sizes = 30 + 400 * part["size"].clip(lower=0) / top
        ax.scatter(part["lon"], part["lat"], s=sizes, c=colour.get(chain, "#cccccc"),
                   marker=marker.get(stage, "o"), edgecolors="#333333", linewidths=0.5,
                   alpha=0.85)
    named = frame if len(frame) <= MAP_LABELS else frame.nlargest(MAP_LABELS, "size")
    for rec in named.itertuples():
        ax.annotate(str(rec.label), (rec.lon, rec.lat), fontsize=6, xytext=(3, 3),
                    textcoords="offset points")
    mid = float(frame["lat"].mean())
    ax.set_aspect(1 / max(math.cos(math.radians(mid)), 0.2))
    ax.set_xlabel("longitude", fontsize=8)
    ax.set_ylabel("latitude", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.margins(0.12)


def value_added_bars(change: pd.Series, labels: dict[str, str], title: str) -> str | None:
    """Value-added change per region: gains green, losses red."""
    if change.dropna().empty:
        return None
    change = change.fillna(0.0)
    fig = Figure(figsize=(7, max(2.5, 0.22 * len(change) + 1.2)), layout="constrained")
    ax = fig.subplots()
    colours = [CHANGE_COLOURS["new"] if v >= 0 else CHANGE_COLOURS["closed"] for v in change]
    y = np.arange(len(change))
    ax.barh(y, change.to_numpy(float), color=colours)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [labels.get(str(r), str(r)) for r in change.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("value added, optimised minus today", fontsize=8)
    ax.set_title(title, fontsize=10)
    return to_svg(fig)


def value_added_heatmap(frame: pd.DataFrame, labels: dict[str, str], title: str) -> str | None:
    """Regions x runs: value-added change against the reference, diverging around zero."""
    if frame.empty or frame.isna().all(axis=None):
        return None
    values = frame.to_numpy(float)
    bound = max(float(np.nanmax(np.abs(values))), 1e-9)
    fig = Figure(figsize=(min(max(4.0, 1.0 * len(frame.columns) + 3), 12.0),
                          max(3.0, 0.24 * len(frame) + 2)), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(values, cmap="RdYlGn", norm=TwoSlopeNorm(0, -bound, bound), aspect="auto")
    ax.set_xticks(range(len(frame.columns)), [str(c) for c in frame.columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(len(frame)), [labels.get(str(r), str(r)) for r in frame.index],
                  fontsize=8)
    if values.size <= VALUES_UP_TO:
        for (i, j), v in np.ndenumerate(values):
            if not math.isnan(v):
                ax.text(j, i, f"{v:,.0f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, shrink=0.7, label="value-added change")
    ax.set_title(title, fontsize=10)
    return to_svg(fig)
