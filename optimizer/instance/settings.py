"""instance.yaml: every setting declared once, then read, edited and written from that.

`SETTINGS` is to instance.yaml what `TABLES` is to the tables. Reading instance.yaml (and its
messages), what a scenario's `settings:` may change, the reference in docs/instance-format.md
and every instance.yaml that generate, databuild and the OR-Library reader write all come from
it, so a setting cannot be known to one of them and not to another.

A setting's key is its dotted path: `solver.time_limit` is `time_limit:` under `solver:`.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optimizer.errors import InstanceError, Problem, did_you_mean
from optimizer.instance import safe_yaml
from optimizer.instance.schema import OBJECTIVE_TERMS, Settings

SETTINGS_FILE = "instance.yaml"
INF = float("inf")
MISSING_UNIT = "missing; say in words what unit the numbers are in"


@dataclass(frozen=True)
class Setting:
    key: str  # dotted path in instance.yaml
    kind: str  # "text", "free text", "choice", "number", "integer", "switch", "terms",
    #            "units" (identifier -> unit) or "file"
    doc: str
    default: Any = None
    required: str = ""  # no default: the message when it is missing
    min: float = -INF
    max: float = INF
    nullable: bool = False  # `null` is a value of its own; the doc says what it means
    choices: tuple[str, ...] = ()
    fixed: str = ""  # why a scenario may not change it ("" : a scenario may)
    field: str = ""  # the Settings field it fills ("" : its last key part)
    item: str = ""  # the entry of that field's mapping, for mappings such as `policy`


def _unit(name: str, doc: str) -> Setting:
    return Setting(f"units.{name}", "text", doc, required=MISSING_UNIT, field="units", item=name)


def _unit_map(name: str, doc: str) -> Setting:
    return Setting(f"units.{name}", "units", doc, default={}, nullable=True, field="units",
                   item=name)


def _weight(term: str, default: float) -> Setting:
    return Setting(f"objective.weights.{term}", "number",
                   f"Weight of `{term}`: {OBJECTIVE_TERMS[term][1][0].lower()}"
                   f"{OBJECTIVE_TERMS[term][1][1:]}", default, min=0.0, field="weights",
                   item=term)


def _switch(name: str, doc: str, default: bool = True) -> Setting:
    return Setting(f"policy.{name}", "switch", doc, default, field="policy", item=name)


def _share(name: str, doc: str) -> Setting:
    return Setting(f"policy.{name}", "number", doc, None, min=0.0, max=1.0, nullable=True,
                   field="policy", item=name)


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("name", "text", "Names the instance and its results.",
            required="must be a non-empty text naming the instance",
            fixed="a scenario's runs are named after the instance and the scenario"),
    Setting("language", "choice", "The reports' default language (`--lang` overrides).", "en",
            choices=("en", "zh"), fixed="choose the reports' language with --lang"),
    Setting("description", "free text", "Shown at the top of the report. null: none.", "",
            nullable=True),
    _unit("output", "Unit of targets, current output, minimum scale and value added."),
    _unit("cost", "Unit of unit, opening, closure, chain-entry, growth and shrinkage costs."),
    _unit("distance", "Unit of link reach and distances (great-circle distances are km)."),
    _unit_map("resources", "Unit of each resource, by identifier: one for every resource the "
                           "tables use."),
    _unit_map("talent", "Unit of each talent type, by identifier: one for every talent type "
                        "the tables use."),
    Setting("objective.mode", "choice", "`weighted`: minimise the sum of weight x term; "
            "`lexicographic`: optimise the terms of `objective.order` one after another.",
            "weighted", choices=("weighted", "lexicographic"), field="objective_mode"),
    *(_weight(term, 1.0 if term == "excess_hosts" else 0.0) for term in OBJECTIVE_TERMS),
    Setting("objective.order", "terms", "Lexicographic mode: the terms to optimise, in this "
            "order. null: the terms with a positive weight, in the order above.",
            nullable=True),
    Setting("objective.tolerance", "number", "Lexicographic mode: relative slack when holding "
            "an earlier term.", 0.0, min=0.0, max=1.0),
    Setting("solver.time_limit", "number", "Seconds HiGHS may take; null: no limit "
            "(`--time-limit` overrides).", 300.0, min=1e-3, nullable=True),
    Setting("solver.mip_gap", "number", "Relative gap at which HiGHS stops (`--gap` "
            "overrides).", 1e-4, min=0.0, max=1.0),
    Setting("solver.threads", "integer", "HiGHS threads, at most the cores; null: HiGHS "
            "decides.", None, min=1, nullable=True),
    _switch("chain_completeness", "Every segment is hosted somewhere."),
    _switch("supplier_reach", "Every user host has a supplier host within the link's reach."),
    _switch("flows", "Flow form: suppliers in reach ship what users consume (linkage term).",
            default=False),
    _switch("resources", "Resource limits."),
    _switch("talent", "Talent limits."),
    _switch("infrastructure", "Eligibility by infrastructure levels."),
    _switch("benefit_sharing", "Loss floors with compensation."),
    _share("max_loss_share", "Share of its current value added a region may lose before it is "
                             "owed compensation, for regions whose `max_loss_share` is blank; "
                             "null: those regions have no loss floor."),
    Setting("policy.change_budget", "integer", "Most allocations that may change against "
            "today; null: any.", None, min=0, nullable=True, field="policy",
            item="change_budget"),
    _share("max_shrink", "Most a kept host may shrink, as a share of today's output; null: "
                         "any."),
    Setting("workbook", "file", "An .xlsx workbook inside the instance folder holding the "
            "tables, one sheet per table; null: the tables are CSV files.", None,
            nullable=True, fixed="a scenario changes the tables themselves"),
)}
# What an unknown key of a section is called in messages.
NOUNS = {"objective.weights": "objective term", "solver": "solver option",
         "policy": "policy switch"}


def _sections() -> set[str]:
    """Every mapping of instance.yaml that holds settings ("" is the file itself)."""
    found = {""}
    for key in SETTINGS:
        parts = key.split(".")
        found |= {".".join(parts[:i]) for i in range(1, len(parts))}
    return found


SECTIONS = _sections()


def _children(section: str) -> list[str]:
    """The keys directly under a section, in declaration order."""
    prefix = f"{section}." if section else ""
    names = [key[len(prefix):].split(".")[0] for key in SETTINGS if key.startswith(prefix)]
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------------------- reading


class _Bad(Exception):
    """A value the setting does not allow; the message says what it expects."""


def read_settings(folder: Path, problems: list[Problem]) -> Settings | None:
    """Parse instance.yaml safely; append problems rather than raising."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        problems.append(Problem(SETTINGS_FILE, None, None,
                                f"not found in {folder}; every instance folder needs one"))
        return None
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"), SETTINGS_FILE)
    except UnicodeDecodeError as exc:
        problems.append(Problem(SETTINGS_FILE, None, None, f"is not UTF-8 text ({exc.reason})"))
        return None
    except InstanceError as exc:
        problems += exc.problems
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(SETTINGS_FILE, None, None,
                                "must be a mapping of keys such as `name:` and `objective:`"))
        return None
    return parse_settings(raw, folder, problems)


def parse_settings(raw: Mapping, folder: Path, problems: list[Problem]) -> Settings:
    """Check a settings mapping (from instance.yaml or built in code) against SETTINGS."""
    given = _given(raw, "", problems)
    values = {s.key: _value(s, given, folder, problems) for s in SETTINGS.values()}
    fields: dict[str, Any] = {}
    for s in SETTINGS.values():
        name = s.field or s.key.rpartition(".")[2]
        if s.item:
            fields.setdefault(name, {})[s.item] = values[s.key]
        else:
            fields[name] = values[s.key]
    settings = Settings(**fields)
    settings.description = settings.description or ""
    if settings.order is None:
        settings.order = [t for t in OBJECTIVE_TERMS if settings.weights[t] > 0]
    if settings.threads is not None:
        settings.threads = min(settings.threads, os.cpu_count() or 1)
    return settings


def _given(section: Mapping, prefix: str, problems: list[Problem]) -> dict[str, Any]:
    """The settings a mapping gives, by key; unknown keys and malformed sections reported."""
    found: dict[str, Any] = {}
    for name, value in section.items():
        key = f"{prefix}{name}"
        if "." in str(name):  # dotted names are for scenarios; here each level is a mapping
            first, _, rest = str(name).partition(".")
            problems.append(Problem(SETTINGS_FILE, None, key, f"write it nested: `{first}:` "
                                    f"holding `{rest}:`"))
        elif key in SETTINGS:
            found[key] = value
        elif key in SECTIONS:
            if isinstance(value, dict):
                found |= _given(value, f"{key}.", problems)
            elif value is not None:
                problems.append(Problem(SETTINGS_FILE, None, key, "must be a mapping"))
        else:
            problems.append(Problem(SETTINGS_FILE, None, key, _unknown(key, quote=False)))
    return found


def _value(setting: Setting, given: dict[str, Any], folder: Path,
           problems: list[Problem]) -> Any:
    """The setting's value: given and checked, or its default."""
    if setting.key not in given and not setting.required:
        return copy.deepcopy(setting.default)
    value = given.get(setting.key)
    if value is None and setting.nullable:
        return None
    try:
        return CHECKS[setting.kind](setting, value, folder)
    except _Bad as bad:
        problems.append(Problem(SETTINGS_FILE, None, setting.key, str(bad)))
        return copy.deepcopy(setting.default)


def _unknown(key: str, quote: bool = True) -> str:
    """Why a key is not a setting: what its section does have, and the closest of those."""
    section = key
    while section not in SECTIONS:
        section = section.rpartition(".")[0]
    name = key[len(section) + 1 if section else 0:].split(".")[0]
    options = _children(section)
    what = NOUNS.get(section, "key") + (f" {key!r}" if quote else "")
    return f"unknown {what}{did_you_mean(name, options)}; expected one of {', '.join(options)}"


def _text(setting: Setting, value: Any, folder: Path) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise _Bad(setting.required)


def _free_text(setting: Setting, value: Any, folder: Path) -> str:
    return str(value)


def _choice(setting: Setting, value: Any, folder: Path) -> str:
    if isinstance(value, str) and value in setting.choices:
        return value
    raise _Bad(f"must be {_either(setting.choices)}, got {value!r}")


def _either(choices: tuple[str, ...]) -> str:
    """`a` or `b`; one of `a`, `b`, `c`."""
    quoted = [f"`{c}`" for c in choices]
    return " or ".join(quoted) if len(quoted) == 2 else f"one of {', '.join(quoted)}"


def _number(setting: Setting, value: Any, folder: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bad(f"must be a finite number, got {value!r}")
    if not setting.min <= value <= setting.max:
        raise _Bad(f"must be {value_range(setting)}, got {value}")
    return float(value)


def value_range(setting: Setting) -> str:
    """`between 0 and 1`, `>= 0.001`: the range a number may take, as messages and docs say."""
    if math.isfinite(setting.max):
        return f"between {setting.min:g} and {setting.max:g}"
    return f">= {setting.min:g}"


def _integer(setting: Setting, value: Any, folder: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < setting.min:
        also = " or null" if setting.nullable else ""
        raise _Bad(f"must be a whole number >= {setting.min:g}{also}, got {value!r}")
    return value


def _switch_value(setting: Setting, value: Any, folder: Path) -> bool:
    if isinstance(value, bool):
        return value
    raise _Bad(f"must be true or false, got {value!r}")


def _terms(setting: Setting, value: Any, folder: Path) -> list[str]:
    if not isinstance(value, list) or any(t not in OBJECTIVE_TERMS for t in value):
        raise _Bad(f"must be a list of terms from {', '.join(OBJECTIVE_TERMS)}")
    if len(set(value)) != len(value):
        raise _Bad("names a term twice")
    return list(value)


def _units(setting: Setting, value: Any, folder: Path) -> dict:
    if isinstance(value, dict):
        return dict(value)
    raise _Bad("must map each identifier to its unit")


def _file(setting: Setting, value: Any, folder: Path) -> str:
    """A file the instance names must stay inside the instance folder."""
    if not isinstance(value, str) or not value:
        raise _Bad("must be the file name of an .xlsx workbook in the instance folder")
    target = (folder / value).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise _Bad(f"{value!r} points outside the instance folder; keep it inside")
    if target.suffix.lower() != ".xlsx":
        raise _Bad(f"{value!r} must be an .xlsx workbook")
    return value


CHECKS: dict[str, Callable[[Setting, Any, Path], Any]] = {
    "text": _text, "free text": _free_text, "choice": _choice, "number": _number,
    "integer": _integer, "switch": _switch_value, "terms": _terms, "units": _units,
    "file": _file,
}


# ---------------------------------------------------------------------------- editing, writing


def edit_problem(key: str) -> str | None:
    """Why a scenario's `settings:` cannot set this dotted key, or None if it can.

    Every declared setting a scenario may change can be set, and so can one entry of a
    mapping such as `units.resources.land`; the value is checked when the changed instance
    is read again.
    """
    parent = key.rpartition(".")[0]
    setting = SETTINGS.get(key)
    if setting is None and parent in SETTINGS and SETTINGS[parent].kind == "units":
        setting = SETTINGS[parent]
    if setting is not None:
        return f"{key!r} cannot be changed by a scenario: {setting.fixed}" if setting.fixed \
            else None
    if key in SECTIONS:
        example = f"{key}.{_children(key)[0]}" if key else _children(key)[0]
        return f"{key!r} holds settings; set one of them, e.g. {example}"
    return _unknown(key)


def values_of(settings: Settings) -> dict[str, Any]:
    """Every setting's value in a parsed Settings, by key (copies, free to edit)."""
    values = {}
    for s in SETTINGS.values():
        value = getattr(settings, s.field or s.key.rpartition(".")[2])
        values[s.key] = copy.deepcopy(value.get(s.item) if s.item else value)
    return values


def nest(values: Mapping[str, Any]) -> dict:
    """Settings by key, as the nested mapping instance.yaml holds, in declaration order."""
    out: dict = {}
    for key in SETTINGS:
        if key in values:
            *sections, name = key.split(".")
            node = out
            for part in sections:
                node = node.setdefault(part, {})
            node[name] = values[key]
    return out


def settings_dict(given: Mapping) -> dict:
    """A settings mapping checked as instance.yaml is, laid out in declaration order.

    What builders write: a key that is not a setting or a value out of range raises
    InstanceError where the builder runs. Settings left out are not filled in, so that each
    instance.yaml states what its builder chose; reading it applies the defaults.
    """
    problems: list[Problem] = []
    laid_out = nest(_given(given, "", problems))
    parse_settings(laid_out, Path("."), problems)
    if problems:
        raise InstanceError(problems)
    return laid_out


def dump_settings(given: Mapping) -> str:
    """instance.yaml text for a settings mapping (settings_dict), the same bytes every run."""
    return yaml.safe_dump(settings_dict(given), sort_keys=False, allow_unicode=True, width=100)
