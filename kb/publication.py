"""Which pages a build holds, for which audience, and which version each address serves.

The internal KB gets everything. The public hub gets only public documents, and at an article's address
always its latest approved version: while a draft is open, the archived approved copy is served there.
"""

from __future__ import annotations

import os
import posixpath
from typing import Iterable

from kb import frontmatter, links
from kb.corpus import KnowledgeBase
from kb.model import Article
from kb.versions import latest_approved

AUDIENCES = ("internal", "public")
SITE_ASSETS = "assets/"  # docs/assets/: the site's own stylesheets, scripts and pictures, published whole


class AudienceError(ValueError):
    pass


def audience() -> str:
    """KB_AUDIENCE=internal|public, default internal."""
    value = os.environ.get("KB_AUDIENCE", "").strip() or "internal"
    if value not in AUDIENCES:
        raise AudienceError(f"KB_AUDIENCE={value!r}: use internal or public")
    return value


def served(kb: KnowledgeBase, article: Article, audience: str) -> Article | None:
    """The version rendered at `article`'s address for `audience`, or None when the page is left out."""
    if audience == "internal":
        return article
    owner = kb.article_of(article)
    if owner is None or owner.audience != "public" or owner.status not in ("current", "draft"):
        return None
    if latest_approved(kb, owner) is None:
        return None
    if article.is_archive:
        return article if article.status in ("current", "superseded") else None
    return latest_approved(kb, article)


def url_of(path: str, directory_urls: bool = True) -> str:
    """The site-root URL MkDocs gives a docs path: a/b.md -> a/b/ (a/b.html without directory URLs),
    a/index.md -> a/."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") + ("" if directory_urls else "index.html")
    return stem + ("/" if directory_urls else ".html")


def withheld(kb: KnowledgeBase, audience: str, paths: Iterable[str], named: Iterable[str] = ()) -> set[str]:
    """Which of `paths` (docs paths of the build's pages and other files) the audience's site leaves out,
    besides the articles `served` leaves out: the public hub publishes only what its pages use.

    - A plain page (a Markdown file that is no article, such as a book's index.md) is published only in a
      public book: one that holds a published article, at any depth, or whose index.md says
      `audience: public` in its front matter. Pages at the top of docs/ are always published.
    - Any other file (an image, a PDF, a spreadsheet) is published only when a published page links or
      shows it (in the version that page serves: an image added only in a draft waits for its approval),
      or when it is one of the site's own: under docs/assets/, or `named` by the site's settings (a logo).
    """
    if audience == "internal":
        return set()
    paths = list(paths)
    versions = {a.path: v for a in kb.articles if (v := served(kb, a, audience)) is not None}
    plain = [p for p in paths if p.endswith(".md") and kb.by_path(p) is None]
    public = _public_folders([*versions, *(p for p in plain if _declares_public(kb, p))])
    pages = {p: _read(kb, p) for p in plain if posixpath.dirname(p) in public}
    used = set(named)
    for version in versions.values():
        used |= links.linked_files(version.body, version.path)
    for path, text in pages.items():
        used |= links.linked_files(text, path)
    left_out = {p for p in plain if p not in pages}
    return left_out | {p for p in paths if not p.endswith(".md") and not p.startswith(SITE_ASSETS) and p not in used}


# Helper functions


def _public_folders(public_pages: Iterable[str]) -> set[str]:
    """The folders holding any of `public_pages`, with every folder above them, and the top of docs/."""
    folders = {""}
    for page in public_pages:
        folder = posixpath.dirname(page)
        while folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return folders


def _declares_public(kb: KnowledgeBase, path: str) -> bool:
    """A book's index.md says `audience: public` in its front matter."""
    if posixpath.basename(path) != "index.md":
        return False
    text = _read(kb, path)
    if not frontmatter.has_front_matter(text):
        return False
    data = frontmatter.read(path, text).data
    return isinstance(data, dict) and data.get("audience") == "public"


def _read(kb: KnowledgeBase, path: str) -> str:
    try:
        return (kb.settings.docs_dir / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""

