"""Small shared ideas, one copy each: the version order, a key's line, ISO dates, the review wording."""

from datetime import date

from kb import dates, frontmatter
from kb.dashboard import ReviewRow
from kb.model import Article, Control, in_version_order


def _article(path: str, version: str | None) -> Article:
    return Article(path, {}, "", 1, control=Control(version=version))


def test_versions_sort_as_numbers_and_one_without_a_version_first():
    found = in_version_order([_article("a/x/v1.10.md", "1.10"), _article("a/x.md", "2.0"),
                              _article("a/x/v1.9.md", "1.9"), _article("a/y.md", None)])
    assert [a.path for a in found] == ["a/y.md", "a/x/v1.9.md", "a/x/v1.10.md", "a/x.md"]
    assert in_version_order(found, newest_first=True)[0].path == "a/x.md"


def test_a_key_s_line_is_its_own_or_its_nearest_parent_s():
    fm = frontmatter.read("a.md", "---\ndocument_control:\n  number: '1'\n---\nbody\n")
    assert fm.line_of("document_control", "number") == 3 and fm.line_of("document_control", "nope") == 2
    article = Article("a.md", fm.data, fm.body, fm.body_line, lines=fm.lines)
    assert article.line_of("change_control", 0) == 1  # nothing known: the first line


def test_iso_dates_are_read_in_one_place():
    assert dates.parse_iso_date(" 2025-02-26 ") == date(2025, 2, 26)
    assert dates.parse_iso_date("2025-02-30") is None and dates.parse_iso_date("26-FEB-2025") is None


def test_the_review_wording_comes_from_python():
    def row(days: int | None) -> ReviewRow:
        return ReviewRow("1", "n", "p.md", None, "1.10", "current", "internal", "o", None, None, None, days, "due")

    assert [row(d).when for d in (-3, 0, 5, None)] == ["3 days overdue", "due today", "5 days left", ""]
    assert row(1).version_sort == "000001.000010"
