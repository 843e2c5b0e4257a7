"""Reading fiches as a French reader would: text out of HTML, and Grammalecte's verdict.

Grammalecte (Debian ``grammalecte-cli``, installed by ``scripts/setup.sh --dev``) checks
grammar and typography. It is run once for many texts: each text is written as lines of
one file, and its findings are mapped back by paragraph number.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ALLOWED", "Finding", "grammalecte", "html_text", "unexplained"]

# Superscript letters of ordinals (1<sup>er</sup>) as the Unicode letters Grammalecte knows.
_SUPERSCRIPT = str.maketrans("erdn", "ᵉʳᵈⁿ")
_BREAKS = re.compile(r"<br\s*/?>|</(p|li|h\d|td|th|div|dd|dt|figcaption|caption|title)>")


def html_text(page: str) -> list[str]:
    """The visible text of an HTML fiche, one line per paragraph, cell or list item."""
    page = re.sub(r"(?s)<(style|script|svg|head)[^>]*>.*?</\1>", "", page)
    page = re.sub(r"<sup>([^<]*)</sup>", lambda m: m.group(1).translate(_SUPERSCRIPT), page)
    # Chips and tags are separate labels, not one sentence.
    page = re.sub(r'<span class="[^"]*(chip|tag|distance|badge)[^"]*">', "\n", page)
    text = html.unescape(re.sub(r"<[^>]+>", "", _BREAKS.sub("\n", page)))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Finding:
    text: str  # which sample text
    rule: str
    before: str
    underlined: str
    after: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.text}: …{self.before[-30:]}[{self.underlined}]{self.after[:20]}… "
            f"→ {self.message} ({self.rule})"
        )


# Proven false positives, each on an official or fixed name (rule id, regex on
# "before[underlined]after"). Anything else Grammalecte reports fails the test.
ALLOWED: tuple[tuple[str, str], ...] = (
    # « relais petite enfance » (art. L214-2-1 CASF), « pôle petite enfance »: a fixed noun
    # used as a complement, read by Grammalecte as an adjective that should agree.
    ("g3__gn_", r"\[petite\] enfance"),
    ("g3__gn_", r"petite enfance \[\w+\]"),
    # Official EPCI names from the DGCL file, written with a capital on purpose.
    ("g2__maj_gentilés", r"Métropole \[Européenne\] de Lille"),
    ("g3__gn_start", r"CA \[Intercommunale\] du Nord"),
    # The file names of the open-data files a fiche names as the source of a figure.
    ("typo_espace_manquant_après", r"\w\.\[(zip|csv|CSV)\]"),
    # An INSEE code is an identifier, not a quantity: its digits are not grouped.
    ("num_grand_nombre_soudé", r"code INSEE \[\d{5}\]"),
)


def grammalecte(texts: dict[str, list[str]]) -> list[Finding]:
    """Grammar and typography findings (spelling left out: proper names) for every text."""
    exe = shutil.which("grammalecte-cli")
    if exe is None:
        raise RuntimeError("grammalecte-cli absent : lancez scripts/setup.sh --dev")
    owners: list[str] = []
    lines: list[str] = []
    for name, paragraphs in texts.items():
        for paragraph in paragraphs:
            owners.append(name)
            lines.append(paragraph)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fiches.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run = subprocess.run(
            [exe, "-f", str(path), "-j", "-ctx", "-owe"],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    findings = []
    for paragraph in json.loads(run.stdout)["data"]:
        owner = owners[int(paragraph["iParagraph"]) - 1]
        for error in paragraph["lGrammarErrors"]:
            findings.append(
                Finding(
                    owner,
                    error.get("sRuleId", ""),
                    error.get("sBefore", ""),
                    error.get("sUnderlined", ""),
                    error.get("sAfter", ""),
                    error.get("sMessage", ""),
                )
            )
    return findings


def unexplained(findings: list[Finding]) -> list[Finding]:
    """The findings that no entry of :data:`ALLOWED` explains."""
    return [
        f
        for f in findings
        if not any(
            f.rule.startswith(rule) and re.search(pattern, f"{f.before}[{f.underlined}]{f.after}")
            for rule, pattern in ALLOWED
        )
    ]
