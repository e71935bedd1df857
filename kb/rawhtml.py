"""The KB's policy on raw HTML in a page's body: authors are staff, but a hub runs nothing no one reviewed.

Markdown lets an author write HTML, and attributes (attr_list), in a body. The KB allows any of it that
only shows something, and refuses what runs or loads code or another document:

- script elements, and the elements that embed or load another document or change where the page's own
  links and scripts come from: iframe, frame, frameset, object, embed, applet, base, meta, link;
- event-handler attributes (onclick, onerror, every on…) and srcdoc;
- javascript: and vbscript: URLs, in any attribute.

Each is a warning naming the page (`kb check`, and both builds, whose --strict fails on it), and the build
strips it from the page. In a file the site would serve as it is (an SVG image, an HTML file) it is an error. Found with an HTML5 parser run as Chromium runs it (tinyhtml5, the WHATWG
algorithm, scripting on), on the HTML Markdown makes of the body, never with patterns over the text.
"""

from __future__ import annotations

import html as html_text
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kb import boundary
from kb.problems import Problem, Severity

REFUSED_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
                              "link"})
REFUSED_ATTRIBUTES = frozenset({"srcdoc"})  # and every on… attribute
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
DOCUMENT_FILES = frozenset({".svg", ".html", ".htm", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".shtml"})
# Every extension of mkdocs.yml that nests Markdown (whose HTML would otherwise read as a code block here)
# or lets an author write attributes.
MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
                       "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist")
POLICY = "the KB runs no script an author writes (README: Raw HTML in articles)"

_NAMESPACES = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:",
               "http://www.w3.org/2000/xmlns/": "xmlns:"}
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme
_TAG = re.compile(r"<[A-Za-z!?/]")
_AUTOLINK = re.compile(r"<(?:https?|ftps?)://[^<>]*>", re.IGNORECASE)  # Markdown's own autolink pattern
_ATTRIBUTE_LIST = re.compile(r"\{[^}]*=")


@dataclass(frozen=True)
class Finding:
    what: str    # "<script> element", "onerror attribute of <img>", "javascript: URL in href of <a>"
    needles: tuple[str, ...]  # text to look for in the Markdown, best first, to give the line


def findings(html: str) -> list[Finding]:
    """What `html` (a body, as it goes into a page) holds that the policy refuses."""
    found: list[Finding] = []
    for tag, attributes in _elements(html):
        if tag in REFUSED_ELEMENTS:
            found.append(Finding(f"<{tag}> element", (f"<{tag}",)))
        for name, value in attributes.items():
            if name.startswith("on") or name in REFUSED_ATTRIBUTES:
                found.append(Finding(f"{name} attribute of <{tag}>", (name,)))
            elif _runs_script(value):
                found.append(Finding(f"{_scheme(value)} URL in {name} of <{tag}>", (value.strip()[:40], _scheme(value)[:-1])))
    return list(dict.fromkeys(found))


def may_hold(markdown: str) -> bool:
    """False when `markdown` cannot make anything the policy refuses; True only means "look". Spares most
    pages the parse, with tests that can only err towards looking:

    - a tag needs `<` and a letter, `!`, `?` or `/` (an autolink `<https://…>` is escaped by Markdown);
    - an attribute list needs `{` and `=` before its `}` (`{}` and `{: .class}` set no attribute);
    - a script URL needs `script:` (or `script\\:`) once character references are decoded and the tabs
      and newlines a browser ignores are dropped (a pymdownx block's attributes need the word `attrs`).
    """
    if "<" in markdown and _TAG.search(_AUTOLINK.sub("", markdown)):
        return True
    if "{" in markdown and _ATTRIBUTE_LIST.search(markdown):
        return True
    flat = _URL_NOISE.sub("", html_text.unescape(markdown)) if "&" in markdown else markdown
    flat = flat.lower()
    return "script:" in flat or "script\\:" in flat or "attrs" in flat


def check(path: str, body: str, first_line: int = 1) -> list[Problem]:
    """Warnings for what the policy refuses in a page's Markdown body (which starts at `first_line`)."""
    if not may_hold(body):
        return []
    markdown = _markdown()
    try:
        html = markdown.reset().convert(body)
    except Exception as exc:  # the build will say what is wrong with the Markdown; the policy only looks
        return [Problem(path, first_line, "body", f"could not be read as Markdown ({type(exc).__name__})",
                        severity=Severity.WARNING)]
    return [Problem(path, _line(body, finding.needles, first_line), "body",
                    f"{finding.what}: refused, {POLICY}; the build strips it", severity=Severity.WARNING,
                    value=finding.what) for finding in findings(html)]


def check_files(docs_dir: Path) -> list[Problem]:
    """Errors for the files under `docs_dir` a browser would run as documents (SVG images, HTML and XML
    files, copied into the site as they are) that hold what the policy refuses. Opened from the site,
    their script runs with the site's own origin; unlike a page's body they cannot be stripped without
    changing what their author made, so the build stops."""
    problems: list[Problem] = []
    for path in _documents(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # unreadable: MkDocs says so when it copies it
        for finding in _xml_findings(text) + findings(text):
            problems.append(Problem(rel, _line(text, finding.needles, 1), "file",
                                    f"{finding.what}: refused, {POLICY}; a browser opening this file from the "
                                    "site would run it: remove it (or save the image as PNG)", value=finding.what))
    return problems


def strip(html: str) -> tuple[str, list[Finding]]:
    """`html` without what the policy refuses (and everything else kept), with what was removed; `html`
    itself when it holds nothing refused."""
    found = findings(html)
    if not found:
        return html, []
    import nh3

    tags: set[str] = set()
    attributes: set[str] = set()
    for tag, present in _elements(html):
        tags.add(tag)
        attributes.update(name for name in present if not name.startswith("on") and name not in REFUSED_ATTRIBUTES)
    safe = nh3.clean(html, tags=tags - REFUSED_ELEMENTS, clean_content_tags=set(REFUSED_ELEMENTS),
                     attributes={"*": attributes}, link_rel=None, strip_comments=False,
                     url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | {"data"},
                     attribute_filter=lambda tag, name, value: None if _runs_script(value) else value)
    return safe, found


# Helper functions


def _documents(docs_dir: Path) -> Iterable[Path]:
    """The document files under `docs_dir`; never one a symlink leads to outside it (kb.boundary)."""
    for current, dirs, files in os.walk(docs_dir):  # followlinks=False: a linked folder is not entered
        dirs.sort()
        for name in sorted(files):
            path = Path(current, name)
            if path.suffix.lower() in DOCUMENT_FILES and (not path.is_symlink() or boundary.inside(path, docs_dir)):
                yield path


def _elements(html: str) -> Iterable[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every element of `html` parsed as Chromium parses a page's body."""
    from tinyhtml5.parser import HTMLParser

    fragment = HTMLParser(namespace_html_elements=False).parse_fragment(html, container="div", scripting=True)
    for element in fragment.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        yield _local(element.tag), {_attribute(name): value for name, value in element.attrib.items()}


def _xml_findings(text: str) -> list[Finding]:
    """What only an XML parser (the browser's, for an SVG image) would act on: entities an author declares
    (one could spell a script URL) and a stylesheet that transforms the file into another document."""
    lowered = text.lower()
    return [Finding(what, (needle,)) for what, needle in (("entity declaration", "<!ENTITY"),
                                                       ("xml-stylesheet instruction", "<?xml-stylesheet"))
            if needle.lower() in lowered]


def _local(name: str) -> str:
    """An element's name without its namespace, or the prefix XML would resolve (x:script is a script)."""
    return name.rpartition("}")[2].rpartition(":")[2].lower()


def _attribute(name: str) -> str:
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return (_NAMESPACES.get(namespace, "") + local).lower()


def _runs_script(value: str) -> bool:
    flat = _URL_NOISE.sub("", value).lower()
    return any(scheme in flat for scheme in SCRIPT_SCHEMES)


def _scheme(value: str) -> str:
    flat = _URL_NOISE.sub("", value).lower()
    return next(scheme for scheme in SCRIPT_SCHEMES if scheme in flat)


def _line(body: str, needles: tuple[str, ...], first_line: int) -> int:
    """The first line of `body` holding the first of `needles` found (any case), as a line of the file; else
    the body's first."""
    lines = body.lower().splitlines()
    for needle in filter(None, (n.lower() for n in needles)):
        for number, line in enumerate(lines):
            if needle in line:
                return first_line + number
    return first_line


_markdowns: list = []


def _markdown():
    """One Markdown converter with the site's extensions, made on first use (most KBs never need it)."""
    if not _markdowns:
        from markdown import Markdown

        _markdowns.append(Markdown(extensions=list(MARKDOWN_EXTENSIONS)))
    return _markdowns[0]
