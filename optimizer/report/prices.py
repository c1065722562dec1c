"""Shadow prices in the planner's words, in the report's language.

shadow_prices.csv keeps the model's row family (`limit`) and ids, so that a report can say
each binding limit its own way: the family's name from i18n.LIMITS, the region, segment and
item by name, and the units the instance counts them in. Pandas and the standard library only.
"""

from __future__ import annotations

import math

import pandas as pd

from optimizer.report.i18n import Words

TOP = 10  # prices listed in a report; shadow_prices.csv holds them all
# families counted in the instance's output unit (value added included); the rest are counts
# or shares whose one unit has no planner's name
OUTPUT_FAMILIES = {"target", "target_min", "target_max", "min_scale", "max_scale", "shrink_def",
                   "max_shrink", "protected_share", "loss_floor", "min_gain", "min_share",
                   "supplier_capacity", "new_output_beyond_today", "new_output_if_grows",
                   "new_output_at_most"}
STOCKS = {"resource": "resources", "talent": "talent"}


def price_number(value: float) -> str:
    """A readable magnitude: 3,210 / 3.21 / 0.00321."""
    x = abs(value)
    if not math.isfinite(x):
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.2f}" if x >= 1 else f"{x:.3g}"


def limit_unit(family: str, item: str, words: Words) -> str:
    """What one unit of the limit is: km² of land, 亿元 of output, a person-year..."""
    if family in STOCKS:
        return words.unit(STOCKS[family], item) or words("per_unit")
    if family in OUTPUT_FAMILIES:
        return words.unit("output") or words("per_unit")
    return words("per_unit")


def objective_unit(summary: dict, words: Words) -> str:
    entry = summary.get("shadow_prices") or {}
    return words.short_unit(str(entry.get("objective_unit") or "")) or words.unit("cost")


def _what(family: str, item: str, words: Words) -> str:
    """A resource or talent limit is named by what is short (land, R&D personnel)."""
    if family in STOCKS and item:
        return words.name(family, item)
    return words.limit(family)


def _place(region: str, segment: str, item: str, family: str, words: Words) -> list[str]:
    parts = [words.name("region", region) if region else "",
             words.name("segment", segment) if segment else ""]
    if item and family not in STOCKS:
        parts.append(_item(item, words))
    return [p for p in parts if p]


def _item(item: str, words: Words) -> str:
    """The rest of a row's index: a chain or group by name; a bare row number is left out."""
    for kind in ("chain", "group", "stage", "resource", "talent"):
        if (kind, item) in words.names:
            return words.names[(kind, item)]
    return "" if item.isdigit() else item


def reading(rec: dict, words: Words, unit: str) -> str:
    """One binding limit as a sentence: 'land (苏州市): one more km² would save 3.2 亿元'."""
    family, item = str(rec["limit"]), str(rec.get("item") or "")
    place = _place(str(rec.get("region") or ""), str(rec.get("segment") or ""), item, family,
                   words)
    shown = ("（" + "·".join(place) + "）" if words.lang == "zh" else " (" + ", ".join(place)
             + ")") if place else ""
    price = float(rec["shadow_price"])
    return words("price_reading", name=_what(family, item, words), place=shown,
                 per=limit_unit(family, item, words),
                 effect=words("price_save" if price < 0 else "price_cost"),
                 amount=f"{price_number(price)} {unit}".strip())


def short_reading(rec: dict, words: Words, unit: str, named: bool = True) -> str:
    """The same in a few words, for a task's reason: 'land (−3.2 亿元 per km²)', or without
    the limit's name '+1.22 亿元 per 亿元'."""
    family, item = str(rec["limit"]), str(rec.get("item") or "")
    price = float(rec["shadow_price"])
    value = f"{'−' if price < 0 else '+'}{price_number(price)} {unit}".strip()
    per = limit_unit(family, item, words)
    if not named:
        return words("price_value", value=value, per=per)
    return words("price_short", name=_what(family, item, words), value=value, per=per)


def clean(shadow: pd.DataFrame | None) -> pd.DataFrame:
    """The binding rows of shadow_prices.csv, ids as text, largest |price| first."""
    if shadow is None or shadow.empty or "shadow_price" not in shadow:
        return pd.DataFrame(columns=["limit", "region", "segment", "item", "shadow_price"])
    s = shadow.copy()
    s["shadow_price"] = pd.to_numeric(s["shadow_price"], errors="coerce").fillna(0.0)
    for column in ("limit", "region", "segment", "item"):
        s[column] = s[column].astype(object).fillna("").astype(str) if column in s else ""
    s = s[s["shadow_price"].abs() > 1e-9]
    order = s["shadow_price"].abs().sort_values(ascending=False, kind="stable").index
    return s.loc[order].reset_index(drop=True)


def price_table(shadow: pd.DataFrame | None, summary: dict, words: Words,
                top: int | None = TOP) -> pd.DataFrame:
    """The largest binding limits, named: limit, where, price, and what it means."""
    s = clean(shadow)
    if top is not None:
        s = s.head(top)
    unit = objective_unit(summary, words)
    rows = []
    for rec in s.to_dict("records"):
        family, item = rec["limit"], rec["item"]
        rows.append({"limit": _what(family, item, words),
                     "place": "·".join(_place(rec["region"], rec["segment"], item, family,
                                              words)),
                     "shadow_price": float(rec["shadow_price"]),
                     "meaning": reading(rec, words, unit)})
    return pd.DataFrame(rows, columns=["limit", "place", "shadow_price", "meaning"])


def price_notes(summary: dict, shadow: pd.DataFrame | None, words: Words) -> list[str]:
    """What the prices are (and, when there are none, why), above the table."""
    entry = summary.get("shadow_prices")
    if not isinstance(entry, dict):
        return []
    total = len(clean(shadow))
    if entry.get("status") not in (None, "optimal"):
        why = "; ".join(str(n) for n in entry.get("notes") or []) or str(entry.get("status"))
        return [words("prices_not_priced", why=why)]
    if total == 0:
        return [words("prices_none")]
    notes = [words("prices_note", unit=objective_unit(summary, words), n=min(TOP, total),
                   total=total)]
    if entry.get("stage"):
        notes.append(words("prices_stage", stage=words(f"term_{entry['stage']}")))
    return notes
