"""The form block in real builds: article 65.043 carries the form in the internal and public sites, and a wrong
block stops the build naming the article."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, run_mkdocs
from kb.rejections import load_rejections

pytestmark = pytest.mark.slow  # builds whole sites

ARTICLE = "apple-icloud/65.043-emails-to-icloud-rejected.md"
PAGE = "apple-icloud/65.043-emails-to-icloud-rejected/index.html"
LABELS = ["Company name", "Email domain", "Mail server IP addresses", "SMTP errors", "Description", "When it started"]
FALLBACK = "mailto:icloudadmin@apple.com?subject=I%20would%20like%20to%20open%20a%20deliverability%20ticket"


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_article_65_043_has_the_form_after_its_checklist(built, audience):
    soup = BeautifulSoup((built(audience) / PAGE).read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("section.kb-form")
    assert form is not None
    assert form["data-recipient"] == "icloudadmin@apple.com"
    assert form["data-subject"] == "I would like to open a deliverability ticket"
    labels = [label.get_text(" ", strip=True).removesuffix(" (required)") for label in form.select("label")]
    assert labels == LABELS
    assert all(form.find(id=label["for"]) is not None for label in form.select("label"))
    # the article's own checklist stays just before it, unchanged: the fallback without JavaScript and in print
    checklist = form.parent.find_previous_sibling("ul")
    assert [li.get_text() for li in checklist.select("li")][0] == "Your company name"
    assert form.select_one(".kb-form__fallback a")["href"] == FALLBACK
    assert form.select_one("[data-kb-app]").has_attr("hidden")
    codes = json.loads(form["data-kb-codes"])
    assert codes == [r.as_hint() for r in load_rejections(ROOT / "data" / "icloud-rejections.yml")]
    # the form's module is imported once the page has loaded (overrides/main.html)
    assert 'import("../../assets/javascripts/kb-form.js")' in soup.find("script", string=re.compile("kb-form.js")).string
    # the email link is a real link as served (Lighthouse: crawlable), with the subject only until filled in
    assert form.select_one("[data-kb-open]")["href"] == FALLBACK


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_only_pages_with_a_form_load_its_script_and_styles(built, audience):
    site = built(audience)
    pages = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    with_form = {path for path, html in pages.items() if "data-kb-form" in html}
    assert PAGE in with_form
    for path, html in pages.items():
        soup = BeautifulSoup(html, "html.parser")
        sources = [s.get("src") or s.get_text() for s in soup.find_all("script")]
        sheets = {link["href"].rsplit("/", 1)[-1]: link.get("media") for link in soup.find_all("link", rel="stylesheet")}
        has_form = path in with_form
        assert any("kb-form.js" in s for s in sources) == has_form, path
        assert "kb-form.css" not in sheets, f"{path}: kb-form.js loads it, as it shows the form"
        assert any(s.endswith("kb-sortable.js") for s in sources) == (path == "reviews/index.html"), path
        assert ("kb-pages.css" in sheets) == (path == "reviews/index.html"), path
        if "print.css" in sheets:
            assert sheets["print.css"] == "print", f"{path}: print styles must not block rendering"


def _project_with(tmp_path: Path, change: tuple[str, str]) -> Path:
    project = copy_project(tmp_path / "project", with_docs=False)
    source = (ROOT / "docs" / ARTICLE).read_text(encoding="utf-8")
    assert change[0] in source
    article = project / "docs" / ARTICLE
    article.parent.mkdir(parents=True)
    article.write_text(source.replace(*change), encoding="utf-8")
    return project


@pytest.mark.parametrize("change, message", [
    (("        kind: ip-addresses\n", "        kind: ip-list\n"),
     "kb-form.fields[2].kind: unknown field kind 'ip-list' (known: text, long-text, domain, ip-addresses, smtp-errors)"),
    (("    recipient: icloudadmin@apple.com\n", ""), "kb-form.recipient: is required"),
])
def test_a_wrong_form_block_is_a_build_error_naming_the_article(tmp_path, change, message):
    project = _project_with(tmp_path, change)
    result = run_mkdocs(project, tmp_path / "site")
    assert result.returncode != 0
    assert "1 problem(s) in the knowledge base" in result.stderr  # found by the same check as `kb check`
    line = next(i for i, text in enumerate(project.joinpath("docs", ARTICLE).read_text().splitlines(), 1)
                if text.startswith("/// kb-form"))
    assert f"{ARTICLE}:{line}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
