"""The one escaping path: link values and data strings reach Markdown and Plotly as text, never as markup.

Each payload is escaped and then rendered by a CommonMark renderer (markdown-it, the same
grammar as Streamlit's react-markdown): the result must hold no image, no link and no tag,
and its visible text must be the payload itself.
"""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from china_bigscience.filters import FacilityFilter
from china_bigscience.safe_text import WORD_JOINER, escape_markdown, escape_plotly, markdown_link, shorten

PAYLOADS = [
    "![x](http://127.0.0.1:9/tracker.png)",
    "[text](http://127.0.0.1:9/x)",
    "<img src=x onerror=alert(1)>",
    '<a href="http://127.0.0.1:9/x">click</a>',
    "**bold** _it_ `code` ~~del~~",
    ":red[coloured] :material/warning: $x^2$",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| a | b |",
    "a\n===",
    "<http://127.0.0.1:9/auto>",
    "[ref]: http://127.0.0.1:9/ref",
    "&lt;entity&gt; &amp;",
    "x" * 5000,
    "![" * 200 + "](" * 200,
]

RENDERER = MarkdownIt("commonmark")


def visible_text(rendered_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered_html)).replace(WORD_JOINER, "").strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_renders_as_itself_with_no_image_link_or_tag(payload):
    rendered = RENDERER.render(escape_markdown(payload))
    assert "<img" not in rendered and "<a " not in rendered, rendered
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, (payload, tags)
    assert visible_text(rendered) == payload.strip()


# The patterns of remark-gfm's autolink literals (mdast-util-gfm-autolink-literal), which Streamlit's
# Markdown applies to text *after* backslash escapes are resolved.
GFM_AUTOLINKS = [re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+"), re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+")]


@pytest.mark.parametrize("payload", [*PAYLOADS, "see http://127.0.0.1:9/x", "www.example.com/p", "mail me: a.b@example.org",
                                     "HTTPS://EXAMPLE.COM"])
def test_bare_addresses_do_not_become_links(payload):
    rendered = RENDERER.render(escape_markdown(payload))
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()  # with the invisible joiners
    for pattern in GFM_AUTOLINKS:
        assert not pattern.search(text), (payload, text)
    assert text.replace(WORD_JOINER, "") == payload.strip()


def test_unescaped_payloads_would_draw_an_image_and_a_link():
    # The renderer is a fair judge: without escaping, the same payloads are live.
    assert "<img" in RENDERER.render(PAYLOADS[0])
    assert "<a " in RENDERER.render(PAYLOADS[1])


def test_control_characters_become_spaces():
    assert escape_markdown("a\x00b\x1bc\td") == "a b c d"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plotly_text_has_no_tag(payload):
    escaped = escape_plotly(payload)
    assert "<" not in escaped and ">" not in escaped
    assert html.unescape(escaped) == payload


def test_markdown_link_only_for_plain_http_addresses():
    assert markdown_link("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/") == \
        "[CC BY 4\\.0](https://creativecommons.org/licenses/by/4.0/)"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://x) ![y](http://127.0.0.1:9/p.png", None, ""):
        out = markdown_link("Licence", bad)
        assert out == "Licence"
        assert "<img" not in RENDERER.render(out) and "<a " not in RENDERER.render(out)


def test_shorten_keeps_one_line_and_a_bound():
    assert shorten("a\n\nb   c") == "a b c"
    long = shorten("y" * 1000, 80)
    assert len(long) == 80 and long.endswith("…")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_search_from_the_link_is_described_safely(payload):
    described = FacilityFilter(text=payload).describe()
    assert "\n" not in described
    assert len(described) < 100
    rendered = RENDERER.render(escape_markdown(described))
    assert "<img" not in rendered and "<a " not in rendered


def test_a_hover_template_placeholder_in_the_data_is_shown_as_written_not_filled_in():
    """Plotly fills %{…} in a hover template; a data value with one must not pull in another value."""
    import plotly.graph_objects as go

    from china_bigscience.safe_text import escape_plotly

    name = escape_plotly("Lab %{customdata} <b>")
    assert "%{" not in name and "<b>" not in name
    figure = go.Figure(go.Bar(x=[1], y=[1], customdata=["secret"], hovertemplate=f"{name}: %{{y}}<extra></extra>"))
    assert figure.data[0].hovertemplate.count("%{") == 1  # only the template's own %{y}
