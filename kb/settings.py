"""The KB's settings as mkdocs.yml holds them, read without MkDocs so the CLI and tests share them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from kb.policy import Policy, PolicyError, policy_from
from kb.sites import Sites, SitesError, sites_from


class SettingsError(ValueError):
    """mkdocs.yml cannot be read, or a KB setting in it is wrong."""


SITE_URL_REFUSED = ("mkdocs.yml: site_url would give both sites one address: remove it and set each site's own "
                    "under extra.kb.sites (public: the support hub, internal: the internal KB)")


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml carries !!python/name and !ENV tags that only MkDocs resolves; here they read as None."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Settings:
    root: Path
    docs_dir: Path
    site_name: str = "Knowledge base"
    site_url: str = ""  # this build's own address (MkDocs' site_url); for the commands, the internal KB's
    sites: Sites = field(default_factory=Sites)  # both sites' addresses (extra.kb.sites)
    policy: Policy = field(default_factory=Policy)
    contact: dict[str, Any] = field(default_factory=dict)
    rejection_codes: Path | None = None
    directory_urls: bool = True  # MkDocs' use_directory_urls (the offline copy turns it off)


def from_mapping(config: dict[str, Any], root: Path) -> Settings:
    """Settings from a parsed mkdocs.yml (or MkDocs' own config object, which is a mapping too)."""
    extra = config.get("extra") or {}
    kb = extra.get("kb") or {}
    if not isinstance(kb, dict):
        raise SettingsError("mkdocs.yml: extra.kb must be a mapping")
    try:
        policy = policy_from(kb.get("policy"))
        sites = sites_from(kb.get("sites"))
    except (PolicyError, SitesError) as exc:
        raise SettingsError(f"mkdocs.yml: {exc}") from None
    docs_dir = Path(config.get("docs_dir") or "docs")
    codes = kb.get("rejection_codes")
    return Settings(
        root=root,
        docs_dir=docs_dir if docs_dir.is_absolute() else root / docs_dir,
        site_name=str(config.get("site_name") or "Knowledge base"),
        site_url=str(config.get("site_url") or ""),
        sites=sites,
        policy=policy,
        contact=kb.get("contact") or {},
        rejection_codes=(root / codes) if codes else None,
        directory_urls=config.get("use_directory_urls", True) is not False,
    )


def load(config_file: str | Path = "mkdocs.yml") -> Settings:
    path = Path(config_file)
    try:
        with path.open(encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path} does not parse: {exc}") from None
    if not isinstance(config, dict):
        raise SettingsError(f"{path} must be a mapping of settings")
    if config.get("site_url"):
        raise SettingsError(SITE_URL_REFUSED)
    loaded = from_mapping(config, path.resolve().parent)
    return replace(loaded, site_url=loaded.sites.internal)  # the commands link the internal KB unless told otherwise


def page_title(path: Path) -> str | None:
    """The `title:` of a Markdown page's front matter, read before MkDocs reads the page."""
    from kb import frontmatter

    try:
        fm = frontmatter.read(path.name, path.read_text(encoding="utf-8"))
    except OSError:
        return None
    title = (fm.data or {}).get("title")
    return str(title) if title else None
