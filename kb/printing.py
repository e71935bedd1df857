"""What paper needs that a screen does not: the address of every web link in an article's body, printed after
its text. The PDFs print it as text of their own, not as CSS `a::after` content: WeasyPrint tags a link's
pseudo-element as a second link, and some come out empty, which a screen reader announces as a link with no
text (PDF/UA)."""

from __future__ import annotations

from bs4 import BeautifulSoup

ADDRESS_CLASS = "kb-pdf-address"


def with_addresses(html: str) -> str:
    """`html` (an article's body) with ` (https://…)` after each web link whose text is not already its address."""
    if "href" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select('a[href^="http://"], a[href^="https://"]'):
        href = link["href"]
        if link.get_text(strip=True) in (href, href.split("://", 1)[1], href.split("://", 1)[1].rstrip("/")):
            continue
        address = soup.new_tag("span", attrs={"class": ADDRESS_CLASS})
        address.string = f" ({href})"
        link.insert_after(address)
    return str(soup)
