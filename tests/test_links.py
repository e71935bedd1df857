"""No broken internal links or anchors in any build: MkDocs' strict validation plus LinkChecker over the site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN

pytestmark = pytest.mark.slow  # builds whole sites and crawls them

RC = Path(__file__).with_name("linkcheckerrc")
NOFOLLOW = '<meta name="robots" content="noindex, nofollow">'


def linkcheck(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "linkchecker"), "-f", str(RC), "--no-status", "--no-robots", "-o", "text",
                           url], capture_output=True, text=True, timeout=300)


def crawlable(site: Path, copy: Path) -> Path:
    """A copy of `site` that LinkChecker crawls: it follows no link of a page saying nofollow, as every page
    of the internal KB does (kept away from search engines), so that meta is dropped from the copy."""
    shutil.copytree(site, copy)
    for page in copy.rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(NOFOLLOW, ""), encoding="utf-8")
    return copy


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_no_broken_links(built, serve, audience, tmp_path):
    result = linkcheck(serve(crawlable(built(audience), tmp_path / "site")) + "/")
    assert result.returncode == 0, result.stdout[-4000:]
    assert " 0 errors found" in result.stdout


def test_the_checker_finds_a_broken_link_and_anchor(built, serve, tmp_path):
    site = crawlable(built("internal"), tmp_path / "broken")
    home = site / "index.html"
    home.write_text(home.read_text().replace(
        "</article>", '<a href="no-such-page/">gone</a><a href="kb/65.043/#no-such-anchor">x</a></article>', 1))
    result = linkcheck(serve(site) + "/")
    assert result.returncode == 1
    assert "no-such-page" in result.stdout and "no-such-anchor" in result.stdout
