"""Showing text from uploads and sign-ins safely."""

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$:@"})


def plain(text: object) -> str:
    """Escape text from an upload so that markdown shows it as typed, never as a link or HTML.

    Every ASCII punctuation mark markdown gives a meaning to is escaped, "@" and "." too, so
    e-mail addresses and web addresses are not turned into links either.
    """
    return str(text).translate(_MARKDOWN_SPECIAL)
