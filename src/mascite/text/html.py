"""What every HTML page we write declares: a Content-Security-Policy that lets it load nothing
and run nothing, so that a title from a record that slipped past escaping still cannot act; and
where a div of the HTML we write ends."""

from __future__ import annotations

import re

__all__ = ["CSP", "CSP_META", "div_end"]

# inline styles only (our pages are self-contained); no scripts, frames, forms, fonts or fetches
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
# frame-ancestors is ignored in a <meta> policy; it is here for servers that copy the header
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


_DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")


def div_end(page: str, start: int) -> int | None:
    """Where the ``</div>`` closing the div opened just before ``start`` begins (divs nest:
    an entry's number and text are divs of their own); ``None`` if it is never closed."""
    depth = 1
    for tag in _DIV_TAG.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start()
    return None
