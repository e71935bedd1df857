"""`kb import`: BookStack exports (the real 65.043 export, an HTML export, drafts, broken tables, missing rows,
duplicates, garbage) become articles that pass `kb check` and build, with what could not be mapped reported."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import ROOT, copy_project, run_kb, run_mkdocs
from kb import frontmatter
from kb import settings
from kb.importer import import_exports, render_article
from kb.importer.control import row_label

FIXTURES = ROOT / "tests" / "fixtures" / "bookstack"
REAL = FIXTURES / "65.043-bookstack-export.md"
HTML_EXPORT = FIXTURES / "72.101-html-export.html"
IMPORTED_REAL = "apple-icloud/65.043-emails-being-sent-to-icloud-com-addresses-being-rejected.md"
PNG = bytes.fromhex("89504e470d0a1a0a")


def docs_article() -> Path:
    """The article as the KB holds it: its archived v1.0 when the lead has opened a newer draft."""
    current = ROOT / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected.md"
    archived = current.with_suffix("") / "v1.0.md"
    return archived if archived.exists() else current


def read(path: Path) -> frontmatter.FrontMatter:
    fm = frontmatter.read(path.name, path.read_text(encoding="utf-8"))
    assert fm.data is not None and not fm.problems, fm.problems
    return fm


def chunks(body: str) -> list[str]:
    """The paragraphs and list items of a Markdown body, each as written."""
    out = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.splitlines()
        if all(re.match(r"\s*(?:[-*]|\d+\.)\s", line) for line in lines):
            out += [line.strip() for line in lines]
        else:
            out.append(block.strip())
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory) -> tuple[Path, object]:
    """The real export imported into an empty KB, as a migration would do it."""
    project = copy_project(tmp_path_factory.mktemp("real") / "kb", with_docs=False)
    result = run_kb(project, "import", str(REAL), "--book", "apple-icloud", "--audience", "public",
                    "--tag", "icloud", "--tag", "email", "--tag", "deliverability")
    return project, result


def test_real_export_imports_with_nothing_left_unmapped(real_kb):
    project, result = real_kb
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"imported {REAL} -> docs/{IMPORTED_REAL} (65.043 v1.0 current): "
        f"https://kb.safeharboursupport.com/{IMPORTED_REAL.removesuffix('.md')}/",
        f"imported {REAL} [Apple iCloud] -> docs/apple-icloud/index.md (book index)"]  # the export's book name
    assert result.stderr == ""
    assert (project / "docs" / IMPORTED_REAL).is_file()


def test_real_export_front_matter_is_the_docs_article(real_kb):
    project, _ = real_kb
    imported = read(project / "docs" / IMPORTED_REAL).data
    expected = read(docs_article()).data
    assert imported["document_control"] == expected["document_control"]
    assert imported["change_control"] == expected["change_control"]
    assert imported["tags"] == expected["tags"]
    assert set(imported) == set(expected)
    # the fields that tripped up earlier tools, spelled out
    control = imported["document_control"]
    assert control["number"] == "65.043" and control["version"] == "1.0" and control["status"] == "current"
    assert control["name"] == "Emails being sent to icloud.com addresses being rejected"
    assert control["approval_date"] == date(2025, 2, 26) and control["review_date"] == date(2028, 2, 25)
    assert control["abstract"].startswith("This document lays out")
    assert control["inputs"] == "None" and control["outputs"] == "None"


def test_real_export_front_matter_is_written_in_the_house_style(real_kb):
    project, _ = real_kb
    text = (project / "docs" / IMPORTED_REAL).read_text(encoding="utf-8")
    assert '  number: "65.043"\n' in text and '  version: "1.0"\n' in text
    assert "  - {date: 2025-02-26, author: neil, version: \"0.0\", change: First version}\n" in text
    assert "  - {date: 2025-02-26, author: neil, version: \"1.0\", change: Approved}\n" in text
    assert "tags: [icloud, email, deliverability]\n---\n\nOccasionally," in text


def test_real_export_body_is_the_docs_article_text_word_for_word(real_kb):
    project, _ = real_kb
    body = read(project / "docs" / IMPORTED_REAL).body
    expected = read(docs_article()).body
    found = chunks(body)
    assert len(found) == 8  # three paragraphs and five list items
    for chunk in found:
        assert chunk in expected, chunk
    for debris in ("span", "data-ccp", "data-contrast", "START OF DOCUMENT", "END OF DOCUMENT", "Need help",
                   "Docs", "&lt;", "<", "  \n"):
        assert debris not in body, debris


def test_real_export_author_matched_not_duplicated(real_kb):
    project, _ = real_kb
    assert (project / "docs" / "authors.yml").read_bytes() == (ROOT / "docs" / "authors.yml").read_bytes()


@pytest.mark.slow  # builds a whole site
def test_imported_kb_passes_check_and_builds(real_kb, tmp_path):
    project, _ = real_kb
    checked = run_kb(project, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_mkdocs(project, tmp_path / "site", audience="public")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / IMPORTED_REAL.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "65.043 Emails being sent to icloud.com addresses being rejected" in page
    assert "remain largely spam-free.</p>" in page
    assert page.count("START OF DOCUMENT") == 1 and page.count("Need help? Get in touch!") == 1
    assert (tmp_path / "site" / "apple-icloud" / "index.html").is_file()  # the book's index, titled from the export


def test_new_author_is_added_once_and_authors_yml_kept_as_written(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    original = "# Our authors\nmary:\n  name: Mary Jones   # team lead\n  team: Sales\n  email: mary@example.com\n"
    (project / "docs" / "authors.yml").write_text(original, encoding="utf-8")
    result = run_kb(project, "import", str(REAL), str(FIXTURES / "73.011-missing-rows.md"), "--book", "mail")
    assert f"{REAL}: author 'Neil Tancock' added to authors.yml as 'neil'" in result.stderr
    text = (project / "docs" / "authors.yml").read_text(encoding="utf-8")
    assert text == original + ("neil:\n  name: Neil Tancock\n  team: IT Services (Safeharbour Support Ltd)\n"
                               "  email: neil@safeharboursupport.com\n")


@pytest.fixture(scope="module")
def html_kb(tmp_path_factory) -> tuple[Path, object]:
    project = copy_project(tmp_path_factory.mktemp("html") / "kb", with_docs=False)
    return project, run_kb(project, "import", str(HTML_EXPORT), "--book", "microsoft-365")


def test_html_export_current_article_with_three_change_rows(html_kb):
    project, result = html_kb
    assert result.returncode == 0, result.stderr
    article = project / "docs" / "microsoft-365" / "72.101-resetting-a-microsoft-365-password.md"
    data = read(article).data
    control = data["document_control"]
    assert control == {
        "number": "72.101", "name": "Resetting a Microsoft 365 password", "version": "1.0", "status": "current",
        "author": "jane", "approval": "Safeharbour Support", "approval_date": date(2024, 3, 14),
        "review_date": date(2027, 3, 13),
        "abstract": "How to reset a user's Microsoft 365 password from the admin centre",
        "scope": "Service desk staff with Microsoft 365 admin rights", "inputs": "A verified request from the user",
        "outputs": "None", "audience": "internal"}
    assert data["change_control"] == [
        {"date": date(2024, 3, 1), "author": "jane", "version": "0.1", "change": "First draft"},
        {"date": date(2024, 3, 10), "author": "neil", "version": "0.2", "change": "Reviewed: added the PowerShell route"},
        {"date": date(2024, 3, 14), "author": "jane", "version": "1.0", "change": "Approved"}]
    assert data["tags"] == ["microsoft-365", "passwords"]
    authors = (project / "docs" / "authors.yml").read_text(encoding="utf-8")
    assert authors.endswith("jane:\n  name: Jane Smith\n  team: Cloud Team (Safeharbour Support Ltd)\n"
                            "  email: jane.smith@safeharboursupport.com\n")


def test_html_export_body_becomes_clean_markdown(html_kb):
    project, result = html_kb
    body = read(project / "docs" / "microsoft-365" / "72.101-resetting-a-microsoft-365-password.md").body.lstrip()
    assert body.startswith("Use this when a user is locked out of Microsoft 365 and has been verified by phone.\n\n"
                           "The new password is temporary: the user must change it at the next sign-in.\n\n"
                           "## Before you start\n\n"
                           "!!! warning\n\n    Resetting a password signs the user out of **every** device.\n\n")
    assert ("1. Open the [Microsoft 365 admin centre](https://admin.microsoft.com).\n"
            "2. Go to *Users* > *Active users* and find the user:\n    - by name, or\n    - by email address\n"
            "3. Choose **Reset password**.\n") in body
    assert "Read [Before you start](#before-you-start) again" in body
    assert ("```powershell\nSet-MsolUserPassword -UserPrincipalName user@example.com -ForceChangePassword $true\n```"
            in body)
    assert "| Setting | Value |\n| --- | --- |\n| Minimum length | 12 characters |\n| Expires | Never |" in body
    assert "![The reset dialog](72.101-resetting-a-microsoft-365-password-image-1.png)" in body
    assert "[Remote screenshot](https://cdn.example.com/screens/remote.png)" in body
    for chrome in ("Page Contents", "Revision #3", "Document Control", "Need help", "Docs", "span", "style="):
        assert chrome not in body, chrome
    image = project / "docs" / "microsoft-365" / "72.101-resetting-a-microsoft-365-password-image-1.png"
    assert image.read_bytes().startswith(PNG)
    assert [p.name for p in image.parent.iterdir() if p.suffix == ".png"] == [image.name]  # the banner logo is not


def test_html_export_reports_what_it_could_not_map(html_kb):
    _, result = html_kb
    lines = result.stderr.splitlines()
    assert f"{HTML_EXPORT}: remote image not imported (kept as a link): https://cdn.example.com/screens/remote.png" in lines
    assert (f"{HTML_EXPORT}: link into the old knowledge base, to nothing in this import: "
            "https://kb.example.com/books/microsoft-365/page/licences (it breaks when the old KB is switched off)"
            ) in lines


@pytest.mark.slow  # builds a whole site
def test_html_export_builds_with_admonition_image_and_code(html_kb, tmp_path):
    project, _ = html_kb
    built = run_mkdocs(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "microsoft-365" / "72.101-resetting-a-microsoft-365-password" / "index.html")
    html = page.read_text(encoding="utf-8")
    assert 'class="admonition warning"' in html
    assert 'src="../72.101-resetting-a-microsoft-365-password-image-1.png"' in html
    assert 'id="before-you-start"' in html and 'href="#before-you-start"' in html
    assert "cdn.example.com/screens/remote.png\">Remote screenshot</a>" in html


def test_draft_with_labels_above_values(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(FIXTURES / "72.102-draft-export.md"), "--book", "microsoft-365")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    article = project / "docs" / "microsoft-365" / "72.102-mailbox-size-limits.md"
    fm = read(article)
    assert fm.data["document_control"] == {
        "number": "72.102", "name": "Mailbox size limits", "version": "0.1", "status": "draft", "author": "neil",
        "abstract": "What the mailbox size limits are and how to raise them", "scope": "Service desk staff",
        "audience": "internal"}
    assert fm.data["change_control"] == [
        {"date": date(2026, 10, 2), "author": "neil", "version": "0.1", "change": "First draft"}]
    assert "spam" not in fm.body and "Shared mailboxes hold the same without a licence.\n\n!!! info\n\n" \
        "    Archive mailboxes add another 50 GB, and grow on their own.\n" in fm.body
    assert "by default; see the [limits page](https://learn.microsoft.com/" in fm.body
    assert "```\nGet-MailboxStatistics -Identity user@example.com | Select TotalItemSize\n```" in fm.body
    assert run_kb(project, "check", "--strict").returncode == 0


def test_broken_tables_are_read_and_what_is_left_is_reported(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = FIXTURES / "73.010-broken-tables.md"
    result = run_kb(project, "import", str(source), "--book", "printers")
    assert result.returncode == 1
    notes = {line.removeprefix(f"{source}: ") for line in result.stderr.splitlines()}
    assert {
        "Document Control: read the row 'Aproval' as approval",
        "Document Control: read the row 'Reveiw date' as review_date",
        "Document Control: 'Abstract' has no value",
        "Document Control: no label for 'see the old KB'; not imported",
        "Document Control: version 'v2 current' read as 2.0",
        "author 'Priya Patel' added to authors.yml as 'priya' without email",
        "Change Control row 1: date '5th of January' is not a date (like 26-FEB-2025); kept as written",
        "dropped after END OF DOCUMENT: 'Some leftover text after the end.'",
    } <= notes
    written = project / "docs" / "printers" / "73.010-printer-shows-as-offline.md"
    assert "printers/73.010-printer-shows-as-offline.md:2: document_control.abstract: is required" in notes
    control = read(written).data["document_control"]
    assert control["approval"] == "Safeharbour Support" and control["review_date"] == date(2029, 1, 4)
    assert control["scope"] == "Anyone whose printer shows as offline" and control["version"] == "2.0"
    checked = run_kb(project, "check")
    assert checked.returncode == 1
    assert "printers/73.010-printer-shows-as-offline.md:15: change_control[1].date:" in checked.stdout


def test_missing_rows_are_reported_and_a_change_row_written_from_the_approval(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = FIXTURES / "73.011-missing-rows.md"
    result = run_kb(project, "import", str(source), "--book", "scanners")
    assert result.returncode == 1
    assert f"{source}: no Change Control table: one row written for version 1.0 from the approval date" in result.stderr
    assert "scanners/73.011-scan-to-email-fails.md:2: document_control.scope: is required" in result.stderr
    assert ("scanners/73.011-scan-to-email-fails.md:2: document_control.review_date: is required when status is "
            "current") in result.stderr
    assert "1 of 1 input(s) imported, 1 of them with problems to fix; 0 failed" in result.stderr
    data = read(project / "docs" / "scanners" / "73.011-scan-to-email-fails.md").data
    assert data["change_control"] == [
        {"date": date(2026, 8, 12), "author": "neil", "version": "1.0", "change": "Approved"}]


@pytest.mark.slow  # the quick loop keeps --force re-import in tests/test_importer_books.py
def test_duplicate_number_refused_then_replaced_with_force(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=True)
    existing = project / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected.md"
    before = existing.read_bytes()
    refused = run_kb(project, "import", str(REAL), "--book", "apple-icloud")
    assert refused.returncode == 1
    assert (f"{REAL}: error: 65.043 already exists as docs/apple-icloud/65.043-emails-to-icloud-rejected.md: "
            "not overwritten (pass --force to replace it)") in refused.stderr
    assert existing.read_bytes() == before
    assert not (project / "docs" / IMPORTED_REAL).exists()
    forced = run_kb(project, "import", str(REAL), "--book", "apple-icloud", "--audience", "public", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "replacing docs/apple-icloud/65.043-emails-to-icloud-rejected.md" in forced.stdout
    assert existing.read_bytes() != before and "Occasionally" in existing.read_text(encoding="utf-8")
    assert not (project / "docs" / IMPORTED_REAL).exists()  # replaced in place: same URL, same archives


def test_same_number_twice_in_one_import(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(REAL), str(REAL), "--book", "apple-icloud")
    assert result.returncode == 1
    assert f"{REAL}: error: 65.043 is also the number of {REAL} in this import" in result.stderr
    assert result.stdout.count("(65.043 v1.0 current)") == 1


def test_dry_run_prints_and_writes_nothing(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    (project / "docs" / "authors.yml").write_text("mary:\n  name: Mary Jones\n", encoding="utf-8")
    before = tree(project / "docs")
    result = run_kb(project, "import", str(REAL), str(HTML_EXPORT), "--book", "mixed", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert tree(project / "docs") == before
    assert f"would write docs/mixed/{IMPORTED_REAL.split('/')[1]} (65.043 v1.0 current) from {REAL}" in result.stdout
    assert "would add author neil to docs/authors.yml" in result.stdout
    assert "would save image docs/mixed/72.101-resetting-a-microsoft-365-password-image-1.png" in result.stdout
    assert '  number: "65.043"\n' in result.stdout and "- Your company name\n" in result.stdout


def test_garbage_inputs_are_clear_errors_and_the_others_still_import(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    garbage, notes, missing = FIXTURES / "garbage.bin", FIXTURES / "notes.txt", tmp_path / "nowhere.md"
    folder = tmp_path
    result = run_kb(project, "import", str(garbage), str(notes), str(missing), str(folder), str(REAL),
                    "--book", "apple-icloud")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{garbage}: error: is not a text file: expected a BookStack Markdown or HTML export",
        f"{notes}: error: has no Document Control table and no START OF DOCUMENT marker: "
        "not a BookStack export of a controlled document",
        f"{missing}: error: cannot be read: No such file or directory",
        f"{folder}: error: is a folder, not an export file",
    ]
    assert "Traceback" not in result.stderr
    assert (project / "docs" / IMPORTED_REAL).is_file()
    assert "1 of 5 input(s) imported, 0 of them with problems to fix; 4 failed" in result.stderr


def test_html_document_without_page_content_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><body><p>Hello</p></body></html>", encoding="utf-8")
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(page), "--book", "x")
    assert result.returncode == 1
    assert f"{page}: error: is an HTML document without BookStack's page-content div" in result.stderr


@pytest.mark.parametrize("text, field", [
    ("Absract", "abstract"), ("ABSTRACT:", "abstract"), ("Document  Name", "name"), ("Review Date", "review_date"),
    ("Next review date", "review_date"), ("Approved by", "approval"), ("Input", "inputs"),
])
def test_row_labels_are_matched_tolerantly(text, field):
    assert row_label(text)[0] == field


@pytest.mark.parametrize("text", ["None", "Safeharbour Support", "v1.0 Current", "This document applies to anyone"])
def test_values_are_not_mistaken_for_labels(text):
    assert row_label(text)[0] is None


@hsettings(max_examples=60, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).map(str.strip).filter(bool),
       change=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).map(str.strip).filter(bool))
def test_front_matter_reads_back_whatever_the_text(name, change):
    control = {"number": "65.043", "name": name, "version": "1.0", "status": "current", "author": "neil",
               "abstract": change, "scope": name}
    changes = [{"date": date(2025, 2, 26), "author": "neil", "version": "1.0", "change": change}]
    data = frontmatter.read("x.md", render_article(control, changes, [name], "Body")).data
    assert data["document_control"]["name"] == name and data["document_control"]["abstract"] == change
    assert data["change_control"][0]["change"] == change and data["tags"] == [name]


def test_markdown_editor_export_with_pipe_tables_and_plain_markers(tmp_path):
    """A page written in BookStack's Markdown editor: pipe tables, <START OF DOCUMENT> typed as is, a <details>."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = FIXTURES / "80.001-markdown-editor-export.md"
    result = run_kb(project, "import", str(source), "--book", "vpn")
    assert result.returncode == 0, result.stderr
    fm = read(project / "docs" / "vpn" / "80.001-vpn-setup.md")
    assert fm.data["document_control"]["version"] == "1.1" and fm.data["document_control"]["author"] == "neil"
    assert [row["version"] for row in fm.data["change_control"]] == ["1.0", "1.1"]
    assert fm.body.lstrip().startswith("Install the client.\n\n??? note \"On macOS\"\n\n"
                                       "    Allow the `system extension` when asked.\n\n"
                                       "> Quoted warning with a [link](https://example.com/a_b_c).\n\n"
                                       "Use file_name_here and 5 \\* 3.\n")
    assert "START" not in fm.body and "second page" not in fm.body
    assert set(result.stderr.splitlines()) == {
        f"{source}: holds more than one page (START OF DOCUMENT appears again): only the first is imported; "
        "export pages one by one",
        f"{source}: dropped after END OF DOCUMENT: '----<START OF DOCUMENT>---- second page'",
        f"{source}: a table has merged cells, which Markdown tables cannot hold: kept as an HTML table",
    }
    assert run_kb(project, "check", "--strict").returncode == 0


def test_config_file_option_and_contact_table_that_differs_from_mkdocs_yml(tmp_path):
    """Run from elsewhere with -f; a contact table with another phone number is reported, not imported."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    export = tmp_path / "exports" / "65.043.md"
    export.parent.mkdir()
    export.write_text(REAL.read_text(encoding="utf-8").replace("tel:01752373000", "tel:01752999999"),
                      encoding="utf-8")
    result = run_kb(tmp_path / "exports", "import", "65.043.md", "--book", "apple-icloud",
                    "-f", str(project / "mkdocs.yml"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "65.043.md: contact table: tel:01752999999 is not in mkdocs.yml extra.kb.contact, which the site's "
        "contact block shows instead"]
    assert (project / "docs" / IMPORTED_REAL).is_file()
    assert "01752999999" not in (project / "docs" / IMPORTED_REAL).read_text(encoding="utf-8")


def test_word_debris_iframes_anchors_and_linked_images(tmp_path):
    """The core without the command: a dry run returns the article and the notes, and writes nothing."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = FIXTURES / "81.001-word-debris.html"
    [outcome] = import_exports([source], settings.load(project / "mkdocs.yml"), "edge", dry_run=True,
                               today=date(2026, 11, 26))
    assert outcome.error is None and not outcome.problems and not outcome.written
    assert not (project / "docs" / "edge").exists()
    draft = outcome.draft
    assert draft.rel == "edge/81.001-edge-cases.md" and list(draft.images) == ["edge/81.001-edge-cases-image-1.png"]
    body = frontmatter.read("x.md", draft.text).body.strip()
    assert body == ("## Set up\n\n![Shot](81.001-edge-cases-image-1.png)\n\n"
                    "Go to [setup](#set-up) or missing.\n\n<https://www.youtube.com/embed/xyz>\n\n"
                    "Some underlined text.")
    assert draft.notes == [
        "link to #bkmrk-missing on the old page has no heading to point at: kept as text",
        "embedded iframe https://www.youtube.com/embed/xyz became a link",
        "underlining has no Markdown: dropped, the text kept",
    ]


def test_document_control_inside_a_wrapper_div_is_found(tmp_path):
    """Issue 14: a Document Control table inside a wrapper element (here a div beside the body) is found."""
    html_text = HTML_EXPORT.read_text(encoding="utf-8")
    start = html_text.index("<table", html_text.index("Document Control"))
    wrapped = html_text[:start] + '<div class="wrapper">' + html_text[start:]
    end = wrapped.index("</table>", wrapped.index("Change Control")) + len("</table>")
    wrapped = wrapped[:end] + "</div>" + wrapped[end:]
    export = tmp_path / "wrapped.html"
    export.write_text(wrapped, encoding="utf-8")
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(export), "--book", "microsoft-365")
    assert result.returncode == 0, result.stderr
    data = read(project / "docs" / "microsoft-365" / "72.101-resetting-a-microsoft-365-password.md").data
    assert data["document_control"]["approval_date"] == date(2024, 3, 14)
    assert [row["version"] for row in data["change_control"]] == ["0.1", "0.2", "1.0"]
