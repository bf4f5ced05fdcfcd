"""End to end: the server `make run` starts (`python -m ui.serve`) on 127.0.0.1 with an empty store, driven by Chromium.

The tests run in file order on one browser page: home on the bundled sample, upload and
save the CP932 export, then gaps, trends and export on the stored survey. Full-page
screenshots go to test-artifacts/ for a human look (Japanese glyphs, layout).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CP932_CSV = ROOT / "sample_data" / "ai_survey_excel_cp932.csv"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT = 60_000  # ms; Streamlit renders asynchronously and the first analyses take seconds
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Accounts created in the server's database before it starts (issue 18: every page signs in).
E2E_USER, E2E_PASSWORD = "e2e人事", "e2e-正しいパスワード"
LOCK_USER, LOCK_PASSWORD = "e2e施錠", "e2e-施錠のパスワード"
EXPIRE_USER = "e2e期限"  # same password as E2E_USER; its sessions are ended by the test
DATABASE: dict[str, str] = {}  # "url": the server's database, for the tests that read it

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from servers import start_server, stop_server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server as `make run` starts it (``python -m ui.serve``), on an empty store."""
    data = tmp_path_factory.mktemp("e2e_data")
    env = {
        **os.environ,
        "KAKEHASHI_DATA_DIR": str(data),
        "KAKEHASHI_DATABASE_URL": f"sqlite:///{data / 'kakehashi.db'}",
    }
    from analysis.accounts import AccountStore

    accounts = AccountStore(env["KAKEHASHI_DATABASE_URL"])
    accounts.create_account(E2E_USER, role="人事", password=E2E_PASSWORD)
    accounts.create_account(LOCK_USER, role="人事", password=LOCK_PASSWORD)
    accounts.create_account(EXPIRE_USER, role="人事", password=E2E_PASSWORD)
    accounts.engine.dispose()
    DATABASE["url"] = env["KAKEHASHI_DATABASE_URL"]
    try:
        process, url, _ = start_server(data / "streamlit.log", env=env)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"CI is set but {CHROMIUM} is missing: the e2e tests cannot run")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(server: str, browser: Browser) -> Iterator[Page]:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1400, "height": 1800}, locale="ja-JP", accept_downloads=True
    )
    context.set_default_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    tab = context.new_page()
    yield tab
    context.close()


def open_page(page: Page, server: str, path: str, *, signed_in: bool = True) -> None:
    """Load ``path`` in a new session (a page load is one), signed in as the e2e HR account."""
    page.goto(f"{server}/{path}")
    page.wait_for_selector('[data-testid="stApp"]')
    if signed_in:
        sign_in(page)
        expect(page.get_by_test_id("stSidebar")).to_contain_text(f"{E2E_USER}（人事）")


def sign_in(page: Page, username: str = E2E_USER, password: str = E2E_PASSWORD) -> None:
    """Fill the sign-in form and send it."""
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill(password)
    page.get_by_role("button", name="サインイン", exact=True).click()


def settle(page: Page) -> None:
    """Wait until the script has finished: the "running" indicator is gone."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)


def shoot(page: Page, name: str) -> None:
    settle(page)
    page.wait_for_timeout(500)  # charts animate in
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_home_shows_sample_and_counts(page: Page, server: str):
    open_page(page, server, "")
    expect(page.get_by_role("heading", name="架け橋 Kakehashi")).to_be_visible()
    expect(page.get_by_text("役割 × 回答時期の回答数")).to_be_visible()
    expect(page.get_by_text("回答時期の順序: 研修前 → 研修後 → 3か月後")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    settle(page)
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "home.png")


def test_upload_cp932_and_save(page: Page, server: str):
    open_page(page, server, "upload")
    expect(page.get_by_role("heading", name="アンケートのアップロード")).to_be_visible()
    page.set_input_files("input[type=file]", str(CP932_CSV))
    loaded = page.get_by_text("として読み込みました")
    expect(loaded).to_be_visible()
    expect(loaded).to_contain_text("cp932")
    expect(loaded).to_contain_text("867件")
    settle(page)
    page.locator("button", has_text="保存する").click()
    saved = page.get_by_text("に保存しました")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text("研修前（300件）、研修後（291件）、3か月後（276件）")
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "upload.png")


def test_gaps_renders_japanese_charts(page: Page, server: str):
    open_page(page, server, "gaps")
    expect(page.get_by_role("heading", name="役割間のギャップ")).to_be_visible()
    # A fresh session picks the stored survey first, not the sample.
    expect(page.get_by_role("combobox", name="アンケート")).to_have_value("AI導入研修アンケート")
    heatmap = page.locator(".js-plotly-plot").first
    expect(heatmap).to_be_visible()
    expect(heatmap.locator(".gtitle")).to_have_text("全体平均との差（役割別）")
    roles = heatmap.locator(".xtick text").all_text_contents()
    assert roles == ["経営層", "管理職", "一般社員"]
    page.get_by_role("tab", name="役割ごとの平均").click()
    dumbbell = page.locator(".js-plotly-plot").nth(1)
    expect(dumbbell.locator(".gtitle")).to_contain_text("役割ごとの平均")
    items = dumbbell.locator(".ytick text").all_text_contents()
    assert "Q2_仕事が楽になる" in [i.removeprefix("◆ ") for i in items]  # CP932 short headers
    assert all(JAPANESE.search(i) for i in items)
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "gaps.png")


def test_trends_shows_headlines_and_wave_order(page: Page, server: str):
    open_page(page, server, "trends")
    expect(page.get_by_role("heading", name="研修前後の変化")).to_be_visible()
    expect(page.get_by_role("heading", name="ポイント")).to_be_visible()
    expect(page.locator("li").first).to_contain_text("n=")  # headlines carry their n
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    expect(chart.locator(".xtick text")).to_have_text(["研修前", "研修後", "3か月後"])
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "trends.png")


def test_free_text_shows_topics(page: Page, server: str):
    open_page(page, server, "free_text")
    expect(page.get_by_role("heading", name="自由記述")).to_be_visible()
    expect(page.get_by_text("個の話題に分けました")).to_be_visible()
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator(".gtitle")).to_contain_text("話題の割合")
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "free_text.png")
    # Only the open tab runs: a click on another reruns the page and draws that tab.
    assert page.locator(".gtitle", has_text="語の共起ネットワーク").count() == 0
    page.get_by_role("tab", name="語の共起ネットワーク").click()
    expect(page.locator(".gtitle", has_text="語の共起ネットワーク")).to_be_visible()
    settle(page)
    expect(page.get_by_role("tab", name="語の共起ネットワーク")).to_have_attribute(
        "aria-selected", "true"
    )
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "free_text_network.png")


def test_export_downloads_a_deck(page: Page, server: str):
    from pptx import Presentation

    open_page(page, server, "export")
    expect(page.get_by_role("heading", name="書き出し")).to_be_visible()
    settle(page)
    page.locator("button", has_text="スライドを作成").click()
    deck_button = page.get_by_test_id("stDownloadButton").filter(has_text="スライドをダウンロード")
    expect(deck_button).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        deck_button.locator("button").click()
    download = info.value
    assert download.suggested_filename.endswith("_deck.pptx")
    target = ARTIFACTS / "e2e_deck.pptx"
    download.save_as(target)
    deck = Presentation(target)
    assert len(deck.slides) >= 5
    assert "研修前 → 研修後 → 3か月後" in deck.slides[0].shapes[1].text_frame.text
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "export.png")


def test_upload_finds_the_data_sheet_behind_a_cover_page(page: Page, server: str):
    """Issue 13: a workbook whose first sheet is a cover page read as a 2-row survey."""
    workbook = ROOT / "tests" / "data" / "exports" / "ja_microsoft_forms_cover_sheet.xlsx"
    open_page(page, server, "upload")
    page.set_input_files("input[type=file]", str(workbook))
    loaded = page.get_by_text("として読み込みました")
    expect(loaded).to_contain_text("Microsoft Forms")
    expect(loaded).to_contain_text("シート「回答」")
    expect(page.get_by_text("尺度項目 5問")).to_be_visible()  # the summary above the grid
    expect(page.get_by_text("ブックに2枚のシートがあります")).to_be_visible()
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "upload_cover_sheet.png")


def test_no_page_requests_anything_from_another_host(browser: Browser, server: str):
    """Issue 14: page icons were fetched from an outside font host (6 requests on one visit)."""
    from urllib.parse import urlparse

    app_host = urlparse(server).hostname
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ja-JP")
    tab = context.new_page()
    tab.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(request.url).hostname != app_host
            else None
        ),
    )
    for path in ["", "upload", "gaps", "trends", "free_text", "export", "settings"]:
        open_page(tab, server, path)
        settle(tab)
        assert tab.get_by_role("button", name="Deploy").count() == 0  # it links to a cloud
    context.close()
    assert outside == []


# --------------------------------------------------------------------------- sign-in (issue 18)

# What only a survey shows: the sample's name, its waves in order, its counts (home's tagline
# 「AI導入研修アンケートの分析…」 is the product's, shown before sign-in, and no survey's).
SURVEY_TEXT = ("サンプル", "回答時期の順序", "研修前 →", "867", "回答者数")


def _audit(actor: str) -> list[str]:
    """The audit log's actions for ``actor``, oldest first, read from the server's database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(DATABASE["url"])
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT action FROM audit_log WHERE actor = :actor ORDER BY id"),
            {"actor": actor},
        ).scalars()
        actions = list(found)
    engine.dispose()
    return actions


def _wait_for_audit(actor: str, rows: int) -> None:
    """Poll the server's audit log until ``actor`` has ``rows`` rows (fail after WAIT)."""
    deadline = time.monotonic() + WAIT / 1000
    while len(_audit(actor)) < rows:
        if time.monotonic() > deadline:
            pytest.fail(f"the audit log has {_audit(actor)} for {actor}, expected {rows} rows")
        time.sleep(0.2)


def _shows_no_survey_data(page: Page) -> None:
    settle(page)
    assert page.get_by_test_id("stDataFrame").count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.get_by_test_id("stMetric").count() == 0
    assert page.get_by_role("combobox", name="アンケート").count() == 0  # no survey names
    body = page.locator("body").inner_text()
    assert not [found for found in SURVEY_TEXT if found in body]
    assert page.get_by_test_id("stException").count() == 0


def _fresh_tab(browser: Browser) -> tuple[object, Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="ja-JP")
    context.set_default_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    return context, context.new_page()


def test_a_page_loaded_without_a_session_shows_no_survey_data(browser: Browser, server: str):
    context, tab = _fresh_tab(browser)
    for path in ["", "upload", "gaps", "trends", "free_text", "export", "settings"]:
        open_page(tab, server, path, signed_in=False)
        expect(tab.get_by_label("パスワード", exact=True)).to_be_visible()
        _shows_no_survey_data(tab)
        assert tab.get_by_role("link", name="役割間のギャップ").count() == 0  # no navigation
    shoot(tab, "signed_out.png")
    context.close()


def test_wrong_password_is_refused_then_sign_in_and_sign_out(page: Page, server: str):
    open_page(page, server, "", signed_in=False)
    sign_in(page, E2E_USER, "まちがったパスワード")
    expect(page.get_by_text("ユーザー名またはパスワードが違います")).to_be_visible()
    _shows_no_survey_data(page)
    sign_in(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"{E2E_USER}（人事）")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    shoot(page, "signed_in.png")
    page.get_by_test_id("stSidebar").get_by_role("button", name="サインアウト").click()
    expect(page.get_by_text("サインアウトしました。")).to_be_visible()
    expect(page.get_by_label("パスワード", exact=True)).to_be_visible()
    _shows_no_survey_data(page)
    assert _audit(E2E_USER)[-3:] == ["サインイン失敗", "サインイン", "サインアウト"]


def test_repeated_wrong_passwords_lock_the_account(browser: Browser, server: str):
    from analysis.accounts import MAX_FAILURES

    context, tab = _fresh_tab(browser)
    open_page(tab, server, "", signed_in=False)
    for tries in range(1, MAX_FAILURES + 1):
        sign_in(tab, LOCK_USER, "まちがったパスワード")
        # The same message stays on screen from one try to the next: wait for the server to
        # log this try, or the next click could interrupt its run before the password is checked.
        _wait_for_audit(LOCK_USER, tries)
        expect(tab.get_by_text("ユーザー名またはパスワードが違います")).to_be_visible()
    sign_in(tab, LOCK_USER, LOCK_PASSWORD)  # the right password, too late
    expect(tab.get_by_text("このアカウントはロックされています")).to_be_visible()
    _shows_no_survey_data(tab)
    shoot(tab, "locked.png")
    context.close()
    assert _audit(LOCK_USER) == ["サインイン失敗"] * (MAX_FAILURES + 1)


def test_an_expired_session_asks_to_sign_in_again(browser: Browser, server: str):
    from sqlalchemy import create_engine, text

    context, tab = _fresh_tab(browser)
    open_page(tab, server, "", signed_in=False)
    sign_in(tab, EXPIRE_USER, E2E_PASSWORD)
    expect(tab.get_by_test_id("stDataFrame").first).to_be_visible()
    settle(tab)
    engine = create_engine(DATABASE["url"])  # the session's end moves into the past
    with engine.begin() as connection:
        ended = connection.execute(
            text("UPDATE auth_sessions SET expires_at = '2000-01-01 00:00:00' WHERE username = :u"),
            {"u": EXPIRE_USER},
        ).rowcount
    engine.dispose()
    assert ended == 1
    tab.get_by_test_id("stSidebar").get_by_role("link", name="役割間のギャップ").click()
    expect(tab.get_by_text("セッションの有効期限が切れました")).to_be_visible()
    expect(tab.get_by_label("パスワード", exact=True)).to_be_visible()
    _shows_no_survey_data(tab)
    shoot(tab, "session_expired.png")
    context.close()


# --------------------------------------------------------------------------- upload grid (issue 14)

GRID_30 = ROOT / "tests" / "data" / "exports" / "real_qualtrics_insights_matrix7.csv"  # 30 columns
JUDGEMENT_HELP = "分析での使い方（尺度項目・自由記述・役割など）を選びます"  # 判定's help
SCALE_HELP = "尺度項目の列だけ使います。"
HEADER_PX = {"列": 90, "内容": 140, "判定": 165}  # ui/mapping.py; each column is drawn 5 px wider
ROW_PX = 35


def _tooltip_at(tab: Page, x: float, y: float, text: str) -> bool:
    """Whether hovering (x, y) shows the header help ``text`` (the grid is drawn on a canvas)."""
    tab.mouse.move(5, 5)  # off the grid: any earlier tooltip closes
    tab.wait_for_timeout(300)
    tab.mouse.move(x, y)
    try:
        expect(tab.get_by_text(text).first).to_be_visible(timeout=3000)
    except AssertionError:
        return False
    return True


def test_upload_grid_fits_1366_and_a_changed_judgement_refreshes_its_reason(
    browser: Browser, server: str
):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    open_page(tab, server, "upload")
    tab.set_input_files("input[type=file]", str(GRID_30))
    expect(tab.get_by_text("として読み込みました")).to_contain_text("30列")
    settle(tab)
    expect(tab.get_by_text("全30列を表示しています。")).to_be_visible()
    grid = tab.get_by_test_id("stDataFrame").first
    grid.evaluate("element => element.scrollIntoView({block: 'start', behavior: 'instant'})")
    tab.wait_for_timeout(500)
    box = grid.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366
    scroller = grid.locator(".dvn-scroller").first
    width, client_width, height, client_height = scroller.evaluate(
        "e => [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]"
    )
    assert width <= client_width  # every column shows: no horizontal scrolling
    assert height <= client_height and client_height >= ROW_PX * 31  # all 30 rows, no inner scroll

    row = 11  # Q1_1, a 7-point grid item
    reason = grid.get_by_test_id(f"glide-cell-6-{row}")
    expect(grid.get_by_test_id(f"glide-cell-0-{row}")).to_have_text("Q1_1")
    expect(reason).to_have_text("回答が1〜7の数値（7件法）")
    left = box["x"] + HEADER_PX["列"] + HEADER_PX["内容"] + 10  # 判定 (each column drawn +5)
    right = left + HEADER_PX["判定"] + 5
    tab.mouse.dblclick((left + right) / 2, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    tab.get_by_role("option", name="その他（分析しない）", exact=True).click()
    tab.keyboard.press("Escape")
    settle(tab)
    expect(reason).to_have_text("手動で変更: 尺度項目 → その他（分析しない）")
    expect(grid.get_by_test_id(f"glide-cell-5-{row}")).to_have_text("手動")
    expect(tab.get_by_text("尺度項目 15問（7件法 15、うち逆転 0）")).to_be_visible()

    # Then 判定's header (a header hovered first keeps cells from opening): where the column
    # widths put it, it shows 判定's help across its width, inside the grid and the screen.
    grid.evaluate("element => element.scrollIntoView({block: 'start', behavior: 'instant'})")
    tab.wait_for_timeout(500)
    moved = grid.bounding_box()
    left, right = left + moved["x"] - box["x"], right + moved["x"] - box["x"]
    box, header_y = moved, moved["y"] + ROW_PX / 2
    assert box["x"] < left < right <= box["x"] + box["width"] <= 1366
    for x in (left + 15, (left + right) / 2, right - 15):
        assert _tooltip_at(tab, x, header_y, JUDGEMENT_HELP), x
    assert not _tooltip_at(tab, left - 25, header_y, JUDGEMENT_HELP)  # 内容: no help
    assert _tooltip_at(tab, right + 25, header_y, SCALE_HELP)  # 尺度 begins after it
    tab.mouse.move(5, 5)

    assert tab.get_by_test_id("stException").count() == 0
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(ARTIFACTS / "upload_1366.png"))  # what a 1,366 x 768 screen shows
    tab.get_by_text("尺度項目 15問").evaluate("e => e.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(500)  # the page scrolls inside the app, so a full-page shot is this one
    tab.screenshot(path=str(ARTIFACTS / "upload_1366_summary.png"))
    context.close()


def test_every_page_in_english_has_an_english_heading_and_a_screenshot(page: Page, server: str):
    """Issue 14: every page shot in both languages (the Japanese ones above); in English each
    page, reached by its English link in one session, has a heading with no Japanese."""
    open_page(page, server, "")
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Kakehashi", exact=True)).to_be_visible()
    shoot(page, "en_home.png")
    for link, file in [("Upload", "upload"), ("Role gaps", "gaps"), ("Before / after", "trends"),
                       ("Free text", "free_text"), ("Export", "export"), ("Settings", "settings")]:  # fmt: skip
        page.get_by_test_id("stSidebar").get_by_role("link", name=link, exact=True).click()
        settle(page)
        expect(page.locator("h1").first).to_be_visible()
        heading = page.locator("h1").first.inner_text()
        assert heading and not JAPANESE.search(heading), (link, heading)
        assert page.get_by_test_id("stException").count() == 0, link
        shoot(page, f"en_{file}.png")


def test_a_60_mb_file_is_refused_in_japanese(page: Page, server: str, tmp_path: Path):
    """Issue 14: a 60 MB file got only Streamlit's English tooltip 「File must be 50.0MB or
    smaller.」; now it reaches the app, which names the file and the 50 MB limit."""
    big = tmp_path / "大きな回答.csv"
    with big.open("wb") as handle:
        handle.write("回答,部署\n".encode())
        handle.write(b"a,b\n" * (60 * 1024 * 1024 // 4))
    open_page(page, server, "upload")
    expect(page.get_by_text("上限 50 MB")).to_be_visible()
    expect(page.get_by_text("200MB")).to_be_hidden()  # Streamlit's hint of its own cap
    page.set_input_files("input[type=file]", str(big))
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("大きすぎます", timeout=WAIT)
    expect(error).to_contain_text("上限 50 MB")
    expect(error).to_contain_text("大きな回答.csv")
    assert page.get_by_text("File must be").count() == 0
    assert page.get_by_test_id("stException").count() == 0
    shoot(page, "upload_too_large.png")


def test_the_xlsx_is_built_when_clicked_and_holds_every_table(page: Page, server: str):
    """The export page builds the workbook only when its button is clicked (a callable
    passed to st.download_button, which AppTest cannot run): the download really arrives."""
    from openpyxl import load_workbook

    open_page(page, server, "export")
    settle(page)
    button = page.get_by_test_id("stDownloadButton").filter(has_text="すべての表（Excel .xlsx）")
    with page.expect_download() as info:
        button.locator("button").click()
    target = ARTIFACTS / "e2e_tables.xlsx"
    info.value.save_as(target)
    book = load_workbook(target, read_only=True)
    assert {"役割別スコア", "役割間ギャップ", "研修前後の変化"} <= set(book.sheetnames)
    header = next(book["役割別スコア"].iter_rows(max_row=1, values_only=True))
    assert "平均" in header and "人数" in header
    csv_button = page.get_by_test_id("stDownloadButton").filter(has_text="（CSV）")
    with page.expect_download() as csv_info:  # the CSV is written when clicked, too
        csv_button.locator("button").click()
    written = Path(csv_info.value.path()).read_bytes().decode("utf-8-sig")
    assert "平均" in written.splitlines()[0] and len(written.splitlines()) > 3
    assert page.get_by_test_id("stException").count() == 0
