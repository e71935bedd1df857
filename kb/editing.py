"""Edit an article's front matter line by line, so an author's diff shows only what changed.

The YAML is never re-dumped: values are replaced on their own line, keys removed with their line, and
change-control rows appended in the style of the rows above.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from kb import frontmatter

_PLAIN_SAFE = re.compile(r"^[A-Za-z][\w .,'()/@+-]*$")


def scalar(value: Any) -> str:
    """A YAML scalar for `value`: plain where it reads back as the same text, else double-quoted."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if _PLAIN_SAFE.match(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


class FrontMatterEditor:
    """Line edits on one Markdown file's front matter; `text` is the result."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self._reindex()

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def _reindex(self) -> None:
        fm = frontmatter.read(self.path, self.text)
        if fm.data is None or fm.problems:
            raise ValueError(f"{self.path}: its front matter does not parse; fix it first (kb check)")
        self.data = fm.data
        self.key_lines = fm.lines

    def set(self, section: str, key: str, value: Any, after: str | None = None) -> None:
        """Set <section>.<key>: on its own line when present, else after the key `after` (when present) or
        after the last key of the section."""
        line = self.key_lines.get((section, key))
        if line is not None:
            index = line - 1
            old = self.lines[index]
            indent = old[: len(old) - len(old.lstrip())]
            comment = ""
            match = re.search(r"\s+#.*$", old.rstrip("\n"))
            if match and "#" not in str(self.data[section][key]):
                comment = match.group(0)
            self.lines[index] = f"{indent}{key}: {scalar(value)}{comment}\n"
        else:
            last = self.key_lines.get((section, after)) if after else None
            last = last or max(n for path, n in self.key_lines.items() if len(path) >= 2 and path[0] == section)
            indent = self._indent_of_section(section)
            self.lines.insert(last, f"{indent}{key}: {scalar(value)}\n")
        self._reindex()

    def remove(self, section: str, key: str) -> None:
        line = self.key_lines.get((section, key))
        if line is not None:
            del self.lines[line - 1]
            self._reindex()

    def append_row(self, section: str, row: dict[str, Any]) -> None:
        """Add a row to a list of mappings, written like the rows above it (flow style by default)."""
        rows = self.data.get(section) or []
        last_line = self.key_lines.get((section, len(rows) - 1))
        inner = ", ".join(f"{key}: {scalar(value) if key != 'version' else json.dumps(str(value))}"
                          for key, value in row.items())
        if last_line is None:
            raise ValueError(f"{self.path}: {section} has no rows to follow")
        first = self.lines[last_line - 1]
        indent = first[: len(first) - len(first.lstrip())]
        # the last row may span several lines (block style): insert after its last line
        end = last_line
        while end < len(self.lines) and self.lines[end].startswith(indent + "  ") and not \
                self.lines[end].lstrip().startswith("- "):
            end += 1
        self.lines.insert(end, f"{indent}- {{{inner}}}\n")
        self._reindex()

    def _indent_of_section(self, section: str) -> str:
        for path, line in self.key_lines.items():
            if len(path) == 2 and path[0] == section:
                text = self.lines[line - 1]
                return text[: len(text) - len(text.lstrip())]
        return "  "
