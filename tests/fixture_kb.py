"""A small fixture KB for the dashboard, calendar, catalogue and audience tests: one article in each review
state, a draft served as its approved version, a withdrawn one and internal-only ones. Dates are relative to
TODAY (KB_TODAY in the tests)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from conftest import TODAY, copy_project

T = date.fromisoformat(TODAY)
AUTHORS = {
    "neil": {"name": "Neil Tancock", "team": "IT Services (Safeharbour Support Ltd)", "email": "neil@safeharboursupport.com"},
    "jo": {"name": "Jo Marsh", "team": "Service Desk", "email": "jo@safeharboursupport.com"},
}
# number -> (book, stem, status, audience, author, approval, review, tags)
ARTICLES = {
    "10.001": ("mail", "10.001-overdue-relay", "current", "public", "neil", T - timedelta(days=1000), T - timedelta(days=12), ["mail"]),
    "10.002": ("mail", "10.002-due-spf", "current", "public", "jo", T - timedelta(days=900), T + timedelta(days=40), ["mail", "dns"]),
    "10.003": ("mail", "10.003-ok-internal-runbook", "current", "internal", "neil", T - timedelta(days=30), T + timedelta(days=700), ["runbook"]),
    "10.004": ("mail", "10.004-edge-window", "current", "public", "jo", T - timedelta(days=400), T + timedelta(days=60), []),
    "10.005": ("mail", "10.005-edge-today", "current", "internal", "jo", T - timedelta(days=400), T, []),
    "20.001": ("phones", "20.001-draft-dialplan", "draft", "public", "neil", T - timedelta(days=500), T + timedelta(days=20), ["phones"]),
    "20.002": ("phones", "20.002-withdrawn-fax", "withdrawn", "public", "jo", None, None, []),
}
SECRET = "ZEBRAFISH"  # a word only internal-only articles use: it must never reach the public build
CODE_ARTICLE, CODE_LINE = "10.002", "\n\niCloud answers: `554 5.7.1 [CS01] Message rejected due to local policy`."
PUBLIC_NUMBERS = {"10.001", "10.002", "10.004", "20.001"}
INTERNAL_NUMBERS = {"10.003", "10.005"}


def make_fixture_kb(dest: Path) -> Path:
    """A copy of the site sources in `dest` whose docs/ hold only the fixture articles."""
    copy_project(dest, with_docs=False)
    docs = dest / "docs"
    (docs / "authors.yml").write_text(yaml.safe_dump(AUTHORS), encoding="utf-8")
    (docs / "mail").mkdir()
    (docs / "mail" / "index.md").write_text("---\ntitle: Mail delivery\n---\n\n# Mail delivery\n", encoding="utf-8")
    (docs / "phones").mkdir()
    for number, (book, stem, status, audience, author, approval, review, tags) in ARTICLES.items():
        name = stem.split("-", 1)[1].replace("-", " ").capitalize()
        secret = f" Staff note: {SECRET}." if audience == "internal" else ""
        if status == "draft":  # approved 1.0 archived beside the 1.1 draft
            v10 = _article(number, name, "1.0", "current", audience, author, approval, review, tags, [
                (approval, "0.0", "First version"), (approval, "1.0", "Approved")], "The approved text.")
            (docs / book / stem).mkdir(parents=True, exist_ok=True)
            (docs / book / stem / "v1.0.md").write_text(v10, encoding="utf-8")
            text = _article(number, name, "1.1", "draft", audience, author, None, None, tags, [
                (approval, "0.0", "First version"), (approval, "1.0", "Approved"),
                (T - timedelta(days=2), "1.1", "Draft: new dial plan")], "The DRAFTONLY text.")
        elif status == "withdrawn":
            text = _article(number, name, "1.0", "withdrawn", audience, author, None, None, tags, [
                (T - timedelta(days=300), "0.0", "First version"), (T - timedelta(days=100), "1.0", "Withdrawn")],
                "No longer used.")
        else:
            text = _article(number, name, "1.0", status, audience, author, approval, review, tags, [
                (approval, "0.0", "First version"), (approval, "1.0", "Approved")],
                f"Body of {number}.{secret}{CODE_LINE if number == CODE_ARTICLE else ''}")
        (docs / book).mkdir(exist_ok=True)
        (docs / book / f"{stem}.md").write_text(text, encoding="utf-8")
    return dest


def _article(number, name, version, status, audience, author, approval, review, tags, changes, body) -> str:
    control = {"number": number, "name": name, "version": version, "status": status, "author": author}
    if approval is not None:
        control.update(approval="Safeharbour Support", approval_date=approval, review_date=review)
    control.update(abstract=f"What to do about {name.lower()}", scope="Support staff", audience=audience)
    meta = {"document_control": control,
            "change_control": [{"date": d, "author": author, "version": v, "change": c} for d, v, c in changes],
            "tags": tags}
    return "---\n" + yaml.dump(meta, Dumper=_NoAliases, sort_keys=False) + "---\n\n" + body + "\n"


class _NoAliases(yaml.SafeDumper):
    """Every value written out: front matter refuses YAML aliases (PyYAML would alias a date used twice)."""

    def ignore_aliases(self, data: object) -> bool:
        return True
