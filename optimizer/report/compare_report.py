"""The HTML page and workbook of a comparison, in English or Chinese, from its tables (in
memory or read back from its folder, so `optimizer report` can rebuild it later).

Names, not codes, throughout; maps and charts are inline SVG (maps.py), one choropleth per run
of where value added moves, so the page grows linearly with regions and runs. Similarity
matrices stay in the runs' own folders: their n² cells say little a table of measures does not.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.errors import UserError
from optimizer.report import html as h
from optimizer.report import maps
from optimizer.report.i18n import TEXT, Words, language
from optimizer.report.page import PRINT_CSS
from optimizer.report.plan import scenario_parts
from optimizer.results.record import CURRENT, Run, read_run
from optimizer.whatif.compare import ALL_EQUAL, TABLES, compare_record, read_comparison

if TYPE_CHECKING:
    from optimizer.instance import Instance
    from optimizer.whatif.compare import Comparison

MAX_MAPS = 16  # runs mapped; the tables hold every run
RATIOS = ("similarity", "krugman", "hhi", "gini", "top1", "top3")  # read to three decimals
EPS = 1e-9


@dataclass
class View:
    """A comparison's tables, its runs' descriptions, and the words and map to show them."""

    tables: dict[str, pd.DataFrame]
    record: dict
    words: Words
    instance: Instance | None = None
    scenarios: dict[str, str] = field(default_factory=dict)
    drawn: maps.Canvas | None = None  # the outlines, projected once for every map

    @property
    def reference(self) -> str:
        return self.record["reference"]

    @property
    def labels(self) -> list[str]:
        return [r["run"] for r in self.record["runs"]]

    def run(self, label: str) -> str:
        """A run's label as shown: today's layout in words, the others as named."""
        return self.words("today") if label == CURRENT else label

    def head(self, label: str) -> str:
        """A run's label as a column heading, free to wrap after each underscore."""
        return self.run(label).replace("_", "_\u200b")

    def segs(self, text: object) -> str:
        """A comma-separated list of segment codes as names."""
        if not isinstance(text, str) or not text:
            return ""
        return self.words.join(self.words.name("segment", s) for s in text.split(", "))


def comparison_report(folder: Path, comparison: Comparison | None = None,
                      lang: str | None = None) -> tuple[str, dict[str, pd.DataFrame]]:
    """The HTML page and the workbook's sheets."""
    if comparison is not None:
        tables, record = comparison.tables, compare_record(comparison)
        instance = comparison.instance
    else:
        record, tables = read_comparison(folder)
        instance = None
    runs = _runs_read(record, folder)
    if instance is None:
        instance = _instance(runs, record)
    words = Words(language(lang, None, instance), instance)
    view = View(tables, record, words, instance, _scenarios(runs, words))
    return _page(view), _sheets(view)


# ---------------------------------------------------------------------------- reading


def _runs_read(record: dict, folder: Path) -> dict[str, Run]:
    """Each run's summary (no table), from its folder as recorded or where a sweep keeps it
    beside the comparison."""
    found = {}
    for run in record.get("runs", []):
        for option in (run.get("folder"), folder.parent / "runs" / str(run.get("run"))):
            if option and (Path(option) / "summary.json").is_file():
                try:
                    found[run["run"]] = read_run(Path(option), tables=())
                except UserError:  # damaged: its scenario and names are left out
                    continue
                break
    return found


def _instance(runs: dict[str, Run], record: dict) -> Instance | None:
    """The instance of the first run whose instance can be rebuilt (names, outlines)."""
    for run in runs.values():
        if run.instance is not None:
            return run.instance
    record.setdefault("notes", []).append("the runs' instance was not found: codes are shown "
                                          "for names, and there are no maps")
    return None


def _scenarios(runs: dict[str, Run], words: Words) -> dict[str, str]:
    """Each run's scenario in a few words: its description (the base case says so)."""
    out = {}
    for label, run in runs.items():
        name, description, _ = scenario_parts(run.summary)
        out[label] = description or ("" if name else words("scenario_base"))
    return out


# ---------------------------------------------------------------------------- page


def _page(view: View) -> str:
    w = view.words
    created = view.record.get("created", "")
    subtitle = html.escape(w("compare_subtitle", n=len(view.labels),
                             reference=view.run(view.reference), created=created))
    sections = [
        h.section(w("runs"), h.table(_runs(view)), h.bullets(_best_lines(view))),
        h.section(w("measures_side"), h.para(w("best_note")),
                  h.table(_measures(view), best=_best_cells(view), cls="wide-labels")),
        h.section(w("va_maps"), *_maps(view)),
        h.section(w("hosts_per_run"), h.table(_hosts(view), collapsed_over=10**6,
                                              cls="wide-labels")),
        h.section(w("region_changes"), h.table(_region_changes(view),
                                               title=w("region_changes"))),
        h.section(w("chains"), h.table(_chains(view), cls="wide-labels")),
    ]
    notes = view.record.get("notes") or []
    if notes:
        sections.append(h.section(w("notes"), h.bullets(notes, "note")))
    defs = maps.definitions(_canvas(view)) if view.instance is not None else ""
    return h.page(w("compare_title"), subtitle, sections, w.lang, defs, PRINT_CSS)


def _runs(view: View) -> pd.DataFrame:
    w = view.words
    runs = view.tables["runs"]
    rows = []
    for rec in runs.to_dict("records"):
        label = str(rec["run"])
        row = {w("run"): view.run(label), w("status"): w.short_status(rec.get("status")),
               w("scenario"): view.scenarios.get(label, rec.get("scenario") or ""),
               w("gap"): _pct(rec.get("mip_gap")), w("objective"): rec.get("objective")}
        row |= {w(k): rec.get(k) for k in runs.columns if k.startswith("term_")}
        rows.append(row)
    return pd.DataFrame(rows)


def _pct(value: object) -> str:
    return "" if not isinstance(value, float) or math.isnan(value) else f"{value:.3%}"


def measure_name(key: str, w: Words) -> str:
    """A measure's key (total_hosts, hhi_regions:ev, term_cost) as the report's words."""
    base, _, chain = str(key).partition(":")
    name = w(base) if base in TEXT else base.replace("_", " ")
    return f"{w.name('chain', chain)}: {name}" if chain else name


def _measures(view: View) -> pd.DataFrame:
    """Measures down, runs across; the best run of each line is marked green, not listed."""
    w, measures = view.words, view.tables["measures"]
    if measures.empty:
        return measures
    frame = pd.DataFrame({w("measure"): [measure_name(k, w) for k in measures["measure"]],
                          w("unit"): [_unit(k, u, w) for k, u in zip(measures["measure"],
                                                                      measures["unit"],
                                                                      strict=True)]})
    ratio = [str(k).partition(":")[0].startswith(RATIOS) for k in measures["measure"]]
    for label in [lab for lab in view.labels if lab in measures.columns]:
        frame[view.head(label)] = [f"{v:.3f}" if r and isinstance(v, float) and v == v else v
                                   for v, r in zip(measures[label], ratio, strict=True)]
    return frame


def _unit(key: str, unit: object, w: Words) -> str:
    if key in ("value_added_total", "output_moved", "supply_shortfall"):
        return w.unit("output")
    return w.short_unit(unit) if isinstance(unit, str) else ""


def _best_text(best: object, view: View) -> str:
    if not isinstance(best, str) or not best:
        return ""
    if best == ALL_EQUAL:
        return view.words("all_equal")
    return view.words.join(view.run(b) for b in best.split(", "))


def _best_cells(view: View) -> dict[int, set[str]]:
    measures = view.tables["measures"]
    if measures.empty:
        return {}
    return {i: {view.head(x) for x in str(b).split(", ")} for i, b in enumerate(measures["best"])
            if isinstance(b, str) and b and b != ALL_EQUAL}


def _best_lines(view: View) -> list[str]:
    measures = view.tables["measures"]
    if measures.empty:
        return []
    headline = {"excess_hosts", "pairwise_overlaps", "similarity_mean", "value_added_total",
                "gini_value_added", "top3_region_share", "term_cost"}
    return [view.words("best_on", measure=measure_name(k, view.words),
                       runs=_best_text(b, view))
            for k, b in zip(measures["measure"], measures["best"], strict=True)
            if k in headline and isinstance(b, str) and b and b != ALL_EQUAL]


def _canvas(view: View) -> maps.Canvas:
    if view.drawn is None:
        regions = [str(r) for r in view.instance.regions] if view.instance is not None else []
        names = {r: view.words.name("region", r) for r in regions}
        view.drawn = maps.canvas(view.instance, names, regions, maps.coordinates(view.instance))
    return view.drawn


def _maps(view: View) -> list[str]:
    """One map per run: value added gained (green) or lost (red) against the reference."""
    w, regions = view.words, view.tables["regions"]
    if view.instance is None or regions.empty or "value_added_change" not in regions:
        return [h.para(w("map_no_instance"), "note")]
    if view.reference not in view.tables["allocation"].columns:
        return [h.para(w("no_reference_layout", run=view.run(view.reference)), "note")]
    drawn = _canvas(view)
    if drawn.empty:
        return [h.para(w("map_no_coords"), "note")]
    unit = w.unit("output")
    figures = []
    runs = [lab for lab in view.labels if lab != view.reference
            and lab in set(regions["run"].astype(str))][:MAX_MAPS]
    for label in runs:
        mine = regions[regions["run"].astype(str) == label]
        change = {str(r): float(v) for r, v in zip(mine["region"], mine["value_added_change"],
                                                   strict=True) if v == v}
        fills, legend = maps.diverging(change, unit)
        tips = {r: f"{w.name('region', r)}: {v:+,.1f} {unit}" for r, v in change.items()}
        title = w("va_map_caption", run=view.run(label), reference=view.run(view.reference),
                  unit=unit)
        svg = maps.choropleth(drawn, fills, tips, title, legend,
                              label=maps.most(change, 6))
        caption = [title, view.scenarios.get(label, "")]
        if not fills:
            caption.insert(1, w("va_no_change"))
        figures.append(f"<figure>{svg}<figcaption>"
                       f"{'<br>'.join(html.escape(c) for c in caption if c)}</figcaption>"
                       "</figure>")
    return [h.para(w("va_maps_note")), f'<div class="maps">{"".join(figures)}</div>']


def _hosts(view: View) -> pd.DataFrame:
    w, hosts = view.words, view.tables["hosts"]
    if hosts.empty:
        return hosts
    runs = [lab for lab in view.labels if lab in hosts.columns]
    frame = pd.DataFrame({w("segment"): [w.name("segment", s) for s in hosts["segment"]],
                          w("chain"): [w.name("chain", c) for c in hosts["chain"]]})
    for label in runs:
        frame[view.head(label)] = hosts[label].tolist()
    return frame


REGION_COLUMNS = {"name": "region", "run": "run", "note": "note", "segments": "segments",
                  "added_segments": "segments_added", "removed_segments": "segments_removed",
                  "value_added": "value_added_total", "value_added_change": "va_change"}


def _region_changes(view: View) -> pd.DataFrame:
    w, regions = view.words, view.tables["regions"]
    if regions.empty:
        return regions
    changed = regions[(regions["run"] != view.reference)
                      & ((regions["added"] > 0) | (regions["removed"] > 0)
                         | (regions["value_added_change"].abs().fillna(0) > 1e-6)
                         | (regions["note"].astype(object).fillna("") != ""))].copy()
    changed["name"] = [w.name("region", r) for r in changed["region"].astype(str)]
    changed["run"] = [view.run(r) for r in changed["run"].astype(str)]
    for column in ("added_segments", "removed_segments"):
        changed[column] = changed[column].map(view.segs)
    used = [c for c in changed.columns if c.endswith("_used_change")]
    frame = changed[[*REGION_COLUMNS, *used]]
    names = {k: w(v) for k, v in REGION_COLUMNS.items()}
    names |= {c: w("used_change", what=_stock_name(c.removesuffix("_used_change"), w))
              for c in used}
    return frame.rename(columns=names)


def _stock_name(key: str, w: Words) -> str:
    for kind in ("resource", "talent"):
        if (kind, key) in w.names:
            return w.names[(kind, key)]
    return key


def _chains(view: View) -> pd.DataFrame:
    w, chains = view.words, view.tables["chains"]
    if chains.empty:
        return chains
    text = [w("complete_word") if bool(rec["complete"]) else _gaps(rec, view)
            for rec in chains.to_dict("records")]
    table = chains.assign(state=text).pivot(index="chain", columns="run", values="state")
    table = table[[lab for lab in view.labels if lab in table.columns]]
    table.columns = [view.head(c) for c in table.columns]
    table.insert(0, w("chain"), [w.name("chain", c) for c in table.index])
    return table.reset_index(drop=True)


def _gaps(rec: dict, view: View) -> str:
    w, bits = view.words, []
    if isinstance(rec.get("unhosted"), str) and rec["unhosted"]:
        bits.append(w("unhosted_list", what=view.segs(rec["unhosted"])))
    if rec.get("unsupplied_links"):
        bits.append(w("unsupplied_count", n=int(rec["unsupplied_links"])))
    return "; ".join(bits) or w("incomplete")


# ---------------------------------------------------------------------------- workbook


NAMED = {"hosts": ("segment", "chain"), "regions": ("region",),
         "allocation": ("region", "segment", "chain"), "chains": ("chain",)}


def _sheets(view: View) -> dict[str, pd.DataFrame]:
    """The comparison's tables with names beside the codes, and the measures' labels, in the
    report's language (sheet names too, in Chinese)."""
    w, sheets = view.words, {}
    for name in TABLES:
        frame = view.tables.get(name)
        if frame is None:
            continue
        frame = frame.copy()
        if name == "measures" and not frame.empty:
            frame["label"] = [measure_name(k, w) for k in frame["measure"]]
        if name == "regions" and "name" in frame:
            frame = frame.drop(columns="name")
        for kind in NAMED.get(name, ()):
            if kind in frame.columns:
                frame.insert(list(frame.columns).index(kind) + 1, f"{kind}_name",
                             [w.name(kind, v) for v in frame[kind].astype(str)])
        sheets[name if w.lang == "en" else w(f"csheet_{name}")] = frame
    return sheets
