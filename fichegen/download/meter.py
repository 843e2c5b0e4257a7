"""The French progress display of a download: a tqdm bar on a terminal, plain lines otherwise.

Sizes are written as a French publisher prints them (« 1,2 Mo », « 850 ko »), speeds in
« Mo/s ». Without a terminal (CI, logs) one line is printed when a file starts and one
when it ends, so that a log stays short.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from fichegen.errors import printable
from fichegen.french.formatting import integer, number

__all__ = ["Meter", "size_text"]

BAR_FORMAT = "{desc} : {fait} sur {total_fr} |{bar}| {vitesse}"


def size_text(count: float) -> str:
    """``count`` bytes in French: « 512 o », « 850 ko », « 1,2 Mo »."""
    if count < 1000:
        return f"{integer(int(count))}\u00a0o"
    if count < 1_000_000:
        return f"{integer(round(count / 1000))}\u00a0ko"
    return f"{number(count / 1_000_000, 1)}\u00a0Mo"


def _bar_class() -> Any:
    """A tqdm bar whose figures are French (tqdm is imported only when a bar is shown)."""
    from tqdm import tqdm

    class FrenchBytes(tqdm):  # type: ignore[misc]
        @property
        def format_dict(self) -> dict[str, Any]:
            values: dict[str, Any] = super().format_dict
            done, total, rate = values["n"], values["total"], values["rate"]
            values["fait"] = size_text(done)
            values["total_fr"] = size_text(total) if total else "taille inconnue"
            values["vitesse"] = f"{size_text(rate)}/s" if rate else "…"
            return values

    return FrenchBytes


class Meter:
    """Show the progress of one file after another on ``stream`` (stderr by default)."""

    def __init__(self, *, mode: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.enabled = mode is not False
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._use_bar = self.enabled and is_tty
        self._bar: Any = None

    def start(self, label: str, total: int | None) -> None:
        if not self.enabled:
            return
        if self._use_bar:
            self._bar = _bar_class()(
                total=total or None,
                desc=printable(label),
                file=self.stream,
                dynamic_ncols=True,
                bar_format=BAR_FORMAT,
                leave=False,
            )
        else:
            known = f" ({size_text(total)})" if total else ""
            self.line(f"Téléchargement de {label}{known}…")

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def line(self, text: str) -> None:
        """One message line, without breaking a bar."""
        if not self.enabled:
            return
        text = printable(text)
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)
