"""The one escaping path: text from a link or a data file shown to a reader exactly as written.

Streamlit renders Markdown (with some HTML) in titles, captions, alerts, labels and help
tooltips, and Plotly renders a small HTML dialect in titles, labels and hovers. Anything
that came from a URL parameter or a data file goes through one of these functions before
it reaches either, so a crafted link or a hostile name can never draw an image (and make
the reader's browser fetch it), a live link or markup.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$&=\"'")
_CONTROL = {code: " " for code in range(32) if chr(code) not in "\n"}


# Streamlit's Markdown (remark-gfm) turns bare addresses into links *after* escapes are resolved, so a
# backslash cannot stop them. An invisible WORD JOINER breaks the patterns it looks for ("http://",
# "www." and "name@host"); the reader sees the same characters.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?i)(https?:)(?=//)|(\bwww)(?=\.)|(?=@)")


def escape_markdown(text: object) -> str:
    """Text from a link or the data made safe for a Streamlit Markdown element: shown exactly as typed.

    The one escaping path for Markdown (titles, captions, notices, labels, alerts, help): every
    special character is backslash-escaped and bare addresses are kept from becoming links, so
    ``![x](http://host/p.png)`` cannot become an image the browser fetches, ``[text](url)`` or
    ``http://host`` cannot become a live link and ``<img src=x onerror=alert(1)>`` shows as those
    characters. Control characters become spaces.
    """
    plain = _AUTOLINK_STARTS.sub(lambda match: (match.group(0) or "") + WORD_JOINER, str(text).translate(_CONTROL))
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in plain)


def escape_plotly(text: object) -> str:
    """Text from the data made safe for Plotly's small HTML dialect (titles, labels, hovers, annotations).

    Plotly draws ``<b>``, ``<a href>`` and friends from any string; escaped, a name such as
    ``<a href="http://x">`` shows as written and never becomes a link. A ``%{…}`` in the data would be
    filled in by a hover template (with another value, or nothing): a zero-width space after the ``%`` keeps
    it as written.
    """
    return html.escape(str(text), quote=False).replace("%{", "%\u200b{")


_UNSAFE_IN_LINK_TARGET = set(" \t\n()<>[]\\\"'`")


def markdown_link(label: object, url: object) -> str:
    """A Markdown link to an http(s) address taken from the data; anything else shows as the plain (escaped) label."""
    target = str(url).strip() if isinstance(url, str) else ""
    if not target.lower().startswith(("https://", "http://")) or any(c in _UNSAFE_IN_LINK_TARGET for c in target):
        return escape_markdown(label)
    return f"[{escape_markdown(label)}]({target})"


def shorten(text: object, limit: int = 80) -> str:
    """A value quoted back to a reader (a link notice): one line, at most ``limit`` characters, then '…'."""
    one_line = " ".join(str(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
