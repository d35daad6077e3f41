"""What every HTML page we write declares: a Content-Security-Policy that lets it load nothing
and run nothing, so that a title from a record that slipped past escaping still cannot act."""

from __future__ import annotations

__all__ = ["CSP", "CSP_META"]

# inline styles only (our pages are self-contained); no scripts, frames, forms, fonts or fetches
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
# frame-ancestors is ignored in a <meta> policy; it is here for servers that copy the header
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
