"""Runs the form script's unit tests (tests/js/, `node --test`) with the KB's own rejection codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.rejections import load_rejections

ROOT = Path(__file__).resolve().parent.parent


def test_the_form_script_pure_functions_pass_under_node(tmp_path):
    node = os.environ.get("KB_NODE") or shutil.which("node") or "/usr/bin/node"
    if not Path(node).exists():
        pytest.fail("Node.js 20+ is needed for the form script's unit tests: install Debian's nodejs or set KB_NODE")
    codes = [{**r.as_hint(), "sample": r.sample} for r in load_rejections(ROOT / "data" / "icloud-rejections.yml")]
    codes_file = tmp_path / "codes.json"
    codes_file.write_text(json.dumps(codes), encoding="utf-8")
    result = subprocess.run([node, "--test", "--test-reporter=tap", "tests/js/"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "KB_REJECTIONS_JSON": str(codes_file)}, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# skipped 0" in result.stdout, result.stdout[-2000:]
