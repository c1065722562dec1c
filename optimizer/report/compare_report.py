"""The HTML and Excel report of a comparison, from its tables (in memory or read back).

Built from the comparison's own CSV files, so `optimizer report` can rebuild it later.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.errors import UserError
from optimizer.report import charts
from optimizer.report import html as h
from optimizer.report.single import role_frame
from optimizer.results.measures import similarity_matrix
from optimizer.whatif.compare import ALL_EQUAL, compare_record, pair_changes, read_comparison

if TYPE_CHECKING:
    from optimizer.whatif.compare import Comparison

TABLES = ("runs", "measures", "hosts", "regions", "chains", "allocation")
MAX_PANELS = 9  # charts drawn per run stop here; the tables hold every run
HEADLINE_KEYS = {"excess_hosts": "excess hosts", "pairwise_overlaps": "region pairs sharing",
                 "similarity_mean": "mean similarity", "similarity_max": "max similarity"}
EPS = 1e-9


def comparison_report(folder: Path, comparison: Comparison | None = None
                      ) -> tuple[str, dict[str, pd.DataFrame]]:
    """The HTML page and the workbook sheets."""
    if comparison is not None:
        tables, record = comparison.tables, compare_record(comparison)
    else:
        record, tables = read_comparison(folder)
    view = _View(tables, record)
    if comparison is not None and comparison.instance is not None:
        from optimizer.report.i18n import Words

        view.words = Words("en", comparison.instance)
    return _page(view), {n: tables[n] for n in TABLES if n in tables}


class _View:
    """The comparison's tables with the lookups the charts need."""

    def __init__(self, tables: dict[str, pd.DataFrame], record: dict):
        self.tables = tables
        self.record = record
        self.reference = record["reference"]
        self.labels = [r["run"] for r in record["runs"]]
        allocation = tables["allocation"]
        self.with_layout = [lab for lab in self.labels if lab in allocation.columns]
        regions = tables["regions"]
        self.names = {} if regions.empty else dict(zip(regions["region"].astype(str),
                                                       regions["name"].astype(str), strict=True))
        self.region_order = list(dict.fromkeys(regions["region"].astype(str))) \
            if not regions.empty else sorted(set(allocation.get("region", [])))
        hosts = tables["hosts"]
        self.segments = [str(s) for s in hosts["segment"]] if not hosts.empty else sorted(
            set(allocation.get("segment", [])))
        self.chain_of = dict(zip(allocation.get("segment", []), allocation.get("chain", []),
                                 strict=True)) | (dict(zip(hosts["segment"], hosts["chain"],
                                                           strict=True)) if not hosts.empty
                                                  else {})
        self.words = _words(record)

    def seg(self, code: object) -> str:
        """A segment's name (the code when the instance is not at hand)."""
        return self.words.name("segment", code)

    def segs(self, text: object) -> str:
        """A comma-separated list of segment codes as names."""
        if not isinstance(text, str) or not text:
            return "" if not isinstance(text, str) else text
        return ", ".join(self.seg(s) for s in text.split(", "))

    def named(self, layout: dict[tuple[str, str], object]) -> dict[tuple[str, str], object]:
        return {(r, self.seg(s)): v for (r, s), v in layout.items()}

    def layout(self, label: str) -> dict[tuple[str, str], float]:
        allocation = self.tables["allocation"]
        if label not in allocation.columns:
            return {}
        hosted = allocation[allocation[label] > EPS]
        return dict(zip(zip(hosted["region"].astype(str), hosted["segment"].astype(str),
                            strict=True), hosted[label].astype(float), strict=True))


def _words(record: dict):
    """Names of the instance the runs were solved on (English: the page is in English)."""
    from optimizer.report.i18n import Words
    from optimizer.results.record import read_run

    for run in record.get("runs", []):
        if not run.get("folder"):
            continue
        try:
            instance = read_run(Path(run["folder"]), tables=()).instance
        except UserError:  # not at hand: codes are shown as they are
            continue
        if instance is not None:
            return Words("en", instance)
    return Words("en")


def _page(view: _View) -> str:
    measures = view.tables["measures"]
    created = html.escape(view.record.get("created", ""))
    subtitle = (f"{len(view.labels)} runs compared; changes are measured against "
                f"<b>{html.escape(view.reference)}</b>. Generated {created}.")
    sections = [
        h.section("Runs", h.table(_runs(view)), h.bullets(_best_lines(measures))),
        h.section("Measures side by side", h.para("Green marks the best run on each line "
                                                  "(lower is better except the Krugman index "
                                                  "and value added)."),
                  h.table(_measures_shown(measures, view), best=_best_cells(measures),
                          cls="wide-labels")),
        h.section("Charts", *_charts(view)),
        h.section("What changes per region", h.table(_region_changes(view),
                                                      title="region changes")),
        h.section("Chain completeness", h.table(_chains(view))),
    ]
    notes = view.record.get("notes") or []
    if notes:
        sections.append(h.section("Notes", h.bullets(notes, "note")))
    return h.page("Scenario comparison", subtitle, sections)


def _runs(view: _View) -> pd.DataFrame:
    runs = view.tables["runs"]
    keep = [c for c in runs.columns if c not in ("instance_hash", "folder")]
    return runs[keep]


def _best_lines(measures: pd.DataFrame) -> list[str]:
    if measures.empty:
        return []
    return [f"best on {rec['label']}: {rec['best']}" for rec in measures.to_dict("records")
            if isinstance(rec.get("best"), str) and rec["best"] and rec["best"] != ALL_EQUAL]


def _measures_shown(measures: pd.DataFrame, view: _View) -> pd.DataFrame:
    if measures.empty:
        return measures
    columns = ["label", "unit", *[lab for lab in view.labels if lab in measures.columns], "best"]
    return measures[columns].rename(columns={"label": "measure"})


def _best_cells(measures: pd.DataFrame) -> dict[int, set[str]]:
    if measures.empty:
        return {}
    return {i: set(str(b).split(", ")) for i, b in enumerate(measures["best"])
            if isinstance(b, str) and b and b != ALL_EQUAL}


def _region_changes(view: _View) -> pd.DataFrame:
    regions = view.tables["regions"]
    if regions.empty:
        return regions
    changed = regions[(regions["run"] != view.reference)
                      & ((regions["added"] > 0) | (regions["removed"] > 0)
                         | (regions["value_added_change"].abs().fillna(0) > 1e-6)
                         | (regions["note"].astype(object).fillna("") != ""))]
    columns = ["region", "name", "run", "note", "segments", "added_segments", "removed_segments",
               "value_added", "value_added_change",
               *[c for c in regions.columns if c.endswith("_used_change")]]
    changed = changed[[c for c in columns if c in changed.columns]].copy()
    for column in ("added_segments", "removed_segments"):
        if column in changed:
            changed[column] = changed[column].map(view.segs)
    return changed


def _chains(view: _View) -> pd.DataFrame:
    chains = view.tables["chains"]
    if chains.empty:
        return chains
    text = chains.apply(lambda r: "complete" if bool(r["complete"]) else _gaps(r, view),
                        axis=1)
    table = chains.assign(state=text).pivot(index="chain", columns="run", values="state")
    table = table[[lab for lab in view.labels if lab in table.columns]].reset_index()
    table.insert(1, "name", [view.words.name("chain", c) for c in table["chain"]])
    return table


def _gaps(rec: pd.Series, view: _View) -> str:
    bits = []
    if isinstance(rec.get("unhosted"), str) and rec["unhosted"]:
        bits.append(f"unhosted: {view.segs(rec['unhosted'])}")
    if rec.get("unsupplied_links"):
        bits.append(f"{int(rec['unsupplied_links'])} hosts without supplier")
    return "; ".join(bits) or "incomplete"


# ---------------------------------------------------------------------------- charts


def _charts(view: _View) -> list[str]:
    parts = _heatmaps(view)
    parts.append(h.figure(_duplication(view), "Duplication in each run: hosts per segment and "
                          "the headline measures.", "duplication measures by run"))
    parts.append(h.figure(charts.similarity_heatmaps(_similarities(view), view.names,
                                                     view.region_order),
                          "Structural similarity between producing regions, per run (grey: "
                          "produces nothing in that run).",
                          "similarity matrices by run"))
    parts.append(h.figure(charts.region_maps(_map_points(view), "Regions by role, per run"),
                          "Colour: the chain with most output; shape: its main stage; size: "
                          "value added.", "maps of regions by role"))
    parts.append(h.figure(_value_added(view), f"Value-added change per region against "
                          f"{view.reference}.", "value added change by region and run"))
    return parts


def _heatmaps(view: _View) -> list[str]:
    if view.reference not in view.with_layout:
        return [h.para(f"{view.reference} has no allocation, so changes cannot be drawn.",
                       "note")]
    reference = view.layout(view.reference)
    others = [lab for lab in view.with_layout if lab != view.reference][:MAX_PANELS]
    figures = []
    for label in others:
        layout = view.layout(label)
        chain_of = {view.seg(s): view.words.name("chain", c) for s, c in view.chain_of.items()}
        svg = charts.change_heatmap(view.region_order, [view.seg(s) for s in view.segments],
                                    chain_of, view.named(pair_changes(reference, layout)),
                                    view.named(layout), view.names,
                                    f"{label} against {view.reference}")
        drawn = len(view.region_order) * len(view.segments) <= charts.ANNOTATE_UP_TO
        numbers = f"; numbers are {label}'s output" if drawn else ""
        figures.append(h.figure(svg, f"{label}: kept, new, closed, grown and shrunk hosts against "
                                f"{view.reference}{numbers}.", f"heatmap of changes, {label}"))
    return figures


def _duplication(view: _View) -> str | None:
    hosts, measures = view.tables["hosts"], view.tables["measures"]
    if hosts.empty or measures.empty:
        return None
    runs = [lab for lab in view.labels if lab in hosts.columns][:MAX_PANELS]
    rows = measures[measures["measure"].isin(list(HEADLINE_KEYS))].set_index("measure")
    headline = rows[[lab for lab in runs if lab in rows.columns]].rename(index=HEADLINE_KEYS)
    per_segment = hosts.set_index("segment")[runs]
    per_segment.index = [view.seg(s) for s in per_segment.index]
    return charts.duplication_chart(per_segment, headline.astype(float), "Duplication by run")


def _matrix(view: _View, label: str) -> pd.DataFrame:
    matrix = pd.DataFrame(0.0, index=view.region_order, columns=view.segments)
    for (r, s), q in view.layout(label).items():
        matrix.loc[r, s] = q
    return matrix


def _similarities(view: _View) -> dict[str, pd.DataFrame]:
    return {lab: similarity_matrix(_matrix(view, lab)) for lab in view.with_layout[:MAX_PANELS]}


def _map_points(view: _View) -> dict[str, pd.DataFrame]:
    regions = view.tables["regions"]
    allocation = view.tables["allocation"]
    if regions.empty or "lon" not in regions.columns or "stage" not in allocation.columns:
        return {}
    coords = regions.drop_duplicates("region")[["region", "lon", "lat"]].copy()
    coords["region"] = coords["region"].astype(str)
    points = {}
    for label in view.with_layout[:MAX_PANELS]:
        rows = allocation[allocation[label] > EPS][["region", "segment", "chain", "stage"]]
        rows = rows.assign(output=allocation.loc[rows.index, label].astype(float),
                           stage=rows["stage"].astype(object).fillna("").astype(str))
        mine = regions[regions["run"] == label]
        va = pd.Series(mine["value_added"].astype(float).to_numpy(),
                       index=mine["region"].astype(str))
        points[label] = role_frame(coords, rows, va.fillna(0.0), view.names)
    return points


def _value_added(view: _View) -> str | None:
    regions = view.tables["regions"]
    if regions.empty:
        return None
    table = regions.pivot(index="region", columns="run", values="value_added_change")
    runs = [lab for lab in view.labels if lab in table.columns and lab != view.reference]
    if not runs:
        return None
    table = table.reindex([r for r in view.region_order if r in table.index])[runs]
    return charts.value_added_heatmap(table.astype(float), view.names,
                                      f"Value-added change against {view.reference}")
