"""A whole fiche joins each count to its noun and each figure to « % » (French typography).

« 67 571 habitants », « 12 places », « 100 enfants »: a line must never break between the
number and the noun it counts (no-break space, U+00A0), and « 30 % » takes the narrow
no-break space (U+202F) everywhere, as :func:`fichegen.french.formatting.percent` writes it.
"""

from __future__ import annotations

import re

import pytest
from support_french import html_text
from support_selection import fiche_for

from fichegen.document.compose import compose
from fichegen.options import RenderOptions
from fichegen.renderers.html import render_html

# Counts the fiche's own sentences write (« naissances » is left out: the births figure
# is a value the selection writes, not a typeset sentence).
_SPLIT_COUNT = re.compile(
    r"(?<![\w,.])\d+(?:[,\u202f]\d+)* (habitants?|places?|enfants?|exemples?|réalisations?"
    r"|points?|communes?|acteurs?|contrats?|demandes?)\b"
)


@pytest.mark.parametrize("code", ["69123", "85113", "59005"])  # Lyon, L'Île-d'Yeu, Allennes
def test_no_count_is_split_from_its_noun_and_percent_is_narrow(code: str) -> None:
    text = "\n".join(html_text(render_html(compose(fiche_for(code), RenderOptions()))))
    assert _SPLIT_COUNT.findall(text) == []
    assert re.search(r"\d\u00a0(habitants|places|enfants)\b", text)
    assert not re.search(r"\d[ \u00a0]%", text)
    assert re.search(r"\d\u202f%", text)
