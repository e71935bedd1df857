"""`make serve` shows an edit to one article on every page that shows it, and soon (issue 15).

The server is started as `make serve` starts it (the Makefile's own command, on a free port of 127.0.0.1) on a
generated KB; one article's latest change is edited twice, and its page, the home page (recent changes) and its
other version's page (the version list) are polled until each shows the edit (benchmarks/bench.py does the
same at 1,000 articles for the README's figure). KB_SERVE_N sets the KB's size (default 150).
"""

from __future__ import annotations

import os
import sys
from datetime import date

import pytest

from conftest import ROOT, TODAY

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402
import synthetic  # noqa: E402

N = int(os.environ.get("KB_SERVE_N") or 150)
LIMIT = 600.0  # generous, for the whole run: the machine is shared
EDIT_LIMIT = 30.0  # per edit; about 2 s here at 150 articles


@pytest.mark.slow
def test_make_serve_shows_an_edit_on_every_page_that_shows_it(tmp_path):
    project = tmp_path / "kb"
    synthetic.make_project(project, N, date.fromisoformat(TODAY))
    env = {**os.environ, "KB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    measured = bench.measure_serve(project, env, LIMIT)
    print(f"make serve at {N} articles: {measured}")
    assert measured["edit1_s"] < EDIT_LIMIT and measured["edit2_s"] < EDIT_LIMIT, measured
    # each edit re-rendered the pages that show it, not the whole site
    assert len(measured["rendered"]) == 2, measured
    for rendered in measured["rendered"]:
        done, total = map(int, rendered.split(" of "))
        assert done < total / 4, measured
