"""A synthetic knowledge base for the benchmarks: N valid articles in a dozen books, written into a project
folder beside a copy of the site sources (mkdocs.yml, hooks/, overrides/, data/, docs/assets/).

Articles look like the real ones: full document and change control, a mix of public and internal,
current, draft and withdrawn, and bodies with headings, lists, tables, admonitions and code. A few are
revised and approved through the KB's own `kb revise`/`kb approve` code, so their archived versions
(docs/<book>/<stem>/v1.0.md) are exactly what authors get.
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE_SOURCES = ("mkdocs.yml", "hooks", "overrides", "data")

BOOKS = {
    "email-delivery": "Email delivery", "microsoft-365": "Microsoft 365", "networking": "Networking",
    "backups": "Backups and recovery", "telephony": "Telephony", "security": "Security",
    "printers": "Printers and scanning", "onboarding": "Onboarding", "hardware": "Hardware",
    "accounts": "Accounts and passwords", "web-hosting": "Web hosting", "remote-access": "Remote access",
}
AUTHORS = {
    "neil": ("Neil Tancock", "IT Services"), "amara": ("Amara Okafor", "Service Desk"),
    "tom": ("Tom Bradley", "Networks"), "priya": ("Priya Shah", "Cloud"), "lena": ("Lena Fischer", "Security"),
    "sam": ("Sam Whitlock", "Telephony"), "joe": ("Joe Marsh", "Field Engineering"),
    "kate": ("Kate Lowe", "Service Desk"),
}
SUBJECTS = ["Outlook", "Teams", "the VPN client", "the office Wi-Fi", "the backup agent", "the desk phone",
            "the multifunction printer", "SharePoint", "the firewall", "a shared mailbox", "OneDrive",
            "the web server", "DNS records", "the laptop dock", "multi-factor sign-in", "the call queue"]
PROBLEMS = ["stops syncing after a password change", "is slow at the start of the day",
            "rejects messages from a new domain", "shows a certificate warning", "cannot be reached from home",
            "loses its settings after an update", "reports a licence error", "drops calls after ten minutes",
            "needs setting up for a new starter", "fails its nightly job", "is blocked by the spam filter",
            "asks for credentials repeatedly", "prints blank pages", "cannot find the network share"]
WORDS = ("the user customer server mailbox account device policy setting domain record queue licence update "
         "network address message error log ticket change service folder permission schedule report check "
         "restart confirm verify open select enter save apply wait contact escalate note record").split()
TAGS = ["email", "dns", "vpn", "wifi", "backup", "phones", "printing", "m365", "security", "accounts",
        "hardware", "web", "onboarding", "outlook", "teams", "firewall"]


def make_project(dest: Path, n: int, today: date, seed: int = 9) -> dict[str, int]:
    """Write the project (site sources plus a generated docs/) into `dest`; return counts of what was made."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in SITE_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    docs = dest / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    if (ROOT / "docs" / "tags.md").exists():
        shutil.copy2(ROOT / "docs" / "tags.md", docs / "tags.md")
    _write(docs / "index.md", "---\ntitle: Home\nhide: [toc]\n---\n\n# Benchmark knowledge base\n\n"
           f"{n} synthetic articles in {len(BOOKS)} books.\n")
    _write(docs / "authors.yml", yaml.safe_dump(
        {key: {"name": name, "team": f"{team} (Safeharbour Support Ltd)", "email": f"{key}@safeharboursupport.com"}
         for key, (name, team) in AUTHORS.items()}, sort_keys=False))
    rng = random.Random(seed)
    form = _form_block()
    counts = {"articles": n, "public": 0, "forms": 0}
    slugs = list(BOOKS)
    per_book: dict[str, list[str]] = {slug: [] for slug in slugs}
    unlinked: set[str] = set()
    for index in range(n):
        per_book[slugs[index % len(slugs)]].append("")
    for b, slug in enumerate(slugs):
        _write(docs / slug / "index.md", f"---\ntitle: {BOOKS[slug]}\n---\n\n# {BOOKS[slug]}\n\n"
               f"Articles about {BOOKS[slug].lower()}.\n")
        stems = [f"{10 + 7 * b:02d}.{i + 1:03d}" for i in range(len(per_book[slug]))]
        names = {number: _name(rng) for number in stems}
        files = {number: f"{number}-{_slug(names[number])}.md" for number in stems}
        kinds = {number: _kind(rng) for number in stems}
        published = [number for number in stems if kinds[number] == ("current", True)]
        for number in stems:
            # An archived copy sits a folder deeper, where the article's relative links no longer resolve
            # (kb revise copies the file as it is): only articles without links are revised below. A
            # published article links only to published ones, or the public build would have broken links.
            status, public = kinds[number]
            targets = published if public else stems
            sibling = rng.choice(targets) if targets and rng.random() < 0.7 else None
            if sibling is None:
                unlinked.add(number)
            with_form = slug == "email-delivery" and form is not None and rng.random() < 0.03
            text = _article(rng, number, names[number], status, public, today,
                            (files[sibling], names[sibling]) if sibling else None, form if with_form else None)
            counts["public"] += public and status == "current"
            counts["forms"] += with_form
            _write(docs / slug / files[number], text)
    counts.update(_versions(dest, today, rng, unlinked))
    return counts


# Helper functions


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].rstrip("-")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)}".capitalize()


def _sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _kind(rng: random.Random) -> tuple[str, bool]:
    """(status, public) of a new article: mostly current, some drafts and withdrawn; under half public."""
    roll = rng.random()
    return "draft" if roll < 0.08 else "withdrawn" if roll < 0.11 else "current", rng.random() < 0.45


def _article(rng: random.Random, number: str, name: str, status: str, public: bool, today: date,
             sibling: tuple[str, str] | None, form: str | None) -> str:
    """Front matter and body of one valid article."""
    author = rng.choice(list(AUTHORS))
    approved = today - timedelta(days=rng.randint(10, 900))
    first = approved - timedelta(days=rng.randint(0, 400))
    minors = rng.choice([0, 0, 1, 2, 3])
    if status == "draft":
        version = "0.1"
        rows = [(first, "0.0", "First version"), (min(first + timedelta(days=3), today), "0.1", "Worked examples")]
    else:
        major = rng.choice([1, 1, 1, 2])
        version = f"{major}.{minors}"
        rows = [(first, "0.0", "First version")]
        steps = [f"{m}.{k}" for m in range(1, major + 1) for k in range(minors + 1 if m == major else 1)]
        for i, step in enumerate(steps):
            on = first + (approved - first) * (i + 1) // len(steps)
            rows.append((on, step, "Approved" if step.endswith(".0") else "Clarified the steps"))
    lines = ["---", "document_control:", f'  number: "{number}"', f"  name: {name}", f'  version: "{version}"',
             f"  status: {status}", f"  author: {author}"]
    if status != "draft":
        review = approved + timedelta(days=rng.randint(max((today - approved).days + 1, 700), 1090))
        lines += ["  approval: Safeharbour Support", f"  approval_date: {approved.isoformat()}",
                  f"  review_date: {review.isoformat()}"]
    lines += [f"  abstract: What to do when {name[0].lower() + name[1:]}",
              "  scope: Applies to service desk staff supporting customers who report this problem",
              "  inputs: None", "  outputs: None", f"  audience: {'public' if public else 'internal'}",
              "change_control:"]
    lines += [f'  - {{date: {on.isoformat()}, author: {author}, version: "{v}", change: {change}}}'
              for on, v, change in rows]
    lines += [f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]", "---", ""]
    return "\n".join(lines) + _body(rng, sibling, form)


def _body(rng: random.Random, sibling: tuple[str, str] | None, form: str | None) -> str:
    out = [_sentence(rng, 30), "", _sentence(rng, 22) + " " + _sentence(rng, 18), ""]
    out += ["## Symptoms", "", *[f"- {_sentence(rng, 9)}" for _ in range(rng.randint(3, 5))], ""]
    out += ["!!! note", "", f"    {_sentence(rng, 20)}", ""]
    out += ["## Before you start", "", "| Item | Where to find it | Needed for |", "|---|---|---|"]
    out += [f"| {rng.choice(WORDS).capitalize()} {i + 1} | {_sentence(rng, 4)} | {rng.choice(WORDS)} |"
            for i in range(rng.randint(3, 6))]
    out += ["", "## Steps", ""]
    for i in range(rng.randint(4, 8)):
        out += [f"{i + 1}. {_sentence(rng, 12)}"]
    out += ["", "```powershell", "Get-Mailbox -Identity user@example.com | Format-List", "```", ""]
    out += ["??? tip \"If that does not work\"", "", f"    {_sentence(rng, 16)}", ""]
    out += ["### Check the result", "", _sentence(rng, 25), ""]
    if sibling is not None:
        out += [f"See also [{sibling[1]}]({sibling[0]}).", ""]
    if form is not None:
        out += [form, ""]
    out += ["!!! warning", "", f"    {_sentence(rng, 12)}", ""]
    return "\n".join(out)


def _form_block() -> str | None:
    """The deliverability-ticket form of the real article 65.043, so some articles carry a form."""
    for path in sorted((ROOT / "docs").rglob("*.md")):
        match = re.search(r"^/// kb-form.*?^///[ \t]*$", path.read_text(encoding="utf-8"), re.S | re.M)
        if match:
            return match.group(0)
    return None


def _versions(dest: Path, today: date, rng: random.Random, unlinked: set[str]) -> dict[str, int]:
    """Revise a few current articles (a draft open, the approved copy archived), and approve some of those
    drafts (the archived copy superseded), through the KB core just as `kb revise`/`kb approve` do."""
    from kb import corpus, settings, versions

    kb_settings = settings.load(str(dest / "mkdocs.yml"))
    kb = corpus.load(kb_settings, today)
    current = [a for a in kb.articles if a.status == "current" and not a.is_archive and a.number in unlinked]
    revised = rng.sample(current, min(len(current), max(1, len(current) // 5)))
    for article in revised:
        versions.apply(versions.revise(kb, article.number, "Updated for the new portal", article.control.author,
                                       today))
    kb = corpus.load(kb_settings, today)
    approved = revised[: len(revised) // 2]
    for article in approved:
        versions.apply(versions.approve(kb, article.number, "Safeharbour Support", today))
    return {"revised": len(revised), "approved": len(approved)}
