"""The KB's MkDocs adapter: one build object (`KnowledgeBaseBuild`) that MkDocs' events reach through the
thin entry point hooks/kb_hooks.py.

The path from an event to the core, in one direction only:

    MkDocs event -> hooks/kb_hooks.py -> KnowledgeBaseBuild (build.py) -> its managers -> kb (the core)

- build.py: the build object; loads and checks the KB once per build, decides which version each address
  serves, hands MkDocs each article's body and metadata, and calls the managers in a fixed order;
- sites.py: each build at its own address, robots meta, robots.txt and the sitemap;
- pages.py: the KB's own pages (home listings, review dashboard, review calendar, catalogue);
- pdfs.py: one PDF per published article (public builds, or KB_PDF=1);
- forms.py: the renderers of the `/// kb-form` and `/// kb-rejection-codes` blocks;
- navigation.py: books in navigation (titles and order), archived versions left out;
- serving.py: what `mkdocs serve` keeps between rebuilds, and which pages an edit makes stale.

The core (`kb/`) never imports MkDocs: it runs without it (`kb check`, and any site generator after MkDocs).
"""

from kb_mkdocs.build import KnowledgeBaseBuild

__all__ = ["KnowledgeBaseBuild"]
