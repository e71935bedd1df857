"""The deliverability-ticket form in a real Chromium, against the built site: what a reader sees and gets."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT
from kb import settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "/apple-icloud/65.043-emails-to-icloud-rejected/"
RECIPIENT = "icloudadmin@apple.com"
SUBJECT = "I would like to open a deliverability ticket"
FALLBACK = "mailto:icloudadmin@apple.com?subject=I%20would%20like%20to%20open%20a%20deliverability%20ticket"

VALUES = {
    "Company name": "Bäcker & Söhne GmbH",
    "Email domain": "safeharboursupport.com",
    "Mail server IP addresses": "81.2.69.142,\n2A00:1450:4009:081A::200E  17.58.0.1",
    "SMTP errors": "554 5.7.1 [CS01] Message rejected due to local policy. Please visit "
                   "https://support.apple.com/en-us/HT204137",
    "Description": "Every message to @icloud.com bounces (100% = all?) #urgent + more.\nOther providers accept it.",
    "When it started": "26 November 2026, 09:00 UTC",
}
BODY = ("Company name: Bäcker & Söhne GmbH\r\nEmail domain: safeharboursupport.com\r\n"
        "Mail server IP addresses: 81.2.69.142, 2a00:1450:4009:81a::200e, 17.58.0.1\r\n\r\n"
        f"SMTP errors:\r\n{VALUES['SMTP errors']}\r\n\r\n"
        "Description:\r\nEvery message to @icloud.com bounces (100% = all?) #urgent + more.\r\nOther providers accept it."
        "\r\n\r\nWhen it started: 26 November 2026, 09:00 UTC")


def decode(href: str) -> tuple[str, dict[str, str]]:
    """(recipient, parameters) of a mailto: link, read strictly: every parameter, percent-decoding only."""
    assert href.startswith("mailto:")
    to, _, query = href[len("mailto:"):].partition("?")
    params = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        assert key not in params, f"parameter {key} twice"
        params[unquote(key)] = unquote(value, errors="strict")
    return unquote(to), params


@pytest.fixture
def site(built, serve) -> str:
    return serve(built("internal"))


@pytest.fixture
def requests_seen(page) -> Iterator[list[str]]:
    """Every request the page makes; at the end none may have left 127.0.0.1."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    yield seen
    outside = [url for url in seen if urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:"))]
    assert outside == []


@pytest.fixture
def form(page, site, requests_seen):
    page.goto(site + ARTICLE, wait_until="domcontentloaded")
    form = page.locator("section.kb-form")
    form.get_by_label("Company name").wait_for()
    return form


def fill(form, values: dict[str, str]) -> None:
    """Type as a reader would: click into each field, type, and move on."""
    for label, value in values.items():
        field = form.get_by_label(label, exact=False)
        field.click()
        field.fill("")
        for line_number, line in enumerate(value.split("\n")):
            if line_number:
                field.press("Enter")
            field.press_sequentially(line) if len(line) < 80 else field.fill(field.input_value() + line)
        field.press("Tab")


def open_link(form):
    return form.get_by_role("link", name="Open in email app")


def test_filled_form_gives_a_mailto_link_with_each_value(form):
    fill(form, VALUES)
    link = open_link(form)
    link.wait_for()
    to, params = decode(link.get_attribute("href"))
    assert to == RECIPIENT
    assert list(params) == ["subject", "body"]
    assert params["subject"] == SUBJECT
    assert params["body"] == BODY
    assert " " not in link.get_attribute("href") and "+" not in link.get_attribute("href")
    preview = form.locator("[data-kb-preview]").inner_text()
    assert preview == BODY.replace("\r\n", "\n")
    assert "Recognised: [CS01]." in form.locator(".kb-form__hints").inner_text()


def test_injected_parameters_stay_inside_the_body(form):
    values = {**VALUES, "Company name": "Acme&cc=attacker@evil.example&bcc=x@evil.example",
              "Description": "x?subject=Changed&body=replaced#frag\n&to=other@evil.example %0D%0A"}
    fill(form, values)
    href = open_link(form).get_attribute("href")
    to, params = decode(href)
    assert to == RECIPIENT and list(params) == ["subject", "body"] and params["subject"] == SUBJECT
    assert "Company name: Acme&cc=attacker@evil.example&bcc=x@evil.example\r\n" in params["body"]
    assert "Description:\r\nx?subject=Changed&body=replaced#frag\r\n&to=other@evil.example %0D%0A\r\n" in params["body"]


def test_invalid_input_is_marked_and_withholds_the_link(form):
    fill(form, {**VALUES, "Email domain": "https://safeharboursupport.com/",
                "Mail server IP addresses": "81.2.69.142, 192.168.1.20"})
    domain = form.get_by_label("Email domain")
    addresses = form.get_by_label("Mail server IP addresses")
    for field in (domain, addresses):
        assert field.get_attribute("aria-invalid") == "true"
        error = form.locator(f"#{field.get_attribute('id')}-error")
        assert error.is_visible()
        assert error.get_attribute("id") in field.get_attribute("aria-describedby").split()
    assert "domain only" in form.locator(f"#{domain.get_attribute('id')}-error").inner_text()
    assert ("192.168.1.20 is a private address (192.168.0.0/16). iCloud sees your mail server's public address"
            in form.locator(f"#{addresses.get_attribute('id')}-error").inner_text())
    assert open_link(form).count() == 0
    assert decode(form.locator("[data-kb-open]").get_attribute("href")) == (RECIPIENT, {"subject": SUBJECT})
    assert "first complete: Email domain, Mail server IP addresses" in form.locator("[data-kb-pending]").inner_text()

    fill(form, {"Email domain": "safeharboursupport.com", "Mail server IP addresses": "81.2.69.142"})
    assert domain.get_attribute("aria-invalid") is None
    assert open_link(form).is_visible()


def test_an_emptied_required_field_says_so(form):
    field = form.get_by_label("Company name")
    field.fill("Acme")
    field.fill("")
    field.press("Tab")
    assert field.get_attribute("aria-invalid") == "true"
    assert form.locator("#kb-form-1-company-name-error").inner_text() == "This field is required."


def test_a_long_email_says_to_copy_instead(form):
    fill(form, VALUES)
    status = form.locator("[data-kb-length]")
    assert status.get_attribute("role") == "status"
    assert not status.is_visible()
    form.get_by_label("Description").fill("A long account of the problem. " * 70)
    form.get_by_label("Description").press("Tab")
    assert status.is_visible()
    assert "Copy email text" in status.inner_text() and "2,000" in status.inner_text()
    # no link carries a body an email app may cut short: copying is the way, the link opens an email to paste into
    link = open_link(form)
    assert link.inner_text() == "Open in email app, then paste the text"
    assert decode(link.get_attribute("href")) == (RECIPIENT, {"subject": SUBJECT})
    assert "md-button--primary" in form.get_by_role("button", name="Copy email text").get_attribute("class")
    assert "md-button--primary" not in link.get_attribute("class")
    form.get_by_label("Description").fill("Short again.")
    assert "body" in decode(link.get_attribute("href"))[1] and link.inner_text() == "Open in email app"


def test_recognised_temporary_codes_say_no_ticket_is_needed(form):
    form.get_by_label("SMTP errors").fill("421 4.7.1 Messages to a@icloud.com deferred due to excessive volume. "
                                          "Try again later")
    hints = form.locator(".kb-form__hints")
    assert "Not a block: no ticket needed." in hints.inner_text()
    assert hints.get_attribute("aria-live") == "polite"


def test_copy_button_copies_recipient_subject_and_body(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(site + ARTICLE)
        form = page.locator("section.kb-form")
        fill(form, VALUES)
        form.get_by_role("button", name="Copy email text").click()
        expected = f"To: {RECIPIENT}\nSubject: {SUBJECT}\n\n{BODY.replace(chr(13), '')}"
        page.wait_for_function("text => navigator.clipboard.readText().then(t => t === text)", arg=expected)
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert "Email text copied" in form.locator("[data-kb-copied]").inner_text()
    finally:
        context.close()


def test_without_javascript_the_checklist_and_a_plain_mailto_link_remain(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + ARTICLE)
        checklist = page.locator(".kb-body ul").first
        assert checklist.locator("li").first.inner_text() == "Your company name"
        assert checklist.is_visible()
        fallback = page.locator(".kb-form__fallback a")
        assert fallback.is_visible()
        assert fallback.get_attribute("href") == FALLBACK
        assert page.locator(".kb-form input, .kb-form textarea").first.is_hidden()
        assert page.get_by_role("link", name="Open in email app").count() == 0
    finally:
        context.close()


def test_printed_the_inputs_are_hidden_and_the_checklist_shown(page, form):
    fill(form, {"Company name": "Acme"})
    page.emulate_media(media="print")
    assert form.get_by_label("Company name").is_hidden()
    assert form.get_by_role("button", name="Copy email text").is_hidden()
    assert page.locator(".kb-body ul li").first.is_visible()
    assert form.locator(".kb-form__fallback").is_visible()


def test_the_form_works_after_instant_navigation(page, site, requests_seen):
    # Material's instant loading keeps the port of the sitemap's URLs (site_url, the public host); the test server's
    # port is random, so the test hands Material a sitemap naming the test server.
    site_url = settings.load(ROOT / "mkdocs.yml").site_url

    def sitemap(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(site_url, site + "/"))

    page.route("**/sitemap.xml", sitemap)
    page.goto(site + ARTICLE)
    page.wait_for_load_state("networkidle")  # instant loading starts once it has the sitemap
    page.evaluate("window.kbStillHere = true")  # survives only if the page is not reloaded
    page.locator("nav.md-nav--primary a", has_text="Apple iCloud").first.click()
    page.wait_for_url("**/apple-icloud/")
    page.locator("nav.md-nav--primary a", has_text="65.043").first.click()
    page.wait_for_url(f"**{ARTICLE}")
    assert page.evaluate("window.kbStillHere") is True
    form = page.locator("section.kb-form")
    fill(form, VALUES)
    _, params = decode(open_link(form).get_attribute("href"))
    assert params["body"] == BODY
    assert form.locator(".kb-form__fallback").is_hidden()
    assert form.locator(".kb-form__hints .kb-form__hint").count() == 1
    assert form.evaluate("f => getComputedStyle(f).borderLeftStyle") == "solid"  # kb-form.css came along


@pytest.mark.parametrize("state", ["with errors", "valid and long"])
def test_no_serious_accessibility_violation_in_the_article(form, page, state):
    if state == "with errors":
        fill(form, {"Email domain": "not a domain", "Mail server IP addresses": "10.0.0.1", "SMTP errors": "[HM08]"})
    else:
        fill(form, VALUES)
        form.get_by_label("Description").fill("A long account of the problem. " * 70)
    results = Axe().run(page, context=".md-content")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
