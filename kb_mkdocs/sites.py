"""Each build at its own address, and what it tells search engines (the rules are kb.site_pages').

- site_url comes from extra.kb.sites for the audience being built, before any plugin reads it, so canonical
  links, the sitemap and every absolute URL the KB makes name this build's own site;
- every page carries its robots meta (main.html), robots.txt is written, and sitemap.xml (overrides/sitemap.xml)
  lists what kb.site_pages says it should.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb import publication, settings, site_pages, sites
from kb.model import Article


@dataclass
class SiteAddress:
    """This build's address (config.site_url once configured)."""

    site_url: str = ""

    @classmethod
    def configure(cls, config: MkDocsConfig) -> SiteAddress:
        """Set config.site_url to this audience's site (a preview keeps its local address; an offline copy
        has none)."""
        try:
            audience = publication.audience()
            addresses = sites.sites_from(((config.extra or {}).get("kb") or {}).get("sites"))
        except publication.AudienceError as exc:
            raise PluginError(str(exc)) from None
        except sites.SitesError as exc:
            raise PluginError(f"mkdocs.yml: {exc}") from None
        if config.site_url and not _is_preview(config):
            raise PluginError(settings.SITE_URL_REFUSED)
        if _is_offline(config):  # a folder of files has no address: its …/page.html would be no page of either site
            config.site_url = None
        elif not config.site_url:  # `mkdocs serve` keeps its own local address, so the preview's links stay local
            config.site_url = addresses.address(audience) or None
        return cls(config.site_url or "")

    def add_robots_txt(self, files: Files, config: MkDocsConfig, audience: str) -> None:
        if files.get_file_from_path(site_pages.ROBOTS_TXT) is not None:
            raise PluginError(f"docs/{site_pages.ROBOTS_TXT}: the KB writes robots.txt for each site; remove this one")
        files.append(File.generated(config, site_pages.ROBOTS_TXT,
                                    content=site_pages.robots_txt(audience, self.site_url)))

    @staticmethod
    def robots(page: Page, audience: str, version: Article | None) -> str | None:
        return site_pages.robots(audience, version, page.file.src_uri, (page.meta or {}).get("robots"))

    def template_context(self, context: dict[str, Any], template_name: str, audience: str,
                         served: dict[str, Article]) -> dict[str, Any]:
        """The sitemap's entries (kb_sitemap), or the robots meta of the theme's own pages (404)."""
        if template_name == site_pages.SITEMAP:
            pages = [site_pages.SitePage(file.page.canonical_url, self.robots(file.page, audience,
                                                                              served.get(file.src_uri)),
                                         served.get(file.src_uri))
                     for file in context["pages"] if file.page is not None and file.page.canonical_url]
            return {"kb_sitemap": site_pages.sitemap(audience, pages)}
        return {"kb_robots": site_pages.robots(audience, None, template_name)}


# Helper functions


def _is_offline(config: MkDocsConfig) -> bool:
    offline = config.plugins.get("material/offline")
    return offline is not None and bool(offline.config.enabled)


def _is_preview(config: MkDocsConfig) -> bool:
    """site_url is the address `mkdocs serve` gave itself (mkdocs.yml sets none)."""
    url, (host, port) = urlsplit(config.site_url or ""), config.dev_addr
    return url.scheme == "http" and url.hostname == host.strip("[]") and url.port == port
