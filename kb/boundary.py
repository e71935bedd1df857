"""What a build may read: the files inside docs/, and never what a symlink there leads to outside it.

MkDocs follows symlinks when it gathers docs/ (files and folders alike) and copies what they name into the
site, so a link out of docs/ would publish whatever it points at (a key, a colleague's notes, /etc/passwd) on
both sites. Such a link is an error of the KB, found by `kb check` and failing both builds.
"""

from __future__ import annotations

import os
from pathlib import Path

from kb.problems import Problem


def inside(path: Path, root: Path) -> bool:
    """`path`, with every symlink followed, lies in `root` (also resolved); a loop or a dangling link does not."""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def check_links(docs_dir: Path) -> list[Problem]:
    """A problem for every symlink under `docs_dir` that leads outside it (or nowhere)."""
    problems: list[Problem] = []
    root = docs_dir.resolve()
    # followlinks=False: a linked folder is judged as one entry, never entered (its target may be anywhere)
    for current, dirs, files in os.walk(docs_dir):
        dirs.sort()
        for name in sorted(dirs + files):
            entry = Path(current, name)
            if not entry.is_symlink() or inside(entry, root):
                continue
            rel = entry.relative_to(docs_dir).as_posix()
            problems.append(Problem(
                rel, None, "file",
                f"is a symlink to {_target(entry)!r}, outside {docs_dir.name}/: a build reads and publishes only the "
                f"KB's own files; copy what it needs into {docs_dir.name}/ and remove the link", value=rel))
    return problems


# Helper functions


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"
