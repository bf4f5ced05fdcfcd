"""Write bench/data/kyoto_wiki_lead.csv and kyoto_wiki_short.csv: labelled Japanese short texts.

Source: the Japanese-English Bilingual Corpus of Wikipedia's Kyoto Articles 2.01
(NICT, from Japanese Wikipedia; CC BY-SA 3.0), as stored in the public repository
``venali/BilingualCorpus`` (``wiki_corpus_2.01/<CATEGORY>/<ID>.xml``). Only the
Japanese sentences (``<j>``) are used; the label is the corpus's category folder.

- ``kyoto_wiki_lead``: each article's first sentence (like a headline plus first
  sentence: 「琵琶湖線（びわこせん）は、…の愛称である。」), at most 120 characters.
- ``kyoto_wiki_short``: one other sentence of the article, 12-40 characters
  (a short answer's length), drawn with a fixed seed.

One text per article in each set, PER_CATEGORY articles per category drawn with a
fixed seed; the category 学校 (46 articles) is left out. Deterministic: run
``python bench/data/make_kyoto_sets.py GIT_DIR`` (a clone or bare mirror of the
repository) to write the same files.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path

from defusedxml import ElementTree

OUT = Path(__file__).resolve().parent
ROOT = "wiki_corpus_2.01"
PER_CATEGORY = 120
SEED = 17
CATEGORIES = {
    "BDS": "仏教",
    "BLD": "建築",
    "CLT": "文化",
    "EPR": "天皇",
    "FML": "氏族",
    "GNM": "地名",
    "HST": "歴史",
    "LTT": "文学",
    "PNM": "人名",
    "RLW": "鉄道",
    "ROD": "道路",
    "SAT": "寺社",
    "SNT": "神道",
    "TTL": "官職",
}
LEAD_MAX = 120
SHORT_RANGE = (12, 40)


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def _sentences(xml: str) -> list[str]:
    root = ElementTree.fromstring(xml)
    out = []
    for sen in root.iter("sen"):
        j = sen.find("j")
        if j is not None and j.text and j.text.strip():
            out.append(" ".join(j.text.split()))
    return out


def build(git_dir: str) -> dict[str, list[tuple[str, str]]]:
    rng = random.Random(SEED)
    sets: dict[str, list[tuple[str, str]]] = {"kyoto_wiki_lead": [], "kyoto_wiki_short": []}
    for code, label in CATEGORIES.items():
        paths = sorted(_git(git_dir, "ls-tree", "--name-only", "HEAD", f"{ROOT}/{code}/").split())
        rng.shuffle(paths)
        lead, short = [], []
        for path in paths:
            if len(lead) >= PER_CATEGORY and len(short) >= PER_CATEGORY:
                break
            sentences = _sentences(_git(git_dir, "show", f"HEAD:{path}"))
            if not sentences:
                continue
            if len(lead) < PER_CATEGORY and len(sentences[0]) <= LEAD_MAX:
                lead.append(sentences[0])
            fitting = [s for s in sentences[1:] if SHORT_RANGE[0] <= len(s) <= SHORT_RANGE[1]]
            if len(short) < PER_CATEGORY and fitting:
                short.append(rng.choice(fitting))
        sets["kyoto_wiki_lead"] += [(text, label) for text in lead]
        sets["kyoto_wiki_short"] += [(text, label) for text in short]
    return sets


def main(git_dir: str) -> None:
    for name, rows in build(git_dir).items():
        with (OUT / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "label"])
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1])
