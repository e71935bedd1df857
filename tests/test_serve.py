"""`make serve` shows an edit to one article on every page that shows it, and soon (issue 15).

The server is started as `make serve` starts it (the Makefile's own command, on a free port of 127.0.0.1) on a
generated KB; one article's latest change is edited twice, and its page, the home page (recent changes) and its
other version's page (the version list) are polled until each shows the edit (benchmarks/bench.py does the
same at 1,000 articles for the README's figure). KB_SERVE_N sets the KB's size (default 150).
"""

from __future__ import annotations

import os
import sys
from datetime import date

import pytest

from conftest import ROOT, TODAY

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402
import synthetic  # noqa: E402

N = int(os.environ.get("KB_SERVE_N") or 150)
LIMIT = 600.0  # generous, for the whole run: the machine is shared
EDIT_LIMIT = 30.0  # per edit; about 2 s here at 150 articles


@pytest.mark.slow
def test_make_serve_shows_an_edit_on_every_page_that_shows_it(tmp_path):
    project = tmp_path / "kb"
    synthetic.make_project(project, N, date.fromisoformat(TODAY))
    env = {**os.environ, "KB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    measured = bench.measure_serve(project, env, LIMIT)
    print(f"make serve at {N} articles: {measured}")
    assert measured["edit1_s"] < EDIT_LIMIT and measured["edit2_s"] < EDIT_LIMIT, measured
    # each edit re-rendered the pages that show it, not the whole site
    assert len(measured["rendered"]) == 2, measured
    for rendered in measured["rendered"]:
        done, total = map(int, rendered.split(" of "))
        assert done < total / 4, measured


def test_a_rebuild_writes_again_only_the_generated_files_whose_content_changed(tmp_path):
    """kb_mkdocs/serving.py: Serving.keep_written, in process (MkDocs writes every generated file every build)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from kb_mkdocs.serving import Serving

    config = MkDocsConfig()
    (tmp_path / "docs").mkdir()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors, errors
    config.plugins._current_plugin = "kb"  # as MkDocs sets it while an event runs (File.generated reads it)
    serving = Serving()

    def rebuild(redirect: str, catalogue: str) -> dict[str, File]:
        files = Files([File.generated(config, "kb/10.001/index.html", content=redirect),
                       File.generated(config, "kb.json", content=catalogue)])
        serving.keep_written(files, config)
        files.copy_static_files(dirty=True)
        return {file.src_uri: file for file in files}

    rebuild("<p>redirect</p>", '{"v": 1}')
    written = tmp_path / "site" / "kb" / "10.001" / "index.html"
    assert written.read_text() == "<p>redirect</p>"
    os.utime(written, ns=(1, 1))  # so that a write would show
    files = rebuild("<p>redirect</p>", '{"v": 2}')
    assert written.stat().st_mtime_ns == 1 and written.read_text() == "<p>redirect</p>"  # not written again
    assert files["kb/10.001/index.html"].content_string == "<p>redirect</p>"  # read from the copy
    assert (tmp_path / "site" / "kb.json").read_text() == '{"v": 2}'  # changed: written
    written.unlink()  # gone from the site (a clean elsewhere): written again
    rebuild("<p>redirect</p>", '{"v": 2}')
    assert written.read_text() == "<p>redirect</p>"
    rebuild("<p>moved</p>", '{"v": 2}')
    assert written.read_text() == "<p>moved</p>"


def test_an_edit_marks_stale_the_pages_that_show_the_article(tmp_path):
    """kb_mkdocs/serving.py: _dependents, in process on the fixture KB."""
    from fixture_kb import T, make_fixture_kb
    from kb import corpus, settings
    from kb_mkdocs.serving import _dependents, _shown

    project = make_fixture_kb(tmp_path / "kb")
    kb = corpus.load(settings.load(project / "mkdocs.yml"), T)
    edited = "mail/10.002-due-spf.md"
    order = sorted([*(a.path for a in kb.articles), "index.md", "tags.md", "reviews.md", "mail/index.md",
                    "phones/index.md"])
    shown = {article.path: _shown(kb, article) for article in kb.articles}
    listings = {"index.md", "tags.md", "reviews.md"}
    versions = {a.path for a in kb.articles if a.path.startswith("mail/10.002-due-spf/")}
    # a change the article's book does not show in navigation: the article, its versions, the listings
    assert _dependents({edited}, kb, shown, shown, order, listings) == {edited, *versions, *listings}
    # a new title: navigation shows it on every page of its book, the book's index too
    renamed = {**shown, edited: ("Another title", *shown[edited][1:])}
    stale = _dependents({edited}, kb, shown, renamed, order, listings)
    assert stale == {edited, *versions, *listings, *(p for p in order if p.startswith("mail/"))}
    assert "phones/index.md" not in stale and "mail/index.md" in stale
