"""Versions: revise, build, approve, build again; what each audience sees at each address."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, run_kb, run_mkdocs
from test_rules import CASES

ARTICLE = "docs/it/10.001-reset-password.md"
ARCHIVE = "docs/it/10.001-reset-password/v1.0.md"
URL = "it/10.001-reset-password/"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split()) if node else ""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "kb", with_docs=False)
    text = CASES[0]["article"].replace("  scope: All support staff\n", "  scope: All support staff\n  audience: public\n")
    (project / ARTICLE).parent.mkdir(parents=True)
    (project / ARTICLE).write_text(text, encoding="utf-8")
    return project


def build(project: Path, site: Path, audience: str, today: str) -> Path:
    result = run_mkdocs(project, site, audience=audience, today=today)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow  # builds both sites twice; tests/test_versions_unit.py covers revise and approve in process
def test_revise_then_approve_cycle(project, tmp_path):
    before = (project / ARTICLE).read_text()
    revised = run_kb(project, "revise", "10.001", "--change", "Cover MFA resets", "--author", "neil",
                     today="2026-11-20")
    assert revised.returncode == 0, revised.stderr
    assert (project / ARCHIVE).read_text() == before  # the approved version, kept word for word
    after = (project / ARTICLE).read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert sorted(changed) == sorted([
        '-   version: "1.0"', '+   version: "1.1"', "-   status: current", "+   status: draft",
        "-   approval: Safeharbour Support", "-   approval_date: 2026-01-10", "-   review_date: 2029-01-09",
        '+   - {date: 2026-11-20, author: neil, version: "1.1", change: Cover MFA resets}'])
    (project / ARTICLE).write_text(after.replace("choose **Reset password**.",
                                                 "choose **Reset password**.\n\nFor MFA, choose **Reset MFA**."))
    assert run_kb(project, "check", "--strict", today="2026-11-20").returncode == 0

    # public: the approved 1.0 at the usual address, no trace of the draft
    public = build(project, tmp_path / "public", "public", "2026-11-20")
    served = page(public, URL)
    assert words(served.select_one("table.kb-dc tr:nth-of-type(2) td")) == "v1.0 Current"
    assert "Reset MFA" not in served.get_text() and "1.1" not in words(served.select_one(".kb-versions"))
    assert served.select_one('meta[name="robots"]') is None
    index = (public / "search" / "search_index.json").read_text()
    assert "Reset MFA" not in index and "v1.0/" not in index

    # internal: the draft, marked, linking the approved version
    internal = build(project, tmp_path / "internal", "internal", "2026-11-20")
    draft = page(internal, URL)
    assert words(draft.select_one("table.kb-dc tr:nth-of-type(2) td")) == "v1.1 Draft"
    notice = draft.select_one(".kb-notice-draft")
    assert "draft" in words(notice) and notice.select_one("a")["href"] == "v1.0/"
    assert [words(td) for td in draft.select(".kb-version-list tbody tr td:first-child")] == \
        ["v1.1 (this page)", "v1.0"]
    changed_body = [words(d) for d in draft.select(".kb-what-changed .kb-diff-added")]
    assert changed_body == ["+ For MFA, choose Reset MFA ."] or any("Reset MFA" in c for c in changed_body)
    fields = {words(tr.th): [words(td) for td in tr.select("td")] for tr in draft.select(".kb-what-changed tbody tr")}
    assert fields["Version"] == ["1.0", "1.1"] and fields["Status"] == ["current", "draft"]

    approved = run_kb(project, "approve", "10.001", "--by", "Service Desk Manager", today="2026-11-26")
    assert approved.returncode == 0, approved.stderr
    text = (project / ARTICLE).read_text()
    assert "  status: current\n  author: neil\n  approval: Service Desk Manager\n  approval_date: 2026-11-26\n" \
           "  review_date: 2029-11-26\n" in text
    assert "status: superseded" in (project / ARCHIVE).read_text()

    for audience in ("public", "internal"):
        site = build(project, tmp_path / f"{audience}-2", audience, "2026-11-26")
        current = page(site, URL)
        assert words(current.select_one("table.kb-dc tr:nth-of-type(2) td")) == "v1.1 Current"
        assert "Reset MFA" in current.get_text()
        old = page(site, URL + "v1.0")
        banner = old.select_one(".kb-notice-superseded")
        assert "Superseded" in words(banner) and banner.select_one("a")["href"] == "../"
        assert old.select_one('meta[name="robots"]')["content"] == (  # the internal KB: no page is indexed
            "noindex" if audience == "public" else "noindex, nofollow")
        assert URL + "v1.0/" not in (site / "search" / "search_index.json").read_text()
        assert "v1.0" not in words(current.select_one("nav.md-nav--primary"))
        assert (site / "kb" / "10.001" / "v1.0" / "index.html").exists()


@pytest.mark.slow  # the kb command around them; tests/test_versions_unit.py checks each refusal in process
def test_refusals(project):
    unknown = run_kb(project, "revise", "99.999", "--change", "x", "--author", "neil")
    assert unknown.returncode == 1 and "no article numbered '99.999'" in unknown.stderr
    no_draft = run_kb(project, "approve", "10.001", "--by", "Boss")
    assert no_draft.returncode == 1 and "has no draft to approve" in no_draft.stderr
    bad_author = run_kb(project, "revise", "10.001", "--change", "x", "--author", "zed")
    assert bad_author.returncode == 1 and "'zed' is not in docs/authors.yml" in bad_author.stderr
    assert not (project / ARCHIVE).exists()
    assert run_kb(project, "revise", "10.001", "--change", "x", "--author", "neil").returncode == 0
    again = run_kb(project, "revise", "10.001", "--change", "y", "--author", "neil")
    assert again.returncode == 1 and "already has a draft open" in again.stderr


def test_archives_are_checked_against_the_change_control(project):
    assert run_kb(project, "revise", "10.001", "--change", "x", "--author", "neil").returncode == 0
    archive = project / ARCHIVE
    archive.write_text(archive.read_text().replace("{date: 2026-01-10, author: neil, version: \"1.0\"",
                                                   "{date: 2026-01-09, author: neil, version: \"1.0\""))
    result = run_kb(project, "check", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert any(p["path"] == "it/10.001-reset-password/v1.0.md" and "2026-01-10" in p["message"]
               for p in problems)
    stray = project / "docs/it/10.001-reset-password/v3.0.md"
    stray.write_text(archive.read_text().replace('version: "1.0"', 'version: "3.0"', 1))
    result = run_kb(project, "check")
    assert "v3.0.md" in result.stdout and "3.0 is not a version in the change control" in result.stdout


def test_readers_see_blocks_summarised_never_their_syntax():
    from kb.versions import summarised

    body = """Intro.

/// kb-form | Write the ticket email
    recipient: icloudadmin@apple.com
    subject: Open a ticket
    fields:
      - label: Company name
        required: true
      - {label: SMTP errors, kind: smtp-errors}
///

/// kb-rejection-codes
///

```text
/// kb-form | shown as code, left alone
```

/// details | More
Inside.
///
""".splitlines()
    lines = summarised(body)
    assert lines == ["Intro.", "", "[Email form “Write the ticket email” to icloudadmin@apple.com, subject “Open a "
                     "ticket”: Company name, SMTP errors]", "", "[Table: the known iCloud rejection messages, their "
                     "reported meaning and what to do]", "", "```text", "/// kb-form | shown as code, left alone", "```",
                     "", "More", "Inside."]
