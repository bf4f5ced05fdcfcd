"""Free-text answers as the topic model and the word network read them, tokenized.

One way from answers as typed to what is analysed: HTML entities unescaped
(:func:`unescaped`), NFKC and 「特になし」 read as no answer
(:func:`analysis.text.normalized_answers`), then lemmas with names and contact
details blanked first, so no name becomes a word (:func:`answer_tokens`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from analysis.masking import blank_pii
from analysis.text import Tokenized, tokenize_with_forms

__all__ = ["answer_tokens", "unescaped"]


def unescaped(texts: Iterable[object]) -> list[object]:
    """Each text with HTML entities as the characters they stand for (``&hellip;`` -> …).

    >>> unescaped(["A&amp;B", None, "日報"])
    ['A&B', None, '日報']
    """
    return [html.unescape(t) if isinstance(t, str) and "&" in t else t for t in texts]


def answer_tokens(texts: Sequence[str], *, n_jobs: int | None = None) -> Tokenized:
    """Lemmas of analysed answers, names and contact details blanked first.

    ``n_jobs`` as for :func:`analysis.text.tokenize_with_forms`.

    >>> answer_tokens(["田中さんに議事録を頼む"])
    Tokenized(tokens=[['議事', '頼む']], forms={'議事': '議事', '頼む': '頼む'}, texts=[' さんに議事録を頼む'])
    """
    return tokenize_with_forms(texts, redact=blank_pii, n_jobs=n_jobs)
