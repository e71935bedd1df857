"""kb.json against the fixture articles, for each audience."""

from __future__ import annotations

import json

import pytest

from fixture_kb import ARTICLES, PUBLIC_NUMBERS, T, make_fixture_kb
from kb import catalogue, corpus, dashboard, settings


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    project = make_fixture_kb(tmp_path_factory.mktemp("catalogue-kb"))
    return corpus.load(settings.load(project / "mkdocs.yml"), T)


def build(kb, audience):
    url_of = lambda a: "https://hub.example/" + a.path  # noqa: E731
    rows = {r.path: r for r in dashboard.review_rows(kb)} if audience == "internal" else None
    return json.loads(catalogue.dumps(catalogue.catalogue(kb, audience, dashboard.served(kb, audience, url_of), rows)))


def test_internal_catalogue_lists_every_article_with_its_fields(kb):
    data = build(kb, "internal")
    records = {r["number"]: r for r in data["articles"]}
    assert set(records) == set(ARTICLES)
    assert (data["audience"], data["as_of"]) == ("internal", T.isoformat())
    for number, (book, stem, status, audience, author, approval, review, tags) in ARTICLES.items():
        record = records[number]
        assert (record["status"], record["audience"], record["owner"]["key"], record["tags"]) == (
            status, audience, author, tags)
        assert record["url"] == f"https://hub.example/{book}/{stem}.md"
        if status == "current":
            assert record["review_date"] == review.isoformat()
    assert records["20.001"]["version"] == "1.1"
    assert records["10.001"]["review"] == {"state": "overdue", "days_left": -12}
    assert records["10.002"]["owner"] == {"key": "jo", "name": "Jo Marsh", "email": "jo@safeharboursupport.com"}


def test_public_catalogue_lists_only_what_the_hub_serves(kb):
    data = build(kb, "public")
    records = {r["number"]: r for r in data["articles"]}
    assert set(records) == PUBLIC_NUMBERS
    draft = records["20.001"]  # served as its approved version, never as the draft
    assert (draft["version"], draft["status"], draft["review_date"]) == ("1.0", "current", ARTICLES["20.001"][6].isoformat())
    assert all("review" not in r for r in data["articles"])
