"""YAML as planners write it (instance.yaml, scenarios, grids), with hostile input refused.

PyYAML's safe loader still accepts what these files never need and what hurts: aliases that
expand to billions of values, keys written twice (one silently wins), explicit tags (`!!binary`,
`!!set`, `!!python/...`), dates turned into date objects, and NUL or other control characters
inside strings (which break file names). Each becomes a Problem naming the file and line.
"""

from __future__ import annotations

import io
from typing import Any

import yaml

from optimizer.errors import InstanceError, Problem

MAX_BYTES = 2 * 2**20  # far beyond any hand-written file
MAX_VALUES = 200_000  # values after expanding aliases
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq",
                                                 "map", "merge")}
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class PlainLoader(yaml.SafeLoader):
    """The safe loader without implicit dates: `2024-01-01` stays text."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def compose(text: str, source: str) -> yaml.Node | None:
    """The checked node tree of a YAML text (None for an empty file); raises InstanceError."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        _refuse(source, None, f"is {size:,} bytes; YAML files above {MAX_BYTES:,} are refused")
    stream = io.StringIO(text)
    stream.name = source  # marks name the file, so later problems can too
    try:
        root = yaml.compose(stream, Loader=PlainLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        _refuse(source, None if mark is None else mark.line + 1,
                f"is not valid YAML: {getattr(exc, 'problem', None) or exc}")
    except RecursionError:
        _refuse(source, None, "is not valid YAML: nested too deeply")
    if root is not None:
        check(root, source)
    return root


def construct(node: yaml.Node | None, source: str) -> Any:
    """Python values of a checked node (plain str, int, float, bool, None, list, dict)."""
    if node is None:
        return None
    loader = PlainLoader("")
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        _refuse(source, node.start_mark.line + 1, f"is not valid YAML: {exc}")
    finally:
        loader.dispose()


def load(text: str, source: str) -> Any:
    return construct(compose(text, source), source)


def check(root: yaml.Node, source: str) -> None:
    """Walk the tree as it would expand; refuse what PLAIN YAML files never need."""
    problems: list[Problem] = []
    stack, seen = [root], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            _refuse(source, root.start_mark.line + 1,
                    f"expands to more than {MAX_VALUES:,} values (through aliases `*name`); "
                    "write the values out")
        line = node.start_mark.line + 1
        if node.tag not in PLAIN_TAGS:
            problems.append(Problem(source, line, None,
                                    f"is not valid YAML here: the tag {node.tag!r} is refused; "
                                    "only plain text, numbers, true/false, lists and mappings "
                                    "are read"))
            continue
        if isinstance(node, yaml.ScalarNode):
            bad = next((c for c in node.value if ord(c) < 32 and c not in "\t\n\r"), None)
            if bad is not None:
                problems.append(Problem(source, line, None,
                                        f"holds the control character {bad!r} in "
                                        f"{node.value[:40]!r}; remove it"))
        elif isinstance(node, yaml.MappingNode):
            problems += _duplicates(node, source)
            stack += [n for pair in node.value for n in pair]
        else:
            stack += node.value
    if problems:
        raise InstanceError(sorted(set(problems), key=lambda p: (p.row or 0, p.message)))


def _duplicates(node: yaml.MappingNode, source: str) -> list[Problem]:
    first: dict[str, int] = {}
    found = []
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = key.start_mark.line + 1
        if key.value in first:
            found.append(Problem(source, line, key.value,
                                 f"is written twice (first at line {first[key.value]}); one "
                                 "would silently win, so keep one"))
        else:
            first[key.value] = line
    return found


def _refuse(source: str, line: int | None, message: str) -> None:
    raise InstanceError([Problem(source, line, None, message)])
