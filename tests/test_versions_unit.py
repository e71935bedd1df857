"""kb.versions in process, on the fixture KB: revise and approve as the writes they plan, what they refuse,
the version chain and the comparison between versions. No site is built (tests/test_versions.py does that)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fixture_kb import T, make_fixture_kb
from kb import corpus, settings, versions
from kb.versions import VersionError


@pytest.fixture
def project(tmp_path):
    return make_fixture_kb(tmp_path / "kb")


def load(project):
    return corpus.load(settings.load(project / "mkdocs.yml"), T)


def test_version_names_and_archive_paths():
    assert versions.next_minor("1.9") == "1.10" and versions.next_minor("2.0") == "2.1"
    assert versions.archive_path("mail/10.002-due-spf.md", "1.0") == "mail/10.002-due-spf/v1.0.md"


def test_revise_archives_the_approved_text_and_opens_a_draft(project):
    kb = load(project)
    before = (project / "docs/mail/10.002-due-spf.md").read_text(encoding="utf-8")
    writes = versions.revise(kb, "10.002", "Clearer SPF steps", "neil", T)
    assert [(w.path.relative_to(project / "docs").as_posix(), w.created) for w in writes] == [
        ("mail/10.002-due-spf/v1.0.md", True), ("mail/10.002-due-spf.md", False)]
    assert writes[0].text == before  # the approved version, word for word
    versions.apply(writes)
    kb = load(project)
    assert kb.errors == []
    article = kb.by_number("10.002")
    assert (article.status, article.control.version) == ("draft", "1.1")
    assert article.changes[-1].change == "Clearer SPF steps" and article.changes[-1].date == T
    archive = kb.archives_of(article)[0]
    assert versions.latest_approved(kb, article) is archive
    assert versions.previous_version(kb, article) is archive and versions.previous_version(kb, archive) is None


def test_approve_makes_the_draft_current_and_supersedes_the_archive(project):
    kb = load(project)
    versions.apply(versions.approve(kb, "20.001", "Safeharbour Support", T))
    kb = load(project)
    article = kb.by_number("20.001")
    assert (article.status, article.control.approval, article.control.approval_date) == (
        "current", "Safeharbour Support", T)
    assert article.control.review_date == kb.settings.policy.latest_review_date(T)
    assert [a.status for a in kb.archives_of(article)] == ["superseded"]
    assert kb.errors == []


@pytest.mark.parametrize("call, message", [
    (lambda kb: versions.revise(kb, "20.001", "x", "neil", T), "already has a draft open (version 1.1)"),
    (lambda kb: versions.revise(kb, "20.002", "x", "neil", T), "is withdrawn: only a current document"),
    (lambda kb: versions.approve(kb, "10.001", "Me", T), "has no draft to approve (its version 1.0 is current)"),
    (lambda kb: versions.approve(kb, "20.001", "  ", T), "--by must name who approves"),
    (lambda kb: versions.approve(kb, "20.001", "Me", T - timedelta(days=5)), "after today"),
    (lambda kb: versions.revise(kb, "99.999", "x", "neil", T), "no article numbered '99.999'"),
])
def test_refusals_plan_no_write(project, call, message):
    with pytest.raises(VersionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(load(project))


def test_compare_lists_changed_fields_and_body_lines(project):
    kb = load(project)
    draft = kb.by_number("20.001")
    approved = kb.archives_of(draft)[0]
    result = versions.compare(approved, draft, kb.settings.policy.format_date)
    assert (result.older, result.newer) == ("1.0", "1.1")
    changed = {f["name"]: (f["before"], f["after"]) for f in result.fields}
    assert changed["status"] == ("current", "draft")
    assert changed["approval_date"][1] == "" and changed["approval_date"][0]  # the draft is not approved
    assert {"op": "removed", "text": "The approved text."} in result.lines
    assert {"op": "added", "text": "The DRAFTONLY text."} in result.lines and result.body_changed
