"""French: the text layer shared by every stage that writes French.

Takes numbers, dates and words and gives them as a French publisher prints them:
grouped digits, decimal comma, dates, amounts.
"""

from __future__ import annotations

__all__: list[str] = []
