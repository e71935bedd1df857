"""Sanitising an imported body: an allow-list (nh3, html5ever's parser), never regular expressions.

An export is untrusted input: a page in the old KB may hold what its editor only displayed as text (an escaped
`<script>`), links with `javascript:` targets, event handlers, frames, objects and SVG. The body's HTML goes
through `nh3` with the tags and attributes the KB's Markdown can express; everything else is dropped, and
each kind of thing dropped is reported. The Markdown written afterwards is verified by rendering it with the
site's own Markdown extensions: live HTML that survived any step is a refusal, not a page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import markdown
import nh3
from bs4 import BeautifulSoup, Tag

from kb.importer.common import snippet

# What the KB's Markdown can say; anything else is dropped with its text kept.
ALLOWED_TAGS = frozenset("""a b blockquote br caption code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img
kbd li ol p pre s strike strong sub summary sup table tbody td tfoot th thead tr ul""".split())
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"}, "ol": {"start"}, "code": {"class"}, "pre": {"class"}, "p": {"class"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # data:, javascript:, vbscript:, file: never
# Dropped together with everything inside them: their content is code or a fallback, never page text.
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "svg", "math", "object", "applet",
                               "head", "title", "textarea", "select", "iframe", "frame", "frameset",
                               "noframes", "xmp", "noembed"})
# Word and the editor's wrappers: dropped silently, their text kept (what the importer always did).
DEBRIS = frozenset({"span", "font", "u", "ins", "mark", "small", "big", "abbr", "center", "o:p", "section",
                    "article", "colgroup", "col", "html", "body", "cite", "q", "figure", "figcaption",
                    "main", "header", "footer", "nav", "aside", "label", "bdi", "bdo", "dfn", "samp", "var",
                    "time", "address", "wbr"})
# Elements lxml's HTML parser does not know are void: it makes them swallow whatever follows.
VOID = ("embed", "source", "track", "param", "area", "keygen", "wbr")


def unswallow(root: Tag) -> None:
    """Give back what lxml put inside a void element (`<embed>` swallows the rest of its parent otherwise)."""
    for element in root.find_all(VOID):
        for child in reversed(list(element.children)):
            element.insert_after(child.extract())


def sanitise(container: Tag, notes: list[str]) -> Tag:
    """The body through the allow-list; what goes is reported, one note per kind and element."""
    notes.extend(dict.fromkeys(_report(container)))
    cleaned = nh3.clean(str(container), tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                        clean_content_tags=set(DROP_WITH_CONTENT - ALLOWED_TAGS))
    return BeautifulSoup(f"<div>{cleaned}</div>", "lxml").div


def unsafe_url(url: str) -> bool:
    """A link or image target the KB never keeps: a scheme other than http(s), mailto and tel."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")  # browsers ignore these inside a scheme
    scheme = urlsplit(cleaned).scheme.lower()
    return bool(scheme) and scheme not in URL_SCHEMES


def _report(container: Tag) -> list[str]:
    notes = []
    dropped = {id(inner) for outer in container.find_all(DROP_WITH_CONTENT) for inner in outer.find_all(True)}
    for el in container.find_all(True):
        name = el.name.lower()
        if id(el) in dropped:  # inside something dropped whole: that is the one note
            continue
        if name in DROP_WITH_CONTENT:
            notes.append(f"dropped a <{name}> element and its content: {snippet(el)}")
        elif name not in ALLOWED_TAGS and name not in DEBRIS:
            notes.append(f"dropped a <{name}> element (its text kept)")
        for attribute, value in el.attrs.items():
            if attribute.lower().startswith("on"):
                notes.append(f"dropped the {attribute.lower()} handler of a <{name}> element")
            elif attribute in ("href", "src") and unsafe_url(str(value)):
                scheme = urlsplit("".join(str(value).split())).scheme.lower()
                notes.append(f"dropped a {scheme}: {'link' if attribute == 'href' else 'source'} "
                             f"of a <{name}> element: {snippet(el)}")
    return notes


# The site's extensions that turn text into HTML; rendering with them proves what a page will hold.
_RENDERED = frozenset({"html", "body", "input", "label", "span", "abbr", "section"})  # footnotes, task lists
_SITE = markdown.Markdown(extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
                                      "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist"])


def live_html(text: str) -> list[str]:
    """What the Markdown would render that the allow-list forbids: empty for every body the importer writes."""
    rendered = BeautifulSoup(_SITE.reset().convert(text), "lxml")
    found = []
    for el in rendered.find_all(True):
        if el.name not in ALLOWED_TAGS and el.name not in _RENDERED:
            found.append(f"<{el.name}>")
        for attribute, value in el.attrs.items():
            if attribute.lower().startswith("on") or attribute.lower() in ("style", "srcdoc", "formaction"):
                found.append(f"{attribute} on <{el.name}>")
            elif attribute in ("href", "src", "action", "data") and unsafe_url(str(value)):
                found.append(f"{attribute}={value!r} on <{el.name}>")
    return found
