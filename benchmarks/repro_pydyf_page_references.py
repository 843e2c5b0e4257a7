"""Minimal reproducer for upstream (pydyf / WeasyPrint): tagging rebuilds every page
reference once per structure element.

Run: ``.venv/bin/python benchmarks/repro_pydyf_page_references.py`` (needs only WeasyPrint).
It writes a 20-page tagged PDF of plain paragraphs and counts calls to
``pydyf.PDF.page_references`` and the f-strings they format, then times the same
``write_pdf`` with the property cached (a possible fix), interleaved; the output must
not change. The cost grows as elements × pages: small for a 10-page fiche, large for long
documents.
"""

from __future__ import annotations

import statistics
import time

import pydyf
import weasyprint

HTML = (
    "<html lang=en><body>"
    + "".join(
        f"<h2>Part {i}</h2>" + "<p>Some text in a paragraph, tagged as P.</p>" * 12
        for i in range(40)
    )
    + "</body></html>"
)

original = pydyf.PDF.__dict__["page_references"]
calls = {"n": 0, "pages": 0}


def counting(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    calls["n"] += 1
    references = original.fget(pdf)
    calls["pages"] += len(references)
    return references


def cached(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    key, refs = pdf.__dict__.get("_refs", (None, ()))
    if key != len(kids):
        refs = original.fget(pdf)
        pdf.__dict__["_refs"] = (len(kids), refs)
    return refs


document = weasyprint.HTML(string=HTML).render()
print(
    f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}, {len(document.pages)} pages"
)
pydyf.PDF.page_references = property(counting)
reference_pdf = document.write_pdf(pdf_tags=True)
print(f"page_references read {calls['n']} times, {calls['pages']} references formatted")

times: dict[str, list[float]] = {"property": [], "cached": []}
for _ in range(7):
    for name, getter in (("property", original.fget), ("cached", cached)):
        pydyf.PDF.page_references = property(getter)
        start = time.process_time()
        pdf = document.write_pdf(pdf_tags=True)
        times[name].append(time.process_time() - start)
        assert pdf == reference_pdf, "the cached property must not change the output"
pydyf.PDF.page_references = original
for name, values in times.items():
    print(f"write_pdf (tagged) with {name}: median {1000 * statistics.median(values):.0f} ms CPU")
