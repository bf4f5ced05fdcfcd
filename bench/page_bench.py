"""Page views under AppTest: every page's first view and rerun on a 1k-sheet survey (the
default), and the gaps page after filter changes with many rows stored (``--full``).

**Every page, first view and rerun** (:func:`pages_child`, the default). The parent
stores a generated survey of 1,000 answer sheets (three waves, 10 Likert items, 3
free-text questions, Google Forms layout) with ``WaveStore.save``, one upload per wave,
in a private temporary ``KAKEHASHI_DATA_DIR`` / ``KAKEHASHI_DATABASE_URL``, and signs an
HR account in with ``tests.conftest.sign_in`` (a real account and session in that
database). Then one fresh child process stands for "the server has started": it has
imported Streamlit and AppTest and done what ``make run`` does before the server
listens (``ui.serve.warm_up``: the app's imports, a figure, the tokenizer's dictionary;
no survey read). One session visits ``app.py`` and
``pages/1_upload.py`` .. ``pages/6_settings.py`` in that order; per page the **first
view** (the first AppTest run of that page in the process: nothing cached for that
survey, except what an earlier page of the same visit cached) and the **rerun**
(unchanged, best of 3). The first page pays whatever imports the warm-up left: the
child runs under ``python -X importtime`` and adds up the modules imported during that
run. Then the baseline below, in the same process. Last, each page as the first page of
a fresh process of its own, with the warm-up and without it (a bare
``streamlit run app.py``).

**Gaps page with many rows** (:func:`child`, ``--full``). In a fresh child process
with two private, temporary data folders:

1. **Baseline**: an *empty* store, so the home page (``app.py``) shows the
   bundled sample (867 answer sheets). It is run once (cold) and then rerun
   unchanged; the baseline is the best of those warm reruns: the least a
   rerun costs (script, widgets, cached sample, AppTest round trip).
2. **Stored survey**: N generated answer sheets (as above) saved as one upload
   per wave; the mapping comes from ``load_survey`` on the file's first 2,000
   rows. Timed: the home page, cold (reads the stored files), then rerun
   unchanged (best of 3: the loaded survey and its counts cached);
   ``pages/2_gaps.py``, cold; the first change of 部署 (すべての部署 -> 営業部:
   new role x department scores, everything else cached); then 部署 switched
   back and forth (warm: every result cached; best of 3), and once a change of
   回答時期 (new role gaps for that wave).

``ratio`` is the time over the baseline. ``--full`` runs N = 10,000 and 100,000
sheets (the cold gaps page then takes minutes) after the 1k page views.
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from bench import common

PAGE_ROWS = 1_000
SIZES: list[int] = []
FULL_SIZES = [10_000, 100_000]
PAGES = (
    "app.py",
    "pages/1_upload.py",
    "pages/2_gaps.py",
    "pages/3_trends.py",
    "pages/4_free_text.py",
    "pages/5_export.py",
    "pages/6_settings.py",
)
ACCOUNT = "ベンチ人事"  # the HR account the bench signs in as
FIRST_VIEW_TARGET_S, RERUN_TARGET_S = 2.0, 0.2  # issue 14, item 7
DEPARTMENT = "部署"
WAVE = "回答時期"
ALL_DEPARTMENTS = "すべての部署"
TIMEOUT_S = 3_600  # one AppTest run; the cold gaps page at 100k rows takes minutes
_MARK = "kakehashi-bench-first-page"  # brackets the first page's imports on stderr


def _timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    at = run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError("; ".join(e.message for e in at.exception))
    return seconds, at


def _use_store(folder: Path) -> None:
    """Point the app at ``folder`` and forget every cached survey and engine."""
    import streamlit as st

    from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV

    os.environ[DATA_DIR_ENV] = str(folder)
    os.environ[DATABASE_URL_ENV] = f"sqlite:///{folder / 'kakehashi.db'}"
    st.cache_data.clear()
    st.cache_resource.clear()


def _select(at, label: str, value: str):
    [box] = [s for s in at.selectbox if s.label == label]
    return box.set_value(value).run()


def _options(at, label: str) -> list[str]:
    [box] = [s for s in at.selectbox if s.label == label]
    return list(box.options)


def store_sheets(folder: Path, rows: int) -> int:
    """Save ``rows`` generated sheets, one upload per wave; return the bytes stored."""
    from analysis.schema import load_survey
    from analysis.store import WaveStore

    frame = common.survey_rows(rows, seed=rows)
    head = frame.head(common.SCHEMA_ROWS).to_csv(index=False).encode()
    schema = load_survey(head, name="head.csv").schema
    store = WaveStore()
    size = 0
    for index, (_, part) in enumerate(frame.groupby("回答時期", sort=False)):
        content = part.to_csv(index=False).encode()
        store.save(content, filename=f"wave{index + 1}.csv", schema=schema)
        size += len(content)
    return size


def child(rows: int, repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import sign_in

    common.cap_memory()
    app = str(common.ROOT / "app.py")
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        _use_store(Path(empty))
        at = AppTest.from_file(app, default_timeout=TIMEOUT_S)
        sign_in(at, ACCOUNT)
        home_cold, at = _timed(at.run)
        home_warm = min(_timed(at.run)[0] for _ in range(repeats))

        _use_store(Path(full))
        start = time.perf_counter()
        stored = store_sheets(Path(full), rows)
        store_s = time.perf_counter() - start
        at = AppTest.from_file(app, default_timeout=TIMEOUT_S)
        sign_in(at, ACCOUNT)
        stored_home_cold, at = _timed(at.run)
        stored_home_warm = min(_timed(at.run)[0] for _ in range(repeats))
        gaps_cold, at = _timed(at.switch_page("pages/2_gaps.py").run)
        department = next(d for d in _options(at, DEPARTMENT) if d != ALL_DEPARTMENTS)
        first_filter, at = _timed(lambda: _select(at, DEPARTMENT, department))
        warm = math.inf
        for _ in range(repeats):
            for value in (ALL_DEPARTMENTS, department):
                seconds, at = _timed(lambda v=value, a=at: _select(a, DEPARTMENT, v))
                warm = min(warm, seconds)
        waves = _options(at, WAVE)
        wave_change, at = _timed(lambda: _select(at, WAVE, waves[1]))
    return {
        "rows": rows,
        "stored_mb": stored / 1e6,
        "store_s": store_s,
        "home_cold": home_cold,
        "baseline": home_warm,
        "stored_home_cold": stored_home_cold,
        "stored_home_warm": stored_home_warm,
        "gaps_cold": gaps_cold,
        "first_filter": first_filter,
        "warm_filter": warm,
        "wave_change": wave_change,
        "department": department,
        "wave": waves[1],
        "peak_mb": common.peak_rss_mb(),
    }


def report(result: dict) -> None:
    if "error" in result:
        print(f"{result['rows']:,} sheets: failed: {result['error']}")
        return
    base = result["baseline"]
    rows = [
        ["home, empty store (sample), cold", result["home_cold"], result["home_cold"] / base],
        ["home, empty store, rerun (baseline)", base, 1.0],
        ["home, stored survey, cold", result["stored_home_cold"], result["stored_home_cold"] / base],
        ["home, stored survey, rerun (best)", result["stored_home_warm"], result["stored_home_warm"] / base],
        ["gaps page, cold", result["gaps_cold"], result["gaps_cold"] / base],
        [f"{DEPARTMENT} -> {result['department']}, first time", result["first_filter"], result["first_filter"] / base],
        [f"{DEPARTMENT} switched, cached (best)", result["warm_filter"], result["warm_filter"] / base],
        [f"{WAVE} -> {result['wave']}, first time", result["wave_change"], result["wave_change"] / base],
    ]  # fmt: skip
    print(
        f"{result['rows']:,} answer sheets in 3 uploads ({result['stored_mb']:.0f} MB CSV, "
        f"saved in {result['store_s']:.0f} s); peak RSS {result['peak_mb']:,.0f} MB"
    )
    print(common.table(["AppTest run", "seconds", "x baseline"], rows))


# --------------------------------------------------------------------------- every page, 1k sheets


def point_at(folder: Path) -> None:
    """Point this process (and the children it starts) at the store in ``folder``."""
    from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV

    os.environ[DATA_DIR_ENV] = str(folder)
    os.environ[DATABASE_URL_ENV] = f"sqlite:///{folder / 'kakehashi.db'}"


def pages_child(
    pages: list[str],
    repeats: int,
    empty: str,
    key: str,
    token: str,
    empty_token: str,
    warm: bool = True,
) -> dict:
    """``pages``' first views and reruns, visited in that order in this fresh process.

    The store is the environment's; with ``empty`` (a folder) the baseline follows.
    With ``warm`` the process first does what ``make run`` does before it listens
    (``ui.serve.warm_up``); without, it is a bare ``streamlit run app.py``.
    """
    from streamlit.testing.v1 import AppTest  # a started server has Streamlit loaded

    common.cap_memory()
    warm_s = 0.0
    if warm:
        from ui.serve import warm_up

        start = time.perf_counter()
        warm_up()
        warm_s = time.perf_counter() - start
    before = set(sys.modules)
    print(f"{_MARK} start", file=sys.stderr, flush=True)
    at = AppTest.from_file(str(common.ROOT / PAGES[0]), default_timeout=TIMEOUT_S)
    at.session_state[key] = token  # signed in by the parent (tests.conftest.sign_in)
    if pages[0] != PAGES[0]:  # the entry point stays app.py, so page links resolve
        at.switch_page(pages[0])
    first, at = _timed(at.run)
    print(f"{_MARK} end", file=sys.stderr, flush=True)
    modules = len(set(sys.modules) - before)
    views = [{"page": pages[0], "first": first}]
    views[0]["rerun"] = min(_timed(at.run)[0] for _ in range(repeats))
    for page in pages[1:]:
        seconds, at = _timed(at.switch_page(page).run)
        views.append({"page": page, "first": seconds})
        views[-1]["rerun"] = min(_timed(at.run)[0] for _ in range(repeats))
    result = {
        "views": views, "modules": modules, "warm_s": warm_s, "peak_mb": common.peak_rss_mb()
    }  # fmt: skip
    if not empty:
        return result

    _use_store(Path(empty))  # the baseline: home on an empty store shows the sample
    at = AppTest.from_file(str(common.ROOT / PAGES[0]), default_timeout=TIMEOUT_S)
    at.session_state[key] = empty_token
    sample_cold, at = _timed(at.run)
    baseline = min(_timed(at.run)[0] for _ in range(repeats))
    return {**result, "sample_cold": sample_cold, "baseline": baseline}


def _first_page_imports(stderr: str, top: int = 6) -> dict:
    """``-X importtime`` lines between the child's marks: seconds in all, by top-level package."""
    inside, total, by_package = False, 0, {}
    for line in stderr.splitlines():
        if _MARK in line:
            inside = line.endswith("start")
            continue
        if not inside or not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header
        self_us = int(parts[0])
        package = parts[2].strip().split(".")[0]
        total += self_us
        by_package[package] = by_package.get(package, 0) + self_us
    largest = sorted(by_package.items(), key=lambda kv: -kv[1])[:top]
    return {"import_s": total / 1e6, "import_top": [[name, us / 1e6] for name, us in largest]}


def _pages_child(pages: Sequence[str], repeats: int, *args: str) -> dict:
    """:func:`pages_child` in a fresh ``python -X importtime`` process; its JSON and imports."""
    command = [
        sys.executable, "-X", "importtime", "-m", "bench.page_bench", "--child", "pages",
        ",".join(pages), repeats, *args,
    ]  # fmt: skip
    done = subprocess.run(
        list(map(str, command)),
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
        return {"error": f"exit {done.returncode}: " + " | ".join(tail[-3:])}
    return {**json.loads(lines[-1]), **_first_page_imports(done.stderr)}


def pages_run(rows: int = PAGE_ROWS, repeats: int = 3, alone: bool = True) -> dict:
    """Store ``rows`` sheets and sign in here; time every page in a fresh child process.

    With ``alone``, each page is also timed as the first page of its own fresh process
    (someone who opens a bookmark of that page right after the server started).
    """
    from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV
    from tests.conftest import sign_in

    for name in ("cache_data_api", "cache_resource_api"):  # "No runtime found" (no server here)
        logging.getLogger(f"streamlit.runtime.caching.{name}").setLevel(logging.ERROR)
    from ui import auth

    saved = {name: os.environ.get(name) for name in (DATA_DIR_ENV, DATABASE_URL_ENV)}
    with tempfile.TemporaryDirectory() as full, tempfile.TemporaryDirectory() as empty:
        try:
            point_at(Path(empty))
            empty_token = sign_in(SimpleNamespace(session_state={}), ACCOUNT)
            point_at(Path(full))
            start = time.perf_counter()
            stored = store_sheets(Path(full), rows)
            store_s = time.perf_counter() - start
            token = sign_in(SimpleNamespace(session_state={}), ACCOUNT)
            result = _pages_child(PAGES, repeats, empty, auth.TOKEN, token, empty_token, 1)
            if alone and "error" not in result:
                for view in result["views"]:
                    for column, warm in (("alone", 1), ("bare", 0)):
                        first = _pages_child([view["page"]], 1, "", auth.TOKEN, token, "", warm)
                        view[column] = first["views"][0]["first"] if "views" in first else None
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    result.update(rows=rows, stored_mb=stored / 1e6, store_s=store_s)
    return result


def report_pages(result: dict) -> None:
    if "error" in result:
        print(f"{result['rows']:,} sheets: failed: {result['error']}")
        return
    base = result["baseline"]
    rows = []
    for view in result["views"]:
        firsts = [view["first"], view.get("alone") or view["first"]]
        met = max(firsts) <= FIRST_VIEW_TARGET_S and view["rerun"] <= RERUN_TARGET_S
        rows.append(
            [view["page"], view["first"], view["first"] / base, view.get("alone"),
             view.get("bare"), view["rerun"], view["rerun"] / base, "yes" if met else "no"]
        )  # fmt: skip
    print(
        f"{result['rows']:,} answer sheets in 3 uploads ({result['stored_mb']:.1f} MB CSV, "
        f"saved in {result['store_s']:.1f} s); pages visited in this order in one fresh process; "
        f"peak RSS {result['peak_mb']:,.0f} MB"
    )
    headers = ["page", "first view s", "x base", "as first page s", "no warm-up s",
               "rerun s", "x base",
               f"<= {FIRST_VIEW_TARGET_S:g} s / {RERUN_TARGET_S:g} s"]  # fmt: skip
    print(common.table(headers, rows))
    largest = ", ".join(f"{name} {s:.2f}" for name, s in result["import_top"])
    print(
        f"first page ({PAGES[0]}) imported {result['modules']:,} modules: "
        f"{result['import_s']:.2f} s of its first view (-X importtime, self times; largest: {largest}); "
        f"the server's warm-up before it listened: {result['warm_s']:.2f} s"
    )
    print(
        f"baseline: home rerun on an empty store (867-sheet sample), best of 3: {base:.3f} s "
        f"(its first view {result['sample_cold']:.2f} s); as first page: the page's first view "
        "in a fresh process of its own after the warm-up `make run` does (ui/serve.py); "
        "no warm-up: the same under a bare `streamlit run app.py`, imports included"
    )


def run(full: bool = False) -> list[dict]:
    """Every page at 1k sheets; with ``full`` also the gaps page at 10k and 100k (a child each)."""
    print(f"Every page under AppTest, {PAGE_ROWS:,} sheets (seconds; reruns best of 3)")
    results = [pages_run()]
    report_pages(results[0])
    print()
    sizes = SIZES + (FULL_SIZES if full else [])
    if sizes:
        print("Page reruns under AppTest (seconds; warm figures best of 3)")
        results += common.run_sizes("bench.page_bench", sizes, key="rows", report=report)
    else:
        print(f"machine: {common.machine_line()}")
    return results


def main() -> None:
    args = common.child_args()
    if args is not None and args[:1] == ["pages"]:
        pages, repeats, empty, key, token, empty_token, warm = args[1:]
        common.emit(
            pages_child(pages.split(","), int(repeats), empty, key, token, empty_token, warm == "1")
        )
    else:
        common.main(child, run)


if __name__ == "__main__":
    main()
