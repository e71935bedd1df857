"""Relative links moved with an archived version, and public articles that link internal ones."""

from __future__ import annotations

import pytest

from conftest import copy_project, run_kb, run_mkdocs
from kb.links import linked_pages, relocate
from test_rules import CASES

MARKDOWN = """See [the relay](../mail/10.001-x.md#part), ![a picture](pic.png "title"), [web](https://x.org),
[here](#top) and <https://example.com>.

```
[in code](../untouched.md)
```

[ref]: ../mail/10.002-y.md
"""


def test_relocate_one_folder_down_and_back():
    down = relocate(MARKDOWN, "it/10.009-z.md", "it/10.009-z/v1.0.md")
    assert "[the relay](../../mail/10.001-x.md#part)" in down and '![a picture](../pic.png "title")' in down
    assert "[web](https://x.org)" in down and "[here](#top)" in down and "[in code](../untouched.md)" in down
    assert "[ref]: ../../mail/10.002-y.md" in down
    assert relocate(down, "it/10.009-z/v1.0.md", "it/10.009-z.md") == MARKDOWN


def test_linked_pages():
    assert list(linked_pages(MARKDOWN, "it/10.009-z.md")) == [("mail/10.001-x.md", 1), ("mail/10.002-y.md", 8)]


def project_with_link(tmp_path, target_audience: str):
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = CASES[0]["article"].replace("  scope: All support staff\n", "  scope: All support staff\n  audience: public\n")
    target = CASES[0]["article"].replace('"10.001"', '"20.001"').replace(
        "  scope: All support staff\n", f"  scope: All support staff\n  audience: {target_audience}\n")
    (project / "docs" / "it").mkdir()
    (project / "docs" / "mail").mkdir()
    (project / "docs" / "it" / "10.001-reset.md").write_text(
        source + "\nSee [the relay article](../mail/20.001-relay.md) first.\n")
    (project / "docs" / "mail" / "20.001-relay.md").write_text(target)
    return project


@pytest.mark.slow  # builds a whole site
def test_a_revised_article_keeps_working_links(tmp_path):
    project = project_with_link(tmp_path, "public")
    assert run_kb(project, "revise", "10.001", "--change", "x", "--author", "neil").returncode == 0
    archive = (project / "docs" / "it" / "10.001-reset" / "v1.0.md").read_text()
    assert "[the relay article](../../mail/20.001-relay.md)" in archive
    for audience in ("internal", "public"):
        result = run_mkdocs(project, tmp_path / audience, audience=audience)
        assert result.returncode == 0, result.stderr
    # the public hub serves the archived copy at the article's address: its link is moved back
    served = (tmp_path / "public" / "it" / "10.001-reset" / "index.html").read_text()
    assert 'href="../../mail/20.001-relay/"' in served


def test_a_public_article_linking_an_internal_one_is_an_error(tmp_path):
    project = project_with_link(tmp_path, "internal")
    result = run_kb(project, "check")
    assert result.returncode == 1
    assert "it/10.001-reset.md:22: body: links to mail/20.001-relay.md" in result.stdout
    assert "internal-only" in result.stdout


RAW_LINKS = """<a href="../../mail/20.001-relay/">by its address</a>, <a href='../mail/20.001-relay.md'>by its file</a>,
<p><area href="/kb/20.001/"></p>, <a href="../mail/20.001-relay.html">the offline copy's</a>.

`<a href="../../mail/20.001-relay/">in code</a>`

```html
<a href="../../mail/20.001-relay/">in a fence</a>
```
"""


def test_linked_pages_in_raw_html():
    found = set(linked_pages(RAW_LINKS, "it/10.001-reset.md"))
    assert {("mail/20.001-relay.md", 1), ("kb/20.001", 2), ("mail/20.001-relay.md", 2)} <= found
    assert not [line for _, line in found if line > 2]  # code is no link


@pytest.mark.slow  # the quick loop keeps the Markdown link case and raw-HTML link finding
def test_a_raw_html_link_from_a_public_article_to_an_internal_one_is_an_error(tmp_path):
    project = project_with_link(tmp_path, "internal")
    article = project / "docs" / "it" / "10.001-reset.md"
    article.write_text(article.read_text().replace("See [the relay article](../mail/20.001-relay.md) first.",
                                                   RAW_LINKS), encoding="utf-8")
    result = run_kb(project, "check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "links to mail/20.001-relay.md" in line]
    assert [line.split(":")[1] for line in lines] == ["22", "23"], result.stdout  # the two lines, once each
    assert all("internal-only" in line for line in lines)
    public = project_with_link(tmp_path / "public", "public")
    article = public / "docs" / "it" / "10.001-reset.md"
    article.write_text(article.read_text().replace("See [the relay article](../mail/20.001-relay.md) first.",
                                                   RAW_LINKS), encoding="utf-8")
    assert "links to" not in run_kb(public, "check").stdout
