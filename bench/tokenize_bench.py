"""Tokenizer speed: ``tokenize_texts`` against a plain ``Tagger().parse`` loop.

The baseline is the least any tokenizer must do: one default-format parse per
text, output thrown away. ``tokenize_texts`` also NFKC-normalises, deduplicates,
keeps content-word lemmas and, above 10,000 distinct texts, uses the worker
processes (``n_jobs=None``: every core, at most two). "cold" is the first call in this process (it starts the worker processes);
"warm" is a server that has tokenized before (the pool and caches are
reused). Target: warm/raw at 30k <= 1.25.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable

import fugashi

from analysis import text as text_module
from analysis import workers
from analysis.text import tokenize_texts

_OPENERS = [
    "正直なところ",
    "現場としては",
    "管理職の立場から言うと",
    "研修を受けてみて",
    "最近",
    "部署内では",
    "個人的には",
    "上司から言われて",
    "同僚と話していて",
    "お客様対応の中で",
    "去年から",
    "導入が決まってから",
    "説明会のあと",
    "",
    "",
    "",
]
_OBJECTS = [
    "営業日報の要約",
    "議事録の作成",
    "マニュアル作り",
    "メールの下書き",
    "提案書のたたき台",
    "問い合わせへの回答",
    "データの集計",
    "翻訳作業",
    "社内規程の検索",
    "研修資料の準備",
    "顧客リストの整理",
    "契約書のチェック",
    "シフト表の作成",
    "在庫の予測",
    "アンケートの分析",
    "報告書のまとめ",
    "会議の日程調整",
    "FAQの更新",
    "ＰｏＣの振り返り",
    "請求書の処理",
    "見積もりの作成",
    "採用面接の準備",
    "新人教育",
    "品質チェック",
    "クレーム対応の記録",
]
_PREDICATES = [
    "にAIを使えば時間が浮くと思う",
    "をAIに任せられると助かる",
    "がAIで本当に楽になるのか疑問",
    "にChatGPTを試したが精度が心配",
    "は人がやるべきだと感じる",
    "で仕事が奪われるのではと不安",
    "のやり方を誰に相談すればいいか分からない",
    "にツールを入れても定着しないと思う",
    "がまたPoCで終わりそうで疲れた",
    "の目的がはっきりしないまま進んでいる",
    "を自動化してほしいと前から思っていた",
    "に使えるルールを決めてほしい",
    "で情報漏えいが起きないか心配",
    "の手順を一緒に見直したい",
    "が早くなって残業が減った",
    "で上と現場の板挟みになっている",
    "に関する勉強会を増やしてほしい",
    "を若手が提案してくれるようになった",
]
_CLOSERS = [
    "。",
    "です。",
    "と感じています。",
    "！",
    "…",
    "。特に繁忙期は。",
    "。皆さんはどうでしょうか。",
    "と思います。",
    "。ぜひ検討してください。",
    "。上司にも伝えました。",
    "",
]


def distinct_answers(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct survey-like answers built from phrase parts (no network, no files).

    >>> answers = distinct_answers(50)
    >>> len(answers), len(set(answers))
    (50, 50)
    """
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        parts = [
            rng.choice(_OPENERS),
            rng.choice(_OBJECTS),
            rng.choice(_PREDICATES),
            rng.choice(_CLOSERS),
        ]
        if rng.random() < 0.6:
            parts += [rng.choice(_OBJECTS), rng.choice(_PREDICATES), rng.choice(_CLOSERS)]
        if rng.random() < 0.3:
            parts.append(f"（{rng.randint(1, 12)}月）")
        text = "".join(parts)
        if rng.random() < 0.2:
            text = text.translate(_FULL_WIDTH)
        seen[text] = None
    return list(seen)


_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _raw_parse(texts: list[str]) -> None:
    tagger = fugashi.Tagger()
    for text in texts:
        tagger.parse(text)


def run(full: bool = False, repeats: int = 5) -> list[dict[str, object]]:
    """Time raw parsing vs ``tokenize_texts`` and print one table row per size.

    Raw and tokenize runs alternate so that load from other processes hits
    both alike. ``best/best`` compares the fastest run of each; ``median`` is
    the median of the per-pair ratios (closer to 1 than it should be when
    other processes compete for the two cores the workers need).
    """
    sizes = [1_000, 10_000, 30_000] + ([100_000] if full else [])
    rows = []
    print(f"tokenize_texts vs Tagger().parse loop (distinct answers; seconds, best of {repeats})")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"{'n':>8} {'chars/text':>10} {'raw parse':>10} {'cold':>8} {'warm':>8} {'best/best':>9}"
        f" {'median':>7}  path"
    )
    for n in sizes:
        texts = distinct_answers(n, seed=n)
        chars = sum(map(len, texts)) / n
        cold = _seconds(lambda t=texts: tokenize_texts(t))
        raws, warms = [], []
        for _ in range(repeats):
            raws.append(_seconds(lambda t=texts: _raw_parse(t)))
            warms.append(_seconds(lambda t=texts: tokenize_texts(t)))
        ratio = statistics.median(w / r for w, r in zip(warms, raws, strict=True))
        jobs = workers.jobs_for(None, n, threshold=text_module._PROCESS_THRESHOLD)
        path = f"{jobs} processes" if jobs > 1 else "in-process"
        best = min(warms) / min(raws)
        rows.append(
            {
                "n": n,
                "raw": min(raws),
                "cold": cold,
                "warm": min(warms),
                "ratio": best,
                "median": ratio,
            }
        )
        print(
            f"{n:>8} {chars:>10.1f} {min(raws):>10.3f} {cold:>8.3f} {min(warms):>8.3f} {best:>9.2f}"
            f" {ratio:>7.2f}  {path}"
        )
    return rows


if __name__ == "__main__":
    run()
