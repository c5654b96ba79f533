"""Showing text from uploads and sign-ins safely."""

import re

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|<>~$:@"})


def plain(text: object) -> str:
    """Escape text from an upload so that markdown shows it as typed, never as a link or HTML.

    Every ASCII punctuation mark markdown gives a meaning to is escaped. Streamlit's
    front end still turns a bare http(s) or www address into a plain link (its GFM autolink
    runs on the text after escapes): that fetches nothing, and `javascript:` never links.
    """
    return str(text).translate(_MARKDOWN_SPECIAL)


# U+2060 WORD JOINER: invisible, and not a character an address is made of.
_NOT_AN_ADDRESS = "\u2060\\@"


def unlinked(text: object) -> str:
    """Escape text as plain does, and keep any e-mail address in it from becoming a link.

    Streamlit's front end makes an address in markdown a mailto link whatever is escaped,
    and an alert (st.error, st.success) is always markdown: an invisible word joiner before
    each @ leaves the address as it reads but no longer one to the autolinker, and one after
    "http" or "www" does the same for a web address. Where the text need not be markdown (an
    alert, a heading, a label), st.text is better: it copies exactly.
    """
    return _WEB_ADDRESS.sub("\\1\u2060", plain(text).replace("\\@", _NOT_AN_ADDRESS))


# The start of what the autolinker takes for a web address, after plain's escapes: a scheme
# before its colon, or "www" before its dot. A word joiner after it leaves the words as they
# read, and no link (a meeting's title made one in the Overview's heading).
_WEB_ADDRESS = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=\\[:.])")
