"""A book's own order: an index page may list the entries of its folder, and navigation follows that list.

MkDocs sorts a folder's pages by file name and puts sub-folders after them. A book migrated from BookStack
has an order of its own (chapters and pages interleaved by BookStack's priority), which `kb import` writes
into the book's and each chapter's `index.md` as `order:`, a list of file stems and folder names:

```yaml
---
title: Mail Servers
order: [91.001-checking-the-mail-queue, microsoft-365, glossary]
---
```

Entries it names come first, in that order; anything it does not name follows, as MkDocs sorted it. An
author can write the list by hand for any book.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

Item = TypeVar("Item")


def order_of(index: Path) -> list[str]:
    """The `order:` of an index page's front matter (empty when it has none or cannot be read)."""
    from kb import frontmatter

    try:
        data = frontmatter.read(index.name, index.read_text(encoding="utf-8")).data or {}
    except OSError:
        return []
    order = data.get("order")
    return [str(name) for name in order if isinstance(name, (str, int, float))] if isinstance(order, list) else []


def arrange(items: list[Item], name: Callable[[Item], str], order: list[str]) -> list[Item]:
    """`items` with those named in `order` first, in that order, and the others after them as they were."""
    if not order:
        return items
    rank = {entry: position for position, entry in enumerate(order)}
    rank["index"] = -1  # the book's own page stays first
    return sorted(items, key=lambda item: rank.get(name(item), len(rank)))  # stable: unnamed keep their order
