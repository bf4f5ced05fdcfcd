"""How numbers are written for people: one rounding rule for every percentage.

Sentences, slides and tables that print a share as a whole percent use
:func:`percent`, so 1/8 reads 13% everywhere; a difference a sentence states is
worked out from the percents it shows (:func:`points_apart`), so 「86%と29%で
57ポイント差」 adds up for the reader.
"""

from __future__ import annotations

import math


def percent(share: float) -> int:
    """A 0-1 share as a whole percent, halves rounded up.

    >>> percent(1 / 8), percent(0.785), percent(0.0), percent(1.0)
    (13, 79, 0, 100)
    """
    return int(math.floor(share * 100 + 0.5))


def points_apart(high: float, low: float) -> int:
    """Percentage points between two shares, as the two shown percents differ.

    >>> points_apart(0.8649, 0.2900)  # shown as 86% and 29%
    57
    """
    return percent(high) - percent(low)
