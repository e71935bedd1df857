"""One reading of a Markdown page's lines: which lie in fenced code, and where a `///` block opens.

Links, forms and the importer all need to know what is code before they look at a line, and they must
agree, or a link shown inside a code sample is checked while a form inside one is built. The fence rule is
CommonMark's: a fence opens on a line of at least three backticks or tildes (a backtick fence's info string
has no backtick) and closes on a line of the same character, at least as long, with nothing after it but
spaces; a fence never closed runs to the end of the page. Indentation is not limited to three spaces,
because pymdownx.superfences opens fences nested in lists, admonitions and tabs at their own indentation.
"""

from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
# A `///` block's opening line, read as pymdownx.blocks reads it: /// name | argument
BLOCK_START = re.compile(r"^[ ]{0,3}(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")


def fence_opening(line: str) -> str | None:
    """The fence (``` or ~~~~, as written) that `line` opens, or None."""
    match = _FENCE.match(line)
    if match is None or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None
    return match.group(1)


def closes(fence: str, line: str) -> bool:
    """Whether `line` closes a code block opened with `fence`."""
    match = _FENCE.match(line)
    return (match is not None and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
            and not match.group(2).strip())


def code_flags(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (its fence lines included)."""
    return [role is not None for role in _roles(lines)]


def prose_lines(lines: list[str]) -> Iterator[int]:
    """Indexes of the lines outside fenced code blocks."""
    return (index for index, role in enumerate(_roles(lines)) if role is None)


def segments(text: str) -> Iterator[tuple[bool, str]]:
    """(is_fenced_code, text) runs of a Markdown document, line ends kept, that join back into `text`:
    each fenced block (its fences included) is one run, and so is the prose between two blocks."""
    lines = text.splitlines(keepends=True)
    start = 0
    for index, role in enumerate(_roles(lines)):
        if role == "open" and index > start:
            yield False, "".join(lines[start:index])
            start = index
        if role == "close":
            yield True, "".join(lines[start:index + 1])
            start = index + 1
    if start < len(lines):
        yield fence_opening(lines[start]) is not None, "".join(lines[start:])


def block_starts(lines: list[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """(index, match of BLOCK_START) for every `///` block opening outside fenced code."""
    for index in prose_lines(lines):
        match = BLOCK_START.match(lines[index])
        if match:
            yield index, match


# Helper functions


def _roles(lines: list[str]) -> Iterator[str | None]:
    """Each line's part in fenced code: "open", "code", "close", or None for a line outside it."""
    fence: str | None = None
    for line in lines:
        if fence is None:
            fence = fence_opening(line)
            yield "open" if fence else None
        elif closes(fence, line):
            fence = None
            yield "close"
        else:
            yield "code"
