"""What every report of one solve shows, computed once from the run's tables: the task list per
region, the per-region summary, each region's role, the honesty notes, named and in one
language.

Pandas and the standard library only, so report.md (written with the results) uses it too.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer.report.i18n import TERMS_ZH, TEXT, Words, fmt_number
from optimizer.report.prices import clean, objective_unit, short_reading

if TYPE_CHECKING:
    from optimizer.instance import Instance

ACTIONS = ("opens", "grows", "keeps", "shrinks", "closes")
CHANGE_ACTION = {"new": "opens", "closed": "closes", "kept": "keeps", "grown": "grows",
                 "shrunk": "shrinks"}
EPS = 1e-6
REASON_PLACES = 3  # regions named in a reason
REASONS_SHOWN = 2  # reasons in one cell of the compact task list (the workbook has every one)


@dataclass
class Plan:
    """One run's report content."""

    words: Words
    summary: dict
    tables: dict[str, pd.DataFrame]
    instance: Instance | None = None
    notes: list[str] = field(default_factory=list)
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)
    region_summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    cache: dict = field(default_factory=dict)  # drawn once, shared by the html and the docx

    def once(self, key: str, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    @property
    def solved(self) -> bool:
        return "allocation" in self.tables and not self.tables["allocation"].empty

    @property
    def regions(self) -> list[str]:
        if self.instance is not None:
            return [str(r) for r in self.instance.regions]
        frame = self.tables.get("regions")
        return [] if frame is None else [str(r) for r in frame["region"]]

    @property
    def chains(self) -> list[str]:
        if self.instance is not None:
            return [str(c) for c in self.instance.chains]
        frame = self.tables.get("chains")
        return [] if frame is None else list(dict.fromkeys(frame["chain"].astype(str)))


def build_plan(words: Words, summary: dict, tables: dict[str, pd.DataFrame],
               instance: Instance | None = None) -> Plan:
    plan = Plan(words, summary, tables, instance)
    if plan.solved:
        plan.tasks = task_table(tables["allocation"], tables.get("shadow_prices"), words,
                                objective_unit(summary, words))
        plan.region_summary = region_summary(tables.get("regions"), plan.tasks, words,
                                             plan.regions)
        if "compensation" in plan.region_summary:
            owed = plan.region_summary.set_index("region_code")["compensation"]
            plan.tasks["compensation"] = plan.tasks["region_code"].map(owed).fillna(0.0)
    return plan


def actions(allocation: pd.DataFrame) -> pd.Series:
    """keeps / grows / shrinks / closes / opens per row; the older `resized` is split by sign."""
    change = allocation["change"].astype(str)
    out = change.map(CHANGE_ACTION)
    diff = allocation["output"].astype(float) - allocation["current_output"].astype(float)
    scale = allocation["current_output"].astype(float).abs().clip(lower=1.0)
    resized = out.isna()
    out[resized & (diff > EPS * scale)] = "grows"
    out[resized & (diff < -EPS * scale)] = "shrinks"
    return out.fillna("keeps")


def task_table(allocation: pd.DataFrame, shadow: pd.DataFrame | None,
               words: Words, unit: str = "") -> pd.DataFrame:
    """One row per region and segment it hosts today or after: the action, amounts and why."""
    a = allocation.copy()
    a["region"] = a["region"].astype(str)
    a["segment"] = a["segment"].astype(str)
    a["action"] = actions(a)
    a["amount"] = a["output"].astype(float) - a["current_output"].astype(float)
    today = a["current_output"].astype(float)
    a["pct"] = [(d / t) if t > EPS else math.nan for d, t in zip(a["amount"], today,
                                                                 strict=True)]
    reasons = _flow_reasons(a, words)
    priced = _price_reasons(shadow, words, unit)
    rows = []
    for rec in a.itertuples(index=False):
        why = [priced.get((rec.region, rec.segment), ""), priced.get((rec.region, ""), ""),
               priced.get(("", rec.segment), ""), reasons.get((rec.region, rec.segment), "")]
        rows.append({
            "region_code": rec.region, "region": words.name("region", rec.region),
            "action": rec.action, "segment_code": rec.segment,
            "segment": words.name("segment", rec.segment),
            "chain": words.name("chain", rec.chain),
            "output_today": float(rec.current_output), "output_optimised": float(rec.output),
            "amount": float(rec.amount), "pct": float(rec.pct),
            "reason": words.semi.join(dict.fromkeys(w for w in why if w)),
        })
    frame = pd.DataFrame(rows)
    order = {k: i for i, k in enumerate(ACTIONS)}
    frame["_o"] = frame["action"].map(order)
    return frame.sort_values(["region_code", "_o", "amount"], ascending=[True, True, False],
                             kind="stable").drop(columns="_o").reset_index(drop=True)


def _flow_reasons(a: pd.DataFrame, words: Words) -> dict[tuple[str, str], str]:
    """Where a closed or shrunk host's output goes, and where a new or grown one's comes from."""
    moves: dict[str, list[tuple[float, str, str]]] = {}
    for region, segment, amount, action in zip(a["region"], a["segment"], a["amount"],
                                               a["action"], strict=True):
        if abs(amount) > EPS:
            moves.setdefault(segment, []).append((amount, region, action))
    out: dict[tuple[str, str], str] = {}
    for segment, rows in moves.items():
        gains = sorted((r for r in rows if r[0] > 0), key=lambda r: -r[0])
        losses = sorted((r for r in rows if r[0] < 0), key=lambda r: r[0])
        to = words.join(words.name("region", r) for _, r, _ in gains[:REASON_PLACES])
        frm = words.join(words.name("region", r) for _, r, _ in losses[:REASON_PLACES])
        for amount, region, action in rows:
            if amount < 0 and to:
                out[(region, segment)] = words(
                    "reason_moves_to" if action == "closes" else "reason_gives", where=to)
            elif amount > 0 and frm:
                out[(region, segment)] = words(
                    "reason_takes_from" if action == "opens" else "reason_absorbs", where=frm)
    return out


def _price_reasons(shadow: pd.DataFrame | None, words: Words, unit: str
                   ) -> dict[tuple[str, str], str]:
    """From shadow_prices.csv: a host's or region's two largest binding limits, and a segment's
    target price, in the planner's words."""
    largest: dict[tuple[str, str], list[dict]] = {}
    for rec in clean(shadow).to_dict("records"):  # largest |price| first
        found = largest.setdefault((rec["region"], rec["segment"]), [])
        if len(found) < 2:
            found.append(rec)
    out: dict[tuple[str, str], str] = {}
    for (region, segment), recs in largest.items():
        if region:
            what = words.join(short_reading(rec, words, unit) for rec in recs)
            out[(region, segment)] = words("reason_binding", what=what)
        elif segment:
            out[("", segment)] = words("reason_price",
                                       value=short_reading(recs[0], words, unit, named=False))
    return out


def region_summary(regions: pd.DataFrame | None, tasks: pd.DataFrame, words: Words,
                   order: list[str]) -> pd.DataFrame:
    """Per region: value added today and after, compensation owed, and how many of each task."""
    counts = tasks.groupby(["region_code", "action"]).size().unstack(fill_value=0)
    rows = []
    reg = regions.set_index(regions["region"].astype(str)) if regions is not None else None
    for r in order or sorted(counts.index):
        row = {"region_code": r, "region": words.name("region", r)}
        if reg is not None and r in reg.index:
            rec = reg.loc[r]
            row |= {"va_today": float(rec.get("value_added_current", math.nan)),
                    "va_optimised": float(rec.get("value_added_optimised", math.nan)),
                    "va_change": float(rec.get("value_added_change", math.nan)),
                    "compensation": float(rec.get("compensation", 0.0) or 0.0)}
        for action in ACTIONS:
            row[f"count_{action}"] = int(counts.loc[r, action]) if (
                r in counts.index and action in counts.columns) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def compact_tasks(tasks: pd.DataFrame, words: Words, with_keeps: bool = True) -> pd.DataFrame:
    """One row per region and action: the segments with amount and change, in one cell."""
    rows = []
    seen: set[str] = set()
    for (code, action), part in tasks.groupby(["region_code", "action"], sort=False):
        if action == "keeps" and not with_keeps:
            continue
        items = []
        for rec in part.itertuples(index=False):
            if action == "keeps":
                items.append(f"{rec.segment} {fmt_number(rec.output_optimised, 0)}")
            elif action == "closes":
                items.append(f"{rec.segment} −{fmt_number(rec.output_today, 0)}")
            elif action == "opens":
                items.append(f"{rec.segment} +{fmt_number(rec.output_optimised, 0)}")
            else:
                items.append(f"{rec.segment} {signed(rec.amount)} ({words.pct(rec.pct)})")
        colon = "：" if words.lang == "zh" else ": "
        reasons = dict.fromkeys(f"{seg}{colon}{why}" if len(part) > 1 else why
                                for seg, why in zip(part["segment"], part["reason"], strict=True)
                                if why)
        row = {words("region"): part["region"].iloc[0], words("action"): words(action),
               words("items"): words.semi.join(items),
               words("reason"): " / ".join(list(reasons)[:REASONS_SHOWN])}
        if "compensation" in part:  # the region's, on its first row
            owed = float(part["compensation"].iloc[0])
            row[words("compensation")] = "" if code in seen else fmt_number(owed)
        seen.add(code)
        rows.append(row)
    return pd.DataFrame(rows)


def signed(value: float) -> str:
    """A change with its sign, to the precision its size needs: +1,234 / −3.4 / −0.02."""
    x = abs(value)
    text = f"{x:,.0f}" if x >= 10 else f"{x:.1f}" if x >= 1 else f"{x:.2g}"
    return ("−" if value < 0 else "+") + text


def basis_line(summary: dict, words: Words) -> str:
    basis = summary.get("current_layout_basis")
    if not isinstance(basis, dict):
        return words("basis_missing")
    share = {k: f"{float(basis.get(k, 0.0) or 0.0):.1%}" for k in
             ("evidence", "population", "unspecified")}
    return words("basis", **share)


def status_line(summary: dict, words: Words) -> str:
    gap = summary.get("mip_gap")
    objective = summary.get("objective") or {}
    colon = "：" if words.lang == "zh" else ": "
    parts = [f"{words('status')}{colon}{words.status(str(summary.get('status', '?')))}",
             f"{words('gap')} {'–' if gap is None else f'{gap:.4%}'}",
             f"{words('objective')} {fmt_number(objective.get('value')) or '–'}",
             f"{words('bound')} {fmt_number(objective.get('bound')) or '–'}"]
    seconds = (summary.get("timings_seconds") or {}).get("solve")
    if seconds is not None:
        parts.append(f"{words('solver_time')} {seconds:.1f} s")
    return ("；" if words.lang == "zh" else "; ").join(parts)


def verification_lines(summary: dict, words: Words) -> list[str]:
    """The independent re-check of the allocation (summary `verification`), when recorded."""
    check = summary.get("verification")
    if not isinstance(check, dict):
        return []
    problems = [str(p) for p in check.get("problems") or []]
    if problems:
        return [words("check_failed"), *problems]
    return [words("check_ok")] if check.get("ok", True) else [words("check_failed")]


def scenario_lines(summary: dict, words: Words) -> tuple[str, list[str]]:
    """The scenario's description and its changes, read from the scenario file it came from."""
    name, description, changes = scenario_parts(summary)
    if not name:
        return words("scenario_base"), []
    head = f"{words('scenario')} {name}" + (f": {description}" if description else "")
    return head, [change_line(kind, spec, words) for kind, spec in changes]


def scenario_parts(summary: dict) -> tuple[str, str, list[tuple[str, object]]]:
    """The run's scenario: its name, description and changes as (kind, spec), read from the
    scenario file it came from ("" and [] for the base case)."""
    name = summary.get("scenario")
    if not name:
        return "", "", []
    description, changes = "", []
    path = summary.get("scenarios_file")
    try:
        from optimizer.instance.scenarios import read_scenarios, resolve

        book = read_scenarios(Path(path))
        description = (book[name].description or "").strip()
        changes = [(o.kind, o.spec) for o in resolve(book, name)]
    except Exception:  # the file moved or changed: say so rather than fail the report
        changes = [("unread", str(path))] if path else []
    return str(name), description, changes


NAMED_KEYS = ("region", "group", "segment", "chain", "infrastructure", "talent", "resource")
REGION_KEYS = ("leader", "partner")  # columns of a partnership row that name regions


def change_line(kind: str, spec: object, words: Words) -> str:
    """One change of a scenario in words: 'may not host: region 上海市, segment 动力电池'."""
    if kind == "unread":
        return words("chg_unread", path=spec)
    head = words(f"chg_{kind}") if f"chg_{kind}" in TEXT else kind
    return f"{head}{'：' if words.lang == 'zh' else ': '}{_spec_text(kind, spec, words)}"


def _spec_text(kind: str, spec: object, words: Words) -> str:
    if isinstance(spec, list):
        return words.semi.join(_spec_text(kind, item, words) for item in spec)
    if not isinstance(spec, dict):
        named = kind.removeprefix("drop_") if kind.startswith("drop_") else ""
        return _value(named, spec, words)
    parts = []
    for key, value in spec.items():
        if kind in ("policy", "settings"):
            for path, leaf in _flat(f"policy.{key}" if kind == "policy" else str(key), value):
                parts.append(f"{words.setting(path)} = {_value('', leaf, words)}")
        elif isinstance(value, dict):
            parts.append(f"{_key(key, words)} ({_spec_text(kind, value, words)})")
        else:
            parts.append(f"{_key(key, words)} {_value(key, value, words)}")
    return ("，" if words.lang == "zh" else ", ").join(parts)


def _flat(path: str, value: object) -> list[tuple[str, object]]:
    """A nested setting ({solver: {mip_gap: 0.003}}) as dotted paths (solver.mip_gap)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _flat(f"{path}.{k}", v)]
    return [(path, value)]


def _key(key: str, words: Words) -> str:
    return words(f"chg_key_{key}") if f"chg_key_{key}" in TEXT else words(key) \
        if key in TEXT else str(key)


def _value(key: str, value: object, words: Words) -> str:
    if isinstance(value, list):
        return words.join(_value(key, v, words) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if key in NAMED_KEYS or key in REGION_KEYS:
        return words.name(key if key in NAMED_KEYS else "region", value)
    return words("yes") if value is True else words("no") if value is False else str(value)


def assumptions(summary: dict, instance: Instance | None, words: Words) -> pd.DataFrame:
    """The settings that move the answer: objective weights or order, policy switches, gap."""
    rows = []
    objective = summary.get("objective") or {}
    if instance is not None:
        s = instance.settings
        rows.append(("objective.mode", words(f"mode_{s.objective_mode}")))
        if s.objective_mode == "lexicographic":
            rows.append(("objective.order", " > ".join(words(f"term_{t}") for t in s.order)))
        else:
            rows += [(f"objective.weights.{k}", v) for k, v in s.weights.items() if v]
        rows += [(f"policy.{k}", v) for k, v in s.policy.items() if v is not None]
        rows += [("solver.mip_gap", s.mip_gap), ("solver.time_limit", s.time_limit)]
    else:
        rows.append(("objective.mode", words(f"mode_{objective.get('mode')}")))
    frame = pd.DataFrame([(words.setting(k), v) for k, v in rows],
                         columns=[words("setting"), words("value")])
    frame[words("value")] = frame[words("value")].map(
        lambda v: words("yes") if v is True else words("no") if v is False else str(v))
    return frame


def term_table(summary: dict, words: Words) -> pd.DataFrame:
    """The objective's terms: value, unit and what each counts, in words."""
    terms = (summary.get("objective") or {}).get("terms") or {}
    return pd.DataFrame([{words("term"): words(f"term_{k}"), words("value"): v.get("value"),
                          words("unit"): words.short_unit(v.get("unit", "")),
                          words("what"): TERMS_ZH.get(k, v.get("what")) if words.lang == "zh"
                          else v.get("what")} for k, v in terms.items()])
