"""HTML rendering: structure, metadata, escaping of hostile text, strict templates."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from jinja2 import StrictUndefined, UndefinedError
from support_render import LEVER_TITLES, SECTION_TITLES, sample_document

from fichegen.document.model import KeyFigure, Run
from fichegen.renderers.html import environment, render_html

HOSTILE = (
    '<img src="file:///etc/hostname"> <link rel=stylesheet href="file:///etc/passwd"> '
    '<span style="background: url(file:///etc/hostname)">x</span> {{ 7*7 }} {% if 1 %}ok{% endif %}'
)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self._current: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4"}:
            self._current, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._current:
            self.headings.append((tag, "".join(self._text).strip()))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current:
            self._text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_environment_is_strict_autoescaping_and_cached() -> None:
    env = environment()
    assert env is environment()
    assert env.autoescape is True
    assert env.undefined is StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ nothing_here }}").render()


def test_headings_follow_the_document_order() -> None:
    parsed = _parse(render_html(sample_document()))
    h1 = [text for tag, text in parsed.headings if tag == "h1"]
    h2 = [text for tag, text in parsed.headings if tag == "h2"]
    h3 = [text for tag, text in parsed.headings if tag == "h3"]
    assert h1 == ["Fiche n°\u00a015 — Anstaing"]
    assert h2 == list(SECTION_TITLES)
    assert [text.split(" ", 1)[1] for text in h3] == list(LEVER_TITLES)
    assert [text.split(" ", 1)[0] for text in h3] == ["1.", "2.", "3.", "4.", "5."]


def test_page_metadata_and_language() -> None:
    doc = sample_document()
    parsed = _parse(render_html(doc))
    html_tag = next(attrs for tag, attrs in parsed.tags if tag == "html")
    assert html_tag["lang"] == "fr"
    metas = {attrs.get("name"): attrs.get("content") for tag, attrs in parsed.tags if tag == "meta"}
    assert metas["author"] == doc.author
    assert metas["description"] == doc.subject
    assert metas["dcterms.created"] == "2026-11-26"
    assert metas["generator"] == doc.generator
    assert "Anstaing" in (metas["keywords"] or "")


def _count_missing(blocks: object) -> int:
    if isinstance(blocks, tuple):
        return sum(_count_missing(b) for b in blocks)
    if isinstance(blocks, Run):
        return int(blocks.missing)
    if isinstance(blocks, KeyFigure):
        return int(blocks.missing)
    for name in ("blocks", "runs", "items", "rows"):
        if hasattr(blocks, name):
            return _count_missing(getattr(blocks, name))
    return 0


def test_missing_figures_are_marked() -> None:
    doc = sample_document()
    html = render_html(doc)
    expected = _count_missing(doc.sections)
    assert expected >= 3
    assert html.count('<mark class="missing">') == expected
    assert 'class="figure figure-missing"' in html


def test_standalone_inlines_css_and_map_linked_mode_links_assets() -> None:
    doc = sample_document()
    alone = _parse(render_html(doc))
    assert not [t for t, _ in alone.tags if t == "link"]
    assert [t for t, _ in alone.tags if t == "style"]
    assert [t for t, _ in alone.tags if t == "svg"]
    linked = _parse(render_html(doc, standalone=False))
    hrefs = [a["href"] for t, a in linked.tags if t == "link"]
    assert hrefs == ["fonts.css", "fiche.css"]


def test_hostile_free_text_is_literal() -> None:
    html = render_html(sample_document(free_text=HOSTILE))
    parsed = _parse(html)
    assert not [t for t, _ in parsed.tags if t == "img"]
    assert all(a.get("href") != "file:///etc/passwd" for t, a in parsed.tags if t == "link")
    assert not [a for t, a in parsed.tags if "style" in a]
    assert "&lt;img src=&#34;file:///etc/hostname&#34;&gt;" in html
    assert "{{ 7*7 }}" in html
    assert "{% if 1 %}ok{% endif %}" in html
    escaped = (
        "&lt;img src=&#34;file:///etc/hostname&#34;&gt; &lt;link rel=stylesheet "
        "href=&#34;file:///etc/passwd&#34;&gt; &lt;span style=&#34;background: "
        "url(file:///etc/hostname)&#34;&gt;x&lt;/span&gt; {{ 7*7 }} {% if 1 %}ok{% endif %}"
    )
    assert f"<strong>{escaped}</strong>" in html


def test_rendering_is_deterministic() -> None:
    assert render_html(sample_document()) == render_html(sample_document())
    assert render_html(sample_document(), standalone=False) == render_html(
        sample_document(), standalone=False
    )


def test_strong_and_emphasis_runs() -> None:
    doc = sample_document(free_text="Crèche « Les Petits » & Cie")
    html = render_html(doc)
    assert "<strong>Crèche « Les Petits » &amp; Cie</strong>" in html
    assert Run("x", emphasis=True).emphasis
