"""Showing text from uploads and sign-ins safely."""

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$:@"})


def plain(text: object) -> str:
    """Escape text from an upload so that markdown shows it as typed, never as a link or HTML.

    Every ASCII punctuation mark markdown gives a meaning to is escaped. Streamlit's
    front end still turns a bare http(s) or www address into a plain link (its GFM autolink
    runs on the text after escapes): that fetches nothing, and `javascript:` never links.
    """
    return str(text).translate(_MARKDOWN_SPECIAL)
