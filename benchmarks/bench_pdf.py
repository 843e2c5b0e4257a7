"""Benchmark of the HTML and PDF renderers against bare WeasyPrint (prints figures only).

Run from the checkout: ``PYTHONPATH=.:tests python benchmarks/bench_pdf.py [--repeat N]``.
For each document: fichegen HTML time, fichegen PDF time (``render_pdf``, locked fetcher,
pinned timestamps, option checks) and, in the same run, bare WeasyPrint rendering the same
HTML with the same stylesheets and its default fetcher; then the ratio of the medians.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support_render import sample_document  # noqa: E402

import fichegen.renderers.fetcher as locked  # noqa: E402  (imports WeasyPrint quietly)
from fichegen.document.model import Document  # noqa: E402
from fichegen.renderers.html import render_html  # noqa: E402
from fichegen.renderers.pdf import render_pdf  # noqa: E402


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _documents() -> dict[str, Document]:
    import fichegen

    documents = {
        path.name: fichegen.compose(fichegen.build(fichegen.load_profile(path)))
        for path in sorted((ROOT / "profiles").glob("*.yaml"))
    }
    documents["exemple (Anstaing)"] = sample_document()
    documents["exemple + outre-mer"] = sample_document(overseas=True)
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML

    from fichegen.renderers.pdf import pdf_options

    same = {k: v for k, v in pdf_options(None).items() if k != "pdf_variant"}
    print(
        f"{'document':<24} {'HTML ms':>8} {'PDF ms':>8} {'bare ms':>8} {'ratio':>6}"
        f" {'bare défaut ms':>15}"
    )
    for name, doc in _documents().items():
        render_pdf(doc)  # warm caches (fonts, templates) for both paths
        html = render_html(doc, standalone=False)
        base = locked.asset_base_url()
        html_ms = _median_ms(lambda doc=doc: render_html(doc), args.repeat)  # type: ignore[misc]
        pdf_times: list[float] = []
        bare_times: list[float] = []
        default_times: list[float] = []
        for _ in range(args.repeat):  # interleaved so machine load hits both alike
            pdf_times.append(_median_ms(lambda doc=doc: render_pdf(doc), 1))  # type: ignore[misc]
            bare_times.append(  # same HTML, same options (tagged PDF), WeasyPrint's defaults else
                _median_ms(
                    lambda html=html, base=base: HTML(string=html, base_url=base).write_pdf(  # type: ignore[misc]
                        **same
                    ),
                    1,
                )
            )
            default_times.append(  # same HTML, WeasyPrint's default options (untagged)
                _median_ms(
                    lambda html=html, base=base: HTML(string=html, base_url=base).write_pdf(),  # type: ignore[misc]
                    1,
                )
            )
        pdf_ms = statistics.median(pdf_times)
        bare_ms = statistics.median(bare_times)
        default_ms = statistics.median(default_times)
        print(
            f"{name:<24} {html_ms:8.1f} {pdf_ms:8.1f} {bare_ms:8.1f} {pdf_ms / bare_ms:6.2f}"
            f" {default_ms:15.1f}"
        )


if __name__ == "__main__":
    main()
