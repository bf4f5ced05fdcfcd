"""The PowerPoint deck a trainer takes to the next workshop (16:9, editable native charts).

- :mod:`~analysis.deck.content`: what each slide says (chart specs, tables,
  texts) from the published tables; no python-pptx.
- :mod:`~analysis.deck.render`: python-pptx only; turns those into native
  charts, text boxes and tables with the East Asian font set.
- :mod:`~analysis.deck.build`: the slide order; :func:`build_deck` is the entry point.
"""

from __future__ import annotations

from analysis.deck.build import Progress, build_deck

__all__ = ["Progress", "build_deck"]
