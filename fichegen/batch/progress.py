"""Progress of a long batch: a tqdm bar on a terminal, plain periodic lines otherwise.

Plain lines (CI, logs) are printed every 10 % of the work or every 10 seconds,
whichever comes first, in French, on stderr. Both use French number format: grouped
thousands, decimal comma, « 2,5 fiches/s », durations in « min » and « s ».
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from fichegen.french.formatting import integer, number

__all__ = ["Progress"]

BAR_FORMAT = "{desc} : {fait}/{total_fr} |{bar}| {vitesse}, reste {reste}"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _rate(per_second: float) -> str:
    """``2,5 fiches/s``; ``1 fiche/s`` and below in the singular."""
    shown = number(per_second, 1)
    return f"{shown} {'fiches' if per_second >= 2 else 'fiche'}/s"


def _french_bar() -> Any:
    """A tqdm bar whose figures are French (tqdm is imported only when a bar is shown)."""
    from tqdm import tqdm

    class FrenchBar(tqdm):  # type: ignore[misc]
        @property
        def format_dict(self) -> dict[str, Any]:
            values: dict[str, Any] = super().format_dict
            done, total, elapsed = values["n"], values["total"] or 0, values["elapsed"]
            rate = values["rate"] or (done / elapsed if done and elapsed else None)
            values["fait"] = integer(done)
            values["total_fr"] = integer(total)
            values["vitesse"] = _rate(rate) if rate else "…"
            values["reste"] = _duration((total - done) / rate) if rate else "…"
            return values

    return FrenchBar


class Progress:
    """Count finished communes and show it: ``mode`` True/False/None (None = automatic)."""

    def __init__(
        self,
        total: int,
        *,
        label: str,
        mode: bool | None = None,
        stream: TextIO | None = None,
        every_s: float = 10.0,
    ) -> None:
        self.total = total
        self.done = 0
        self.label = label
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.enabled = mode is not False
        self._every_s = every_s
        self._start = time.monotonic()
        self._last_time = self._start
        self._last_step = 0
        self._bar: Any = None
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        if self.enabled and is_tty and total > 0:
            self._bar = _french_bar()(
                total=total,
                desc=label,
                file=self.stream,
                dynamic_ncols=True,
                bar_format=BAR_FORMAT,
            )

    def update(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(count)
            return
        now = time.monotonic()
        step = (self.done * 10) // self.total if self.total else 10
        if step > self._last_step or now - self._last_time >= self._every_s:
            self._last_step = step
            self._last_time = now
            self.line(self._status(now))

    def _status(self, now: float) -> str:
        elapsed = now - self._start
        percent = 100 * self.done // self.total if self.total else 100
        text = f"{self.label} : {integer(self.done)}/{integer(self.total)} fiches ({percent} %)"
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            left = (self.total - self.done) / rate
            text += f", {_rate(rate)}, reste environ {_duration(left)}"
        return text

    def line(self, text: str) -> None:
        """Print one message line without breaking the bar (file names and messages made
        printable: an escape sequence in a file name must not reach the terminal)."""
        if not self.enabled:
            return
        from fichegen.errors import printable

        text = printable(text)
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    @staticmethod
    def duration(seconds: float) -> str:
        return _duration(seconds)
