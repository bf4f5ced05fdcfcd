"""Concurrency and durability: sessions at once, a process killed mid-save, two app processes.

* Four "sessions" (threads, as Streamlit runs them) read a survey, tokenize,
  fit topics, score items, build the deck and save to one shared store at the
  same time; every result equals a sequential run's.
* A child process saving a large wave is killed with SIGKILL inside the
  transaction (an environment variable makes the child, and only the child,
  pause after the rows are flushed): the SQLite file passes
  ``PRAGMA integrity_check`` and holds exactly what was committed before.
* Two processes, each with its own ``WaveStore`` on one SQLite file, save and
  read at the same time: nothing is lost, nothing is stored twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis import gaps
from analysis.deck import build_deck
from analysis.schema import load_survey
from analysis.store import WaveStore
from analysis.text import tokenize_texts
from analysis.topics import fit_topics

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "AIを活用できそうな業務をお書きください"
ITEMS = ("AIで仕事が楽になると思う", "相談できる相手がいる", "AIに仕事を奪われると不安だ")
LIKERT = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)
SUBJECTS = ("日報", "議事録", "マニュアル", "メール文面", "企画書", "会議資料", "見積書", "翻訳")
USES = (
    "の要約に使いたい",
    "の作成を任せたい",
    "を早く作れそう",
    "の下書きに便利",
    "のチェックに使う",
)


def survey_csv(seed: int, rows: int = 120, tag: str = "") -> bytes:
    """A two-wave survey with roles, departments, three items and free text; people differ by seed."""
    rng = random.Random(seed)
    lines = []
    for i in range(rows):
        role = rng.choice(["経営層", "管理職", "一般社員", "一般社員"])
        wave = "研修前" if i % 2 else "研修後"
        answers = [rng.choice(LIKERT) for _ in ITEMS]
        text = rng.choice(SUBJECTS) + rng.choice(USES) + rng.choice(["", "。", "です"]) + tag
        lines.append(
            [
                f"E{seed:03d}{i // 2:04d}",
                role,
                rng.choice(["営業部", "開発部"]),
                wave,
                *answers,
                text,
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["社員番号", "役職", "部署", "回答時期", *ITEMS, QUESTION])
    writer.writerows(lines)
    return buffer.getvalue().encode()


def deck_parts(deck: bytes) -> dict[str, bytes]:
    """The deck's parts; embedded chart workbooks by their sheets (their timestamps vary)."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(content)) as inner:
                    for sub in inner.namelist():
                        if sub.startswith("xl/"):
                            parts[f"{name}!{sub}"] = inner.read(sub)
            elif name != "docProps/core.xml":
                parts[name] = content
    return parts


# --------------------------------------------------------------------------- threads


def session(seed: int, store: WaveStore, survey_name: str) -> dict:
    """What one user's session does, as plain values to compare."""
    content = survey_csv(seed, rows=80)
    survey = load_survey(content, name=f"wave{seed}.csv")
    texts = survey.texts(QUESTION)
    answers = survey.answers()
    first = answers[answers["wave"] == survey.waves[0]]
    topics = fit_topics(
        texts["text"].tolist(), roles=texts["role"].tolist(), waves=texts["wave"].tolist()
    )
    saved = store.save(
        content, filename=f"wave{seed}.csv", schema=survey.schema, survey=survey_name
    )
    stored = store.survey(survey_name)
    return {
        "tokens": tokenize_texts(texts["text"].fillna("").tolist()),
        "topics": topics.to_json(),
        "scores": gaps.item_scores(first, by=("role", "department")).to_json(),
        "deck": deck_parts(build_deck(survey, date=dt.date(2025, 4, 1))),
        "saved": sorted((w.label, w.n_responses) for w in saved),
        "stored": len(stored.frame),
    }


def test_sessions_in_threads_give_the_sequential_results(tmp_path):
    seeds = [1, 2, 1]  # two surveys, the first opened by two sessions at once
    alone = {
        seed: session(seed, WaveStore(f"sqlite:///{tmp_path / f'alone{seed}.db'}"), "S")
        for seed in set(seeds)
    }
    shared = WaveStore(f"sqlite:///{tmp_path / 'shared.db'}")  # one engine, as in the app
    with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
        together = list(pool.map(lambda s: session(s, shared, f"S{s}"), seeds))
    for seed, result in zip(seeds, together, strict=True):
        for key, expected in alone[seed].items():
            assert result[key] == expected, (seed, key)
    assert len(alone[1]["deck"]) > 20 and alone[1]["tokens"] != alone[2]["tokens"]
    assert sorted(shared.surveys()) == ["S1", "S2"]
    assert [len(shared.waves(f"S{s}")) for s in (1, 2)] == [2, 2]  # each file stored once
    check_database(tmp_path / "shared.db")


# --------------------------------------------------------------------------- processes

CHILD = textwrap.dedent(
    r"""
    import json, os, sys, time
    from pathlib import Path
    from analysis.schema import load_survey
    from analysis.store import WaveStore

    url, mode, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = WaveStore(url)

    def save(path, survey="S"):
        content = path.read_bytes()
        schema = load_survey(content, name=path.name).schema
        return store.save(content, filename=path.name, schema=schema, survey=survey)

    if mode == "kill-mid-save":
        save(folder / "before.csv")
        if os.environ.get("KAKEHASHI_TEST_PAUSE_IN_SAVE"):
            from sqlalchemy import event
            from sqlalchemy.orm import Session

            @event.listens_for(Session, "after_flush")
            def pause(session, context):
                (folder / "flushed").write_text("rows written, not committed")
                time.sleep(120)

        save(folder / "large.csv")
        print("saved without pause")
    elif mode == "loop":
        for path in sorted(folder.glob("loop*.csv")):
            save(path)
    elif mode == "writer":
        tag, other = sys.argv[4], sys.argv[5]
        files = sorted(folder.glob("both_*.csv")) + sorted(folder.glob(f"{tag}_*.csv"))
        (folder / f"ready_{tag}").touch()
        while not (folder / f"ready_{other}").exists():  # start together
            time.sleep(0.002)
        errors = []
        for path in files:
            try:
                save(path)
                store.surveys()
                store.survey("S")
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:300])
        print(json.dumps(errors))
    """
)


def run_child(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def check_database(path: Path) -> sqlite3.Connection:
    """Integrity ok, no orphan waves, and every stored file whole (bytes match their hash)."""
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    orphans = connection.execute(
        "SELECT COUNT(*) FROM waves WHERE upload_id NOT IN (SELECT id FROM uploads)"
    ).fetchone()
    assert orphans == (0,)
    for content, digest, waves in connection.execute(
        "SELECT content, content_hash, (SELECT COUNT(*) FROM waves w WHERE w.upload_id = u.id)"
        " FROM uploads u"
    ):
        assert hashlib.sha256(content).hexdigest() == digest
        assert waves >= 1
    return connection


def wait_for(path: Path, child: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if child.poll() is not None:
            raise AssertionError(f"child ended early: {child.communicate()[1][-2000:]}")
        assert time.monotonic() < deadline, "the child never reached the transaction"
        time.sleep(0.05)


def test_a_process_killed_inside_a_save_leaves_the_database_as_it_was(tmp_path):
    (tmp_path / "before.csv").write_bytes(survey_csv(3, rows=60))
    large = survey_csv(4, rows=8_000, tag="。" + "研修" * 100)  # about 5 MB of answers
    (tmp_path / "large.csv").write_bytes(large)
    database = tmp_path / "kakehashi.db"
    url = f"sqlite:///{database}"
    child = run_child(
        url, "kill-mid-save", str(tmp_path), env={"KAKEHASHI_TEST_PAUSE_IN_SAVE": "1"}
    )
    try:
        wait_for(tmp_path / "flushed", child)
        assert Path(f"{database}-wal").stat().st_size > len(large) // 2  # the blob is in the WAL
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    connection = check_database(database)
    assert [r[0] for r in connection.execute("SELECT filename FROM uploads")] == ["before.csv"]
    connection.close()
    store = WaveStore(url)
    assert [w.filename for w in store.waves("S")] == ["before.csv", "before.csv"]
    assert len(store.survey("S").frame) == 60
    # the file is not stuck half-stored: saving it again works and keeps it once
    schema = load_survey(large, name="large.csv").schema
    store.save(large, filename="large.csv", schema=schema, survey="S")
    assert sorted({w.filename for w in store.waves("S")}) == ["before.csv", "large.csv"]
    check_database(database).close()


def test_the_pause_is_only_in_the_child_when_asked(tmp_path):
    """Control: without the variable the same child saves the large file and exits."""
    (tmp_path / "before.csv").write_bytes(survey_csv(3, rows=30))
    (tmp_path / "large.csv").write_bytes(survey_csv(4, rows=200))
    child = run_child(f"sqlite:///{tmp_path / 'k.db'}", "kill-mid-save", str(tmp_path))
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-2000:]
    assert "saved without pause" in out and not (tmp_path / "flushed").exists()


def test_a_process_killed_at_a_random_moment_leaves_only_whole_waves(tmp_path):
    for i in range(12):
        (tmp_path / f"loop{i:02d}.csv").write_bytes(survey_csv(10 + i, rows=6_000))
    database = tmp_path / "kakehashi.db"
    child = run_child(f"sqlite:///{database}", "loop", str(tmp_path))
    try:
        deadline = time.monotonic() + 90
        while not database.exists() or not _uploads(database):  # at least one save committed
            assert child.poll() is None and time.monotonic() < deadline, child.communicate()
            time.sleep(0.02)
        time.sleep(random.Random(5).uniform(0.05, 0.3))  # somewhere in a later save
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    connection = check_database(database)
    stored = [r[0] for r in connection.execute("SELECT filename FROM uploads ORDER BY id")]
    assert 1 <= len(stored) < 12
    assert stored == [f"loop{i:02d}.csv" for i in range(len(stored))]  # committed in order
    for name, rows in connection.execute(
        "SELECT u.filename, SUM(w.n_responses) FROM uploads u JOIN waves w ON w.upload_id = u.id"
        " GROUP BY u.id"
    ):
        assert rows == 6_000, name


def _uploads(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=1) as connection:
            return connection.execute("SELECT COUNT(*) FROM uploads").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not created yet, or busy
        return 0


def test_two_app_processes_share_one_sqlite_file(tmp_path):
    for tag in ("a", "b"):
        for i in range(4):
            seed = 100 + i + (50 if tag == "b" else 0)
            (tmp_path / f"{tag}_{i}.csv").write_bytes(survey_csv(seed, rows=200))
    for i in range(6):  # both save these, in the same order at the same moment
        (tmp_path / f"both_{i}.csv").write_bytes(survey_csv(900 + i, rows=200))
    database = tmp_path / "kakehashi.db"
    url = f"sqlite:///{database}"
    WaveStore(url)  # tables exist before the race
    children = [run_child(url, "writer", str(tmp_path), a, b) for a, b in ("ab", "ba")]
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err[-3000:]
        assert json.loads(out.strip().splitlines()[-1]) == []
    connection = check_database(database)
    names = [r[0] for r in connection.execute("SELECT filename FROM uploads")]
    expected = [f"{t}_{i}.csv" for t in "ab" for i in range(4)] + [
        f"both_{i}.csv" for i in range(6)
    ]
    assert sorted(names) == sorted(expected)
    hashes = [r[0] for r in connection.execute("SELECT content_hash FROM uploads")]
    assert len(hashes) == len(set(hashes))
    connection.close()
    survey = WaveStore(url).survey("S")
    assert len(survey.frame) == 14 * 200


@pytest.mark.parametrize("workers", [4])
def test_the_tagger_gives_the_same_tokens_in_many_threads(workers):
    texts = [t.decode() for t in survey_csv(7, rows=2_000).splitlines()]
    expected = tokenize_texts(texts)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(tokenize_texts, [texts] * workers * 2))
    assert all(r == expected for r in results)
