"""kb.books: a book's `order:` in its index page arranges its navigation."""

from __future__ import annotations

from pathlib import Path

from kb import books


def test_named_entries_first_in_order_then_the_rest_as_they_were():
    items = ["index", "91.001-a", "91.002-b", "glossary", "chapter"]
    assert books.arrange(items, str, ["91.002-b", "chapter", "91.001-a"]) == [
        "index", "91.002-b", "chapter", "91.001-a", "glossary"]
    assert books.arrange(items, str, []) == items


def test_order_is_read_from_the_index_front_matter(tmp_path: Path):
    index = tmp_path / "index.md"
    index.write_text("---\ntitle: Mail\norder: [91.001-a, chapter]\n---\n\n# Mail\n", encoding="utf-8")
    assert books.order_of(index) == ["91.001-a", "chapter"]
    index.write_text("---\ntitle: Mail\norder: nonsense\n---\n", encoding="utf-8")
    assert books.order_of(index) == []
    assert books.order_of(tmp_path / "missing.md") == []
