from __future__ import annotations

import pytest

from kb.publication import AudienceError, audience, url_of


@pytest.mark.parametrize("path, directory, flat", [
    ("a/65.043-x.md", "a/65.043-x/", "a/65.043-x.html"),
    ("a/65.043-x/v1.0.md", "a/65.043-x/v1.0/", "a/65.043-x/v1.0.html"),
    ("a/index.md", "a/", "a/index.html"),
    ("index.md", "", "index.html"),
])
def test_url_of_follows_mkdocs(path, directory, flat):
    assert url_of(path) == directory and url_of(path, directory_urls=False) == flat


def test_audience(monkeypatch):
    monkeypatch.delenv("KB_AUDIENCE", raising=False)
    assert audience() == "internal"
    monkeypatch.setenv("KB_AUDIENCE", "public")
    assert audience() == "public"
    monkeypatch.setenv("KB_AUDIENCE", "everyone")
    with pytest.raises(AudienceError):
        audience()
