"""What an interrupted write can leave in docs/, found by `kb check` and the build with how to repair it.

Today's `kb` writes atomically and in a safe order (`kb.atomic`, `kb.versions`), but a kill can still fall
between two files, and older versions wrote in place: an article emptied to 0 bytes, an archive written
while its article was not moved on, two current versions of one document, or a temporary file left beside
an article.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kb import atomic
from kb.model import Article, version_key
from kb.problems import Problem, Severity

if TYPE_CHECKING:  # kb.corpus calls check(): no import cycle at run time
    from kb.corpus import KnowledgeBase


def check(kb: KnowledgeBase) -> list[Problem]:
    """Every half-done state in the KB, each with what to run or do to repair it."""
    return leftovers(kb.settings.docs_dir) + half_done(kb)


def leftovers(docs_dir: Path) -> list[Problem]:
    """Empty Markdown files and temporary files of writes that never finished."""
    out: list[Problem] = []
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            full = Path(root, name)
            rel = full.relative_to(docs_dir).as_posix()
            if atomic.is_temporary(name):
                out.append(Problem(rel, None, "file", "is a temporary file left by an interrupted kb command; the "
                                   "file beside it is whole (old or new content): delete this one",
                                   severity=Severity.WARNING))
            elif name.endswith(".md") and _size(full) == 0:
                out.append(Problem(rel, None, "file", "is empty (0 bytes), as a write interrupted by an older kb "
                                   f"leaves an article: restore it from version control (git checkout -- docs/{rel}) "
                                   "and run the kb command again, or delete it if no page belongs there"))
    return out


def half_done(kb: KnowledgeBase) -> list[Problem]:
    """What an interrupted revise or approve (of this kb or an older one) can leave, with how to finish it:
    an archive of the version its article still is, an older version still current beside the current
    article, or a draft whose approved version was already superseded."""
    out: list[Problem] = []
    for article in kb.articles:
        archives = [] if article.is_archive or article.number is None else kb.archives_of(article)
        if not archives:
            continue
        version, number, newest = article.control.version, article.number, archives[-1]
        if not isinstance(version, str):
            continue  # its own finding says the version is wrong
        if article.status == "current" and newest.control.version == version:
            out.append(Problem(newest.path, newest.line_of("document_control", "version"), "document_control.version",
                               f"archives version {version}, which {article.path} still is: a 'kb revise' was "
                               f"interrupted; run 'kb revise {number} --change TEXT --author KEY' again to finish "
                               "it, or delete this archive"))
        elif article.status == "current":
            out += [Problem(old.path, old.line_of("document_control", "status"), "document_control.status",
                            f"is current, and so is {article.path} (version {version}): a 'kb approve' was "
                            f"interrupted; run 'kb approve {number} --by NAME' again to finish it, or set this "
                            "status to superseded") for old in still_current(kb, article)]
        elif article.status == "draft" and newest.status == "superseded" and \
                not any(a.status == "current" for a in archives):
            out.append(Problem(article.path, article.line_of("document_control", "status"), "document_control.status",
                               f"is a draft and no version of {number} is current ({newest.path} is already "
                               f"superseded): a 'kb approve' was interrupted; run 'kb approve {number} --by NAME' "
                               "again to finish it"))
    return out


def still_current(kb: KnowledgeBase, article: Article) -> list[Article]:
    """Archived versions older than the current article that are still marked current."""
    version = version_key(article.control.version)
    return [a for a in kb.archives_of(article)
            if a.status == "current" and version_key(a.control.version or "0.0") < version]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
