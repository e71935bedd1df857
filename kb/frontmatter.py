"""Read an article's front matter ourselves, so that YAML which does not parse is reported, never dropped.

MkDocs' own reader swallows every YAML error and returns no metadata; here a broken front matter is a
`Problem` naming the file and the line. Front matter is also held to limits, so that no file can stop a
command: aliases are refused (a few hundred bytes of nested aliases expand to gigabytes in anything that
walks the data) and so is nesting deeper than `MAX_DEPTH` (MkDocs deep-copies page metadata recursively).
"""

from __future__ import annotations

import re
from collections import deque
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
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


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
            refused = _refuse_aliases_and_depth(node, path) if node is not None else None
            if refused is not None:
                return FrontMatter(None, body, body_line, {(): 1}, [refused])
            data = _construct(loader, node, (), walked, path, set()) if node is not None else None
        finally:
            loader.dispose()
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


def _construct(loader: Any, node: yaml.Node, prefix: KeyPath, fm: FrontMatter, path: str, active: set[int]) -> Any:
    """PyYAML's construction and the line index in one walk (the front matter of every article is read on
    every build): plain strings, lists and mappings of scalar keys are built here, several times faster than
    PyYAML's generic constructor; anything else (dates, numbers, merge keys, aliases that loop back) is left
    to the loader, so the result is the same."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if id(node) in active:  # an alias of a node that contains it: its lines are known already
        return loader.construct_object(node, deep=True)
    if not (node.tag == _SEQ or node.tag == _MAP and all(
            isinstance(key, yaml.ScalarNode) and key.tag != _MERGE for key, _ in node.value)):
        _index_lines(node, prefix, fm, path)
        return loader.construct_object(node, deep=True)
    active.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        built: Any = []
        for index, item in enumerate(node.value):
            fm.lines[prefix + (index,)] = item.start_mark.line + 2
            built.append(_construct(loader, item, prefix + (index,), fm, path, active))
    else:
        built, seen = {}, set()
        for key_node, value_node in node.value:
            raw, line = key_node.value, key_node.start_mark.line + 2
            if raw in seen:
                fm.problems.append(Problem(path, line, ".".join(map(str, prefix + (raw,))),
                                           "appears twice; YAML would keep only the last one"))
            seen.add(raw)
            fm.lines[prefix + (raw,)] = line
            key = _construct(loader, key_node, prefix, fm, path, active)
            built[key] = _construct(loader, value_node, prefix + (raw,), fm, path, active)
    active.discard(id(node))
    return built


def _refuse_aliases_and_depth(root: yaml.Node, path: str) -> Problem | None:
    """A finding for the first alias (a node reached twice) or node nested deeper than MAX_DEPTH, found by
    an iterative walk of the composed nodes, which costs no more than the text they came from; breadth first,
    so an alias is reported where it is used, not where its anchor stands."""
    seen: set[int] = set()
    queue: deque[tuple[yaml.Node, KeyPath, int]] = deque([(root, (), 2)])
    while queue:
        node, prefix, line = queue.popleft()
        where = ".".join(map(str, prefix)) or "front matter"
        if id(node) in seen:
            return Problem(path, line, where, "uses a YAML alias (*name or a '<<' merge key): aliases are not "
                           "allowed in front matter; write the value out in full")
        seen.add(id(node))
        if len(prefix) > MAX_DEPTH:
            return Problem(path, line, ".".join(map(str, prefix[:3])) + ".…",
                           f"is nested more than {MAX_DEPTH} levels deep: front matter is a few levels of keys "
                           "and lists")
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 2
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                queue.append((key_node, prefix + ("?",), key_line))
                queue.append((value_node, prefix + (key,), key_line))
        elif isinstance(node, yaml.SequenceNode):
            # an aliased item's own mark is its anchor's: point at the list that uses it
            queue.extend((item, prefix + (index,), line if id(item) in seen else item.start_mark.line + 2)
                         for index, item in enumerate(node.value))
    return None


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
