"""Count features: the array code against scikit-learn with a plain Python analyzer.

The reference analyzer below is the definition of the character n-grams (it was
the topic model's analyzer before the counting moved to numpy). Lemmas assume
unidic-lite (1.0.8).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis.features import answer_features, lemma_counts, ngram_counts, ngram_terms
from analysis.load import read_survey
from analysis.text import normalize_text, tokenize_with_forms

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
_BREAK = re.compile(r"[\u3041-\u309f\s\W\d_]+")


def reference_ngrams(text: str) -> list[str]:
    """Character 2- and 3-grams inside runs that hiragana, digits and symbols break."""
    grams: list[str] = []
    for run in _BREAK.split(text):
        n = len(run)
        if n == 1:
            grams.append(run)
        elif n:
            grams += [run[i : i + 2] for i in range(n - 1)]
            grams += [run[i : i + 3] for i in range(n - 2)]
    return grams


def assert_same_counts(texts: list[str], min_df: int = 1) -> None:
    counts, _ = ngram_counts(texts, min_df=min_df)
    try:
        vectorizer = CountVectorizer(analyzer=reference_ngrams, min_df=min_df)
        expected = vectorizer.fit_transform(texts)
        terms = list(vectorizer.get_feature_names_out())
    except ValueError:  # scikit-learn refuses an empty vocabulary
        expected, terms = np.zeros((len(texts), 0)), []
    assert ngram_terms(texts, min_df=min_df) == terms
    assert counts.shape == expected.shape
    assert (counts != expected).nnz == 0 if terms else counts.nnz == 0


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("営業日報を要約したい", ["営業", "営業日", "日報", "業日", "業日報", "要約"]),
        ("AIで日報", ["AI", "日報"]),  # で breaks the run
        ("議事録", ["議事", "議事録", "事録"]),
        ("私は", ["私"]),  # a run of one counts as itself
        ("2024年", ["年"]),  # digits break runs
        ("ｱｲ", ["ｱｲ"]),  # half-width katakana are letters (NFKC happens before)
        ("ですます", []),  # hiragana only
        ("𠮷野家", ["𠮷野", "𠮷野家", "野家"]),  # a code point above U+FFFF
        ("", []),
    ],
)
def test_ngram_terms_table(text: str, grams: list[str]) -> None:
    assert ngram_terms([text]) == sorted(set(grams))


@pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not present")
def test_counts_and_min_df_match_scikit_learn_on_a_real_free_text_column() -> None:
    table = read_survey(REALDATA / "monthly_202301_utf8bom.csv")
    frame = table.frame
    column = max(frame.columns, key=lambda c: frame[c].astype(str).str.len().mean())
    texts = list(dict.fromkeys(normalize_text(str(t)) for t in frame[column].dropna()))
    assert len(texts) > 100
    assert_same_counts(texts)
    assert_same_counts(texts, min_df=2)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=8), st.integers(1, 3))
def test_counts_match_scikit_learn_on_any_text(texts: list[str], min_df: int) -> None:
    assert_same_counts(texts, min_df)


def test_lemma_counts_match_scikit_learn() -> None:
    tokens = tokenize_with_forms(["日報の要約に使いたい", "日報を要約", "", "議事録を作る"]).tokens
    counts, vocabulary = lemma_counts(tokens)
    vectorizer = CountVectorizer(analyzer=lambda t: t)
    expected = vectorizer.fit_transform(tokens)
    assert vocabulary == list(vectorizer.get_feature_names_out())
    assert (counts != expected).nnz == 0
    assert vocabulary == ["作る", "使う", "日報", "要約", "議事"]  # code point order
    assert counts.toarray().tolist() == [[0, 1, 1, 1, 0], [0, 0, 1, 1, 0], [0] * 5, [1, 0, 0, 0, 1]]
    assert lemma_counts([[], []])[0].shape == (2, 0)


def test_answer_features_are_the_two_tfidf_blocks_joined() -> None:
    texts = [f"営業日報を要約{i}回したい" for i in range(12)] + [
        f"議事録の作成を任せたい{i}" for i in range(12)
    ]
    tokens = tokenize_with_forms(texts).tokens
    features = answer_features(texts, tokens)
    lemmas = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True, min_df=2).fit_transform(
        tokens
    )
    grams = TfidfVectorizer(analyzer=reference_ngrams, sublinear_tf=True, min_df=2).fit_transform(
        texts
    )
    expected = normalize(np.hstack([lemmas.toarray(), grams.toarray()]))
    assert features.vectors.shape == expected.shape
    np.testing.assert_allclose(features.vectors.toarray(), expected, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(features.vectors.toarray(), axis=1), 1.0)
    assert features.vocabulary == sorted(features.vocabulary)


def test_counting_in_blocks_gives_the_same_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.features as features_module

    texts = [f"営業日報を要約{i}回" if i % 3 else f"議事録{i}" for i in range(40)] + ["", "です"]
    whole, whole_codes = ngram_counts(texts, min_df=2)
    monkeypatch.setattr(features_module, "BLOCK", 7)  # 6 blocks, the last two texts alone
    blocks, block_codes = ngram_counts(texts, min_df=2)
    assert (blocks != whole).nnz == 0 and blocks.shape == whole.shape
    assert block_codes.tolist() == whole_codes.tolist()
    assert blocks.has_sorted_indices and blocks.dtype == np.int64
