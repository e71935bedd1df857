"""The JSON Schema of an article's front matter, for editors that check YAML as authors type."""

from __future__ import annotations

from typing import Any

from kb.model import ArticleMeta


def front_matter_schema() -> dict[str, Any]:
    schema = ArticleMeta.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Controlled article front matter"
    schema["description"] = ("Front matter of a knowledge-base article. Quote versions and numbers (\"1.10\"); "
                             "write dates as ISO (2025-02-26).")
    return schema
