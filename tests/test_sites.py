"""The two sites' addresses in mkdocs.yml (extra.kb.sites)."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kb import settings, sites


def test_the_repository_gives_each_site_its_own_address():
    loaded = settings.load(ROOT / "mkdocs.yml")
    assert loaded.sites == sites.Sites(public="https://hub.safeharboursupport.com/",
                                       internal="https://kb.safeharboursupport.com/")
    assert loaded.site_url == loaded.sites.internal  # what the kb commands link to by default


def test_addresses_are_normalised_to_end_in_a_slash():
    found = sites.sites_from({"public": "https://hub.example.org/docs", "internal": " http://kb.example.org "})
    assert (found.address("public"), found.address("internal")) == ("https://hub.example.org/docs/", "http://kb.example.org/")
    assert sites.absolute(found.public, "/a/b/") == "https://hub.example.org/docs/a/b/"
    assert sites.absolute("", "a/") is None


@pytest.mark.parametrize("raw, message", [
    (["https://hub.example.org/"], "must map public and internal"),
    ({"public": "https://hub.example.org/"}, "extra.kb.sites.internal: give the internal site's address"),
    ({"public": "hub.example.org", "internal": "https://kb.example.org/"}, "'hub.example.org' is not a web address"),
    ({"public": "https://x.org/?a=1", "internal": "https://kb.example.org/"}, "is not a web address"),
    ({"public": "https://x.org/", "internal": "https://x.org"}, "each site needs its own address"),
    ({"public": "https://x.org/", "internal": "https://kb.org/", "staging": "https://s.org/"}, "unknown key(s) staging"),
])
def test_wrong_addresses_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(sites.SitesError, match=re.escape(message)):
        sites.sites_from(raw)


def test_a_top_level_site_url_is_refused(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: KB\nsite_url: https://hub.example.org/\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="site_url would give both sites one address"):
        settings.load(config)


def test_no_addresses_means_no_absolute_links():
    assert sites.sites_from(None) == sites.Sites()
