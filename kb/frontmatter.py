"""Read an article's front matter ourselves, so that YAML which does not parse is reported, never dropped.

MkDocs' own reader swallows every YAML error and returns no metadata; here a broken front matter is a
`Problem` naming the file and the line. Front matter is also held to limits, so that no file can stop a
command: aliases are refused (a few hundred bytes of nested aliases expand to gigabytes in anything that
walks the data) and so is nesting deeper than `MAX_DEPTH` (MkDocs deep-copies page metadata recursively).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.problems import Problem

try:  # the C parser is ten times faster; the pure-Python one behaves the same
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class InvalidDate(str):
    """A value written like an ISO date that is no real date (2025-02-30): kept as text for the rules to report."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return InvalidDate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

# The same delimiters MkDocs accepts (mkdocs/utils/meta.py), so both agree on where front matter ends.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)

KeyPath = tuple[Any, ...]

# An article's front matter is four levels deep (change_control, a row, a key, its value); MkDocs and
# Material's own keys (search, hide) add one. Deeper is a mistake or an attack.
MAX_DEPTH = 16


@dataclass
class FrontMatter:
    """Parsed front matter: the data, the line of every key, and the Markdown body after it."""

    data: dict[str, Any] | None
    body: str
    body_line: int = 1
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, *path: Any) -> int | None:
        """The line of the deepest known key on `path`."""
        return line_of(self.lines, path)


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of the deepest key on `path` that `lines` knows."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def has_front_matter(text: str) -> bool:
    return text.startswith("---")


def read(path: str, text: str) -> FrontMatter:
    """Split `text` into front matter and body; parse the YAML keeping each key's line."""
    text = text.lstrip("\ufeff")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        if text.startswith("---\n") or text.startswith("---\r\n"):
            return FrontMatter(None, text, 1, problems=[Problem(
                path, 1, "front matter", "front matter starts with '---' but has no closing '---' line")])
        return FrontMatter(None, text, 1)
    source = match.group(1)
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    try:
        loader = _Loader(source)
        walked = FrontMatter(None, body, body_line, {(): 1})  # lines and duplicate keys, found while building
        try:
            node = loader.get_single_node()  # libyaml itself stops at 1,000 levels: composing is bounded
            data = _construct(loader, node, (), walked, path, set()) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as refused:
        return FrontMatter(None, body, body_line, {(): 1}, [refused.problem])
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is found at the end of the text: point at where the quote opened instead.
        opened = exc.context_mark if "quoted scalar" in str(exc.context or "") else None
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening '---', +1 to count from 1
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        hint = _yaml_hint(source, mark.line if mark is not None else None)
        return FrontMatter(None, body, body_line, {(): 1}, [Problem(
            path, line, "front matter", f"YAML does not parse: {what}{hint}")])
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML raises plain errors for some values it cannot construct (a date like 2025-02-30).
        return FrontMatter(None, body, body_line, {(): 1}, [Problem(
            path, 1, "front matter", f"YAML does not parse: {exc}")])
    fm = FrontMatter(None, body, body_line, {(): 1})
    if data is None:
        return fm
    if not isinstance(data, dict):
        fm.problems.append(Problem(path, 2, "front matter",
                                   f"must be a mapping of keys to values, not a {type(data).__name__}"))
        return fm
    walked.data = data
    return walked


_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map", "merge"))


class _Refused(Exception):
    """An alias, or nesting deeper than MAX_DEPTH, found while building: the front matter is not used."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _construct(loader: Any, node: yaml.Node, prefix: KeyPath, fm: FrontMatter, path: str, seen: set[int]) -> Any:
    """PyYAML's construction and the line index in one walk (the front matter of every article is read on
    every build): plain strings, lists and mappings of scalar keys are built here, several times faster than
    PyYAML's generic constructor; anything else (dates, numbers, merge keys) is left to the loader, so the
    result is the same. Every node is visited once: one seen twice is an alias, refused, so nothing is
    ever expanded."""
    if not (isinstance(node, yaml.ScalarNode) or node.tag == _SEQ or node.tag == _MAP and all(
            isinstance(key, yaml.ScalarNode) and key.tag != _MERGE for key, _ in node.value)):
        _refuse_aliases_and_depth(node, prefix, fm.line_of(*prefix) or 2, path, seen)
        _index_lines(node, prefix, fm, path)
        return loader.construct_object(node, deep=True)
    _visit(node, prefix, fm.line_of(*prefix) or 2, path, seen)
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        built: Any = []
        for index, item in enumerate(node.value):
            # an alias's own mark is its anchor's: an alias item is reported at its list
            fm.lines[prefix + (index,)] = item.start_mark.line + 2 if id(item) not in seen else fm.line_of(*prefix)
            built.append(_construct(loader, item, prefix + (index,), fm, path, seen))
        return built
    built, keys = {}, set()
    for key_node, value_node in node.value:
        raw, line = key_node.value, key_node.start_mark.line + 2
        if raw in keys:
            fm.problems.append(Problem(path, line, ".".join(map(str, prefix + (raw,))),
                                       "appears twice; YAML would keep only the last one"))
        keys.add(raw)
        fm.lines[prefix + (raw,)] = line
        key = _construct(loader, key_node, prefix, fm, path, seen)
        built[key] = _construct(loader, value_node, prefix + (raw,), fm, path, seen)
    return built


def _visit(node: yaml.Node, prefix: KeyPath, line: int, path: str, seen: set[int]) -> None:
    """Note `node` as built; refuse it when it was built before (an alias: *name, or a '<<' merge key) or
    stands deeper than MAX_DEPTH."""
    if id(node) in seen:
        raise _Refused(Problem(path, line, ".".join(map(str, prefix)) or "front matter",
                               "uses a YAML alias (*name or a '<<' merge key): aliases are not allowed in front "
                               "matter; write the value out in full"))
    seen.add(id(node))
    if len(prefix) > MAX_DEPTH:
        raise _Refused(Problem(path, line, ".".join(map(str, prefix[:3])) + ".…",
                               f"is nested more than {MAX_DEPTH} levels deep: front matter is a few levels of "
                               "keys and lists"))


def _refuse_aliases_and_depth(root: yaml.Node, prefix: KeyPath, line: int, path: str, seen: set[int]) -> None:
    """`_visit` every node under `root` (which the loader builds), by an iterative walk that costs no more
    than the text the nodes came from."""
    stack: list[tuple[yaml.Node, KeyPath, int]] = [(root, prefix, line)]
    while stack:
        node, where, at = stack.pop()
        _visit(node, where, at, path, seen)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key_line = key_node.start_mark.line + 2
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                stack += [(value_node, where + (key,), key_line), (key_node, where, key_line)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, where + (index,), at) for index, item in reversed(list(enumerate(node.value)))]


def _index_lines(node: yaml.Node, prefix: KeyPath, fm: FrontMatter, path: str) -> None:
    """Record the line of every key and sequence item; report duplicate keys, which YAML keeps silently."""
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 2
            if key in seen:
                fm.problems.append(Problem(path, line, ".".join(map(str, prefix + (key,))),
                                           "appears twice; YAML would keep only the last one"))
            seen.add(key)
            fm.lines[prefix + (key,)] = line
            _index_lines(value_node, prefix + (key,), fm, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            fm.lines[prefix + (index,)] = item.start_mark.line + 2
            _index_lines(item, prefix + (index,), fm, path)


def _yaml_hint(source: str, line: int | None) -> str:
    if line is None:
        return ""
    lines = source.splitlines()
    text = lines[line] if 0 <= line < len(lines) else ""
    if "\t" in text:
        return " (a tab in the indentation: indent with spaces)"
    return ""
