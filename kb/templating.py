"""Autoescape for the KB's own templates.

MkDocs builds its Jinja environment without autoescape, and Material's templates rely on that (they print
page HTML as is). The KB's templates (kb/… and partials/kb/…) print metadata that authors write, so they
are compiled with autoescape on: escaping comes from the environment, not from remembering. Where such a
template prints HTML made elsewhere (the page body), it says so with `| safe`.
"""

from __future__ import annotations

from jinja2 import Environment

KB_TEMPLATES = ("kb/", "partials/kb/")


def escapes(template_name: str | None) -> bool:
    return bool(template_name) and template_name.startswith(KB_TEMPLATES)


def autoescaped(env: Environment) -> Environment:
    """`env`, with autoescape on for the KB's templates only."""
    env.autoescape = escapes
    return env
