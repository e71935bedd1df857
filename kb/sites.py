"""The two sites' addresses, as `extra.kb.sites` in mkdocs.yml holds them: the public support hub and the
internal KB, each at its own address, both set in that one place.

A build makes every absolute URL (canonical links, sitemap, kb.json, reviews.ics, redirects, PDF links) from its
own audience's address; the `kb` commands print the internal KB's addresses unless told `--site public`.
Which page each site serves at which address, and what it tells search engines: kb.site_pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

INTERNAL, PUBLIC = "internal", "public"
WHERE = "extra.kb.sites"


class SitesError(ValueError):
    """extra.kb.sites in mkdocs.yml is missing an address or holds one that is not a web address."""


@dataclass(frozen=True)
class Sites:
    """Where each audience's site is published: absolute http(s) URLs ending in '/' ('' when not set)."""

    public: str = ""
    internal: str = ""

    def address(self, audience: str) -> str:
        if audience not in (INTERNAL, PUBLIC):
            raise ValueError(f"unknown audience {audience!r}: use internal or public")
        return self.public if audience == PUBLIC else self.internal


def sites_from(raw: Any) -> Sites:
    """`extra.kb.sites`: a mapping of `public` and `internal` to the two sites' addresses."""
    if raw is None:
        return Sites()
    if not isinstance(raw, dict):
        raise SitesError(f"{WHERE} must map public and internal to the two sites' addresses")
    unknown = sorted(str(key) for key in raw if key not in (PUBLIC, INTERNAL))
    if unknown:
        raise SitesError(f"{WHERE}: unknown key(s) {', '.join(unknown)}: only public and internal have an address")
    addresses = {}
    for audience in (PUBLIC, INTERNAL):
        value = raw.get(audience)
        if not isinstance(value, str) or not value.strip():
            raise SitesError(f"{WHERE}.{audience}: give the {audience} site's address, "
                             f"for example https://{audience}.example.org/")
        addresses[audience] = _address(f"{WHERE}.{audience}", value.strip())
    if addresses[PUBLIC] == addresses[INTERNAL]:
        raise SitesError(f"{WHERE}: public and internal are both {addresses[PUBLIC]}: each site needs its own address")
    return Sites(**addresses)


def absolute(base: str, url: str) -> str | None:
    """`url` (relative to a site's root) at `base`, the site's address; None when the site has no address."""
    return base.rstrip("/") + "/" + url.lstrip("/") if base else None


# Helper functions


def _address(where: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SitesError(f"{where}: {value!r} is not a web address like https://kb.example.org/")
    return value if value.endswith("/") else value + "/"
