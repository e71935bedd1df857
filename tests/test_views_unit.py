"""kb.views in process, on the fixture KB: what the article templates are handed (the Document Control
view, the notices, the version list and the comparison) for each audience. No site is built."""

from __future__ import annotations

import pytest

from fixture_kb import T, make_fixture_kb
from kb import corpus, settings, views


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    project = make_fixture_kb(tmp_path_factory.mktemp("views") / "kb")
    return corpus.load(settings.load(project / "mkdocs.yml"), T)


def kinds(kb, number, audience, archived=False):
    article = kb.by_number(number)
    article = kb.archives_of(article)[0] if archived else article
    return [n.kind for n in views.notices(kb, article, audience)]


def test_the_document_control_view_reads_the_typed_record(kb):
    view = views.article_view(kb, kb.by_number("10.002"), "internal")
    fmt = kb.settings.policy.format_date
    assert (view["title"], view["version_label"], view["status"]) == ("10.002 Due spf", "v1.0 Current", "current")
    assert view["author"]["name"] == "Jo Marsh" and view["approval"] == "Safeharbour Support"
    assert view["review_date"] == fmt(kb.by_number("10.002").control.review_date)
    assert (view["inputs"], view["outputs"], view["abstract"]) == ("None", "None", "What to do about due spf")
    assert [row["version"] for row in view["changes"]] == ["0.0", "1.0"]


def test_notices_say_where_a_document_stands_for_each_audience(kb):
    assert kinds(kb, "10.001", "internal") == ["overdue", "public"]
    assert kinds(kb, "10.002", "internal") == ["due", "public"]
    assert kinds(kb, "10.004", "internal") == ["public"]  # 60 days away: the edge of the warning window
    assert kinds(kb, "10.003", "internal") == ["internal"]
    assert kinds(kb, "10.005", "internal") == ["due", "internal"]
    assert kinds(kb, "20.002", "internal") == ["withdrawn"]
    # a draft and its approved copy: the review date of the version in force binds both
    assert kinds(kb, "20.001", "internal") == ["draft", "due", "public"]
    assert kinds(kb, "20.001", "internal", archived=True) == ["approved", "due", "public"]
    assert kinds(kb, "10.001", "public") == []  # the hub's readers see no review state


def test_a_draft_points_at_the_approved_version_and_its_review(kb):
    draft = next(n for n in views.notices(kb, kb.by_number("20.001"), "internal") if n.kind == "draft")
    assert draft.link_text == "Read the approved version (1.0)" and draft.link.endswith("v1.0/")


def test_the_version_list_is_newest_first_and_the_hub_has_no_draft(kb):
    draft = kb.by_number("20.001")
    assert [(v["version"], v["status"], v["is_this"]) for v in views.versions_view(kb, draft, "internal")] == [
        ("1.1", "draft", True), ("1.0", "current", False)]
    approved = kb.archives_of(draft)[0]
    assert [v["version"] for v in views.versions_view(kb, approved, "public")] == ["1.0"]


def test_the_comparison_is_with_the_version_before(kb):
    draft = kb.by_number("20.001")
    compared = views.comparison_view(kb, draft, "internal")
    assert (compared["older"], compared["newer"]) == ("1.0", "1.1")
    assert views.comparison_view(kb, kb.by_number("10.002"), "internal") is None
