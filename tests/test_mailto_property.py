"""RFC 6068 as a property, in the browser: whatever a reader types, the link decodes to exactly that text
(line breaks as CRLF) and carries no parameter but subject and body."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from test_form_browser import ARTICLE, SUBJECT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VALID = {"Company name": "Safeharbour Support", "Email domain": "safeharboursupport.com",
         "Mail server IP addresses": "81.2.69.142", "SMTP errors": "554 5.7.1 [CS01] rejected",
         "When it started": "Today"}
# Any character a reader can type or paste, the delimiters of mailto: URLs and line breaks above all.
TYPED = st.text(st.one_of(st.sampled_from(list("&?=#%+;,/ \r\n\t")),
                          st.characters(blacklist_categories=("Cs",))), min_size=0, max_size=60)


@pytest.fixture(scope="module")
def form_page(built, serve, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(serve(built("internal")) + ARTICLE)
    form = page.locator("section.kb-form")
    for label, value in VALID.items():
        form.get_by_label(label, exact=False).fill(value)
    yield page, form
    context.close()


def strict_params(href: str) -> dict[str, str]:
    assert href.startswith("mailto:icloudadmin@apple.com?")
    query = href.split("?", 1)[1]
    params = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        assert key not in params
        assert "+" not in value and " " not in value
        params[key] = unquote(value, errors="strict")
    return params


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TYPED)
def test_the_link_decodes_to_exactly_what_was_typed(form_page, text):
    page, form = form_page
    typed = f"<{text}>"  # anchored, so the form's trimming of blank edges does not apply
    form.get_by_label("Description", exact=False).fill(typed)
    href = form.get_by_role("link", name="Open in email app").get_attribute("href")
    params = strict_params(href)
    assert sorted(params) == ["body", "subject"]
    assert params["subject"] == SUBJECT
    # a textarea reads every line break as LF; the link must carry each as CRLF
    expected = typed.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    assert f"Description:\r\n{expected}\r\n" in params["body"] + "\r\n"
    assert "\n" not in params["body"].replace("\r\n", "")
