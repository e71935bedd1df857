"""kb.printing: a PDF prints each web link's address after its text, as text of its own."""

from kb.printing import with_addresses


def test_web_links_get_their_address_printed_after_them():
    html = ('<p>See <a href="https://support.apple.com/en-us/102322">Apple\'s guide</a>, '
            '<a href="https://smtp.codes/icloud">smtp.codes/icloud</a> and <a href="mailto:a@b.com">a@b.com</a>.</p>')
    out = with_addresses(html)
    assert ('<a href="https://support.apple.com/en-us/102322">Apple\'s guide</a>'
            '<span class="kb-pdf-address"> (https://support.apple.com/en-us/102322)</span>,') in out
    assert "(https://smtp.codes/icloud)" not in out  # its text already is the address
    assert "(mailto:" not in out


def test_text_is_kept_as_text():
    out = with_addresses('<p><a href="https://x.example/?a=1&amp;b=<2>">x</a> &lt;b&gt;</p>')
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert '(https://x.example/?a=1&amp;b=&lt;2&gt;)' in out
