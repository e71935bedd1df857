"""Navigation rendered once per item (kb_mkdocs/navigation.py: RenderedItems, overrides/partials/nav-item.html).

The override must stay Material's own template with one change, the reuse must never change a byte of any page
(built with and without it, directory URLs and the offline copy's .html URLs), and it must reuse: an item that
neither is nor holds the page is rendered once for all the pages whose addresses leave its folder alike.
"""

from __future__ import annotations

from pathlib import Path

import material
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from conftest import ROOT, run_mkdocs
from fixture_kb import make_fixture_kb
from kb_mkdocs.navigation import RenderedItems
from test_hook_order import _differences

# A hook after the KB's: every navigation item rendered on every page, as Material does
NO_REUSE = '''
from mkdocs.plugins import event_priority


class Fresh:
    def __call__(self, *args, caller):
        return caller()

    def reuse(self, *args):
        return None


@event_priority(-1000)
def on_env(env, config, files):
    env.globals["kb_nav_item"] = Fresh()
    return env
'''
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
OURS = ROOT / "overrides" / "partials" / "nav-item.html"
MACRO = "{% macro render(nav_item, path, level, parent) %}"
CALL = "{% call kb_nav_item(nav_item, path, level, parent, page) %}"
LOOP = '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}'
REUSE = '{{ kb_nav_item.reuse(item, path ~ "_" ~ loop.index, level + 1, nav_item, page) or ' + LOOP[3:]


def test_the_override_is_materials_template_with_two_changes():
    theirs, ours = MATERIAL.read_text(encoding="utf-8"), OURS.read_text(encoding="utf-8")
    header = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
    assert theirs.startswith(header) and theirs.count(MACRO) == theirs.count(LOOP) == 1, \
        "Material's nav-item.html changed: copy it again and make the two changes"
    body = theirs[len(header):].replace(MACRO, MACRO + CALL).replace(LOOP, REUSE)
    end = body.rstrip()
    assert end.endswith("{% endmacro %}")
    body = end[:-len("{% endmacro %}")] + "{% endcall %}{% endmacro %}" + body[len(end):]
    assert ours.startswith("{#-") and ours.split("-#}\n", 1)[1] == body


# The key: what an item's HTML depends on, on a page


def _config(directory_urls: bool = True) -> MkDocsConfig:
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": "/docs", "use_directory_urls": directory_urls})
    return config


def _page(path: str, config: MkDocsConfig) -> Page:
    return Page(None, File(path, "/docs", "/site", config.use_directory_urls), config)


def _rendered(items: RenderedItems, item, page) -> str:
    """The item's HTML on `page` as the template would print it: here, its links relative to the page."""
    return items(item, "__nav_1", 1, None, page, caller=lambda: " ".join(
        _relative(url, page) for url in _all_urls(item)))


def _all_urls(item) -> list[str]:
    own = [item.url] if isinstance(item, (Page, Link)) else []
    return own + [url for child in getattr(item, "children", None) or () for url in _all_urls(child)]


def _relative(url: str, page: Page) -> str:
    from mkdocs.utils import normalize_url
    return normalize_url(url, page=page)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_an_item_is_reused_only_where_its_links_read_the_same(directory_urls):
    config = _config(directory_urls)
    pages = {path: _page(path, config) for path in (
        "index.md", "mail/index.md", "mail/a.md", "mail/b.md", "mail/deep/c.md", "mail/deep/d.md",
        "phones/e.md", "phones/f.md", "about.md")}
    mail = Section("Mail", [pages["mail/index.md"], pages["mail/a.md"], pages["mail/b.md"],
                            Section("Deep", [pages["mail/deep/c.md"], pages["mail/deep/d.md"]])])
    phones = Section("Phones", [pages["phones/e.md"], pages["phones/f.md"]])
    items = [pages["index.md"], mail, phones, pages["about.md"], Link("Elsewhere", "https://example.com/")]
    reused, fresh = RenderedItems(), RenderedItems()
    fresh._key = lambda *args: None  # the reference: every item rendered on every page, as Material does
    calls = 0
    for page in pages.values():
        for item in items:
            for shown in [item, *(getattr(item, "children", None) or ())]:
                if shown is page or getattr(shown, "active", False):
                    continue
                calls += 1
                assert _rendered(reused, shown, page) == _rendered(fresh, shown, page), (shown, page.url)
    assert calls == 92
    # Directory URLs: the phones section reads the same from mail/ and about/, from mail/a/ and mail/b/, from
    # mail/deep/c/ and mail/deep/d/: 6 renders for its 9 pages (from inside its own folder each page has its own).
    # .html URLs: a page's folder is where it sits, so / and about.html, mail/*.html, phones/*.html share: 4.
    assert sum(1 for key in reused.rendered if key[0] == id(phones)) == (6 if directory_urls else 4)
    assert len(reused.rendered) < calls


def test_the_page_and_the_items_holding_it_are_rendered_every_time():
    config = _config()
    a, b = _page("mail/a.md", config), _page("mail/b.md", config)
    mail = Section("Mail", [a, b])
    a.parent = b.parent = mail  # as mkdocs.structure.nav.get_navigation links them
    items, renders = RenderedItems(), []
    for _ in range(2):
        a.active = True  # as MkDocs marks the page being built, and so the sections holding it
        for item in (mail, a):
            items(item, "__nav_1", 1, None, a, caller=lambda: renders.append(1) or "html")
        a.active = False
    assert len(renders) == 4 and not items.rendered


@pytest.mark.slow
@pytest.mark.parametrize("offline", [False, True], ids=["directory URLs", "offline .html URLs"])
def test_every_page_is_the_same_byte_for_byte_with_and_without_reuse(tmp_path, offline):
    sites = {}
    for name in ("reused", "rendered every time"):
        project = make_fixture_kb(tmp_path / name)
        # a chapter inside a book and a plain page at the top: items of another depth and folder
        chapter = project / "docs" / "mail" / "chapter"
        chapter.mkdir()
        (chapter / "index.md").write_text("# Chapter\n\nPlain pages of a chapter.\n", encoding="utf-8")
        (chapter / "notes.md").write_text("# Notes\n\n## One\n\nText.\n\n## Two\n\nText.\n", encoding="utf-8")
        (project / "docs" / "about.md").write_text("# About\n\nA plain page.\n", encoding="utf-8")
        if name == "rendered every time":
            (project / "hooks" / "no_reuse.py").write_text(
                NO_REUSE, encoding="utf-8")
            config = project / "mkdocs.yml"
            text = config.read_text(encoding="utf-8")
            config.write_text(text.replace("  - hooks/kb_hooks.py\n", "  - hooks/kb_hooks.py\n  - hooks/no_reuse.py\n"),
                              encoding="utf-8")
        sites[name] = tmp_path / f"site-{name}"
        # not strict: the fixture KB holds an overdue article on purpose
        result = run_mkdocs(project, sites[name], strict=False,
                            extra_env={"KB_OFFLINE": "true"} if offline else None)
        assert result.returncode == 0, result.stderr
    pages = list(sites["reused"].rglob("*.html"))
    assert len(pages) > 15 and any("md-nav__item--pruned" in p.read_text(encoding="utf-8") for p in pages)
    assert _differences(sites["reused"], sites["rendered every time"]) == []
