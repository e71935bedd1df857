"""The order of entries under `hooks:` cannot change the site (issue 15): the KB's hooks are one build object
behind one entry point, not files that hand each other values in the order mkdocs.yml lists them."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import pytest
import yaml

from conftest import copy_project, run_mkdocs

# An unrelated hook that handles every event MkDocs sends a hook and changes nothing: placed before and after
# the KB's entries, so that no KB handler can rely on running first or last among the hooks.
UNRELATED = '''
def _pass(first=None, **kwargs):
    return first

for _event in ("config", "pre_build", "files", "nav", "env", "post_build", "pre_page", "page_read_source",
               "page_markdown", "page_content", "page_context", "post_page", "pre_template", "template_context",
               "post_template"):
    globals()["on_" + _event] = _pass
on_page_read_source = lambda page, config: None
'''


def _shuffled(project: Path) -> list[str]:
    """mkdocs.yml's hook entries reversed, between two unrelated hooks; returns the new list."""
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    block = re.search(r"^hooks:\n(?:  - .*\n)+", text, re.MULTILINE)
    assert block, "mkdocs.yml lists its hooks one a line under hooks:"
    for name in ("unrelated_first", "unrelated_last"):
        (project / "hooks" / f"{name}.py").write_text(UNRELATED, encoding="utf-8")
    shuffled = ["hooks/unrelated_first.py", *reversed(yaml.safe_load(block.group(0))["hooks"]),
                "hooks/unrelated_last.py"]
    config_file.write_text(text.replace(block.group(0), yaml.safe_dump({"hooks": shuffled}), 1), encoding="utf-8")
    return shuffled


def _differences(left: Path, right: Path) -> list[str]:
    """Files that are missing on one side or differ in a byte."""
    compared = filecmp.dircmp(left, right)
    found = [*compared.left_only, *compared.right_only, *compared.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    found += mismatch + errors
    for sub in compared.common_dirs:
        found += [f"{sub}/{name}" for name in _differences(left / sub, right / sub)]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_site_is_the_same_whatever_the_order_of_hooks(tmp_path, audience):
    listed, shuffled = copy_project(tmp_path / "listed"), copy_project(tmp_path / "shuffled")
    order = _shuffled(shuffled)
    sites = {}
    for name, project in (("listed", listed), ("shuffled", shuffled)):
        result = run_mkdocs(project, tmp_path / f"site-{name}", audience=audience)
        assert result.returncode == 0, f"{name} ({order if name == 'shuffled' else 'as listed'}):\n{result.stderr}"
        sites[name] = tmp_path / f"site-{name}"
    assert (sites["listed"] / "index.html").is_file()
    assert _differences(sites["listed"], sites["shuffled"]) == [], f"hooks in the order {order}"
