"""What the `kb` commands print: text from articles, file names and exports made safe for a terminal.

A name holding CR or LF would print a forged row in `kb list`; ESC starts a terminal control sequence
(clear the screen, retitle the window, rewrite what was printed); bidirectional overrides reorder what a
reader sees. Every such character is printed as an escape instead, so one value is one visible cell.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

# C0 and C1 controls, DEL, line and paragraph separators, bidirectional embeddings, overrides and isolates
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What json.dumps leaves raw (it escapes C0 itself): the same escapes, written as JSON reads them
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: Any) -> str:
    """`value` as text with every control character escaped (\\n, \\r, \\t, \\u001b ...): one line, no
    terminal sequence."""
    return _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), str(value))


def echo(text: Any, err: bool = False) -> None:
    """Print `text` as one line, escaped (`printable`); on stderr with err=True."""
    click.echo(printable(text), err=err)


def echo_lines(text: str, err: bool = False) -> None:
    """Print a text of several lines (a preview of a file), each line escaped."""
    click.echo("\n".join(printable(line) for line in text.split("\n")), err=err)


def json_text(data: Any) -> str:
    """`data` as indented JSON whose strings carry no raw control character, still valid JSON (non-ASCII
    letters stay as they are)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
